import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuditAction } from '../../audit/audit-action';
import { DomainError, ErrorCode } from '../../common/problem/domain-error';
import { PermissionRequirement, REQUIRED_PERMISSION } from '../../common/auth/auth.decorators';
import { principalOf } from '../../common/auth/principal';
import { routeMetadata } from '../../common/auth/route-metadata';

/**
 * Decided from the permissions read with the session, before any target is loaded (403 before
 * 404). Each refusal is audited: who tried which route without which permission.
 */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const requirement = routeMetadata<PermissionRequirement>(
      this.reflector,
      REQUIRED_PERMISSION,
      context,
    );
    if (requirement === undefined) return true;
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const principal = principalOf(req);
    if (!principal.permissions.has(requirement.permission)) {
      throw new DomainError(ErrorCode.PermissionDenied, requirement.detail).audited({
        action: AuditAction.AccessDenied,
        details: {
          method: req.method,
          route: req.routeOptions.url,
          permission: requirement.permission,
        },
      });
    }
    return true;
  }
}
