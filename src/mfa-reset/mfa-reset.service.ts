import { Inject, Injectable } from '@nestjs/common';
import { APP_LOGGER, AppLogger } from '../common/logging/logger';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { IdempotencyRepository } from '../idempotency/idempotency.repository';
import { newEnrollmentCode, normalEnrollmentCode } from '../mfa/enrollment-code';
import { SecretCipher } from '../mfa/secret-cipher';
import { OutboxRepository } from '../outbox/outbox.repository';
import { checkJustification, JustificationInput, ResetJustification } from './reset-justification';
import { BudgetRefusal, ResetBudget, ResetBudgets } from './reset-budget';
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
import { ChangedMeanwhileError, WriteQueue } from '../database/write-queue';
import { RecoveryCodesRepository } from '../mfa/recovery-codes.repository';
import { SessionsRepository } from '../sessions/sessions.repository';
import { MfaResetBatchResponse, MfaResetResponse } from './dto/mfa-reset.dto';
import { ResetTarget, ResetTargetsRepository } from './reset-targets.repository';

type Which = { ids: readonly string[] } | { userName: string };

/** The metrics' outcome of each refusal the reset itself gives. */
const RESET_REFUSALS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.AccountNotFound]: 'not-found',
  [ErrorCode.AccountsNotFound]: 'not-found',
  [ErrorCode.TargetNotAllowed]: 'not-allowed',
  [ErrorCode.ResetBudgetExceeded]: 'burst-blocked',
};

type Mode = 'single' | 'batch' | 'own';

