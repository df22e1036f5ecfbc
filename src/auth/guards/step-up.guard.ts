import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { ModuleRef, Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { StepUpService } from '../../mfa/step-up.service';
import { headerOf, requestContext } from '../../common/http/request-context';
import { STEP_UP, StepUpRequirement } from '../../common/auth/auth.decorators';
import { Principal, principalOf } from '../../common/auth/principal';
import { routeMetadata } from '../../common/auth/route-metadata';

/** After the permission guard: 401, then 403, then 400 totp-required/totp-invalid. */
@Injectable()
export class StepUpGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly stepUp: StepUpService,
    private readonly moduleRef: ModuleRef,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const requirement = routeMetadata<StepUpRequirement>(this.reflector, STEP_UP, context);
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    // A retry answered with the first call's answer changes nothing: no proof needed (or spent).
    if (req.idempotent?.replay !== undefined) return true;
    // Most calls: a route without step-up and no code sent. Answered without a promise, which
    // Nest would await on every request.
    if (requirement === undefined && headerOf(req, 'x-2fa-code') === undefined) return true;
    return this.check(requirement, req);
  }

  private async check(
    requirement: StepUpRequirement | undefined,
    req: FastifyRequest,
  ): Promise<boolean> {
    const proof = { code: headerOf(req, 'x-2fa-code'), method: headerOf(req, 'x-2fa-method') };
    const needed =
      requirement !== undefined &&
      (!requirement.when || requirement.when(req.body)) &&
      (!requirement.condition ||
        (await this.moduleRef.get(requirement.condition, { strict: false }).applies(req.body)));
    if (!needed) {
      // docs/api.md: a code sent in x-2fa-code on any call is a proof, checked and spent there too.
      const principal = (req as { user?: Principal }).user;
      if (proof.code === undefined || principal?.tokenKind !== 'access') return true;
      await this.stepUp.demand(principal, proof, requestContext(req));
      return true;
    }
    const fresh = requirement.fresh?.(req.body) ?? false;
    await this.stepUp.demand(principalOf(req), proof, requestContext(req), { fresh });
    return true;
  }
}
