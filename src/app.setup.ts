import type { Socket } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AppModule } from './app.module';
import { Clock } from './common/clock';
import { contentTypeHook, MAX_BODY_BYTES, registerBodyParser } from './common/http/body-reader';
import { drainingHook } from './common/http/draining';
import { methodGate } from './common/http/method-gate';
import { RouteCatalog } from './common/http/route-catalog';
import { securityHeaders } from './common/http/security-headers';
import { traceIdFor, traceIdHook } from './common/http/trace-id';
import { AppLogger, NestPinoLogger } from './common/logging/logger';
import { createHttpMetrics, requestLoggingHook } from './common/logging/request-logging';
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

/**
 * A request head over 16 KiB (Node's limit), one that did not arrive in time or an unparsable
 * one, answered as problem details.
 */
function clientErrorHandler(logger: AppLogger) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const traceId = traceIdFor(undefined);
    const domain =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? new DomainError(ErrorCode.HeadersTooLarge)
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? new DomainError(ErrorCode.RequestTimeout)
          : DomainError.validation({ $: ['The request could not be parsed.'] });
    const problem = problemFor(domain, '/', traceId);
    const body = JSON.stringify(problem.body);
    logger.warn(
      { traceId, status: problem.status, reason: error.code },
      'request refused before routing',
    );
    socket.end(
      `HTTP/1.1 ${problem.status} ${problem.body.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nCache-Control: no-store\r\n` +
        `X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  };
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
  const adapter = new FastifyAdapter({
    trustProxy: config.trustProxy,
    bodyLimit: MAX_BODY_BYTES,
    // Paths match as ASP.NET Core matches them: case-insensitively, with or without a final slash;
    // a parameter as long as the request head allows, so a long malformed id is a 400, not a 404.
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 16_384 },
    // A request must arrive in time (slow-loris clients), checked every second or two.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: Math.min(20_000, config.requestTimeoutMs),
      connectionsCheckingInterval: Math.min(2000, config.requestTimeoutMs),
    },
    clientErrorHandler: clientErrorHandler(logger),
    frameworkErrors: (_error: unknown, req: FastifyRequest, reply: FastifyReply) =>
      refuseBeforeRouting(req, reply),
    requestIdHeader: false,
    // No Express-style middleware is used: every step below is a Fastify hook.
    skipMiddie: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, logger, metrics, clock),
    adapter,
    {
      bodyParser: false,
      logger: new NestPinoLogger(logger),
      abortOnError: false,
    },
  );

  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('traceId', '');
  fastify.decorateRequest('user', undefined);
  registerBodyParser(fastify);

  // No cache keeps a token, a TOTP secret, recovery codes or account data (RFC 6749 5.1, RFC 9111).
  const apiHeaders = securityHeaders(undefined, { 'Cache-Control': 'no-store' });
  const docsHeaders = securityHeaders({ contentSecurityPolicy: false });
  const routes = app.get(RouteCatalog);
  const filter = app.get(ProblemDetailsFilter);
  const logRequest = requestLoggingHook(logger, metrics, (path) => routes.templateOf(path));
  const headersHook = (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    reply.headers(req.url.startsWith('/swagger') ? docsHeaders : apiHeaders);
    done();
  };
  refuseBeforeRouting = (req, reply) => {
    // No hook runs for a request refused before routing: the ones that apply run here, and
    // Fastify's own answer (naming the path and its internals, with no trace id) is replaced.
    const next = () => undefined;
    for (const hook of [drainingHook, traceIdHook, headersHook]) hook(req, reply, next);
    reply.raw.once('finish', () => logRequest(req, reply, next));
    void filter.write(
      req,
      reply,
      DomainError.validation({ $: ['The request path is not valid.'] }),
    );
  };
  fastify.addHook('onRequest', drainingHook);
  fastify.addHook('onRequest', traceIdHook);
  fastify.addHook('onRequest', headersHook);
  // Before the body is read: a wrong method is a 405 whatever the body.
  fastify.addHook('onRequest', methodGate(routes));
  fastify.addHook('onRequest', contentTypeHook);
  fastify.addHook('onResponse', logRequest);

  setUpOpenApi(app);
  await app.init();
  await fastify.ready();
  return app;
}
