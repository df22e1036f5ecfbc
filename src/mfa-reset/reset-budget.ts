import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Permission } from '../common/auth/permission';
import { fromDbTime, splitList, Sql } from '../database/sql';

/** The burst guard's window: a budget counts the accounts reset in the last 10 minutes. */
export const RESET_BUDGET_WINDOW_MS = 10 * 60_000;

/** Names the advisory locks of the budget checks (a space of its own). */
const BUDGET_LOCK_SPACE = 0x72657362;

/** The budget that applies to a caller, and the role it comes from (the metrics' label). */
export interface ResetBudget {
  /** Accounts per window; null: unlimited. */
  readonly limit: number | null;
  readonly role: string;
}

/** A reset the budget refuses: how many the caller has used, and when it may go on. */
export interface BudgetRefusal {
  readonly budget: number;
  readonly used: number;
  readonly requested: number;
  readonly retryAfterSeconds: number;
}

interface UseRow {
  at: string | Date;
  accounts: number;
}

/**
 * The burst guard's count, in the database so that it holds across instances: each caller's
 * resets of the window (one row per call, with the accounts it reset), checked and added under a
 * per-caller lock inside the reset's own transaction.
 */
@Injectable()
export class ResetBudgets {
  constructor(private readonly sql: Sql) {}

  /**
   * A column for a query about the reset (one parameter: the caller's id): the caller's roles
   * that let it reset others, each as `name:budget` (budget empty when unlimited), comma-joined.
   * Read with the reset's targets: no statement of its own.
   */
  budgetColumn(): string {
    return `(SELECT ${this.sql.list("r.name || ':' || COALESCE(CAST(r.reset_budget AS TEXT), '')")}
        FROM account_roles ar JOIN roles r ON r.name = ar.role_name
        WHERE ar.account_id = ? AND (',' || r.permissions || ',') LIKE '%,${Permission.EditOtherUserTotp},%')`;
  }

  /**
   * Counts `accounts` more resets for the caller, or answers why not: the window's count plus
   * these past the budget. Takes the caller's lock to the end of the transaction.
   */
  async spend(
    manager: EntityManager,
    actorId: string,
    budget: number,
    accounts: number,
    now: Date,
  ): Promise<BudgetRefusal | undefined> {
    await this.sql.lockName(manager, BUDGET_LOCK_SPACE, actorId);
    const since = new Date(now.getTime() - RESET_BUDGET_WINDOW_MS);
    const uses = await this.sql.rows<UseRow>(
      manager,
      'SELECT at, accounts FROM reset_uses WHERE actor_id = ? AND at > ? ORDER BY at',
      [actorId, this.sql.time(since)],
    );
    const used = uses.reduce((sum, use) => sum + Number(use.accounts), 0);
    if (used + accounts > budget) {
      return {
        budget,
        used,
        requested: accounts,
        retryAfterSeconds: retryAfter(uses, used, accounts, budget, now),
      };
    }
    await this.sql.run(manager, 'DELETE FROM reset_uses WHERE actor_id = ? AND at <= ?', [
      actorId,
      this.sql.time(since),
    ]);
    await this.sql.run(
      manager,
      'INSERT INTO reset_uses (actor_id, at, accounts) VALUES (?, ?, ?)',
      [actorId, this.sql.time(now), accounts],
    );
    return undefined;
  }
}

/** Seconds until enough of the window's resets have aged out for these to fit (at least 1). */
function retryAfter(
  uses: readonly UseRow[],
  used: number,
  accounts: number,
  budget: number,
  now: Date,
): number {
  // More than the whole budget at once never fits: the caller must split the batch.
  if (accounts > budget) return RESET_BUDGET_WINDOW_MS / 1000;
  let remaining = used;
  for (const use of uses) {
    remaining -= Number(use.accounts);
    if (remaining + accounts <= budget) {
      const at = fromDbTime(use.at) ?? now;
      return Math.max(1, Math.ceil((at.getTime() + RESET_BUDGET_WINDOW_MS - now.getTime()) / 1000));
    }
  }
  return RESET_BUDGET_WINDOW_MS / 1000;
}

/**
 * The caller's budget from `budgetColumn`: the largest of the roles that let it reset others (a
 * role that does not grant `edit-other-user-totp` has no say); unlimited when one of them has
 * none, or when none does (a caller that may reset only itself).
 */
export function budgetFrom(column: string | null): ResetBudget {
  const roles = splitList(column).map((entry) => {
    const at = entry.lastIndexOf(':');
    const budget = entry.slice(at + 1);
    return { name: entry.slice(0, at), limit: budget === '' ? null : Number(budget) };
  });
  roles.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const unlimited = roles.find((r) => r.limit === null);
  if (unlimited !== undefined || roles.length === 0)
    return { limit: null, role: unlimited?.name ?? 'none' };
  const largest = roles.reduce((a, b) => ((b.limit ?? 0) > (a.limit ?? 0) ? b : a));
  return { limit: largest.limit, role: largest.name };
}
