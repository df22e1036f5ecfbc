import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { asciiLower } from '../common/ascii';
import { Sql } from '../database/sql';

/** An account to reset, as one query loads it. */
export interface ResetTarget {
  readonly id: string;
  readonly userName: string;
  readonly mfaEnabled: boolean;
  /** Every permission its roles grant. */
  readonly permissions: readonly string[];
}

interface ResetTargetRow {
  id: string;
  user_name: string;
  mfa_enrolled_at: string | Date | null;
  permissions: string | null;
}

/** The accounts a reset names, with what the reset needs to decide, in one query. */
@Injectable()
export class ResetTargetsRepository {
  private readonly select: string;

  constructor(private readonly sql: Sql) {
    this.select = `SELECT a.id, a.user_name, a.mfa_enrolled_at,
        (SELECT ${sql.list('r.permissions')} FROM account_roles ar
          JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id) AS permissions
      FROM accounts a WHERE`;
  }

  /** The accounts found (by id, or the one by user name); a missing one is simply absent. */
  async find(
    manager: EntityManager,
    which: { ids: readonly string[] } | { userName: string },
  ): Promise<ResetTarget[]> {
    const rows =
      'userName' in which
        ? await this.sql.rows<ResetTargetRow>(
            manager,
            `${this.select} a.user_name_normalized = ?`,
            [asciiLower(which.userName)],
          )
        : await this.sql.rows<ResetTargetRow>(
            manager,
            `${this.select} a.id IN (${which.ids.map(() => '?').join(', ')})`,
            which.ids,
            // One account: a statement prepared once. A batch: its own list, not worth keeping.
            { prepare: which.ids.length === 1 },
          );
    return rows.map((row) => ({
      id: row.id,
      userName: row.user_name,
      mfaEnabled: row.mfa_enrolled_at !== null,
      permissions: (row.permissions ?? '').split(',').filter((p) => p !== ''),
    }));
  }
}
