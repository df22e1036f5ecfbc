import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import type { FastifyRequest } from 'fastify';
import { ExtractJwt, Strategy, StrategyOptionsWithRequest } from 'passport-jwt';
import { AccountFields } from '../accounts/account-response';
import { Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { isPermission } from '../common/auth/permission';
import { SessionCheck, SessionsRepository } from '../sessions/sessions.repository';
import { JWT_ALGORITHM, TokenClaims, TokenService } from '../sessions/token.service';
import { VerifiedTokens } from './verified-tokens';

const KINDS = new Set(['mfa', 'enroll', 'access']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** How far a token's `iat` may lie ahead of this instance's clock (another instance's drift). */
const CLOCK_SKEW_SECONDS = 60;

type Claims = TokenClaims & { iat: number; exp: number };

/** Where passport-jwt reads the token from; the verified-token memory reads the same. */
const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

function isClaims(payload: unknown): payload is Claims {
  const p = payload as Partial<Record<keyof TokenClaims | 'iat' | 'exp', unknown>>;
  return (
    typeof p === 'object' &&
    p !== null &&
    typeof p.sub === 'string' &&
    typeof p.sid === 'string' &&
    UUID.test(p.sid) &&
    typeof p.typ === 'string' &&
    KINDS.has(p.typ) &&
    Number.isSafeInteger(p.iat) &&
    Number.isSafeInteger(p.exp)
  );
}

/**
 * Bearer JWTs: HS256 only, issuer, audience and expiry checked by jsonwebtoken; then the session
 * is read from the database on every request, so a revoked session, a disabled account or a
 * changed security stamp is refused at once on every instance. A token accepted once is not
 * verified again while it lasts (`VerifiedTokens`); its claims and its session are checked on
 * every call all the same.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly maxLifetimeSeconds: number;
  private readonly verified = new VerifiedTokens<Claims>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    tokens: TokenService,
    private readonly sessions: SessionsRepository,
    private readonly clock: Clock,
  ) {
    const options: StrategyOptionsWithRequest = {
      jwtFromRequest: bearerToken,
      // jsonwebtoken takes a KeyObject; the typings only name string | Buffer.
      secretOrKey: tokens.key as unknown as Buffer,
      algorithms: [JWT_ALGORITHM],
      issuer: config.jwt.issuer,
      audience: config.jwt.audience,
      ignoreExpiration: false,
      // For a read that a route asks to be made with the session check (account-view.ts).
      passReqToCallback: true,
    };
    super(options);
    this.maxLifetimeSeconds = Math.max(
      config.jwt.accessTokenTtlSeconds,
      config.jwt.preAuthTokenTtlSeconds,
    );
  }

  /**
   * A token accepted before goes straight to the checks of its claims and session; any other to
   * passport-jwt, whose jsonwebtoken check calls `validate` when the token passes it.
   */
  override authenticate(req: Request, options?: unknown): void {
    const token = bearerToken(req);
    const known = token === null ? undefined : this.verified.claimsOf(token, Date.now());
    if (known === undefined) {
      super.authenticate(req, options);
      return;
    }
    this.check(req as unknown as FastifyRequest, known).then(
      (principal) => (principal === false ? this.fail(401) : this.success(principal)),
      (error: unknown) => this.error(error instanceof Error ? error : new Error(String(error))),
    );
  }

  /** passport-jwt's call, for a token jsonwebtoken has just accepted. */
  async validate(req: FastifyRequest, payload: unknown): Promise<Principal | false> {
    if (!isClaims(payload)) return false;
    const principal = await this.check(req, payload);
    const token = bearerToken(req);
    // Remembered only once every check passed: a refused token is verified afresh each time.
    // Only access tokens: a pre-auth token is presented once or twice, and anyone with a password
    // gets one, so remembering them would let a stream of sign-ins push out everyone's tokens.
    if (principal !== false && token !== null && payload.typ === 'access')
      this.verified.remember(token, Object.freeze(payload));
    return principal;
  }

  private async check(req: FastifyRequest, payload: Claims): Promise<Principal | false> {
    // Every token this service issues names when it was issued and when it ends, no later than
    // the longest lifetime after that: one without them, from the future, or living longer was
    // not issued here (whoever holds the key may sign anything, but not that).
    const now = this.clock.now();
    const nowSeconds = Math.floor(now.getTime() / 1000);
    if (
      payload.iat > nowSeconds + CLOCK_SKEW_SECONDS ||
      payload.exp <= payload.iat ||
      payload.exp - payload.iat > this.maxLifetimeSeconds
    ) {
      return false;
    }
    const read = req.accountReadWithSession;
    let session: SessionCheck | null;
    let account: AccountFields | null = null;
    if (read === undefined) {
      session = await this.sessions.findForCheck(payload.sid);
    } else {
      const found = await this.sessions.findForCheckWithAccount(payload.sid, read.accountId);
      session = found?.session ?? null;
      account = found?.account ?? null;
    }
    if (
      !session ||
      session.accountId !== payload.sub ||
      session.kind !== payload.typ ||
      session.revokedAt !== null ||
      session.expiresAt <= now ||
      !session.isActive ||
      session.sessionStamp !== session.accountStamp
    ) {
      return false;
    }
    // Handed to the route only now that the session has passed every check.
    if (read !== undefined) read.account = account;
    return principalOfSession(session);
  }
}

/** The caller a valid session names, with its permissions as this service knows them. */
export function principalOfSession(session: SessionCheck): Principal {
  return {
    accountId: session.accountId,
    userName: session.userName,
    sessionId: session.sessionId,
    tokenKind: session.kind,
    roles: session.roles,
    permissions: new Set(session.permissions.filter(isPermission)),
    mfaEnabled: session.mfaEnabled,
    mfaVerifiedAt: session.mfaVerifiedAt,
    lockedUntil: session.lockedUntil,
  };
}
