import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { from, lastValueFrom, Observable } from 'rxjs';
import { HTTP_METRICS } from '../common/logging/metrics.provider';
import type { HttpMetrics } from '../common/logging/request-logging';
import { countIdempotency } from './idempotency-metrics';
import { IdempotencyRepository, StoredAnswer } from './idempotency.repository';

/**
 * Runs an idempotent call under its key (the guard found one): takes the key for this call, or
 * answers a retry with the first answer; keeps the answer of a call that succeeded, and frees the
 * key of one that failed before acting.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly keys: IdempotencyRepository,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<FastifyRequest>();
    const call = req.idempotent;
    if (call === undefined) return next.handle();
    const reply = http.getResponse<FastifyReply>();
    return from(this.run(req, reply, next));
  }

  private async run(req: FastifyRequest, reply: FastifyReply, next: CallHandler): Promise<unknown> {
    const call = req.idempotent!;
    if (call.replay !== undefined) return this.replay(reply, call.replay);
    let started;
    try {
      started = await this.keys.begin(call.ref, call.requestHash);
    } catch (error) {
      countIdempotency(this.metrics, error);
      throw error;
    }
    if (started.kind === 'replay') return this.replay(reply, started.answer);
    let body: unknown;
    try {
      body = await lastValueFrom(next.handle(), { defaultValue: undefined });
    } catch (error) {
      await this.keys.release(call.ref);
      throw error;
    }
    await this.keys.complete(call.ref, { status: reply.statusCode, body });
    this.metrics.idempotency.labels({ outcome: 'stored' }).inc();
    return body;
  }

  private replay(reply: FastifyReply, answer: StoredAnswer): unknown {
    this.metrics.idempotency.labels({ outcome: 'replayed' }).inc();
    void reply.header('Idempotent-Replayed', 'true');
    return answer.body;
  }
}
