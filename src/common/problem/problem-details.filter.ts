import { ArgumentsHost, Catch, ExceptionFilter, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
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
    this.write(http.getRequest<Request>(), http.getResponse<Response>(), exception);
  }

  write(req: Request, res: Response, exception: unknown): void {
    // A wrong method on a served path never reaches here as a 404: the method gate answers it.
    const error = toDomainError(exception);
    const traceId = req.traceId ?? '';
    const problem = problemFor(error, req.originalUrl.split('?')[0], traceId);
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
    if (res.headersSent) {
      res.end();
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
      headers['Retry-After'] = String(res.getHeader('Retry-After') ?? 60);
    }
    const body = JSON.stringify(problem.body);
    res.status(problem.status);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    res.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    res.setHeader('Content-Length', Buffer.byteLength(body));
    res.setHeader('Cache-Control', 'no-store');
    res.end(body);
  }
}
