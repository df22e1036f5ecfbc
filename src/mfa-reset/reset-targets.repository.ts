import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { asciiLower } from '../common/ascii';
import { splitList, Sql } from '../database/sql';
import { keptSession, openSessionsColumn } from '../sessions/sessions.repository';
import { budgetFrom, ResetBudget, ResetBudgets } from './reset-budget';

/** An account to reset, as one query loads it. */
export interface ResetTarget {
  readonly id: string;
  readonly userName: string;
  readonly mfaEnabled: boolean;
  /** Every permission its roles grant. */
  readonly permissions: readonly string[];
  /** Its sessions the reset ends (every open one but the caller's own), counted in the reset's transaction. */
  readonly openSessions: number;
}

interface ResetTargetRow {
  id: string;
  user_name: string;
  mfa_enrolled_at: string | Date | null;
  permissions: string | null;
  open_sessions: number | string;
  actor_budgets: string | null;
}

/** The accounts a reset names, with what the reset needs to decide, in one query. */
@Injectable()
export class ResetTargetsRepository {
  private readonly select: string;

  constructor(
    private readonly sql: Sql,
    budgets: ResetBudgets,
  ) {
    this.select = `SELECT a.id, a.user_name, a.mfa_enrolled_at,
        (SELECT ${sql.list('r.permissions')} FROM account_roles ar
          JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id) AS permissions,
        ${openSessionsColumn('a')} AS open_sessions,
        ${budgets.budgetColumn()} AS actor_budgets
      FROM accounts a WHERE`;
  }

  /**
   * The accounts found (by id, or the one by user name; a missing one is simply absent), with
   * their sessions open at `now` but the caller's own, and the caller's reset budget, read with
   * them.
   */
  async find(
    manager: EntityManager,
    which: { ids: readonly string[] } | { userName: string },
    actor: { readonly accountId: string; readonly sessionId: string | null },
    now: Date,
  ): Promise<{ targets: ResetTarget[]; budget: ResetBudget }> {
    const columns = [this.sql.time(now), keptSession(actor.sessionId), actor.accountId];
    const rows =
      'userName' in which
        ? await this.sql.rows<ResetTargetRow>(
            manager,
            `${this.select} a.user_name_normalized = ?`,
            [...columns, asciiLower(which.userName)],
          )
        : await this.sql.rows<ResetTargetRow>(
            manager,
            `${this.select} a.id IN (${which.ids.map(() => '?').join(', ')})`,
            [...columns, ...which.ids],
            // One account: a statement prepared once. A batch: its own list, not worth keeping.
            { prepare: which.ids.length === 1 },
          );
    return {
      targets: rows.map((row) => ({
        id: row.id,
        userName: row.user_name,
        mfaEnabled: row.mfa_enrolled_at !== null,
        permissions: splitList(row.permissions),
        openSessions: Number(row.open_sessions),
      })),
      budget: budgetFrom(rows[0]?.actor_budgets ?? null),
    };
  }
}
