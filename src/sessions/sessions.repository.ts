import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { AccountFields } from '../accounts/account-response';
import { AccountViewRow, accountViewColumns, accountViewOf } from '../accounts/account-view';
import { fromDbTime, splitList, Sql } from '../database/sql';
import { Session, SessionKind } from './entities/session.entity';

/** What every authenticated request checks: the session, its account, roles and permissions. */
export interface SessionCheck {
  readonly sessionId: string;
  readonly accountId: string;
  readonly kind: SessionKind;
  readonly sessionStamp: string;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly mfaVerifiedAt: Date | null;
  readonly userName: string;
  readonly isActive: boolean;
  readonly accountStamp: string;
  readonly mfaEnabled: boolean;
  readonly lockedUntil: Date | null;
  readonly roles: string[];
  /** Every permission of every role (possibly repeated, possibly unknown names). */
  readonly permissions: string[];
}

interface SessionCheckRow {
  id: string;
  account_id: string;
  kind: SessionKind;
  session_stamp: string;
  expires_at: string | Date;
  revoked_at: string | Date | null;
  mfa_verified_at: string | Date | null;
  user_name: string;
  is_active: boolean | number;
  account_stamp: string;
  mfa_enrolled_at: string | Date | null;
  locked_until: string | Date | null;
  roles: string | null;
  permissions: string | null;
}

/** Names no session: the one to keep when every session ends. */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

const END_SESSIONS = `UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL
  AND expires_at > ? AND id <> ?`;

/**
 * How many sessions endSessions would end now (the same conditions as END_SESSIONS: keep them
 * alike), as a column of a query over accounts aliased `account`. Parameters, in this order: the
 * time (as `Sql.time` binds it), the session kept (`keptSession`).
 */
export function openSessionsColumn(account: string): string {
  return `(SELECT COUNT(*) FROM sessions s WHERE s.account_id = ${account}.id
    AND s.revoked_at IS NULL AND s.expires_at > ? AND s.id <> ?)`;
}

/** The parameter naming the session kept when every other ends: none, or the caller's own. */
export function keptSession(sessionId: string | null | undefined): string {
  return sessionId ?? NIL_UUID;
}

export interface NewSession {
  readonly accountId: string;
  readonly kind: SessionKind;
  readonly securityStamp: string;
  readonly expiresAt: Date;
  readonly mfaVerifiedAt: Date | null;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
}

function sessionCheckOf(row: SessionCheckRow): SessionCheck {
  return {
    sessionId: row.id,
    accountId: row.account_id,
    kind: row.kind,
    sessionStamp: row.session_stamp,
    expiresAt: fromDbTime(row.expires_at)!,
    revokedAt: fromDbTime(row.revoked_at),
    mfaVerifiedAt: fromDbTime(row.mfa_verified_at),
    userName: row.user_name,
    isActive: Boolean(row.is_active),
    accountStamp: row.account_stamp,
    mfaEnabled: row.mfa_enrolled_at !== null,
    lockedUntil: fromDbTime(row.locked_until),
    roles: splitList(row.roles).sort(),
    permissions: splitList(row.permissions),
  };
}

@Injectable()
export class SessionsRepository {
  private readonly checkQuery: string;
  private readonly checkWithAccountQuery: string;

  constructor(private readonly sql: Sql) {
    const check = `s.id, s.account_id, s.kind, s.security_stamp AS session_stamp,
        s.expires_at, s.revoked_at, s.mfa_verified_at, a.user_name, a.is_active,
        a.security_stamp AS account_stamp, a.mfa_enrolled_at, a.locked_until,
        (SELECT ${sql.list('ar.role_name')} FROM account_roles ar
          WHERE ar.account_id = a.id) AS roles,
        (SELECT ${sql.list('r.permissions')} FROM account_roles ar
          JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id) AS permissions`;
    this.checkQuery = `SELECT ${check}
      FROM sessions s JOIN accounts a ON a.id = s.account_id
      WHERE s.id = ?`;
    this.checkWithAccountQuery = `SELECT ${check}, ${accountViewColumns(sql)}
      FROM sessions s JOIN accounts a ON a.id = s.account_id
        LEFT JOIN accounts t ON t.id = ?
      WHERE s.id = ?`;
  }

  /**
   * The session with its account, roles and permissions: what every request checks, in one
   * query (one round trip to the database, on the hot path of every call).
   */
  async findForCheck(sessionId: string): Promise<SessionCheck | null> {
    const [row] = await this.sql.rows<SessionCheckRow>(undefined, this.checkQuery, [sessionId]);
    return row === undefined ? null : sessionCheckOf(row);
  }

  /**
   * The same, and in the same statement the account that a route shows (`accountView`, null
   * when it does not exist): a request that checks its session and reads one account makes one
   * trip to the database (each costs about as much CPU as the rest of a small query, see
   * bench/results.md). Nothing of the account may be used before the session has been checked.
   */
  async findForCheckWithAccount(
    sessionId: string,
    accountId: string,
  ): Promise<{ session: SessionCheck; account: AccountFields | null } | null> {
    const [row] = await this.sql.rows<SessionCheckRow & AccountViewRow>(
      undefined,
      this.checkWithAccountQuery,
      [accountId, sessionId],
    );
    return row === undefined ? null : { session: sessionCheckOf(row), account: accountViewOf(row) };
  }

  async create(manager: EntityManager, values: NewSession, now: Date): Promise<Session> {
    const session = manager.create(Session, {
      id: randomUUID(),
      createdAt: now,
      revokedAt: null,
      ...values,
    });
    await manager.insert(Session, session);
    return session;
  }

  /** Turns a pre-auth session into an access session; the pre-auth token dies with the kind. */
  async promote(
    manager: EntityManager,
    sessionId: string,
    fromKind: SessionKind,
    values: { expiresAt: Date; securityStamp: string; mfaVerifiedAt: Date },
  ): Promise<boolean> {
    const result = await manager.update(
      Session,
      { id: sessionId, kind: fromKind, revokedAt: IsNull() },
      { kind: 'access', ...values },
    );
    return result.affected === 1;
  }

  async markMfaVerified(manager: EntityManager, sessionId: string, at: Date): Promise<void> {
    await manager.update(Session, { id: sessionId }, { mfaVerifiedAt: at });
  }

  async revoke(manager: EntityManager, sessionId: string, at: Date): Promise<void> {
    await manager.update(Session, { id: sessionId, revokedAt: IsNull() }, { revokedAt: at });
  }

  /**
   * Ends every open (not revoked, not expired) session of an account but one (the caller's own);
   * answers how many.
   */
  endSessions(
    manager: EntityManager,
    accountId: string,
    at: Date,
    exceptSessionId?: string,
  ): Promise<number> {
    const time = this.sql.time(at);
    return this.sql.run(manager, END_SESSIONS, [
      time,
      accountId,
      time,
      keptSession(exceptSessionId),
    ]);
  }

  /** A session that survives a change of its account's security stamp takes the new one. */
  async restamp(manager: EntityManager, sessionId: string, stamp: string): Promise<void> {
    await this.sql.run(manager, 'UPDATE sessions SET security_stamp = ? WHERE id = ?', [
      stamp,
      sessionId,
    ]);
  }
}
