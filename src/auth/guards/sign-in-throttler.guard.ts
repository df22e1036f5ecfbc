import { CanActivate, ExecutionContext, Inject, Injectable, OnModuleInit } from '@nestjs/common';
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

/** The throttler of the sign-in routes: one budget per address for both together. */
class SignInThrottler extends ThrottlerGuard {
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

/**
 * Per-address limit on the sign-in routes only, checked before authentication so failed calls
 * count too. In memory: a first line per instance; the lock-out counted in the database is the
 * real brute-force defence.
 *
 * A global guard runs on every request: every other route passes at once, without a promise
 * (Nest awaits a guard's promise, which costs every request a few microtasks), so the
 * throttler is held rather than extended (its canActivate is async).
 */
@Injectable()
export class SignInThrottlerGuard implements CanActivate, OnModuleInit {
  private readonly throttler: SignInThrottler;

  constructor(
    @Inject(getOptionsToken()) options: ThrottlerModuleOptions,
    @Inject(getStorageToken()) storage: ThrottlerStorage,
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.throttler = new SignInThrottler(options, storage, reflector);
  }

  onModuleInit(): Promise<void> {
    return this.throttler.onModuleInit();
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const limited = routeMetadata<boolean>(this.reflector, SIGN_IN_RATE_LIMITED, context);
    if (!limited || this.config.signInRateLimit === 0) return true;
    return this.throttler.canActivate(context);
  }
}
