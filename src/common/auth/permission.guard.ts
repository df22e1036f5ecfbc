import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../problem/domain-error';
import { PermissionRequirement, REQUIRED_PERMISSION } from './auth.decorators';
import { principalOf } from './principal';

/** Decided from the permissions read with the session, before any target is loaded (403 before 404). */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const requirement = this.reflector.getAllAndOverride<PermissionRequirement | undefined>(
      REQUIRED_PERMISSION,
      [context.getHandler(), context.getClass()],
    );
    if (requirement === undefined) return true;
    const principal = principalOf(context.switchToHttp().getRequest<FastifyRequest>());
    if (!principal.permissions.has(requirement.permission)) {
      throw new DomainError(ErrorCode.PermissionDenied, requirement.detail);
    }
    return true;
  }
}
