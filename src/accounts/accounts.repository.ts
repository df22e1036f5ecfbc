import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { asciiLower } from '../common/ascii';
import { Sql } from '../database/sql';
import { Role } from '../roles/entities/role.entity';
import { AccountFields } from './account-response';
import { AccountViewRow, accountViewColumns, accountViewOf } from './account-view';
import { Account } from './entities/account.entity';

export interface MfaSecrets {
  readonly mfaSecret: string | null;
  readonly mfaPendingSecret: string | null;
}

export interface SecretsRow extends MfaSecrets {
  readonly id: string;
}

/** Clears the secret, the pending enrolment and the last step; the failures counted against the old factor, and so a lock-out, go with it. */
const CLEAR_MFA = `UPDATE accounts SET mfa_secret = NULL, mfa_pending_secret = NULL,
  mfa_enrolled_at = NULL, last_totp_step = NULL, failed_attempts = 0, locked_until = NULL,
  security_stamp = ?, updated_at = ?, enrollment_code_hash = ?, enrollment_code_expires_at = ?,
  enrollment_code_required = ? WHERE id = ?`;

/** The columns a search matches, lower-cased (user names are stored lower-cased already). */
const SEARCH = `(a.user_name_normalized LIKE :p ESCAPE '\\' OR LOWER(a.display_name) LIKE :p ESCAPE '\\'
  OR LOWER(a.email) LIKE :p ESCAPE '\\')`;

