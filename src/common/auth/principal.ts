import type { FastifyRequest } from 'fastify';
import { Permission } from './permission';

/** What a session, and the token naming it, is good for: signing in (mfa), enrolling, or access. */
export type SessionKind = 'mfa' | 'enroll' | 'access';

/** The caller as the guards established it, from the database, on this request. */
export interface Principal {
  readonly accountId: string;
  readonly userName: string;
  readonly sessionId: string;
  readonly tokenKind: SessionKind;
  readonly roles: readonly string[];
  readonly permissions: ReadonlySet<Permission>;
  readonly mfaEnabled: boolean;
  /** When this session last proved MFA; step-up compares it with STEP_UP_MAX_AGE. */
  readonly mfaVerifiedAt: Date | null;
  readonly lockedUntil: Date | null;
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
