import { OutboxRepository } from '../outbox/outbox.repository';
import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountsRepository } from '../accounts/accounts.repository';
import { Account } from '../accounts/entities/account.entity';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import type { KnownParty } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { APP_LOGGER, type AppLogger } from '../common/logging/logger';
import { HTTP_METRICS } from '../common/logging/metrics.provider';
import type { HttpMetrics } from '../common/logging/request-logging';
import { WriteQueue } from '../database/write-queue';
import { RecoveryCodesRepository } from './recovery-codes.repository';
import { SecretCipher, UnknownSecretKeyError } from './secret-cipher';
import { SecondFactorInput, TotpService } from './totp.service';

export interface CodeCheck<T> {
  readonly subject: KnownParty;
  /** The code sent: null when it was not a canonical code (refused with no lookup). */
  readonly input: SecondFactorInput;
  readonly context: RequestContext;
  /** Which secret the code must match: the enrolled one, or the one pending confirmation. */
  readonly secret: 'enrolled' | 'pending';
  readonly failure: ErrorCode;
  readonly failureAction: AuditAction;
  /** Runs in the transaction that spends the code; its result is the check's result. */
  readonly onSuccess: (manager: EntityManager, now: Date) => Promise<T>;
}

/** The step a failed code belongs to, for the metrics (step-up refusals are counted apart). */
const FAILURE_STEPS: Partial<Record<AuditAction, string>> = {
  [AuditAction.SignInFailed]: 'sign-in',
  [AuditAction.MfaEnrollmentFailed]: 'enrolment',
};

/**
 * Second factors, in one place: a code is checked, spent (once: the time step or the recovery
 * code) and followed by the caller's change in one transaction; a failure is counted toward the
 * lock-out and audited, in its own transaction, before the refusal is thrown.
 */
@Injectable()
export class SecondFactorService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly totp: TotpService,
    private readonly cipher: SecretCipher,
    private readonly writes: WriteQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxRepository,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {}

  /**
   * Checks the code, and on a match spends it (its time step, or the recovery code) and runs the
   * caller's change, in one transaction; a failure is counted and audited before it is thrown.
   */
  async checkAndSpend<T>(check: CodeCheck<T>): Promise<T> {
    const { subject } = check;
    const { code } = check.input;
    const now = this.clock.now();
    // A malformed code (or a recovery code where only the app's code will do) is a failed
    // attempt like a wrong one: counted toward the lock-out and audited.
    if (code === null || (code.kind === 'recovery' && check.secret === 'pending')) {
      await this.countFailedAttempt(subject, check.context, check.failureAction, now, {
        method: code?.kind ?? 'malformed',
      });
      throw check.input.refusal ?? new DomainError(check.failure);
    }
    let step: number | null = null;
    let stored: string | null | undefined;
    if (code.kind === 'totp') {
      const secrets = await this.accounts.mfaSecretsOf(subject.id);
      stored = check.secret === 'enrolled' ? secrets?.mfaSecret : secrets?.mfaPendingSecret;
      if (stored)
        step = await this.totp.matchStep(this.openSecret(stored, subject), code.code, now);
    }
    // A secret still under a key rotated out is encrypted again under the current one on use
    // (a pending one is not: the enrolment's confirmation replaces it, and the command re-wraps it).
    const rewrap =
      check.secret === 'enrolled' && stored && this.cipher.needsRewrap(stored) ? stored : undefined;
    const outcome = await this.writes.run(async (manager) => {
      const spent =
        code.kind === 'totp'
          ? step !== null && (await this.accounts.spendTotpStep(manager, subject.id, step, now))
          : await this.spendRecoveryCode(manager, subject.id, code.code, now);
      if (spent) {
        if (rewrap !== undefined) {
          const next = this.cipher.rewrap(rewrap, subject.id);
          await this.accounts.replaceSecret(manager, subject.id, 'mfa_secret', rewrap, next);
        }
        if (code.kind === 'recovery') {
          await this.audit.append(manager, {
            action: AuditAction.RecoveryCodeUsed,
            outcome: 'success',
            actor: subject,
            target: subject,
            context: check.context,
          });
        }
        return { ok: true as const, value: await check.onSuccess(manager, now) };
      }
      await this.countFailure(manager, subject, check.context, check.failureAction, now, {
        method: code.kind,
      });
      return { ok: false as const };
    });
    if (!outcome.ok) throw new DomainError(check.failure);
    return outcome.value;
  }

  /** A failed attempt refused before any code was checked, counted in a transaction of its own. */
  countFailedAttempt(
    subject: KnownParty,
    context: RequestContext,
    action: AuditAction,
    now: Date,
    details: Record<string, unknown>,
  ): Promise<void> {
    return this.writes.run((m) => this.countFailure(m, subject, context, action, now, details));
  }

  /** One failed attempt of any kind (password, code, step-up): counted, audited, maybe locking. */
  async countFailure(
    manager: EntityManager,
    subject: KnownParty,
    context: RequestContext,
    action: AuditAction,
    now: Date,
    details: Record<string, unknown>,
  ): Promise<void> {
    const lockUntil = new Date(now.getTime() + this.config.lockout.minutes * 60_000);
    const locked = await this.accounts.registerFailure(
      manager,
      subject.id,
      this.config.lockout.threshold,
      lockUntil,
      now,
    );
    await this.audit.append(manager, {
      action,
      outcome: 'failure',
      actor: subject,
      target: subject,
      context,
      details,
    });
    const step = FAILURE_STEPS[action];
    if (step !== undefined) this.metrics.secondFactorFailures.labels({ step }).inc();
    if (locked) {
      this.metrics.lockouts.inc();
      await this.audit.append(manager, {
        action: AuditAction.AccountLocked,
        outcome: 'success',
        target: subject,
        context,
        details: { lockedUntil: lockUntil.toISOString() },
      });
      await this.outbox.enqueue(
        manager,
        {
          kind: 'account.locked',
          accountId: subject.id,
          facts: {
            at: now.toISOString(),
            clientIp: context.clientIp,
            lockedUntil: lockUntil.toISOString(),
          },
        },
        now,
      );
    }
  }

  /**
   * The secret in clear. One under a key this instance does not hold (dropped from
   * MFA_ENCRYPTION_KEYS_PREVIOUS too soon) is a 503 and an error line naming the key id, not a 500.
   */
  private openSecret(stored: string, subject: KnownParty): string {
    try {
      return this.cipher.decrypt(stored, subject.id);
    } catch (error) {
      if (!(error instanceof UnknownSecretKeyError)) throw error;
      this.logger.error(
        { keyId: error.keyId, accountId: subject.id },
        "a TOTP secret is encrypted with a key that is not configured: list it in MFA_ENCRYPTION_KEYS_PREVIOUS, or reset the account's MFA",
      );
      throw new DomainError(ErrorCode.SecretKeyUnavailable);
    }
  }

  isLocked(account: Pick<Account, 'lockedUntil'>, now = this.clock.now()): boolean {
    return account.lockedUntil !== null && account.lockedUntil > now;
  }

  private async spendRecoveryCode(
    manager: EntityManager,
    accountId: string,
    code: string,
    now: Date,
  ): Promise<boolean> {
    if (await this.accounts.isLocked(manager, accountId, now)) return false;
    const spent = await this.recoveryCodes.spend(
      manager,
      accountId,
      this.cipher.keyedHashes(code),
      now,
    );
    if (spent) await this.accounts.clearFailures(manager, accountId);
    return spent;
  }
}
