import type { FastifyRequest } from 'fastify';
import { Permission } from './permission';

/** What a session, and the token naming it, is good for: signing in (mfa), enrolling, or access. */
export type SessionKind = 'mfa' | 'enroll' | 'access';

/** How the caller proved who it is: a session's token (of that kind), or an API key. */
export type CredentialKind = SessionKind | 'api-key';

/** The API key a call was made with, as the audit log names it (never the key itself). */
export interface ApiKeyUse {
  readonly id: string;
  readonly prefix: string;
}

/** The caller as the guards established it, from the database, on this request. */
export interface Principal {
  readonly accountId: string;
  readonly userName: string;
  /** The session of the token used; null for an API key, which has none. */
  readonly sessionId: string | null;
  readonly tokenKind: CredentialKind;
  /** Set when the call was made with an API key. */
  readonly apiKey?: ApiKeyUse;
  readonly roles: readonly string[];
  readonly permissions: ReadonlySet<Permission>;
  readonly mfaEnabled: boolean;
  /** When this session last proved MFA; step-up compares it with STEP_UP_MAX_AGE. */
  readonly mfaVerifiedAt: Date | null;
  readonly lockedUntil: Date | null;
}

/**
 * The session of a caller on a route that only sessions reach (sign-in, enrolment, sign-out: API
 * keys are refused there by the token check).
 */
export function sessionOf(principal: Principal): { id: string; kind: SessionKind } {
  const { sessionId: id, tokenKind: kind } = principal;
  if (id === null || kind === 'api-key')
    throw new Error('a session-only route reached without one');
  return { id, kind };
}

/** An account as the audit log names it: its id and user name, either unknown before sign-in. */
export interface Party {
  readonly id: string | null;
  readonly name: string | null;
}

/** An account that exists: the caller, or one a service found. */
export interface KnownParty extends Party {
  readonly id: string;
  readonly name: string;
}

/** The signed-in caller as the audit log names it. */
export function partyOf(principal: Principal): KnownParty {
  return { id: principal.accountId, name: principal.userName };
}

export function principalOf(req: FastifyRequest): Principal {
  const user = (req as { user?: Principal }).user;
  if (user === undefined) throw new Error('principalOf() on a route without authentication');
  return user;
}
