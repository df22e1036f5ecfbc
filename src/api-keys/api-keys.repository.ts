import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { fromDbTime, splitList, Sql } from '../database/sql';

/** An API key as stored: never the key, only its keyed hash and shown prefix. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly prefix: string;
  readonly permissions: string[];
  readonly grants: string[];
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
  readonly lastUsedIp: string | null;
}

/** A key with its owner, roles and permissions: what every call made with a key checks. */
export interface ApiKeyCheck extends ApiKeyRecord {
  readonly userName: string;
  readonly ownerActive: boolean;
  readonly ownerMfaEnabled: boolean;
  readonly ownerLockedUntil: Date | null;
  readonly ownerRoles: string[];
  /** Every permission of every role of the owner (possibly repeated, possibly unknown names). */
  readonly ownerPermissions: string[];
  /** False once the owner's security stamp has changed since the key was made. */
  readonly stampCurrent: boolean;
}

export interface NewApiKey {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly prefix: string;
  readonly permissions: readonly string[];
  readonly grants: readonly string[];
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

interface ApiKeyRow {
  id: string;
  account_id: string;
  name: string;
  prefix: string;
  permissions: string;
  grants: string;
  created_at: string | Date;
  expires_at: string | Date;
  revoked_at: string | Date | null;
  last_used_at: string | Date | null;
  last_used_ip: string | null;
}

/** A key as lists show it: with what decides whether it still works, besides its dates. */
export interface ListedApiKey extends ApiKeyRecord {
  readonly userName: string;
  readonly ownerActive: boolean;
  readonly stampCurrent: boolean;
}

interface ListedRow extends ApiKeyRow {
  user_name: string;
  is_active: boolean | number;
  key_stamp: string;
  account_stamp: string;
}

interface ApiKeyCheckRow extends ApiKeyRow {
  user_name: string;
  key_stamp: string;
  account_stamp: string;
  is_active: boolean | number;
  mfa_enrolled_at: string | Date | null;
  locked_until: string | Date | null;
  roles: string | null;
  owner_permissions: string | null;
}

const COLUMNS = `k.id, k.account_id, k.name, k.prefix, k.permissions, k.grants, k.created_at,
  k.expires_at, k.revoked_at, k.last_used_at, k.last_used_ip`;

function recordOf(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    prefix: row.prefix,
    permissions: splitList(row.permissions),
    grants: splitList(row.grants),
    createdAt: fromDbTime(row.created_at)!,
    expiresAt: fromDbTime(row.expires_at)!,
    revokedAt: fromDbTime(row.revoked_at),
    lastUsedAt: fromDbTime(row.last_used_at),
    lastUsedIp: row.last_used_ip,
  };
}

@Injectable()
export class ApiKeysRepository {
  private readonly checkQuery: string;

  constructor(private readonly sql: Sql) {
    this.checkQuery = `SELECT ${COLUMNS}, a.user_name, a.is_active, a.mfa_enrolled_at,
        a.locked_until, k.security_stamp AS key_stamp, a.security_stamp AS account_stamp,
        (SELECT ${sql.list('ar.role_name')} FROM account_roles ar
          WHERE ar.account_id = a.id) AS roles,
        (SELECT ${sql.list('r.permissions')} FROM account_roles ar
          JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id) AS owner_permissions
      FROM api_keys k JOIN accounts a ON a.id = k.account_id
      WHERE k.key_hash IN (?, ?)`;
  }

  /**
   * The key whose hash is one of these (current key's first, then a previous one's), with its
   * owner: one query, on the path of every call made with a key.
   */
  async findForCheck(hashes: readonly string[]): Promise<ApiKeyCheck | null> {
    const [first, second = first] = hashes;
    const rows = await this.sql.rows<ApiKeyCheckRow>(undefined, this.checkQuery, [first, second]);
    const row = rows[0];
    if (row === undefined) return null;
    return {
      ...recordOf(row),
      userName: row.user_name,
      ownerActive: Boolean(row.is_active),
      ownerMfaEnabled: row.mfa_enrolled_at !== null,
      ownerLockedUntil: fromDbTime(row.locked_until),
      ownerRoles: splitList(row.roles).sort(),
      ownerPermissions: splitList(row.owner_permissions),
      stampCurrent: row.key_stamp === row.account_stamp,
    };
  }

  /**
   * The key, bound to its owner's security stamp, only while that is still the stamp of the
   * session creating it: a key asked for just before a password set or an MFA reset, and written
   * after it, is not made (false).
   */
  async insert(
    manager: EntityManager,
    key: NewApiKey,
    keyHash: string,
    sessionId: string,
  ): Promise<boolean> {
    // RETURNING tells on both databases whether the row was made (an INSERT's count is not
    // answered by TypeORM on PostgreSQL).
    const made = await this.sql.rows<{ id: string }>(
      manager,
      `INSERT INTO api_keys (id, account_id, name, prefix, key_hash, permissions, grants,
        created_at, expires_at, security_stamp)
        SELECT ?, a.id, ?, ?, ?, ?, ?, ?, ?, a.security_stamp
        FROM accounts a JOIN sessions s ON s.account_id = a.id
        WHERE a.id = ? AND s.id = ? AND s.security_stamp = a.security_stamp
          AND s.revoked_at IS NULL AND a.is_active = ?
        RETURNING id`,
      [
        key.id,
        key.name,
        key.prefix,
        keyHash,
        key.permissions.join(','),
        key.grants.join(','),
        this.sql.time(key.createdAt),
        this.sql.time(key.expiresAt),
        key.accountId,
        sessionId,
        true,
      ],
    );
    return made.length === 1;
  }

  /** Keys newest first: one account's, or every account's. */
  async list(accountId: string | undefined): Promise<ListedApiKey[]> {
    const rows = await this.sql.rows<ListedRow>(
      undefined,
      `SELECT ${COLUMNS}, a.user_name, a.is_active,
        k.security_stamp AS key_stamp, a.security_stamp AS account_stamp
        FROM api_keys k JOIN accounts a ON a.id = k.account_id
        ${accountId === undefined ? '' : 'WHERE k.account_id = ?'}
        ORDER BY k.created_at DESC, k.id`,
      accountId === undefined ? [] : [accountId],
      { prepare: false },
    );
    return rows.map((row) => ({
      ...recordOf(row),
      userName: row.user_name,
      ownerActive: Boolean(row.is_active),
      stampCurrent: row.key_stamp === row.account_stamp,
    }));
  }

  async find(manager: EntityManager, id: string): Promise<ApiKeyRecord | null> {
    const rows = await this.sql.rows<ApiKeyRow>(
      manager,
      `SELECT ${COLUMNS} FROM api_keys k WHERE k.id = ?`,
      [id],
    );
    return rows[0] === undefined ? null : recordOf(rows[0]);
  }

  async revoke(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const changed = await this.sql.run(
      manager,
      'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
      [this.sql.time(now), id],
    );
    return changed === 1;
  }

  async markUsed(manager: EntityManager, id: string, now: Date, ip: string | null): Promise<void> {
    await this.sql.run(
      manager,
      'UPDATE api_keys SET last_used_at = ?, last_used_ip = ? WHERE id = ?',
      [this.sql.time(now), ip, id],
    );
  }
}
