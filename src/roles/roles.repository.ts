import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Permission } from '../common/auth/permission';
import { Sql } from '../database/sql';
import { Role } from './entities/role.entity';

/** Any constant distinct from the audit chain's; names the lock below. */
const PERMISSION_CHANGES_LOCK_KEY = 0x726f6c;

@Injectable()
export class RolesRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: Sql,
  ) {}

  all(manager?: EntityManager): Promise<Role[]> {
    return (manager ?? this.dataSource.manager)
      .getRepository(Role)
      .find({ order: { name: 'ASC' } });
  }

  findByNames(names: readonly string[], manager?: EntityManager): Promise<Role[]> {
    return (manager ?? this.dataSource.manager)
      .getRepository(Role)
      .find({ where: { name: In([...names]) } });
  }

  async setPermissions(
    manager: EntityManager,
    name: string,
    permissions: readonly Permission[],
    resetBudget: number | null,
    now: Date,
  ): Promise<void> {
    await manager.update(
      Role,
      { name },
      { permissions: [...permissions], resetBudget, updatedAt: now },
    );
  }

  /**
   * Serialises changes that could take the last role manager away (role permissions, account
   * roles or activity), so two concurrent demotions cannot each count on the other.
   */
  lockPermissionChanges(manager: EntityManager): Promise<void> {
    return this.sql.lock(manager, PERMISSION_CHANGES_LOCK_KEY);
  }

  /** Active accounts that hold, through any role, the given permission. */
  async countActiveHolders(manager: EntityManager, permission: Permission): Promise<number> {
    const roles = (await this.all(manager))
      .filter((r) => r.permissions.includes(permission))
      .map((r) => r.name);
    if (roles.length === 0) return 0;
    const [row] = await this.sql.rows<{ n: number | string }>(
      manager,
      `SELECT count(DISTINCT a.id) AS n FROM accounts a
        JOIN account_roles ar ON ar.account_id = a.id
        WHERE a.is_active = ? AND ar.role_name IN (${roles.map(() => '?').join(', ')})`,
      [true, ...roles],
      { prepare: false },
    );
    return Number(row.n);
  }
}
