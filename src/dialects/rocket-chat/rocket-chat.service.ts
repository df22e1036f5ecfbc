import { Injectable } from '@nestjs/common';
import { toAccountResponse } from '../../accounts/account-response';
import { AccountsRepository } from '../../accounts/accounts.repository';
import { AuthService } from '../../auth/auth.service';
import { principalOfSession } from '../../auth/jwt.strategy';
import { Clock } from '../../common/clock';
import type { RequestContext } from '../../common/http/request-context';
import { DomainError, ErrorCode } from '../../common/problem/domain-error';
import { SessionsRepository } from '../../sessions/sessions.repository';
import type { AccountResponse } from '../../accounts/dto/account.dto';

/** A user as Rocket.Chat's `me` and `users.info` show one. */
export interface RocketChatUser {
  readonly _id: string;
  readonly username: string;
  readonly name: string;
  readonly type: 'user';
  readonly active: boolean;
  readonly roles: string[];
  readonly emails: { address: string; verified: boolean }[];
}

export interface RocketChatLogin {
  readonly status: 'success';
  readonly data: { authToken: string; userId: string; me: RocketChatUser };
}

function userOf(account: AccountResponse): RocketChatUser {
  return {
    _id: account.id,
    username: account.userName,
    name: account.displayName,
    type: 'user',
    active: account.isActive,
    roles: account.roles,
    emails: [{ address: account.email, verified: false }],
  };
}

/**
 * Rocket.Chat's sign-in and look-ups, done by this service's own: the password and the code go
 * through the same two steps as /signinBody and /signin2fa (lock-out, audit, limits), in one call.
 */
@Injectable()
export class RocketChatService {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsRepository,
    private readonly accounts: AccountsRepository,
    private readonly clock: Clock,
  ) {}

  async login(
    login: string,
    password: string,
    code: string | number | undefined,
    context: RequestContext,
  ): Promise<RocketChatLogin> {
    const { sessionId } = await this.auth.firstFactor(login, password, context);
    const session = await this.sessions.findForCheck(sessionId);
    if (session === null) throw new DomainError(ErrorCode.SignInFailed);
    if (session.kind !== 'mfa') {
      // No authenticator app yet: this service signs nobody in without one.
      throw new DomainError(
        ErrorCode.StepUpRequired,
        'An authenticator app must be enrolled first: POST /signinBody, then /api/v1/Mfa/Enroll',
        { details: { method: 'totp', codeGenerated: false, availableMethods: [] } },
      );
    }
    if (code === undefined) {
      throw new DomainError(ErrorCode.StepUpRequired, undefined, {
        details: { method: 'totp', codeGenerated: false, availableMethods: ['totp'] },
      });
    }
    const principal = principalOfSession(session);
    const authToken = await this.auth.completeSignIn(principal, code, context);
    return {
      status: 'success',
      data: { authToken, userId: principal.accountId, me: await this.user(principal.accountId) },
    };
  }

  async user(id: string): Promise<RocketChatUser> {
    const account = await this.accounts.findView(id);
    if (account === null) throw new DomainError(ErrorCode.AccountNotFound);
    return userOf(toAccountResponse(account, this.clock.now()));
  }

  async userByName(userName: string): Promise<RocketChatUser> {
    const account = await this.accounts.findForPasswordCheck(userName);
    if (account === null) throw new DomainError(ErrorCode.AccountNotFound);
    return this.user(account.id);
  }
}
