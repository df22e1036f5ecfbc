import { Inject, Injectable } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { PasswordHasher } from '../accounts/password-hasher';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { KnownParty, partyOf, Principal, sessionOf } from '../common/auth/principal';
import { normalEnrollmentCode } from '../mfa/enrollment-code';
import { SecretCipher } from '../mfa/secret-cipher';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WriteQueue } from '../database/write-queue';
import { SecondFactorService } from '../mfa/second-factor.service';
import { readSecondFactorBody } from '../mfa/totp.service';
import { SessionsRepository } from '../sessions/sessions.repository';
import { TokenService } from '../sessions/token.service';
import { HTTP_METRICS } from '../common/logging/metrics.provider';
import type { HttpMetrics } from '../common/logging/request-logging';
import { PasswordBurstWatch } from './password-burst-watch';

/** A sign-in refused for its enrolment code: audited as a failed sign-in of that account. */
function enrollmentCodeRefused(
  code: ErrorCode,
  subject: KnownParty,
  passwordMatched: boolean,
): DomainError {
  return new DomainError(code).audited({
    action: AuditAction.SignInFailed,
    outcome: 'failure',
    actor: subject,
    target: subject,
    details: {
      reason:
        code === ErrorCode.EnrollmentCodeRequired
          ? 'enrollment-code-required'
          : 'enrollment-code-invalid',
      passwordMatched,
    },
  });
}

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly secondFactor: SecondFactorService,
    private readonly tokens: TokenService,
    private readonly writes: WriteQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly bursts: PasswordBurstWatch,
    private readonly cipher: SecretCipher,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
  ) {}

  /**
   * First factor. Unknown user, wrong password, disabled or locked account: one answer, after the
   * same work (a password hash checked, one audit event appended), so neither the answer nor its
   * time tells whether the account exists. Wrong passwords never count toward the lock-out:
   * whoever knows a user name could otherwise lock its owner out; they are audited, limited per
   * address, and a burst against one account is reported. A right password clears no
   * second-factor failures.
   */
  async signIn(
    login: string,
    password: string,
    context: RequestContext,
    enrollmentCode?: string,
  ): Promise<string> {
    return (await this.firstFactor(login, password, context, enrollmentCode)).token;
  }

  /**
   * The first factor, with the id of the pre-auth session it opens: for a caller that goes on to
   * the second factor in the same call (Rocket.Chat's login).
   */
  async firstFactor(
    login: string,
    password: string,
    context: RequestContext,
    enrollmentCode?: string,
  ): Promise<{ token: string; sessionId: string }> {
    // A burst past the hashing queue is refused before it costs a database read.
    this.hasher.assertRoom();
    const account = await this.accounts.findForPasswordCheck(login);
    const valid = account
      ? await this.hasher.verify(account.passwordHash, password)
      : await this.hasher.verifyDummy(password);
    const now = this.clock.now();
    // After a reset that handed out an enrolment code, the password alone enrols nobody. The code
    // is judged first, and answered alike whatever the password: a refusal for the code never
    // tells a right password from a wrong one.
    const codeNeeded =
      account !== null &&
      account.isActive &&
      account.mfaEnrolledAt === null &&
      account.enrollmentCodeRequired;
    const code = codeNeeded
      ? await this.enrollmentCodeOf(account, enrollmentCode, valid, now, context)
      : undefined;
    const reason = !account
      ? 'unknown-user'
      : !valid
        ? 'password'
        : !account.isActive
          ? 'disabled'
          : this.secondFactor.isLocked(account, now)
            ? 'locked'
            : undefined;
    if (!account || reason !== undefined) {
      // An unknown login is never stored as typed: people type their password into that field.
      const subject = account ? { id: account.id, name: account.userName } : undefined;
      await this.writes.run((m) =>
        this.audit.append(m, {
          action: AuditAction.SignInFailed,
          outcome: 'failure',
          actor: subject ?? { id: null, name: null },
          target: subject,
          context,
          details: { reason },
        }),
      );
      this.metrics.signInFailures.labels({ reason: reason ?? 'unknown-user' }).inc();
      if (subject !== undefined && reason === 'password')
        this.bursts.wrongPassword(subject, context);
      throw new DomainError(ErrorCode.SignInFailed);
    }
    const kind = account.mfaEnrolledAt !== null ? 'mfa' : 'enroll';
    const expiresAt = new Date(now.getTime() + this.config.jwt.preAuthTokenTtlSeconds * 1000);
    const subject = { id: account.id, name: account.userName };
    const session = await this.writes.run(async (m) => {
      if (code !== undefined) {
        const hashes = this.cipher.keyedHashes(code, 'enrollment-codes');
        if (!(await this.accounts.spendEnrollmentCode(m, account.id, hashes, now)))
          throw enrollmentCodeRefused(ErrorCode.EnrollmentCodeInvalid, subject, true);
        await this.audit.append(m, {
          action: AuditAction.EnrollmentCodeUsed,
          outcome: 'success',
          actor: subject,
          target: subject,
          context,
        });
      }
      return this.sessions.create(
        m,
        {
          accountId: account.id,
          kind,
          securityStamp: account.securityStamp,
          expiresAt,
          mfaVerifiedAt: null,
          clientIp: context.clientIp,
          userAgent: context.userAgent,
        },
        now,
      );
    });
    const token = this.tokens.issue(
      { sub: account.id, sid: session.id, typ: kind },
      expiresAt,
      now,
    );
    return { token, sessionId: session.id };
  }

  /**
   * The enrolment code sent, checked (not yet spent: that waits for the password); 401, audited,
   * when none was sent or it is not the account's (wrong, used, expired). A wrong password behind
   * it is still counted as one.
   */
  private async enrollmentCodeOf(
    account: { readonly id: string; readonly userName: string },
    sent: string | undefined,
    passwordValid: boolean,
    now: Date,
    context: RequestContext,
  ): Promise<string> {
    const subject = { id: account.id, name: account.userName };
    const code = sent === undefined ? undefined : normalEnrollmentCode(sent);
    const refusal =
      sent === undefined || sent.trim() === ''
        ? ErrorCode.EnrollmentCodeRequired
        : code === undefined ||
            !(await this.accounts.enrollmentCodeMatches(
              account.id,
              this.cipher.keyedHashes(code, 'enrollment-codes'),
              now,
            ))
          ? ErrorCode.EnrollmentCodeInvalid
          : undefined;
    if (refusal === undefined && code !== undefined) return code;
    if (!passwordValid) this.bursts.wrongPassword(subject, context);
    throw enrollmentCodeRefused(refusal ?? ErrorCode.EnrollmentCodeInvalid, subject, passwordValid);
  }

  /** Second factor: a TOTP or recovery code turns the pre-auth session into an access session. */
  async completeSignIn(
    principal: Principal,
    body: unknown,
    context: RequestContext,
  ): Promise<string> {
    const subject = partyOf(principal);
    const account = await this.accounts.findById(principal.accountId);
    if (!account) throw new DomainError(ErrorCode.Unauthenticated);
    const expiresAt = await this.secondFactor.checkAndSpend({
      subject,
      input: readSecondFactorBody(body, 'any'),
      context,
      secret: 'enrolled',
      failure: ErrorCode.SecondFactorInvalid,
      failureAction: AuditAction.SignInFailed,
      onSuccess: async (manager, now) => {
        const expires = new Date(now.getTime() + this.config.jwt.accessTokenTtlSeconds * 1000);
        const promoted = await this.sessions.promote(manager, sessionOf(principal).id, 'mfa', {
          expiresAt: expires,
          securityStamp: account.securityStamp,
          mfaVerifiedAt: now,
        });
        if (!promoted) throw new DomainError(ErrorCode.Unauthenticated);
        await this.audit.append(manager, {
          action: AuditAction.SignInSucceeded,
          outcome: 'success',
          actor: { id: account.id, name: account.userName },
          target: { id: account.id, name: account.userName },
          context,
        });
        return expires;
      },
    });
    return this.tokens.issue(
      { sub: principal.accountId, sid: sessionOf(principal).id, typ: 'access' },
      expiresAt,
      this.clock.now(),
    );
  }

  async signOut(principal: Principal, context: RequestContext): Promise<void> {
    await this.writes.run(async (m) => {
      await this.sessions.revoke(m, sessionOf(principal).id, this.clock.now());
      await this.audit.append(m, {
        action: AuditAction.SignedOut,
        outcome: 'success',
        actor: partyOf(principal),
        target: partyOf(principal),
        context,
      });
    });
  }
}
