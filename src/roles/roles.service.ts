import { Injectable } from '@nestjs/common';
import { AuditAction } from '../audit/audit-action';
import { AuditService, partyOf } from '../audit/audit.service';
import { Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { TransactionRunner } from '../database/transaction-runner';
import { RoleResponse } from './dto/role.dto';
import { Role } from './entities/role.entity';
import { ALL_PERMISSIONS, Permission, permissionsLacking } from './permission';
import { RolesRepository } from './roles.repository';

export function toRoleResponse(role: Role): RoleResponse {
  return { name: role.name, permissions: [...role.permissions].sort(), builtIn: role.builtIn };
}

@Injectable()
export class RolesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly runner: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<RoleResponse[]> {
    return (await this.roles.all()).map(toRoleResponse);
  }

  /** Takes effect on the next request of every holder: permissions are read with each session. */
  async update(
    name: string,
    permissions: readonly string[],
    actor: Principal,
    context: RequestContext,
  ): Promise<RoleResponse> {
    const wanted = ALL_PERMISSIONS.filter((p) => permissions.includes(p));
    const outcome = await this.runner.run(async (m): Promise<RoleResponse | Permission[]> => {
      await this.roles.lockPermissionChanges(m);
      const [role] = await this.roles.findByNames([name], m);
      if (!role) throw new DomainError(ErrorCode.RoleNotFound);
      const before = [...role.permissions].sort();
      // Nobody grants a permission they lack (a HelpDesk given manage-roles cannot make itself Admin).
      const lacking = permissionsLacking(
        actor.permissions,
        wanted.filter((p) => !before.includes(p)),
      );
      if (lacking.length > 0) {
        await this.audit.append(m, {
          action: AuditAction.RoleUpdated,
          outcome: 'denied',
          actor: partyOf(actor),
          context,
          details: { role: role.name, reason: 'grants a permission the caller lacks', lacking },
        });
        return lacking;
      }
      await m.update(
        Role,
        { name: role.name },
        { permissions: wanted, updatedAt: this.clock.now() },
      );
      if ((await this.roles.countActiveHolders(m, Permission.ManageRoles)) === 0) {
        throw new DomainError(ErrorCode.LastRoleManager);
      }
      await this.audit.append(m, {
        action: AuditAction.RoleUpdated,
        outcome: 'success',
        actor: partyOf(actor),
        context,
        details: { role: role.name, before, after: [...wanted].sort() },
      });
      return toRoleResponse({ ...role, permissions: wanted });
    });
    if (Array.isArray(outcome)) throw new DomainError(ErrorCode.TargetNotAllowed);
    return outcome;
  }
}
