import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { IS_PUBLIC, TOKEN_KINDS } from '../../common/auth/auth.decorators';
import type { CredentialKind, Principal } from '../../common/auth/principal';
import { DomainError, ErrorCode } from '../../common/problem/domain-error';
import { ApiKeyGate, presentedApiKey, rocketChatSessionToken } from './api-key-gate';
import { routeMetadata } from '../../common/auth/route-metadata';
import { ACCOUNT_READ_WITH_SESSION } from '../../accounts/account-view';
import { isUuid } from '../../common/validation/uuid-param.pipe';

/** What a route accepts when it does not say: an access token or an API key. */
const DEFAULT_KINDS: readonly CredentialKind[] = ['access', 'api-key'];

/**
 * Global: every route needs a credential unless it is public. An API key (in any header form it
 * comes in) is checked by the key gate; anything else must be a bearer token of a live session.
 * Either way the route's accepted kinds decide: sign-in, enrolment, sign-out and key management
 * take no API key.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly apiKeys: ApiKeyGate,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (routeMetadata<boolean>(this.reflector, IS_PUBLIC, context) === true) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest & { user?: Principal }>();
    const presented = presentedApiKey(req);
    if (presented === undefined) {
      const accountParam = routeMetadata<string>(
        this.reflector,
        ACCOUNT_READ_WITH_SESSION,
        context,
      );
      if (accountParam !== undefined) {
        // A path id that is no uuid reads nothing: the route's pipe refuses it (400) after the
        // guards, as before; the id is compared as the pipe answers it (lower case).
        const id = (req.params as Record<string, string | undefined>)[accountParam];
        if (isUuid(id)) req.accountReadWithSession = { accountId: id.toLowerCase() };
      }
      const rocketChat = rocketChatSessionToken(req);
      if (rocketChat !== undefined) req.headers.authorization = `Bearer ${rocketChat.token}`;
      const accepted = (await super.canActivate(context)) as boolean;
      if (
        rocketChat !== undefined &&
        req.user?.accountId !== rocketChat.claimedUserId.toLowerCase()
      )
        throw new DomainError(ErrorCode.Unauthenticated);
      return accepted;
    }
    const principal = await this.apiKeys.authenticate(req, presented);
    req.user = this.accepted(principal, context);
    return true;
  }

  override handleRequest<TUser = Principal>(
    error: unknown,
    user: Principal | false,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    // An error here is not a bad token but a failure to check one (the database is down): not 401.
    if (error)
      throw error instanceof Error ? error : new Error('Token check failed', { cause: error });
    if (!user) throw new DomainError(ErrorCode.Unauthenticated);
    return this.accepted(user, context) as TUser;
  }

  private accepted(principal: Principal, context: ExecutionContext): Principal {
    const kinds =
      routeMetadata<CredentialKind[]>(this.reflector, TOKEN_KINDS, context) ?? DEFAULT_KINDS;
    if (!kinds.includes(principal.tokenKind)) throw new DomainError(ErrorCode.Unauthenticated);
    return principal;
  }
}
