import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module';
import { Clock } from './common/clock';
import { bodyReaderMiddleware } from './common/http/body-reader';
import { drainingMiddleware } from './common/http/draining';
import { methodGate } from './common/http/method-gate';
import { RouteCatalog } from './common/http/route-catalog';
import { securityHeaders } from './common/http/security-headers';
import { traceIdFor, traceIdMiddleware } from './common/http/trace-id';
import { AppLogger, NestPinoLogger } from './common/logging/logger';
import { createHttpMetrics, requestLoggingMiddleware } from './common/logging/request-logging';
import { DomainError, ErrorCode } from './common/problem/domain-error';
import { PROBLEM_CONTENT_TYPE, problemFor } from './common/problem/problem-details';
import { ProblemDetailsFilter } from './common/problem/problem-details.filter';
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
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
    {
      operationIdFactory: (controllerKey, methodKey) =>
        `${controllerKey.replace(/Controller$/, '')}_${methodKey}`,
    },
  );
  SwaggerModule.setup('swagger', app, document, {
    jsonDocumentUrl: 'swagger/v1/swagger.json',
    yamlDocumentUrl: 'swagger/v1/swagger.yaml',
    customSiteTitle: 'MFA administration service',
  });
}

/** A request head over 16 KiB (Node's limit) or an unparsable one, answered as problem details. */
function answerClientErrors(server: Server, logger: AppLogger): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const traceId = traceIdFor(undefined);
    const domain =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? new DomainError(ErrorCode.HeadersTooLarge)
        : DomainError.validation({ $: ['The request could not be parsed.'] });
    const problem = problemFor(domain, '/', traceId);
    const body = JSON.stringify(problem.body);
    logger.warn(
      { traceId, status: problem.status, reason: error.code },
      'request refused before routing',
    );
    socket.end(
      `HTTP/1.1 ${problem.status} ${problem.body.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

/** Builds the app exactly as production runs it; tests call this too. */
export async function createApp(
  config: AppConfig,
  logger: AppLogger,
  clock: Clock = new Clock(),
): Promise<NestExpressApplication> {
  const metrics = createHttpMetrics();
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, logger, metrics, clock),
    {
      bodyParser: false,
      logger: new NestPinoLogger(logger),
      abortOnError: false,
    },
  );
  app.set('trust proxy', config.trustProxy);
  app.set('etag', false);
  app.disable('x-powered-by');

  const filter = app.get(ProblemDetailsFilter);
  // No cache keeps a token, a TOTP secret, recovery codes or account data (RFC 6749 5.1, RFC 9111).
  const apiHeaders = securityHeaders(undefined, { 'Cache-Control': 'no-store' });
  const docsHeaders = securityHeaders({ contentSecurityPolicy: false });
  app.use(drainingMiddleware);
  app.use(traceIdMiddleware);
  const routes = app.get(RouteCatalog);
  app.use(requestLoggingMiddleware(logger, metrics, (path) => routes.templateOf(path)));
  app.use((req: Request, res: Response, next: NextFunction) =>
    req.path.startsWith('/swagger') ? docsHeaders(req, res, next) : apiHeaders(req, res, next),
  );
  app.use(methodGate(routes));
  app.use(bodyReaderMiddleware);
  // Failures of the middleware above (405, 413, 415, malformed JSON) take the
  // same path as the rest.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) =>
    filter.write(req, res, error),
  );

  setUpOpenApi(app);
  answerClientErrors(app.getHttpServer(), logger);
  await app.init();
  return app;
}
