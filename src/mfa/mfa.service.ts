import { OutboxRepository } from '../outbox/outbox.repository';
import { Inject, Injectable } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { Account } from '../accounts/entities/account.entity';
import { newSecurityStamp } from '../accounts/security-stamp';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { Principal, sessionOf } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WriteQueue } from '../database/write-queue';
import { SessionsRepository } from '../sessions/sessions.repository';
import { TokenService } from '../sessions/token.service';
import { EnrollmentConfirmedResponse, EnrollmentResponse, MfaStatusResponse } from './dto/mfa.dto';
import { RecoveryCodesRepository } from './recovery-codes.repository';
import { SecondFactorService } from './second-factor.service';
import { SecretCipher } from './secret-cipher';
import { readSecondFactorBody, TotpService } from './totp.service';

/** Enrolment: PENDING (a secret shown once) -> VERIFIED (a code from it confirmed). */
@Injectable()
export class MfaService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsRepository,
    private readonly recoveryCodes: RecoveryCodesRepository,
    private readonly totp: TotpService,
    private readonly cipher: SecretCipher,
    private readonly secondFactor: SecondFactorService,
    private readonly tokens: TokenService,
    private readonly writes: WriteQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxRepository,
  ) {}

  private async account(principal: Principal): Promise<Account> {
    const account = await this.accounts.findById(principal.accountId);
    if (!account) throw new DomainError(ErrorCode.Unauthenticated);
    return account;
  }

  async startEnrollment(
    principal: Principal,
    context: RequestContext,
  ): Promise<EnrollmentResponse> {
    const account = await this.account(principal);
    if (account.mfaEnrolledAt !== null) throw new DomainError(ErrorCode.MfaAlreadyEnabled);
    const secret = this.totp.generateSecret();
    await this.writes.run(async (m) => {
      await this.accounts.setPendingSecret(
        m,
        account.id,
        this.cipher.encrypt(secret, account.id),
        this.clock.now(),
      );
      await this.audit.append(m, {
        action: AuditAction.MfaEnrollmentStarted,
        outcome: 'success',
        actor: { id: account.id, name: account.userName },
        target: { id: account.id, name: account.userName },
        context,
      });
    });
    const otpauthUri = this.totp.otpauthUri(secret, account.userName);
    return { secret, otpauthUri, qrCodeSvg: await this.totp.qrCodeSvg(otpauthUri) };
  }

  /**
   * Turns MFA on, issues fresh recovery codes, and rotates the security stamp: every other
   * session (made without MFA) ends; the caller's own becomes an access session that has just
   * proved MFA.
   */
  async confirmEnrollment(
    principal: Principal,
    body: unknown,
    context: RequestContext,
  ): Promise<EnrollmentConfirmedResponse> {
    const account = await this.account(principal);
    if (account.mfaEnrolledAt !== null) throw new DomainError(ErrorCode.MfaAlreadyEnabled);
    const secrets = await this.accounts.mfaSecretsOf(account.id);
    const pending = secrets?.mfaPendingSecret;
    if (!pending) throw new DomainError(ErrorCode.NoPendingEnrollment);
    const recoveryCodes = this.totp.generateRecoveryCodes();
    const subject = { id: account.id, name: account.userName };
    const expiresAt = await this.secondFactor.checkAndSpend({
      subject,
      input: readSecondFactorBody(body, 'code'),
      context,
      secret: 'pending',
      failure: ErrorCode.StepUpInvalid,
      failureAction: AuditAction.MfaEnrollmentFailed,
      onSuccess: async (m, now) => {
        const stamp = newSecurityStamp();
        // Under the current key, even if the pending one was written before a key rotation (a
        // re-wrap running meanwhile may have moved the pending copy, not this one).
        const enabled = await this.accounts.enableMfa(m, account.id, {
          secret: this.cipher.needsRewrap(pending)
            ? this.cipher.rewrap(pending, account.id)
            : pending,
          stamp,
          now,
        });
        if (!enabled) throw new DomainError(ErrorCode.MfaAlreadyEnabled);
        await this.recoveryCodes.replace(
          m,
          account.id,
          recoveryCodes.map((c) => this.cipher.keyedHashes(c)[0]),
          now,
        );
        const expires = new Date(now.getTime() + this.config.jwt.accessTokenTtlSeconds * 1000);
        await this.sessions.endSessions(m, account.id, now, sessionOf(principal).id);
        const promoted = await this.sessions.promote(
          m,
          sessionOf(principal).id,
          sessionOf(principal).kind,
          {
            expiresAt: expires,
            securityStamp: stamp,
            mfaVerifiedAt: now,
          },
        );
        if (!promoted) throw new DomainError(ErrorCode.Unauthenticated);
        await this.audit.append(m, {
          action: AuditAction.MfaEnrolled,
          outcome: 'success',
          actor: { id: account.id, name: account.userName },
          target: { id: account.id, name: account.userName },
          context,
        });
        await this.outbox.enqueue(
          m,
          {
            kind: 'mfa.enrolled',
            accountId: account.id,
            facts: { at: now.toISOString(), clientIp: context.clientIp },
          },
          now,
        );
        return expires;
      },
    });
    const token = this.tokens.issue(
      { sub: account.id, sid: sessionOf(principal).id, typ: 'access' },
      expiresAt,
      this.clock.now(),
    );
    return { recoveryCodes, token };
  }

  async status(principal: Principal): Promise<MfaStatusResponse> {
    const account = await this.account(principal);
    const recoveryCodesLeft = await this.recoveryCodes.countUnused(account.id);
    return {
      enabled: account.mfaEnrolledAt !== null,
      enrolledAt: account.mfaEnrolledAt?.toISOString() ?? null,
      recoveryCodesLeft: account.mfaEnrolledAt !== null ? recoveryCodesLeft : 0,
    };
  }
}
