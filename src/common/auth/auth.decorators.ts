import {
  SetMetadata,
  applyDecorators,
  createParamDecorator,
  ExecutionContext,
  Type,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { ApiStepUpProblem } from '../openapi/api-problems.decorator';
import type { FastifyRequest } from 'fastify';
import { Permission } from './permission';
import type { CredentialKind } from './principal';
import { Principal, principalOf } from './principal';
import { RequestContext, requestContext } from '../http/request-context';
import { asciiLower } from '../ascii';

export const IS_PUBLIC = 'auth:public';
export const TOKEN_KINDS = 'auth:token-kinds';
export const REQUIRED_PERMISSION = 'auth:permission';
export const SIGN_IN_RATE_LIMITED = 'auth:sign-in-rate-limited';
export const STEP_UP = 'auth:step-up';

/** Opts a route out of authentication (deny by default otherwise). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** The credential kinds a route accepts; without it, access tokens and API keys pass. */
export const AllowTokenKinds = (...kinds: CredentialKind[]) => SetMetadata(TOKEN_KINDS, kinds);

export interface PermissionRequirement {
  readonly permission: Permission;
  /** The 403 detail, when the seed fixes one ("User is not an Administrator"). */
  readonly detail?: string;
}

export const RequirePermission = (permission: Permission, detail?: string) =>
  SetMetadata(REQUIRED_PERMISSION, { permission, detail } satisfies PermissionRequirement);

/** Decides from a request body, with the database at hand, whether a call needs step-up. */
export interface StepUpCondition {
  applies(body: unknown): Promise<boolean>;
}

export interface StepUpRequirement {
  /** When given, step-up is needed only if this says so of the request body (a PATCH of some fields). */
  readonly when?: (body: unknown) => boolean;
  /** When given, a provider (resolved from the app) that must also say so. */
  readonly condition?: Type<StepUpCondition>;
  /** When this says so of the body, only a code sent with the call counts, not a recent proof. */
  readonly fresh?: (body: unknown) => boolean;
}

/** "Sudo mode": the route needs a recent MFA proof of the caller, or one in `x-2fa-code`. */
export const RequireStepUp = (requirement: StepUpRequirement = {}) =>
  applyDecorators(
    SetMetadata(STEP_UP, requirement),
    ApiStepUpProblem(),
    ApiHeader({
      name: 'x-2fa-code',
      required: false,
      description:
        "The caller's current TOTP code (or password): needed when no MFA proof is recent",
    }),
    ApiHeader({
      name: 'x-2fa-method',
      required: false,
      enum: ['totp', 'password'],
      description: 'What x-2fa-code holds: totp (the default when MFA is on) or password',
    }),
  );

/** True when a JSON object body has one of these properties (names compared case-insensitively). */
export function bodyHasAny(...names: string[]): (body: unknown) => boolean {
  const wanted = new Set(names.map(asciiLower));
  return (body) =>
    typeof body === 'object' &&
    body !== null &&
    Object.keys(body).some((k) => wanted.has(asciiLower(k)));
}

/** Counts the route in the per-address sign-in limit (SIGNIN_RATE_LIMIT). */
export const SignInRateLimited = () => SetMetadata(SIGN_IN_RATE_LIMITED, true);

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): Principal =>
    principalOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);

export const CurrentRequest = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): RequestContext =>
    requestContext(ctx.switchToHttp().getRequest<FastifyRequest>()),
);
