import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerStorage,
  getOptionsToken,
  getStorageToken,
} from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { rateLimitKey } from '../../common/http/client-address';
import { SIGN_IN_RATE_LIMITED } from '../../common/auth/auth.decorators';
import { routeMetadata } from '../../common/auth/route-metadata';

/**
 * Per-address limit on the sign-in routes only, checked before authentication so failed calls
 * count too. In memory: a first line per instance; the lock-out counted in the database is the
 * real brute-force defence.
 */
@Injectable()
export class SignInThrottlerGuard extends ThrottlerGuard {
  constructor(
    @Inject(getOptionsToken()) options: ThrottlerModuleOptions,
    @Inject(getStorageToken()) storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super(options, storage, reflector);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const limited = routeMetadata<boolean>(this.reflector, SIGN_IN_RATE_LIMITED, context);
    return Promise.resolve(!limited || this.config.signInRateLimit === 0);
  }

  /** One budget per address for both sign-in routes together, not one per route. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `sign-in:${name}:${tracker}`;
  }

  /** An IPv6 client is counted by its /64. */
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(rateLimitKey((req as unknown as FastifyRequest).ip ?? 'unknown'));
  }
}
