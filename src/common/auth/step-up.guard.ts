import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { StepUpService } from '../../mfa/step-up.service';
import { headerOf, requestContext } from '../http/request-context';
import { STEP_UP, StepUpRequirement } from './auth.decorators';
import { principalOf } from './principal';

/** After the permission guard: 401, then 403, then 400 totp-required/totp-invalid. */
@Injectable()
export class StepUpGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly stepUp: StepUpService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<StepUpRequirement | undefined>(STEP_UP, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (requirement === undefined) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (requirement.when && !requirement.when(req.body)) return true;
    await this.stepUp.demand(
      principalOf(req),
      { code: headerOf(req, 'x-2fa-code'), method: headerOf(req, 'x-2fa-method') },
      requestContext(req),
    );
    return true;
  }
}
