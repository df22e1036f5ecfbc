import { Inject, Injectable } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PasswordHasher } from '../accounts/password-hasher';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { partyOf, Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { MinuteWindows, retryAfterOf } from '../common/minute-windows';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { HTTP_METRICS } from '../common/logging/metrics.provider';
import type { HttpMetrics } from '../common/logging/request-logging';
import { WriteQueue } from '../database/write-queue';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SecondFactorService } from './second-factor.service';
import { parseSecondFactorCode } from './totp.service';
import { asciiLower } from '../common/ascii';

export type StepUpMethod = 'totp' | 'password';

const KNOWN_METHODS: readonly StepUpMethod[] = ['totp', 'password'];

/** Password step-up proofs one account may make per minute (each is an argon2id hash). */
export const PASSWORD_PROOFS_PER_MINUTE = 10;

/** The metrics' reason for each refusal: no recent proof, a wrong one, a method not offered. */
const REFUSAL_REASONS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.StepUpRequired]: 'required',
  [ErrorCode.StepUpInvalid]: 'invalid',
  [ErrorCode.ValidationFailed]: 'method',
};

export interface StepUpProof {
  /** `x-2fa-code`, when sent. */
  readonly code: string | undefined;
  /** `x-2fa-method`: totp (the default) or password. */
  readonly method: string | undefined;
}

/**
 * Step-up ("sudo mode", as GitHub and Rocket.Chat do it): a sensitive call needs an MFA proof of
 * the caller's session no older than STEP_UP_MAX_AGE, or a fresh one sent with the call. A fresh
 * proof is spent like any code and renews the session's proof; a failure counts toward lock-out.
 */
