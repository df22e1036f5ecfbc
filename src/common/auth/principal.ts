import type { FastifyRequest } from 'fastify';
import { Permission } from '../../roles/permission';
import type { SessionKind } from '../../sessions/entities/session.entity';

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

export function principalOf(req: FastifyRequest): Principal {
  const user = (req as { user?: Principal }).user;
  if (user === undefined) throw new Error('principalOf() on a route without authentication');
  return user;
}
