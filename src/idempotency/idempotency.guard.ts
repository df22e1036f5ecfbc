import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../common/auth/principal';
import { HTTP_METRICS } from '../common/logging/metrics.provider';
import type { HttpMetrics } from '../common/logging/request-logging';
import { countIdempotency } from './idempotency-metrics';
import {
  IDEMPOTENT,
  idempotencyKeyOf,
  IdempotencyRef,
  idempotencyRefOf,
  requestHashOf,
} from './idempotency-key';
import { IdempotencyRepository, StoredAnswer } from './idempotency.repository';
import { routeMetadata } from '../common/auth/route-metadata';

/** What the guard found for an idempotent call, for the step-up guard and the reset service. */
export interface IdempotentCall {
  readonly ref: IdempotencyRef;
  readonly requestHash: string;
  /** The first call's answer: this one is a retry, answered with it and nothing else. */
  readonly replay?: StoredAnswer;
  /** Set when the caller keeps the answer itself (Zabbix: a whole JSON-RPC answer). */
  readonly answeredByCaller?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotent?: IdempotentCall;
  }
}

/**
 * After the token and permission checks, before step-up: a retry of a finished call is answered
 * as the first was without a new step-up proof (it changes nothing, and its code is spent); a key
 * reused for another request is 422, one whose first call is under way 409. The reset service
 * takes the key (and answers a retry) with what this guard leaves on the request.
 */
@Injectable()
export class IdempotencyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: IdempotencyRepository,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
  ) {}

  /** Without a promise on the routes that take no key, and for calls that send none. */
  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const idempotent = routeMetadata<boolean>(this.reflector, IDEMPOTENT, context);
    if (idempotent !== true) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const key = idempotencyKeyOf(req);
    if (key === undefined) return true;
    return this.lookUp(context, req, key);
  }

  private async lookUp(
    context: ExecutionContext,
    req: FastifyRequest,
    key: string,
  ): Promise<boolean> {
    const ref = idempotencyRefOf(principalOf(req), key);
    const requestHash = requestHashOf(req);
    try {
      const replay = await this.keys.peek(ref, requestHash);
      req.idempotent = { ref, requestHash, ...(replay === undefined ? {} : { replay }) };
      if (replay !== undefined) {
        this.metrics.idempotency.labels({ outcome: 'replayed' }).inc();
        void context
          .switchToHttp()
          .getResponse<FastifyReply>()
          .header('Idempotent-Replayed', 'true');
      }
    } catch (error) {
      countIdempotency(this.metrics, error);
      throw error;
    }
    return true;
  }
}