/** What one call of the reset knows besides its targets. */
interface ResetCall {
  readonly actor: Principal;
  readonly context: RequestContext;
  readonly mode: Mode;
  readonly justification: ResetJustification;
}

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
    private readonly budgets: ResetBudgets,
    private readonly outbox: OutboxRepository,
    private readonly idempotency: IdempotencyRepository,
    private readonly cipher: SecretCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
  ) {}

  async resetById(
    actor: Principal,
    id: string,
    context: RequestContext,
    justification: JustificationInput,
  ): Promise<MfaResetResponse> {
    return this.reset(actor, { ids: [id] }, context, 'single', justification, ([r]) => r);
  }

  async resetByName(
    actor: Principal,
    userName: string,
    context: RequestContext,
    justification: JustificationInput,
  ): Promise<MfaResetResponse> {
    return this.reset(actor, { userName }, context, 'single', justification, ([r]) => r);
  }

  async resetMany(
    actor: Principal,
    ids: readonly string[],
    context: RequestContext,
    justification: JustificationInput,
  ): Promise<MfaResetBatchResponse> {
    return this.reset(actor, { ids }, context, 'batch', justification, batchAnswer);
  }

  /** One's own MFA: no permission needed beyond being signed in (and step-up). */
  async resetOwn(
    actor: Principal,
    context: RequestContext,
    justification: JustificationInput,
  ): Promise<MfaResetResponse> {
    const which = { ids: [actor.accountId] };
    return this.reset(actor, which, context, 'own', justification, ([r]) => r);
  }

  /**
   * Refusals, audited: 400 (reason missing or malformed), 404 (some account missing), 403 (one
   * holds more than the caller), 429 (past the caller's reset budget). Under an Idempotency-Key
   * the call takes the key first (a retry of a finished call gets its answer, and nothing runs),
   * keeps its answer in the reset's own transaction, and frees the key if it is refused.
   */
  private async reset<T>(
    actor: Principal,
    which: Which,
    context: RequestContext,
    mode: Mode,
    input: JustificationInput,
    answerOf: (results: MfaResetResponse[]) => T,
  ): Promise<T> {
    const way = mode === 'single' ? ('userName' in which ? 'name' : 'id') : mode;
    const justification = checkJustification(input, this.config.resets.reasonRequired);
    const idempotent = context.idempotency;
    if (idempotent?.replay !== undefined) return idempotent.replay.body as T;
    const owned = idempotent !== undefined && idempotent.answeredByCaller !== true;
    if (owned) {
      const started = await this.idempotency.begin(idempotent.ref, idempotent.requestHash);
      if (started.kind === 'replay') return started.answer.body as T;
    }
    try {
      const { answer, count, budget } = await this.resetInOneTransaction(
        which,
        { actor, context, mode, justification },
        answerOf,
      );
      this.metrics.resets.labels({ way, outcome: 'success' }).inc(count);
      if (budget !== undefined)
        this.metrics.resetsByRole.labels({ role: budget.role, outcome: 'reset' }).inc(count);
      if (owned) this.metrics.idempotency.labels({ outcome: 'stored' }).inc();
      return answer;
    } catch (error) {
      if (owned) await this.idempotency.release(idempotent.ref);
      const outcome = error instanceof DomainError ? RESET_REFUSALS[error.code] : undefined;
      if (outcome !== undefined) this.metrics.resets.labels({ way, outcome }).inc();
      if (error instanceof DomainError && error.code === ErrorCode.ResetBudgetExceeded) {
        const details = error.extensions.details ?? {};
        this.metrics.resetsByRole
          .labels({ role: String(details.role), outcome: 'burst-blocked' })
          .inc();
        this.logger.warn(
          {
            traceId: context.traceId,
            actorId: actor.accountId,
            actorName: actor.userName,
            ...details,
          },
          'reset burst blocked: the caller is past its reset budget',
        );
      }
      throw error;
    }
  }

  private resetInOneTransaction<T>(
    which: Which,
    call: ResetCall,
    answerOf: (results: MfaResetResponse[]) => T,
  ): Promise<{ answer: T; count: number; budget: ResetBudget | undefined }> {
    const { actor, mode } = call;
    return this.writes.run(async (m) => {
      const now = this.clock.now();
      await this.accounts.lockForUpdate(m, which);
      const { targets: found, budget: callerBudget } = await this.targets.find(
        m,
        which,
        actor,
        now,
      );
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
      // The burst guard.
      // Resets of others count against the caller's budget (its own do not, whichever way in).
      const others = found.filter((t) => t.id !== actor.accountId).length;
      const budget = others === 0 ? undefined : callerBudget;
      if (budget?.limit != null) {
        const refusal = await this.budgets.spend(m, actor.accountId, budget.limit, others, now);
        if (refusal !== undefined) throw burstBlocked(budget, refusal);
      }
      // A fixed lock order keeps concurrent batches from deadlocking on PostgreSQL.
      const ordered = [...found].sort((a, b) => a.id.localeCompare(b.id));
      const results = new Map<string, MfaResetResponse>();
      // One account's event is sent with its writes (one trip on SQLite). A batch's events are
      // appended once every account is reset: the audit chain's lock (PostgreSQL), which every
      // audited write of every instance waits for, is not held through the whole batch.
      const alone = ordered.length === 1;
      for (const target of ordered) {
        results.set(target.id, await this.resetOne(m, call, target, now, alone));
      }
      if (!alone) {
        for (const target of ordered) {
          await this.audit.append(m, resetEvent(call, results.get(target.id)!));
        }
      }
      const order = 'userName' in which ? found.map((t) => t.id) : which.ids;
      const answer = answerOf(order.map((id) => results.get(id)!));
      // A retry with the same Idempotency-Key gets this answer, kept with the change it reports
      // (Zabbix keeps its whole answer itself, after its batch: the key is marked used here).
      const idempotent = call.context.idempotency;
      if (idempotent?.answeredByCaller === true)
        await this.idempotency.markActed(m, idempotent.ref);
      else if (idempotent !== undefined)
        await this.idempotency.completeIn(m, idempotent.ref, answer);
      return { answer, count: results.size, budget };
    });
  }

  /** The writes of one reset (and its event, `withEvent`), sent together: one wait on SQLite. */
  private async resetOne(
    m: EntityManager,
    call: ResetCall,
    target: ResetTarget,
    now: Date,
    withEvent: boolean,
  ): Promise<MfaResetResponse> {
    const { actor, context } = call;
    const stamp = newSecurityStamp();
    const code = this.config.resets.enrollmentCode ? newEnrollmentCode() : undefined;
    const codeExpiresAt =
      code === undefined
        ? undefined
        : new Date(now.getTime() + this.config.resets.enrollmentCodeTtlSeconds * 1000);
    const enrollmentCode =
      code === undefined || codeExpiresAt === undefined
        ? null
        : {
            hash: this.cipher.keyedHashes(normalEnrollmentCode(code)!, 'enrollment-codes')[0],
            expiresAt: codeExpiresAt,
          };
    const inMessage = code !== undefined && this.config.resets.enrollmentCodeInMessage;
    // A caller resetting itself keeps its session, which takes the new stamp.
    // (An API key has no session: every session of its owner ends.)
    const keep = target.id === actor.accountId ? (actor.sessionId ?? undefined) : undefined;
    const result: Omit<MfaResetResponse, 'sessionsRevoked'> = {
      id: target.id,
      userName: target.userName,
      mfaWasEnabled: target.mfaEnabled,
      ...(code === undefined
        ? {}
        : { enrollmentCode: code, enrollmentCodeExpiresAt: codeExpiresAt?.toISOString() }),
    };
    // The event says how many sessions the reset ended. On SQLite it is sent with the writes
    // (one wait), so it takes the count read in this transaction, which nothing can change before
    // the writes (one writer: this one). On PostgreSQL the writes go one after another, and the
    // event, last, takes the number the UPDATE ended (another instance may end or open a session
    // in between).
    let ended: number | undefined;
    let recorded: number | undefined;
    const [, , revoked] = await this.sql.together(
      () => this.accounts.clearMfa(m, target.id, stamp, now, enrollmentCode),
      () => this.recoveryCodes.deleteAllOf(m, target.id),
      () => this.sessions.endSessions(m, target.id, now, keep).then((n) => (ended = n)),
      () => (keep === undefined ? Promise.resolve() : this.sessions.restamp(m, keep, stamp)),
      // The person is told, in the same transaction: no message for a reset that rolled back.
      () =>
        this.outbox.enqueue(
          m,
          {
            kind: 'mfa.reset',
            accountId: target.id,
            facts: {
              at: now.toISOString(),
              clientIp: context.clientIp,
              actorName: actor.userName,
              own: target.id === actor.accountId,
              ...(call.justification.ticket === undefined
                ? {}
                : { ticket: call.justification.ticket }),
              ...(inMessage ? { enrollmentCodeExpiresAt: codeExpiresAt?.toISOString() } : {}),
            },
            ...(inMessage ? { secret: this.cipher.encrypt(code, target.id) } : {}),
          },
          now,
        ),
      () => {
        if (!withEvent) return Promise.resolve();
        recorded = ended ?? target.openSessions;
        return this.audit.append(m, resetEvent(call, { ...result, sessionsRevoked: recorded }));
      },
    );
    // A count the UPDATE contradicts is never recorded (on SQLite it would take another writer
    // on the file): the transaction is run again.
    if (recorded !== undefined && recorded !== revoked) {
      throw new ChangedMeanwhileError('sessions of the account');
    }
    return { ...result, sessionsRevoked: revoked };
  }
}

