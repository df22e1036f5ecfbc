import { SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { fromDbTime, Sql, splitList } from '../database/sql';
import { AccountFields } from './account-response';

/**
 * What GET ManagedAccount/{id} shows, as columns of a query where `t` is the account: prefixed
 * (`t_`), so that it can be a part of another query's row (the session check's, below).
 */
export function accountViewColumns(sql: Sql): string {
  return `t.id AS t_id, t.user_name AS t_user_name, t.display_name AS t_display_name,
    t.email AS t_email, t.is_active AS t_is_active, t.mfa_enrolled_at AS t_mfa_enrolled_at,
    t.locked_until AS t_locked_until, t.created_at AS t_created_at,
    (SELECT ${sql.list('ar.role_name')} FROM account_roles ar
      WHERE ar.account_id = t.id) AS t_roles`;
}

/** The columns of `accountViewColumns`; all null when no account matched a LEFT JOIN. */
export interface AccountViewRow {
  t_id: string | null;
  t_user_name: string;
  t_display_name: string;
  t_email: string;
  t_is_active: boolean | number;
  t_mfa_enrolled_at: string | Date | null;
  t_locked_until: string | Date | null;
  t_created_at: string | Date;
  t_roles: string | null;
}

export function accountViewOf(row: AccountViewRow): AccountFields | null {
  if (row.t_id === null) return null;
  return {
    id: row.t_id,
    userName: row.t_user_name,
    displayName: row.t_display_name,
    email: row.t_email,
    isActive: Boolean(row.t_is_active),
    mfaEnrolledAt: fromDbTime(row.t_mfa_enrolled_at),
    lockedUntil: fromDbTime(row.t_locked_until),
    createdAt: fromDbTime(row.t_created_at)!,
    roles: splitList(row.t_roles).map((name) => ({ name })),
  };
}

export const ACCOUNT_READ_WITH_SESSION = 'accounts:read-with-session';

/**
 * The account named by the path parameter `param` is read in the session check's own statement
 * (one database round trip for the whole request instead of two). Only the read is moved: every
 * check of the token, the session and the permission runs as before, and the row read is used
 * only once they have all passed. A call with an API key reads the account itself, as before.
 */
export const ReadAccountWithSession = (param: string) =>
  SetMetadata(ACCOUNT_READ_WITH_SESSION, param);

/** The account read with the session: undefined until read, null when there is none. */
export interface AccountReadWithSession {
  readonly accountId: string;
  account?: AccountFields | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    accountReadWithSession?: AccountReadWithSession;
  }
}

/**
 * The account with this id as the session check read it (null: it does not exist), or undefined
 * when the check did not read it (an API key, or another id): then the caller reads it.
 */
export function accountReadWithSession(
  req: FastifyRequest,
  id: string,
): AccountFields | null | undefined {
  const read = req.accountReadWithSession;
  return read !== undefined && read.accountId === id ? read.account : undefined;
}
