import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { SessionKind } from '../../common/auth/principal';
import { DomainError, ErrorCode } from '../../common/problem/domain-error';
import { IS_PUBLIC, TOKEN_KINDS } from '../../common/auth/auth.decorators';
import { Principal } from '../../common/auth/principal';

/** Global: every route needs an access token unless it says otherwise. */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    return super.canActivate(context);
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
    const kinds = this.reflector.getAllAndOverride<SessionKind[] | undefined>(TOKEN_KINDS, [
      context.getHandler(),
      context.getClass(),
    ]) ?? ['access'];
    if (!kinds.includes(user.tokenKind)) throw new DomainError(ErrorCode.Unauthenticated);
    return user as TUser;
  }
}
