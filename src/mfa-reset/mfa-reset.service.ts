import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountsRepository } from '../accounts/accounts.repository';
import { USER_NAME_PATTERN } from '../accounts/dto/account.dto';
import { newSecurityStamp } from '../accounts/security-stamp';
import { AuditAction } from '../audit/audit-action';
import { AuditEntry, AuditService } from '../audit/audit.service';
import { permissionsLacking } from '../common/auth/permission';
import { partyOf, Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { HTTP_METRICS } from '../common/logging/metrics.provider';
import type { HttpMetrics } from '../common/logging/request-logging';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { Sql } from '../database/sql';
import { WriteQueue } from '../database/write-queue';
import { RecoveryCodesRepository } from '../mfa/recovery-codes.repository';
import { SessionsRepository } from '../sessions/sessions.repository';
import { MfaResetResponse } from './dto/mfa-reset.dto';
import { ResetTarget, ResetTargetsRepository } from './reset-targets.repository';

type Which = { ids: readonly string[] } | { userName: string };

/** The metrics' outcome of each refusal the reset itself gives. */
const RESET_REFUSALS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.AccountNotFound]: 'not-found',
  [ErrorCode.AccountsNotFound]: 'not-found',
  [ErrorCode.TargetNotAllowed]: 'not-allowed',
};

/**
 * Every MFA reset, whichever endpoint asks: by id, by name, in a batch, or of oneself. In one
 * transaction per call it clears the secret, pending enrolment and recovery codes (and a
 * lock-out), rotates the security stamp, ends every session of the account but the caller's
 * own, and audits each account. All or nothing; idempotent for an account without MFA.
 */
@Injectable()
export class MfaResetService {
  constructor(
    private readonly targets: ResetTargetsRepository,
    private readonly accounts: AccountsRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly sessions: SessionsRepository,
    private readonly writes: WriteQueue,
    private readonly sql: Sql,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
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

  /** Refusals, audited: 404 (some account missing), then 403 (one holds more than the caller). */
  private async reset(
    actor: Principal,
    which: Which,
    context: RequestContext,
    mode: 'single' | 'batch' | 'own',
  ): Promise<MfaResetResponse[]> {
    const way = mode === 'single' ? ('userName' in which ? 'name' : 'id') : mode;
    try {
      const results = await this.resetInOneTransaction(actor, which, context, mode);
      this.metrics.resets.labels({ way, outcome: 'success' }).inc(results.length);
      return results;
    } catch (error) {
      const outcome = error instanceof DomainError ? RESET_REFUSALS[error.code] : undefined;
      if (outcome !== undefined) this.metrics.resets.labels({ way, outcome }).inc();
      throw error;
    }
  }

  private resetInOneTransaction(
    actor: Principal,
    which: Which,
    context: RequestContext,
    mode: 'single' | 'batch' | 'own',
  ): Promise<MfaResetResponse[]> {
    return this.writes.run(async (m): Promise<MfaResetResponse[]> => {
      const now = this.clock.now();
      await this.accounts.lockForUpdate(m, which);
      const found = await this.targets.find(m, which);
      const foundIds = new Set(found.map((t) => t.id));
      const missingIds = 'userName' in which ? [] : which.ids.filter((id) => !foundIds.has(id));
      if (found.length === 0 || missingIds.length > 0) throw notFound(which, missingIds, mode);
      // A key never switches its own owner's MFA off, whichever way in (a stolen key must not).
      if (actor.apiKey !== undefined && found.some((t) => t.id === actor.accountId)) {
        throw new DomainError(ErrorCode.TargetNotAllowed).audited({
          action: AuditAction.MfaReset,
          target: partyOf(actor),
          details: { reason: "an API key cannot reset its owner's MFA" },
        });
      }
      // Nobody resets an account holding a permission they lack (HelpDesk cannot reset an Admin).
      const forbidden =
        mode === 'own'
          ? []
          : found.filter((t) => permissionsLacking(actor.permissions, t.permissions).length > 0);
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
      const ordered = [...found].sort((a, b) => a.id.localeCompare(b.id));
      const results = new Map<string, MfaResetResponse>();
      for (const target of ordered) {
        results.set(target.id, await this.resetOne(m, actor, target, now));
      }
      // The audit chain's lock, which every audited write of every instance waits for, is taken
      // once the accounts are reset, not held through a whole batch.
      for (const target of ordered) {
        await this.audit.append(m, resetEvent(actor, results.get(target.id)!, context, mode));
      }
      const order = 'userName' in which ? found.map((t) => t.id) : which.ids;
      return order.map((id) => results.get(id)!);
    });
  }

  /** The writes of one reset, sent together: one wait on SQLite. */
  private async resetOne(
    m: EntityManager,
    actor: Principal,
    target: ResetTarget,
    now: Date,
  ): Promise<MfaResetResponse> {
    const stamp = newSecurityStamp();
    // A caller resetting itself keeps its session, which takes the new stamp.
    // (An API key has no session: every session of its owner ends.)
    const keep = target.id === actor.accountId ? (actor.sessionId ?? undefined) : undefined;
    const [, , sessionsRevoked] = await this.sql.together(
      () => this.accounts.clearMfa(m, target.id, stamp, now),
      () => this.recoveryCodes.deleteAllOf(m, target.id),
      () => this.sessions.endSessions(m, target.id, now, keep),
      () => (keep === undefined ? Promise.resolve() : this.sessions.restamp(m, keep, stamp)),
    );
    return {
      id: target.id,
      userName: target.userName,
      mfaWasEnabled: target.mfaEnabled,
      sessionsRevoked,
    };
  }
}

function resetEvent(
  actor: Principal,
  result: MfaResetResponse,
  context: RequestContext,
  mode: 'single' | 'batch' | 'own',
): AuditEntry {
  return {
    action: AuditAction.MfaReset,
    outcome: 'success',
    actor: partyOf(actor),
    target: { id: result.id, name: result.userName },
    context,
    details: {
      mfaWasEnabled: result.mfaWasEnabled,
      sessionsRevoked: result.sessionsRevoked,
      batch: mode === 'batch',
    },
  };
}

/** 404, audited: who tried to reset an account that does not exist. */
function notFound(
  which: Which,
  missingIds: string[],
  mode: 'single' | 'batch' | 'own',
): DomainError {
  const error =
    mode === 'batch'
      ? new DomainError(ErrorCode.AccountsNotFound, undefined, { missingIds })
      : new DomainError(ErrorCode.AccountNotFound);
  return error.audited({
    action: AuditAction.MfaReset,
    outcome: 'failure',
    target:
      'userName' in which
        ? { id: null, name: USER_NAME_PATTERN.test(which.userName) ? which.userName : null }
        : { id: missingIds[0] ?? null, name: null },
    details: {
      reason: 'not found',
      ...(mode === 'batch' ? { missingIds: missingIds.slice(0, 100) } : {}),
    },
  });
}
