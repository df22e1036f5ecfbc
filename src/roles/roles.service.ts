import { Injectable } from '@nestjs/common';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { partyOf, Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { WriteQueue } from '../database/write-queue';
import { RoleResponse } from './dto/role.dto';
import { Role } from './entities/role.entity';
import { ALL_PERMISSIONS, Permission, permissionsLacking } from '../common/auth/permission';
import { RolesRepository } from './roles.repository';

export function toRoleResponse(role: Role): RoleResponse {
  return {
    name: role.name,
    permissions: [...role.permissions].sort(),
    builtIn: role.builtIn,
    resetBudget: role.resetBudget ?? null,
  };
}

/** The role that always grants every permission, so that someone can always manage the rest. */
const ADMIN_ROLE = 'Admin';

@Injectable()
export class RolesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly writes: WriteQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<RoleResponse[]> {
    return (await this.roles.all()).map(toRoleResponse);
  }

  /**
   * Takes effect on the next request of every holder: permissions are read with each session.
   * Refusals, in order: 404 unknown role; 403 when the change adds or removes a permission the
   * caller lacks (nobody strips what they could not grant back); 409 when it would take a
   * permission from Admin, or leave nobody able to manage roles. Each is audited.
   */
  async update(
    name: string,
    permissions: readonly string[],
    resetBudget: number | null | undefined,
    actor: Principal,
    context: RequestContext,
  ): Promise<RoleResponse> {
    const wanted = ALL_PERMISSIONS.filter((p) => permissions.includes(p));
    const refused = (error: DomainError, details: Record<string, unknown>) =>
      error.audited({
        action: AuditAction.RoleUpdated,
        details: { role: name.slice(0, 64), ...details },
      });
    return this.writes.run(async (m): Promise<RoleResponse> => {
      await this.roles.lockPermissionChanges(m);
      const [role] = await this.roles.findByNames([name], m);
      if (!role) throw refused(new DomainError(ErrorCode.RoleNotFound), { reason: 'unknown role' });
      const before = [...role.permissions].sort();
      const changed = ALL_PERMISSIONS.filter((p) => before.includes(p) !== wanted.includes(p));
      const lacking = permissionsLacking(actor.permissions, changed);
      if (lacking.length > 0) {
        throw refused(new DomainError(ErrorCode.TargetNotAllowed), {
          reason: 'changes a permission the caller lacks',
          lacking,
        });
      }
      if (role.name === ADMIN_ROLE && wanted.length !== ALL_PERMISSIONS.length) {
        throw refused(new DomainError(ErrorCode.AdminRoleFixed), {
          reason: 'Admin keeps every permission',
          removed: ALL_PERMISSIONS.filter((p) => !wanted.includes(p)),
        });
      }
      const budget = resetBudget === undefined ? (role.resetBudget ?? null) : resetBudget;
      await this.roles.setPermissions(m, role.name, wanted, budget, this.clock.now());
      if ((await this.roles.countActiveHolders(m, Permission.ManageRoles)) === 0) {
        throw refused(new DomainError(ErrorCode.LastRoleManager), {
          reason: 'nobody would be left able to manage roles',
        });
      }
      await this.audit.append(m, {
        action: AuditAction.RoleUpdated,
        outcome: 'success',
        actor: partyOf(actor),
        context,
        details: {
          role: role.name,
          before,
          after: [...wanted].sort(),
          ...(budget === (role.resetBudget ?? null)
            ? {}
            : { resetBudget: { before: role.resetBudget ?? null, after: budget } }),
        },
      });
      return toRoleResponse({ ...role, permissions: wanted, resetBudget: budget });
    });
  }
}
