import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppModule } from './app.module';
import { API_KEY_SCHEME } from './common/openapi/api-problems.decorator';
import { SECOND_FACTOR_SCHEMAS } from './auth/dto/second-factor-body';
import { ZABBIX_SCHEMAS } from './dialects/zabbix/zabbix-schemas';
import { Clock } from './common/clock';
import { createPipelineAdapter, registerRequestPipeline } from './common/http/request-pipeline';
import { AppLogger, NestPinoLogger } from './common/logging/logger';
import { createHttpMetrics } from './common/logging/request-logging';
import { AppConfig } from './config/app-config';

function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('MFA administration service')
      .setDescription(
        'Password + TOTP sign-in, authenticator enrolment, and administrative MFA reset. Errors are RFC 9457 problem details.',
      )
      .setVersion('v1')
      .addServer('/')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'An access token from /signinBody and /signin2fa (or a pre-auth token where said)',
      })
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'METRICS_TOKEN',
          description: 'METRICS_TOKEN, when it is set',
        },
        'metricsToken',
      )
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            'An API key (mfak_...), as the whole Authorization header; also accepted as `Bearer <key>`, in `X-API-Key`, or in `X-Auth-Token` with the owner id in `X-User-Id`',
        },
        API_KEY_SCHEME,
      )
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-Auth-Token',
          description:
            "Rocket.Chat's form: the authToken from POST /api/v1/login, or an API key, in X-Auth-Token with the user id in X-User-Id (the Rocket.Chat routes)",
        },
        'rocketChatToken',
      )
      .build(),
    {
      operationIdFactory: (controllerKey, methodKey) =>
        `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
    },
  );
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...SECOND_FACTOR_SCHEMAS, ...ZABBIX_SCHEMAS },
  };
  SwaggerModule.setup('swagger', app, document, {
    jsonDocumentUrl: 'swagger/v1/swagger.json',
    yamlDocumentUrl: 'swagger/v1/swagger.yaml',
    customSiteTitle: 'MFA administration service',
  });
}

/** Builds the app exactly as production runs it; tests call this too. */
export async function createApp(
  config: AppConfig,
  logger: AppLogger,
  clock: Clock = new Clock(),
): Promise<NestFastifyApplication> {
  const metrics = createHttpMetrics();
  // Set once the app exists: what Fastify refuses before routing (a path that cannot be decoded).
  let refuseBeforeRouting = (_req: FastifyRequest, reply: FastifyReply): void => {
    void reply.code(400).send();
  };
  const adapter = createPipelineAdapter(config, logger, (req, reply) =>
    refuseBeforeRouting(req, reply),
  );
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger, metrics, clock),
    adapter,
    {
      bodyParser: false,
      logger: new NestPinoLogger(logger),
      abortOnError: false,
    },
  );
  // The order of hooks and refusals: src/common/http/request-pipeline.ts.
  refuseBeforeRouting = registerRequestPipeline(app, logger, metrics);

  setUpOpenApi(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
