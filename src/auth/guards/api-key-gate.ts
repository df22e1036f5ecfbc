import { Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { looksLikeApiKey } from '../../api-keys/api-key-format';
import { ApiKeyOutcome, ApiKeysService } from '../../api-keys/api-keys.service';
import type { Principal } from '../../common/auth/principal';
import { rateLimitKey } from '../../common/http/client-address';
import { headerCount, headerOf, requestContext } from '../../common/http/request-context';
import { HTTP_METRICS } from '../../common/logging/metrics.provider';
import type { HttpMetrics } from '../../common/logging/request-logging';
import { DomainError, ErrorCode } from '../../common/problem/domain-error';
import { MinuteWindows, retryAfterOf } from '../../common/minute-windows';
import { APP_CONFIG, AppConfig } from '../../config/app-config';

/** A key as a call presented it, and the owner id it claimed (Rocket.Chat's X-User-Id). */
export interface PresentedApiKey {
  readonly key: string;
  readonly claimedUserId: string | undefined;
}

/**
 * The API key a request carries, in any of the forms the seeds' clients send: `Authorization:
 * <key>` (the NPS curl sample), `Authorization: Bearer <key>`, `X-API-Key: <key>`, or
 * Rocket.Chat's `X-Auth-Token: <key>` with `X-User-Id: <owner id>`. Undefined when there is none
 * (then the bearer token is checked); a request presenting two credentials is refused.
 */
const CREDENTIAL_HEADERS = ['authorization', 'x-api-key', 'x-auth-token'];

export function presentedApiKey(req: FastifyRequest): PresentedApiKey | undefined {
  // Node keeps the first of two Authorization headers; a proxy may read the last: refuse both.
  if (CREDENTIAL_HEADERS.some((name) => headerCount(req, name) > 1))
    throw new DomainError(ErrorCode.Unauthenticated);
  const authorization = headerOf(req, 'authorization')?.trim();
  const fromAuthorization = authorization?.replace(/^Bearer\s+/i, '');
  const authToken = headerOf(req, 'x-auth-token')?.trim();
  const candidates = [
    fromAuthorization !== undefined && looksLikeApiKey(fromAuthorization)
      ? fromAuthorization
      : undefined,
    headerOf(req, 'x-api-key')?.trim(),
    // Not a key: Rocket.Chat's authToken, a session token (rocketChatSessionToken).
    authToken !== undefined && looksLikeApiKey(authToken) ? authToken : undefined,
  ].filter((k): k is string => k !== undefined);
  if (candidates.length === 0) return undefined;
  const bearerToo = authorization !== undefined && !looksLikeApiKey(fromAuthorization ?? '');
  // A session token in X-Auth-Token (Rocket.Chat's authToken) beside a key is two credentials too.
  const sessionToo = authToken !== undefined && !looksLikeApiKey(authToken);
  if (candidates.length > 1 || bearerToo || sessionToo)
    throw new DomainError(ErrorCode.Unauthenticated);
  const claimedUserId = headerOf(req, 'x-user-id')?.trim();
  // Rocket.Chat's form is a pair: a token without its user id is refused.
  if (headerOf(req, 'x-auth-token') !== undefined && claimedUserId === undefined)
    throw new DomainError(ErrorCode.Unauthenticated);
  return { key: candidates[0], claimedUserId };
}

/**
 * Rocket.Chat's `X-Auth-Token` holding the `authToken` its login answered (an access token of this
 * service) with `X-User-Id`: checked as the bearer token it is, then the user id against its owner.
 * Undefined when the header holds no such token.
 */
export function rocketChatSessionToken(
  req: FastifyRequest,
): { token: string; claimedUserId: string } | undefined {
  const token = headerOf(req, 'x-auth-token')?.trim();
  if (token === undefined || looksLikeApiKey(token)) return undefined;
  const claimedUserId = headerOf(req, 'x-user-id')?.trim();
  if (claimedUserId === undefined || headerOf(req, 'authorization') !== undefined)
    throw new DomainError(ErrorCode.Unauthenticated);
  return { token, claimedUserId };
}

/**
 * Checks a presented key, and counts failed checks per client address as the sign-in limit
 * counts sign-ins (SIGNIN_RATE_LIMIT a minute; an IPv6 client by its /64): past it, 429 before
 * any key is looked at. In memory, per instance, like the sign-in limit.
 */
@Injectable()
export class ApiKeyGate {
  private readonly failures = new MinuteWindows();
  private readonly inFlight = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
    private readonly keys: ApiKeysService,
  ) {}

  async authenticate(req: FastifyRequest, presented: PresentedApiKey): Promise<Principal> {
    const limit = this.config.signInRateLimit;
    const address = rateLimitKey(req.ip ?? 'unknown');
    const now = Date.now();
    const window = this.failures.current(address, now);
    const inFlight = this.inFlight.get(address) ?? 0;
    if (limit > 0 && window.count >= limit) {
      throw new DomainError(ErrorCode.RateLimited, undefined, {
        headers: { 'Retry-After': retryAfterOf(window, now) },
      });
    }
    // Checks sent in parallel would all pass the count above before any failed: those under way
    // count as failures to come, so no more than SIGNIN_RATE_LIMIT can fail in a minute.
    if (limit > 0 && window.count + inFlight >= limit) {
      throw new DomainError(ErrorCode.RateLimited, undefined, { headers: { 'Retry-After': '1' } });
    }
    this.inFlight.set(address, inFlight + 1);
    let outcome: ApiKeyOutcome;
    try {
      outcome = await this.keys.authenticate(
        presented.key,
        presented.claimedUserId,
        requestContext(req),
      );
    } finally {
      const left = (this.inFlight.get(address) ?? 1) - 1;
      if (left > 0) this.inFlight.set(address, left);
      else this.inFlight.delete(address);
    }
    if (outcome.ok) return outcome.principal;
    this.metrics.apiKeyRefusals.labels({ reason: outcome.reason }).inc();
    window.count++;
    throw new DomainError(ErrorCode.Unauthenticated);
  }
}
