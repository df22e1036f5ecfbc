import { ArgumentsHost, Catch, ExceptionFilter, Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal';
import { pathOf, requestContext } from '../http/request-context';
import { APP_LOGGER, AppLogger } from '../logging/logger';
import { dialectOf, inDialect } from './dialect-answer';
import { DomainError } from './domain-error';
import { problemAnswer } from './problem-details';
import { RefusalRecorder } from './refusal-recorder';
import { toDomainError } from './to-domain-error';

/**
 * The one place where failures become answers: every exception, from a guard, a pipe, a
 * service, the router or the body reader, leaves as RFC 9457 problem details. A refusal that
 * carries an audit record is written to the audit log first.
 */
@Catch()
@Injectable()
export class ProblemDetailsFilter implements ExceptionFilter {
  private recorder: RefusalRecorder | null | undefined;

  constructor(
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    private readonly moduleRef: ModuleRef,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    void this.write(http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>(), exception);
  }

  async write(req: FastifyRequest, reply: FastifyReply, exception: unknown): Promise<void> {
    // A wrong method on a served path never reaches here as a 404: the method gate answers it.
    const error = toDomainError(exception);
    if (error.refusal !== undefined) await this.recordRefusal(req, error);
    const traceId = req.traceId ?? '';
    const retryAfter = reply.getHeader('Retry-After');
    // A route that speaks another system's dialect (Rocket.Chat's) gets its error shape.
    const answer = inDialect(
      dialectOf(req),
      error,
      problemAnswer(error, pathOf(req), traceId, {
        authorization: req.headers.authorization,
        retryAfter: retryAfter === undefined ? undefined : String(retryAfter),
      }),
    );
    if (answer.status >= 500) {
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
    // A string body: Fastify sends it with its Content-Length (PowerShell 5.1 shows an error body
    // only then), never chunked.
    void reply.code(answer.status).headers(answer.headers).send(answer.body);
  }

  private findRecorder(): RefusalRecorder | null {
    try {
      return this.moduleRef.get(RefusalRecorder, { strict: false });
    } catch {
      return null;
    }
  }

  /**
   * Writes the refusal an error carries to the audit log (also for a handler that answers refusals
   * in a shape of its own, such as Zabbix's JSON-RPC). One the log cannot take is still answered;
   * the failure is logged.
   */
  async recordRefusal(req: FastifyRequest, error: DomainError): Promise<void> {
    this.recorder ??= this.findRecorder();
    if (this.recorder === null || error.refusal === undefined) return;
    const principal = (req as { user?: Principal }).user;
    const caller =
      principal === undefined ? undefined : { id: principal.accountId, name: principal.userName };
    try {
      await this.recorder.record(error.refusal, caller, requestContext(req));
    } catch (failure) {
      this.logger.error(
        { traceId: req.traceId, err: failure instanceof Error ? failure.message : String(failure) },
        'a refusal could not be written to the audit log',
      );
    }
  }
}
