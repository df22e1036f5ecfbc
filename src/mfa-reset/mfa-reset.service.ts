import { Injectable } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { USER_NAME_PATTERN } from '../accounts/dto/account.dto';
import { EntityManager } from 'typeorm';
import { Account } from '../accounts/entities/account.entity';
import { newSecurityStamp } from '../accounts/security-stamp';
import { AuditAction } from '../audit/audit-action';
import { AuditEntry, AuditService } from '../audit/audit.service';
import { partyOf, Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { dbTime, placeholders } from '../database/db-time';
import { PreparedSql } from '../database/prepared-sql';
import { TransactionRunner } from '../database/transaction-runner';
import { RecoveryCode } from '../mfa/entities/recovery-code.entity';
import { permissionsLacking } from '../common/auth/permission';
import { Session } from '../sessions/entities/session.entity';
import { SessionsRepository } from '../sessions/sessions.repository';
import { MfaResetResponse } from './dto/mfa-reset.dto';
import { asciiLower } from '../common/ascii';

/** The failures counted against the old factor go with it: a lock-out ends. */
const CLEAR_MFA = `UPDATE accounts SET mfa_secret = NULL, mfa_pending_secret = NULL,
  mfa_enrolled_at = NULL, last_totp_step = NULL, failed_attempts = 0, locked_until = NULL,
  security_stamp = ?, updated_at = ? WHERE id = ?`;
const REVOKE_SESSIONS = `UPDATE sessions SET revoked_at = ? WHERE account_id = ?
  AND revoked_at IS NULL AND expires_at > ? AND id <> ?`;

/** An account to reset, as one query loads it. */
interface ResetTarget {
  readonly id: string;
  readonly userName: string;
  readonly mfaEnabled: boolean;
  /** Every permission its roles grant. */
  readonly permissions: readonly string[];
  /** Its sessions open now, but the caller's own. */
  readonly openSessions: number;
}

interface ResetTargetRow {
  id: string;
  user_name: string;
  mfa_enrolled_at: string | Date | null;
  permissions: string | null;
  open_sessions: number | string;
}

/**
 * Every MFA reset, whichever endpoint asks: by id, by name, in a batch, or of oneself. In one
 * transaction per call it clears the secret, pending enrolment and recovery codes, rotates the
 * security stamp, ends every session of the account but the caller's own, and audits each
 * account. All or nothing; idempotent for an account without MFA.
 */
@Injectable()
export class MfaResetService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsRepository,
    private readonly runner: TransactionRunner,
    private readonly sql: PreparedSql,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async resetById(
    actor: Principal,
    id: string,
    context: RequestContext,
  ): Promise<MfaResetResponse> {
    const [result] = await this.reset(actor, { ids: [id] }, context, 'single');
    return result;
  }

  async resetByName(
    actor: Principal,
    userName: string,
    context: RequestContext,
  ): Promise<MfaResetResponse> {
    const [result] = await this.reset(actor, { userName }, context, 'single');
    return result;
  }

  async resetMany(
    actor: Principal,
    ids: readonly string[],
    context: RequestContext,
  ): Promise<{ userids: string[] }> {
    const results = await this.reset(actor, { ids }, context, 'batch');
    return { userids: results.map((r) => r.id) };
  }

  /** One's own MFA: no permission needed beyond being signed in (and step-up). */
  async resetOwn(actor: Principal, context: RequestContext): Promise<MfaResetResponse> {
    const [result] = await this.reset(actor, { ids: [actor.accountId] }, context, 'own');
    return result;
  }

  private async reset(
    actor: Principal,
    which: { ids: readonly string[] } | { userName: string },
    context: RequestContext,
    mode: 'single' | 'batch' | 'own',
  ): Promise<MfaResetResponse[]> {
    return this.runner.run(async (m): Promise<MfaResetResponse[]> => {
      const now = this.clock.now();
      const targets = await this.loadTargets(m, which, now, actor.sessionId);
      if ('missingIds' in targets) {
        const error =
          mode === 'batch'
            ? new DomainError(ErrorCode.AccountsNotFound, undefined, {
                missingIds: targets.missingIds,
              })
            : new DomainError(ErrorCode.AccountNotFound);
        throw error.audited({
          action: AuditAction.MfaReset,
          outcome: 'failure',
          target:
            'userName' in which
              ? { id: null, name: USER_NAME_PATTERN.test(which.userName) ? which.userName : null }
              : { id: targets.missingIds[0] ?? null, name: null },
          details: {
            reason: 'not found',
            ...(mode === 'batch' ? { missingIds: targets.missingIds.slice(0, 100) } : {}),
          },
        });
      }
      // Nobody resets an account holding a permission they lack (HelpDesk cannot reset an Admin).
      const forbidden =
        mode === 'own'
          ? []
          : targets.accounts.filter(
              (t) => permissionsLacking(actor.permissions, t.permissions).length > 0,
            );
      if (forbidden.length > 0) {
        throw new DomainError(ErrorCode.TargetNotAllowed).audited({
          action: AuditAction.MfaReset,
          target: { id: forbidden[0].id, name: forbidden[0].userName },
          details: {
            reason: 'target holds a permission the caller lacks',
            ...(forbidden.length > 1 ? { refused: forbidden.map((t) => t.id).slice(0, 100) } : {}),
          },
        });
      }
      // A fixed lock order keeps concurrent batches from deadlocking on PostgreSQL.
      const ordered = [...targets.accounts].sort((a, b) => a.id.localeCompare(b.id));
      const byId = new Map<string, MfaResetResponse>();
      const events: AuditEntry[] = [];
      for (const target of ordered) {
        const reset = await this.resetOne(m, actor, target, now, context, mode === 'batch');
        byId.set(target.id, reset.result);
        if (reset.event) events.push(reset.event);
      }
      // PostgreSQL: the audit chain's lock, which every audited write of every instance waits
      // for, is taken once the accounts are reset, not held through the whole batch.
      for (const event of events) await this.audit.append(m, event);
      return targets.accounts.map((target) => byId.get(target.id)!);
    });
  }

  /**
   * The targets with what the reset needs, in one query: name, MFA state, the permissions of
   * their roles, and how many sessions are open (on SQLite, the single writer, that count is
   * exactly what the revocation will end).
   */
  private async loadTargets(
    m: EntityManager,
    which: { ids: readonly string[] } | { userName: string },
    now: Date,
    callerSessionId: string,
  ): Promise<{ accounts: ResetTarget[] } | { missingIds: string[] }> {
    await this.accounts.lockForUpdate(m, which);
    const list = m.connection.options.type === 'postgres' ? 'string_agg' : 'group_concat';
    const filter =
      'userName' in which
        ? 'a.user_name_normalized = ?'
        : `a.id IN (${which.ids.map(() => '?').join(', ')})`;
    const query = `SELECT a.id, a.user_name, a.mfa_enrolled_at,
           (SELECT ${list}(r.permissions, ',') FROM account_roles ar
             JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id) AS permissions,
           (SELECT count(*) FROM sessions s WHERE s.account_id = a.id AND s.revoked_at IS NULL
             AND s.expires_at > ? AND s.id <> ?) AS open_sessions
         FROM accounts a WHERE ${filter}`;
    const params = [
      dbTime(m, now),
      callerSessionId,
      ...('userName' in which ? [asciiLower(which.userName)] : which.ids),
    ];
    // One account: a statement prepared once. A batch: its own list of ids, not worth keeping.
    const rows =
      'userName' in which || which.ids.length === 1
        ? await this.sql.all<ResetTargetRow>(m, query, params)
        : await m.query<ResetTargetRow[]>(placeholders(m, query), params);
    const found = rows.map((row): ResetTarget => ({
      id: row.id,
      userName: row.user_name,
      mfaEnabled: row.mfa_enrolled_at !== null,
      permissions: (row.permissions ?? '').split(',').filter((p) => p !== ''),
      openSessions: Number(row.open_sessions),
    }));
    if ('userName' in which) {
      if (found.length === 0) return { missingIds: [] };
      return { accounts: found };
    }
    const byId = new Map(found.map((a) => [a.id, a]));
    const missingIds = which.ids.filter((id) => !byId.has(id));
    if (missingIds.length > 0) return { missingIds };
    return { accounts: which.ids.map((id) => byId.get(id)!) };
  }

  private async resetOne(
    m: EntityManager,
    actor: Principal,
    target: ResetTarget,
    now: Date,
    context: RequestContext,
    batch: boolean,
  ): Promise<{ result: MfaResetResponse; event?: AuditEntry }> {
    const stamp = newSecurityStamp();
    const mfaWasEnabled = target.mfaEnabled;
    const keep = target.id === actor.accountId ? actor.sessionId : undefined;
    const event = (sessionsRevoked: number): AuditEntry => ({
      action: AuditAction.MfaReset,
      outcome: 'success',
      actor: partyOf(actor),
      target: { id: target.id, name: target.userName },
      context,
      details: { mfaWasEnabled, sessionsRevoked, batch },
    });
    if (this.runner.isSqlite) {
      // The single writer: no session can open between the count and the revocation. The
      // statements are prepared once and sent together: one wait instead of five.
      const at = dbTime(m, now);
      await Promise.all([
        this.sql.run(CLEAR_MFA, [stamp, at, target.id]),
        this.sql.run('DELETE FROM recovery_codes WHERE account_id = ?', [target.id]),
        this.sql.run(REVOKE_SESSIONS, [at, target.id, at, keep ?? '']),
        ...(keep === undefined
          ? []
          : [this.sql.run('UPDATE sessions SET security_stamp = ? WHERE id = ?', [stamp, keep])]),
        this.audit.append(m, event(target.openSessions)),
      ]);
      return {
        result: {
          id: target.id,
          userName: target.userName,
          mfaWasEnabled,
          sessionsRevoked: target.openSessions,
        },
      };
    }
    // One client per transaction on PostgreSQL: its statements go one after another.
    const sessionsRevoked = await this.sessions.revokeAllOf(m, target.id, now, keep);
    await m.update(
      Account,
      { id: target.id },
      {
        mfaSecret: null,
        mfaPendingSecret: null,
        mfaEnrolledAt: null,
        lastTotpStep: null,
        failedAttempts: 0,
        lockedUntil: null,
        securityStamp: stamp,
        updatedAt: now,
      },
    );
    await m.delete(RecoveryCode, { accountId: target.id });
    if (keep !== undefined) await m.update(Session, { id: keep }, { securityStamp: stamp });
    return {
      result: { id: target.id, userName: target.userName, mfaWasEnabled, sessionsRevoked },
      event: event(sessionsRevoked),
    };
  }
}
