import { Inject, Injectable } from '@nestjs/common';
import { AccountsRepository } from '../accounts/accounts.repository';
import { USER_NAME_PATTERN } from '../accounts/dto/account.dto';
import { PasswordHasher } from '../accounts/password-hasher';
import { AuditAction } from '../audit/audit-action';
import { AuditService, partyOf } from '../audit/audit.service';
import { Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/transaction-runner';
import { SecondFactorService } from '../mfa/second-factor.service';
import { parseSecondFactorCode } from '../mfa/totp.service';
import { SessionsRepository } from '../sessions/sessions.repository';
import { TokenService } from '../sessions/token.service';

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly accounts: AccountsRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly secondFactor: SecondFactorService,
    private readonly tokens: TokenService,
    private readonly runner: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * First factor. Unknown user, wrong password, disabled or locked account: one answer, in about
   * the same time (a dummy hash is checked when there is no account). A right password does not
   * clear earlier second-factor failures.
   */
  async signIn(login: string, password: string, context: RequestContext): Promise<string> {
    const account = await this.accounts.findForPasswordCheck(login);
    if (!account) {
      await this.hasher.verifyDummy(password);
      await this.runner.run((m) =>
        this.audit.append(m, {
          action: AuditAction.SignInFailed,
          outcome: 'failure',
          // Only what could be a user name: people type their password into the login field.
          actor: { id: null, name: USER_NAME_PATTERN.test(login) ? login : null },
          context,
          details: { reason: 'unknown-user' },
        }),
      );
      throw new DomainError(ErrorCode.SignInFailed);
    }
    const valid = await this.hasher.verify(account.passwordHash, password);
    const now = this.clock.now();
    const subject = { id: account.id, name: account.userName };
    if (!valid || !account.isActive || this.secondFactor.isLocked(account, now)) {
      const reason = !account.isActive
        ? 'disabled'
        : this.secondFactor.isLocked(account, now)
          ? 'locked'
          : 'password';
      await this.runner.run(async (m) => {
        if (reason === 'password') {
          await this.secondFactor.countFailure(m, subject, context, AuditAction.SignInFailed, now, {
            reason,
          });
        } else {
          await this.audit.append(m, {
            action: AuditAction.SignInFailed,
            outcome: 'failure',
            actor: subject,
            target: subject,
            context,
            details: { reason },
          });
        }
      });
      throw new DomainError(ErrorCode.SignInFailed);
    }
    const kind = account.mfaEnrolledAt !== null ? 'mfa' : 'enroll';
    const expiresAt = new Date(now.getTime() + this.config.jwt.preAuthTokenTtlSeconds * 1000);
    const session = await this.runner.run((m) =>
      this.sessions.create(
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
      ),
    );
    return this.tokens.issue({ sub: account.id, sid: session.id, typ: kind }, expiresAt, now);
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
    const expiresAt = await this.secondFactor.verify({
      subject,
      code: parseSecondFactorCode(body),
      context,
      secret: 'enrolled',
      failure: ErrorCode.SecondFactorInvalid,
      failureAction: AuditAction.SignInFailed,
      onSuccess: async (manager, now) => {
        const expires = new Date(now.getTime() + this.config.jwt.accessTokenTtlSeconds * 1000);
        const promoted = await this.sessions.promote(manager, principal.sessionId, 'mfa', {
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
      { sub: principal.accountId, sid: principal.sessionId, typ: 'access' },
      expiresAt,
      this.clock.now(),
    );
  }

  async signOut(principal: Principal, context: RequestContext): Promise<void> {
    await this.runner.run(async (m) => {
      await this.sessions.revoke(m, principal.sessionId, this.clock.now());
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
