import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { Account } from '../accounts/entities/account.entity';
import { Permission } from '../common/auth/permission';
import { Role } from './entities/role.entity';

/** Any constant distinct from the audit chain's; names the advisory lock below. */
const PERMISSION_CHANGES_LOCK_KEY = 0x726f6c;

@Injectable()
export class RolesRepository {
  constructor(private readonly dataSource: DataSource) {}

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

  /**
   * Serialises changes that could take the last role manager away (role permissions, account
   * roles or activity), so two concurrent demotions cannot each count on the other. SQLite's
   * writes are serialised already.
   */
  async lockPermissionChanges(manager: EntityManager): Promise<void> {
    if (manager.connection.options.type === 'postgres') {
      await manager.query('SELECT pg_advisory_xact_lock($1)', [PERMISSION_CHANGES_LOCK_KEY]);
    }
  }

  /** Active accounts that hold, through any role, the given permission. */
  async countActiveHolders(manager: EntityManager, permission: Permission): Promise<number> {
    const roles = (await this.all(manager))
      .filter((r) => r.permissions.includes(permission))
      .map((r) => r.name);
    if (roles.length === 0) return 0;
    return manager
      .getRepository(Account)
      .createQueryBuilder('a')
      .innerJoin('a.roles', 'r')
      .where('a.isActive = :active', { active: true })
      .andWhere('r.name IN (:...roles)', { roles })
      .select('a.id')
      .distinct(true)
      .getCount();
  }
}