@Injectable()
export class AccountsRepository {
  private readonly viewQuery: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: Sql,
  ) {
    this.viewQuery = `SELECT ${accountViewColumns(sql)} FROM accounts t WHERE t.id = ?`;
  }

  /**
   * What GET ManagedAccount/{id} shows, in one prepared query (a hot read; a call with a bearer
   * token has it read with its session instead, see account-view.ts).
   */
  async findView(id: string): Promise<AccountFields | null> {
    const [row] = await this.sql.rows<AccountViewRow>(undefined, this.viewQuery, [id]);
    return row === undefined ? null : accountViewOf(row);
  }

  private repo(manager?: EntityManager) {
    return (manager ?? this.dataSource.manager).getRepository(Account);
  }

  findById(id: string, manager?: EntityManager): Promise<Account | null> {
    return this.repo(manager).findOne({ where: { id }, relations: { roles: true } });
  }

  findByUserName(userName: string, manager?: EntityManager): Promise<Account | null> {
    return this.repo(manager).findOne({
      where: { userNameNormalized: asciiLower(userName) },
      relations: { roles: true },
    });
  }

  count(manager?: EntityManager): Promise<number> {
    return this.repo(manager).count();
  }

  /** A page of accounts ordered by user name, matching `search` (lower-case) as a substring. */
  page(search: string | undefined, skip: number, take: number): Promise<[Account[], number]> {
    const builder = this.repo()
      .createQueryBuilder('a')
      .leftJoinAndSelect('a.roles', 'r')
      .orderBy('a.userNameNormalized', 'ASC')
      .skip(skip)
      .take(take);
    if (search !== undefined && search !== '') {
      builder.where(SEARCH, { p: `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    }
    return builder.getManyAndCount();
  }

  /**
   * Row locks, in id order, held to the end of the transaction: concurrent changes of one account
   * then read each other's result instead of the same old state.
   */
  async lockForUpdate(
    manager: EntityManager,
    which: { ids: readonly string[] } | { userName: string },
  ): Promise<void> {
    if ('ids' in which) {
      await this.sql.lockRows(
        manager,
        `SELECT id FROM accounts WHERE id IN (${which.ids.map(() => '?').join(', ')}) ORDER BY id`,
        which.ids,
      );
    } else {
      await this.sql.lockRows(manager, 'SELECT id FROM accounts WHERE user_name_normalized = ?', [
        asciiLower(which.userName),
      ]);
    }
  }

  /** The account with its password hash, for the first factor only. */
  findForPasswordCheck(userName: string): Promise<Account | null> {
    return this.repo()
      .createQueryBuilder('a')
      .addSelect('a.passwordHash')
      .where('a.userNameNormalized = :name', { name: asciiLower(userName) })
      .getOne();
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const row = await this.repo()
      .createQueryBuilder('a')
      .select(['a.id', 'a.passwordHash'])
      .where('a.id = :id', { id })
      .getOne();
    return row?.passwordHash ?? null;
  }

  async mfaSecretsOf(id: string, manager?: EntityManager): Promise<MfaSecrets | null> {
    const row = await this.repo(manager)
      .createQueryBuilder('a')
      .select(['a.id', 'a.mfaSecret', 'a.mfaPendingSecret'])
      .where('a.id = :id', { id })
      .getOne();
    return row ? { mfaSecret: row.mfaSecret, mfaPendingSecret: row.mfaPendingSecret } : null;
  }

  /**
   * Accounts after `afterId` (in id order) with a secret, enrolled or pending, that does not start
   * with `prefix` (the current key's): what a re-wrap after a key rotation has left to do.
   */
  secretsNotUnder(prefix: string, afterId: string, limit: number): Promise<SecretsRow[]> {
    const other = (column: string) =>
      `(${column} IS NOT NULL AND substr(${column}, 1, ${prefix.length}) <> ?)`;
    return this.sql.rows<SecretsRow>(
      undefined,
      `SELECT id, mfa_secret AS "mfaSecret", mfa_pending_secret AS "mfaPendingSecret"
        FROM accounts WHERE id > ? AND (${other('mfa_secret')} OR ${other('mfa_pending_secret')})
        ORDER BY id LIMIT ?`,
      [afterId, prefix, prefix, limit],
      { prepare: false },
    );
  }

  /**
   * Replaces a stored secret only if it is still the value read (compare-and-set): a re-wrap
   * never overwrites an enrolment or reset that happened meanwhile, here or on another instance.
   */
  async replaceSecret(
    manager: EntityManager,
    id: string,
    column: 'mfa_secret' | 'mfa_pending_secret',
    expected: string,
    next: string,
  ): Promise<boolean> {
    const sql = `UPDATE accounts SET ${column} = ? WHERE id = ? AND ${column} = ?`;
    return (await this.sql.run(manager, sql, [next, id, expected])) === 1;
  }

  /** A new account with its roles; a taken user name fails on the unique index. */
  async insert(manager: EntityManager, account: Account): Promise<void> {
    await manager.save(Account, account);
  }

  async update(manager: EntityManager, id: string, changes: Partial<Account>): Promise<void> {
    await manager.update(Account, { id }, changes);
  }

  async replaceRoles(
    manager: EntityManager,
    id: string,
    roles: readonly Role[],
    previous: readonly Role[],
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .relation(Account, 'roles')
      .of(id)
      .addAndRemove([...roles], [...previous]);
  }

  /** Starts (or restarts) an enrolment with this encrypted secret. */
  async setPendingSecret(
    manager: EntityManager,
    id: string,
    secret: string,
    now: Date,
  ): Promise<void> {
    await manager.update(Account, { id }, { mfaPendingSecret: secret, updatedAt: now });
  }

  /** Turns MFA on with the pending secret, unless it is on already; answers whether it did. */
  async enableMfa(
    manager: EntityManager,
    id: string,
    values: { secret: string; stamp: string; now: Date },
  ): Promise<boolean> {
    const changed = await this.sql.run(
      manager,
      `UPDATE accounts SET mfa_secret = ?, mfa_pending_secret = NULL, mfa_enrolled_at = ?,
        security_stamp = ?, updated_at = ?, enrollment_code_required = false,
        enrollment_code_hash = NULL, enrollment_code_expires_at = NULL
        WHERE id = ? AND mfa_enrolled_at IS NULL`,
      [values.secret, this.sql.time(values.now), values.stamp, this.sql.time(values.now), id],
    );
    return changed === 1;
  }

  /**
   * MFA off: secret, pending enrolment and lock-out gone, a new security stamp; and the one-time
   * code enrolling again then needs (its keyed hash), or none.
   */
  async clearMfa(
    manager: EntityManager,
    id: string,
    stamp: string,
    now: Date,
    enrollmentCode: { readonly hash: string; readonly expiresAt: Date } | null = null,
  ): Promise<void> {
    await this.sql.run(manager, CLEAR_MFA, [
      stamp,
      this.sql.time(now),
      enrollmentCode?.hash ?? null,
      enrollmentCode === null ? null : this.sql.time(enrollmentCode.expiresAt),
      enrollmentCode !== null,
      id,
    ]);
  }

  /** Whether one of `hashes` is the account's enrolment code, unexpired (nothing is spent). */
  async enrollmentCodeMatches(id: string, hashes: readonly string[], now: Date): Promise<boolean> {
    const rows = await this.sql.rows<{ id: string }>(
      undefined,
      `SELECT id FROM accounts WHERE id = ? AND mfa_enrolled_at IS NULL AND enrollment_code_expires_at > ?
        AND enrollment_code_hash IN (${hashes.map(() => '?').join(', ')})`,
      [id, this.sql.time(now), ...hashes],
      { prepare: false },
    );
    return rows.length === 1;
  }

  /**
   * Spends the account's enrolment code, if one of `hashes` is it and it has not expired: one
   * conditional UPDATE, so a code serves one sign-in only, on any number of instances.
   */
  async spendEnrollmentCode(
    manager: EntityManager,
    id: string,
    hashes: readonly string[],
    now: Date,
  ): Promise<boolean> {
    const changed = await this.sql.run(
      manager,
      `UPDATE accounts SET enrollment_code_hash = NULL, enrollment_code_expires_at = NULL
        WHERE id = ? AND mfa_enrolled_at IS NULL AND enrollment_code_expires_at > ?
          AND enrollment_code_hash IN (${hashes.map(() => '?').join(', ')})`,
      [id, this.sql.time(now), ...hashes],
    );
    return changed === 1;
  }

  /**
   * Spends a TOTP time step: succeeds only if it is later than the last step accepted and the
   * account is not locked, as one conditional UPDATE, so two requests with one code cannot both
   * pass, on any number of instances. A success also clears the failure count.
   */
  async spendTotpStep(
    manager: EntityManager,
    id: string,
    step: number,
    now: Date,
  ): Promise<boolean> {
    const changed = await this.sql.run(
      manager,
      `UPDATE accounts SET last_totp_step = ?, failed_attempts = 0 WHERE id = ?
        AND (last_totp_step IS NULL OR last_totp_step < ?)
        AND (locked_until IS NULL OR locked_until <= ?)`,
      [step, id, step, this.sql.time(now)],
    );
    return changed === 1;
  }

  async clearFailures(manager: EntityManager, id: string): Promise<void> {
    await this.sql.run(manager, 'UPDATE accounts SET failed_attempts = 0 WHERE id = ?', [id]);
  }

  /**
   * Counts one failed attempt; at the threshold the account is locked until `lockUntil` and the
   * count starts again. Answers whether this attempt locked it.
   */
  async registerFailure(
    manager: EntityManager,
    id: string,
    threshold: number,
    lockUntil: Date,
    now: Date,
  ): Promise<boolean> {
    // While a lock lasts, failures neither count nor lock again: one lock (and one message to
    // the person) per lock-out, however many codes are tried against it.
    const counted = await this.sql.run(
      manager,
      'UPDATE accounts SET failed_attempts = failed_attempts + 1 WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?)',
      [id, this.sql.time(now)],
    );
    if (counted === 0) return false;
    const locked = await this.sql.run(
      manager,
      'UPDATE accounts SET failed_attempts = 0, locked_until = ? WHERE id = ? AND failed_attempts >= ?',
      [this.sql.time(lockUntil), id, threshold],
    );
    return locked === 1;
  }

  /** Whether the account is locked now (false for an account that does not exist). */
  async isLocked(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const [row] = await this.sql.rows<{ locked: number | boolean }>(
      manager,
      'SELECT 1 AS locked FROM accounts WHERE id = ? AND locked_until > ?',
      [id, this.sql.time(now)],
    );
    return row !== undefined;
  }
}