@Injectable()
export class StepUpService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsRepository,
    private readonly hasher: PasswordHasher,
    private readonly secondFactor: SecondFactorService,
    private readonly sessions: SessionsRepository,
    private readonly writes: WriteQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
  ) {}

  /** Password proofs per account in the current minute (each costs an argon2id hash). */
  private readonly passwordProofs = new MinuteWindows();

  /**
   * A password proof may come with any call, and each costs a password hash: one account may make
   * PASSWORD_PROOFS_PER_MINUTE a minute, so that one signed-in user cannot fill the hashing queue
   * for everyone (a right password is no failure, so the lock-out does not stop it). Per instance.
   */
  private takePasswordProofTurn(accountId: string): void {
    const now = Date.now();
    const window = this.passwordProofs.current(accountId, now);
    if (window.count >= PASSWORD_PROOFS_PER_MINUTE) {
      throw new DomainError(ErrorCode.RateLimited, undefined, {
        headers: { 'Retry-After': retryAfterOf(window, now) },
      });
    }
    window.count++;
  }

  /**
   * The methods that may prove MFA here. A password is not a second factor: an API key (its
   * owner's password may be known to whoever holds the key) and a call that must carry a fresh
   * proof (creating a key that is itself a proof) take the owner's TOTP code only.
   */
  private availableMethods(principal: Principal, fresh: boolean): StepUpMethod[] {
    if (principal.tokenKind === 'api-key' || fresh) return principal.mfaEnabled ? ['totp'] : [];
    return principal.mfaEnabled ? ['totp', 'password'] : ['password'];
  }

  private defaultMethod(principal: Principal): StepUpMethod {
    return principal.mfaEnabled || principal.tokenKind === 'api-key' ? 'totp' : 'password';
  }

  /** `fresh`: a recent proof does not count; the call must carry a code (or password) itself. */
  async demand(
    principal: Principal,
    proof: StepUpProof,
    context: RequestContext,
    { fresh = false }: { fresh?: boolean } = {},
  ): Promise<void> {
    try {
      await this.check(principal, proof, context, fresh);
    } catch (error) {
      if (error instanceof DomainError && error.code in REFUSAL_REASONS)
        this.metrics.stepUpRefusals.labels({ reason: REFUSAL_REASONS[error.code]! }).inc();
      throw error;
    }
  }

  private async check(
    principal: Principal,
    proof: StepUpProof,
    context: RequestContext,
    fresh: boolean,
  ): Promise<void> {
    const sent = asciiLower(proof.method ?? this.defaultMethod(principal));
    // Only a method's name is echoed or stored: the header may hold a password typed there.
    const method = (KNOWN_METHODS as readonly string[]).includes(sent) ? sent : 'other';
    // A locked account gets no proof, and a recent one no longer counts: whoever locked it with
    // wrong codes must not go on to reset its MFA (and so its lock) on the strength of it.
    if (principal.lockedUntil !== null && principal.lockedUntil > this.clock.now()) {
      throw new DomainError(ErrorCode.StepUpInvalid, undefined, {
        details: { method, codeGenerated: false },
      }).audited({
        action: AuditAction.StepUpFailed,
        target: partyOf(principal),
        details: { method, reason: 'locked' },
      });
    }
    if (proof.code === undefined) {
      const maxAge = this.config.stepUpMaxAgeSeconds * 1000;
      const provedAt = principal.mfaVerifiedAt?.getTime();
      const recent = provedAt !== undefined && this.clock.now().getTime() - provedAt <= maxAge;
      if (maxAge > 0 && recent && !fresh) return;
      throw new DomainError(ErrorCode.StepUpRequired, undefined, {
        details: {
          method: this.defaultMethod(principal),
          codeGenerated: false,
          availableMethods: this.availableMethods(principal, fresh),
        },
      }).audited({
        action: AuditAction.StepUpFailed,
        target: partyOf(principal),
        details: { reason: 'no recent proof' },
      });
    }
    const invalid = () =>
      new DomainError(ErrorCode.StepUpInvalid, undefined, {
        details: { method, codeGenerated: false },
      });
    const subject = partyOf(principal);
    const available = this.availableMethods(principal, fresh);
    if (!(available as string[]).includes(method)) {
      // A proof in a method this account cannot use (or that does not exist, such as Rocket.Chat's
      // email) is a failed attempt too; the answer names the methods offered, never the one sent.
      const now = this.clock.now();
      await this.secondFactor.countFailedAttempt(subject, context, AuditAction.StepUpFailed, now, {
        method,
        reason: 'unavailable method',
      });
      throw DomainError.validation({
        'x-2fa-method': [
          available.length === 0
            ? 'No method can prove MFA here: the account has no authenticator app enrolled.'
            : `Not a method this account offers; use one of: ${available.join(', ')}.`,
        ],
      });
    }
    const renew = async (
      manager: Parameters<SecondFactorService['countFailure']>[0],
      now: Date,
    ) => {
      // A proof renews the session's; with an API key (no session) it holds for this call only.
      if (principal.sessionId !== null)
        await this.sessions.markMfaVerified(manager, principal.sessionId, now);
      await this.audit.append(manager, {
        action: AuditAction.StepUpSucceeded,
        outcome: 'success',
        actor: subject,
        target: subject,
        context,
        details: { method },
      });
    };
    if (method === 'totp') {
      try {
        await this.secondFactor.checkAndSpend({
          subject,
          input: { code: parseSecondFactorCode(proof.code) },
          context,
          secret: 'enrolled',
          failure: ErrorCode.StepUpInvalid,
          failureAction: AuditAction.StepUpFailed,
          onSuccess: renew,
        });
      } catch (error) {
        if (error instanceof DomainError && error.code === ErrorCode.StepUpInvalid) throw invalid();
        throw error;
      }
      return;
    }
    this.takePasswordProofTurn(principal.accountId);
    const hash = await this.accounts.passwordHashOf(principal.accountId);
    const matches =
      hash !== null && proof.code.length <= 1024 && (await this.hasher.verify(hash, proof.code));
    const now = this.clock.now();
    const account = await this.accounts.findById(principal.accountId);
    const locked = account === null || this.secondFactor.isLocked(account, now);
    await this.writes.run(async (m) => {
      // As at sign-in, a right password clears no failure count: only a right code does, so
      // wrong codes between right passwords still add up to a lock-out.
      if (matches && !locked) await renew(m, now);
      else
        await this.secondFactor.countFailure(m, subject, context, AuditAction.StepUpFailed, now, {
          method,
          locked,
        });
    });
    if (!matches || locked) throw invalid();
  }
}
