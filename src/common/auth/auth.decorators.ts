import { SetMetadata, createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { Permission } from '../../roles/permission';
import type { SessionKind } from '../../sessions/entities/session.entity';
import { Principal, principalOf } from './principal';
import { RequestContext, requestContext } from '../http/request-context';

export const IS_PUBLIC = 'auth:public';
export const TOKEN_KINDS = 'auth:token-kinds';
export const REQUIRED_PERMISSION = 'auth:permission';
export const SIGN_IN_RATE_LIMITED = 'auth:sign-in-rate-limited';

/** Opts a route out of authentication (deny by default otherwise). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The token kinds a route accepts; without it only access tokens pass. */
export const AllowTokenKinds = (...kinds: SessionKind[]) => SetMetadata(TOKEN_KINDS, kinds);

export interface PermissionRequirement {
  readonly permission: Permission;
  /** The 403 detail, when the seed fixes one ("User is not an Administrator"). */
  readonly detail?: string;
}

export const RequirePermission = (permission: Permission, detail?: string) =>
  SetMetadata(REQUIRED_PERMISSION, { permission, detail } satisfies PermissionRequirement);

/** Counts the route in the per-address sign-in limit (SIGNIN_RATE_LIMIT). */
export const SignInRateLimited = () => SetMetadata(SIGN_IN_RATE_LIMITED, true);

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal => principalOf(ctx.switchToHttp().getRequest<Request>()),
);

export const CurrentRequest = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): RequestContext => requestContext(ctx.switchToHttp().getRequest<Request>()),
);