/** A batch's answer: the ids reset, as Zabbix's user.resettotp answers, and their codes. */
function batchAnswer(results: MfaResetResponse[]): MfaResetBatchResponse {
  const answer: MfaResetBatchResponse = { userids: results.map((r) => r.id) };
  if (results.some((r) => r.enrollmentCode !== undefined)) {
    answer.enrollmentCodes = Object.fromEntries(results.map((r) => [r.id, r.enrollmentCode ?? '']));
    answer.enrollmentCodeExpiresAt = results[0].enrollmentCodeExpiresAt;
  }
  return answer;
}

function resetEvent(call: ResetCall, result: MfaResetResponse): AuditEntry {
  return {
    action: AuditAction.MfaReset,
    outcome: 'success',
    actor: partyOf(call.actor),
    target: { id: result.id, name: result.userName },
    context: call.context,
    details: {
      mfaWasEnabled: result.mfaWasEnabled,
      sessionsRevoked: result.sessionsRevoked,
      batch: call.mode === 'batch',
      ...call.justification,
      ...(result.enrollmentCode === undefined ? {} : { enrollmentCodeIssued: true }),
    },
  };
}

/** 429, audited as `reset.burst-blocked`: the caller is past its reset budget. */
function burstBlocked(budget: ResetBudget, refusal: BudgetRefusal): DomainError {
  const details = {
    role: budget.role,
    budget: refusal.budget,
    used: refusal.used,
    requested: refusal.requested,
    retryAfterSeconds: refusal.retryAfterSeconds,
  };
  return new DomainError(ErrorCode.ResetBudgetExceeded, undefined, {
    details,
    headers: { 'Retry-After': String(refusal.retryAfterSeconds) },
  }).audited({
    action: AuditAction.ResetBurstBlocked,
    details: { ...details, reason: 'reset budget exceeded' },
  });
}

/** 404, audited: who tried to reset an account that does not exist. */
function notFound(which: Which, missingIds: string[], mode: Mode): DomainError {
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
