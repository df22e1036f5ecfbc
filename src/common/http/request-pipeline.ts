import type { Socket } from 'node:net';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { AppConfig } from '../../config/app-config';
import { AppLogger } from '../logging/logger';
import { HttpMetrics, requestLoggingHook } from '../logging/request-logging';
import { DomainError, ErrorCode } from '../problem/domain-error';
import { problemAnswer, rawHttpProblem } from '../problem/problem-details';
import { ProblemDetailsFilter } from '../problem/problem-details.filter';
import { contentTypeHook, MAX_BODY_BYTES, registerBodyParser } from './body-reader';
import { crossSiteGate } from './cross-site-gate';
import { drainingHook } from './draining';
import { methodGate } from './method-gate';
import { RouteCatalog } from './route-catalog';
import { consoleSecurityHeaders, securityHeaders } from './security-headers';
import { traceIdFor, traceIdHook } from './trace-id';

/*
 * The way of a request, and the order in which it is refused (each step as problem details):
 *
 *  socket    408 it did not arrive in time (REQUEST_TIMEOUT_MS), 431 its head is over 16 KiB,
 *            400 it cannot be parsed as HTTP                   (clientErrorHandler, below)
 *  routing   400 its path cannot be decoded                     (refuseBeforeRouting, below)
 *  hooks     draining, trace id, security headers (onRequest, in this order), then
 *            405 a served path with another method              (methodGate)
 *            403 a browser request from another site's page     (crossSiteGate)
 *            404 no route                                       (Nest's router, via the filter)
 *  body      413 over 64 KiB, on the declared length and on the bytes as they arrive (the rest
 *            read and discarded up to 8 MiB, so the client reads the answer); a body
 *            that cannot be read is kept and refused only where a handler reads it (below)
 *  guards    429 the per-address sign-in limit, 401 the token, 403 the permission,
 *            400 totp-required / totp-invalid (step-up)        (APP_GUARDs, in AppModule)
 *  pipes     400 validation: the body (415 for a media type it is not), the query, the path
 *  service   the rules: 403 error-not-allowed, 404 not found, 409 conflicts
 *
 * Every answer, refusals included, gets one log line and one count in the metrics (onResponse).
 */

/** The Fastify adapter, with the socket and routing steps above. */
export function createPipelineAdapter(
  config: AppConfig,
  logger: AppLogger,
  refuseBeforeRouting: (req: FastifyRequest, reply: FastifyReply) => void,
): FastifyAdapter {
  return new FastifyAdapter({
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
    // No Express-style middleware is used: every step is a Fastify hook.
    skipMiddie: true,
  });
}

/**
 * A request head over 16 KiB (Node's limit), one that did not arrive in time or an unparsable
 * one: answered on the socket, since no request object exists.
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
    const answer = problemAnswer(domain, '/', traceId);
    logger.warn(
      { traceId, status: answer.status, reason: error.code },
      'request refused before routing',
    );
    socket.end(rawHttpProblem(answer));
  };
}

/**
 * Registers the hooks, in the order above, and the one body parser. Answers the handler for
 * what Fastify refuses before routing, which runs the same hooks and leaves the same log line.
 */
export function registerRequestPipeline(
  app: NestFastifyApplication,
  logger: AppLogger,
  metrics: HttpMetrics,
): (req: FastifyRequest, reply: FastifyReply) => void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.decorateRequest('traceId', '');
  fastify.decorateRequest('user', undefined);
  registerBodyParser(fastify);

  // No cache keeps a token, a TOTP secret, recovery codes or account data (RFC 6749 5.1, RFC 9111).
  const apiHeaders = securityHeaders(undefined, { 'Cache-Control': 'no-store' });
  const docsHeaders = securityHeaders({ contentSecurityPolicy: false });
  const consoleHeaders = consoleSecurityHeaders();
  const routes = app.get(RouteCatalog);
  const filter = app.get(ProblemDetailsFilter);
  const logRequest = requestLoggingHook(logger, metrics, (path) => routes.templateOf(path));
  const headersHook = (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    reply.headers(
      req.url.startsWith('/swagger')
        ? docsHeaders
        : isConsolePath(req.url)
          ? consoleHeaders
          : apiHeaders,
    );
    done();
  };

  fastify.addHook('onRequest', drainingHook);
  fastify.addHook('onRequest', traceIdHook);
  fastify.addHook('onRequest', headersHook);
  // Before the body is read: a wrong method is a 405 whatever the body.
  fastify.addHook('onRequest', methodGate(routes));
  fastify.addHook('onRequest', crossSiteGate);
  fastify.addHook('onRequest', contentTypeHook);
  fastify.addHook('onResponse', logRequest);

  return (req, reply) => {
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
}

/** /console and what is under it, in any case (the router matches paths case-insensitively). */
function isConsolePath(url: string): boolean {
  const next = url.charAt(8);
  return (
    url.slice(0, 8).toLowerCase() === '/console' && (next === '' || next === '/' || next === '?')
  );
}
