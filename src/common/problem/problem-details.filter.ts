import { ArgumentsHost, Catch, ExceptionFilter, Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pathOf } from '../http/request-context';
import { APP_LOGGER, AppLogger } from '../logging/logger';
import { PROBLEM_CONTENT_TYPE, problemFor } from './problem-details';
import { toDomainError } from './to-domain-error';

/**
 * The one place where failures become answers: every exception, from a guard, a pipe, a
 * service, the router or the body reader, leaves as RFC 9457 problem details.
 */
@Catch()
@Injectable()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(APP_LOGGER) private readonly logger: AppLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.write(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception);
  }

  write(req: FastifyRequest, reply: FastifyReply, exception: unknown): void {
    // A wrong method on a served path never reaches here as a 404: the method gate answers it.
    const error = toDomainError(exception);
    const traceId = req.traceId ?? '';
    const problem = problemFor(error, pathOf(req), traceId);
    if (problem.status >= 500) {
      this.logger.error(
        {
          traceId,
          err:
            exception instanceof Error
              ? { type: exception.name, message: exception.message, stack: exception.stack }
              : String(exception),
        },
        'request failed',
      );
    }
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.end();
      return;
    }
    const headers: Record<string, string> = { ...problem.headers };
    if (problem.status === 401) {
      // RFC 6750 section 3: error="invalid_token" only when a bearer token was sent.
      headers['WWW-Authenticate'] = /^bearer\s+\S/i.test(req.headers.authorization ?? '')
        ? 'Bearer error="invalid_token"'
        : 'Bearer';
    }
    if (problem.status === 429 && headers['Retry-After'] === undefined) {
      headers['Retry-After'] = String(reply.getHeader('Retry-After') ?? 60);
    }
    // A string body: Fastify sends it with its Content-Length (PowerShell 5.1 shows an error body
    // only then), never chunked.
    void reply
      .code(problem.status)
      .headers(headers)
      .header('Content-Type', PROBLEM_CONTENT_TYPE)
      .header('Cache-Control', 'no-store')
      .send(JSON.stringify(problem.body));
  }
}
