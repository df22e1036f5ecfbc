import { Injectable } from '@nestjs/common';
import { memberOf } from '../common/ascii';
import type { StepUpCondition } from '../common/auth/auth.decorators';
import { RolesRepository } from '../roles/roles.repository';

/**
 * Step-up for creating an account whose roles grant any permission: a stale token must not plant
 * an administrator. Roles as the body names them (`User` when it names none); a body the
 * validation will refuse needs no proof first.
 */
@Injectable()
export class GrantsAnyPermission implements StepUpCondition {
  constructor(private readonly roles: RolesRepository) {}

  async applies(body: unknown): Promise<boolean> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
    const roles = memberOf(body, 'roles');
    const names: unknown = roles === undefined ? ['User'] : roles;
    if (!Array.isArray(names) || !names.every((n): n is string => typeof n === 'string')) {
      return false;
    }
    const found = await this.roles.findByNames(names.slice(0, 20));
    return found.some((role) => role.permissions.length > 0);
  }
}
