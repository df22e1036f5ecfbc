import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { dbTime, fromDbTime } from '../database/db-time';
import { PreparedSql } from '../database/prepared-sql';
import { AccountFields } from './account-response';
import { Account } from './entities/account.entity';
import { asciiLower } from '../common/ascii';

export interface MfaSecrets {
  readonly mfaSecret: string | null;
  readonly mfaPendingSecret: string | null;
}

interface AccountViewRow {
  id: string;
  user_name: string;
  display_name: string;
  email: string;
  is_active: boolean | number;
  mfa_enrolled_at: string | Date | null;
  locked_until: string | Date | null;
  created_at: string | Date;
  roles: string | null;
}

@Injectable()
export class AccountsRepository {
  private readonly viewQuery: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: PreparedSql,
  ) {
    const list = dataSource.options.type === 'postgres' ? 'string_agg' : 'group_concat';
    this.viewQuery = `SELECT a.id, a.user_name, a.display_name, a.email, a.is_active,
        a.mfa_enrolled_at, a.locked_until, a.created_at,
        (SELECT ${list}(ar.role_name, ',') FROM account_roles ar
          WHERE ar.account_id = a.id) AS roles
      FROM accounts a WHERE a.id = ?`;
  }

  /** What GET ManagedAccount/{id} shows, in one prepared query (a hot read). */
  async findView(id: string): Promise<AccountFields | null> {
    const [row] = await this.sql.all<AccountViewRow>(undefined, this.viewQuery, [id]);
    if (row === undefined) return null;
    return {
      id: row.id,
      userName: row.user_name,
      displayName: row.display_name,
      email: row.email,
      isActive: Boolean(row.is_active),
      mfaEnrolledAt: fromDbTime(row.mfa_enrolled_at),
      lockedUntil: fromDbTime(row.locked_until),
      createdAt: fromDbTime(row.created_at)!,
      roles: (row.roles ?? '')
        .split(',')
        .filter((name) => name !== '')
        .map((name) => ({ name })),
    };
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

  /**
   * Row locks, in id order, held to the end of the transaction: concurrent changes of one account
   * then read each other's result instead of the same old state. SQLite needs none: its writes
   * are serialised already.
   */
  async lockForUpdate(
    manager: EntityManager,
    which: { ids: readonly string[] } | { userName: string },
  ): Promise<void> {
    if (manager.connection.options.type !== 'postgres') return;
    if ('ids' in which) {
      await manager.query(
        'SELECT id FROM accounts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
        [which.ids],
      );
    } else {
      await manager.query('SELECT id FROM accounts WHERE user_name_normalized = $1 FOR UPDATE', [
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
    const result = await manager
      .createQueryBuilder()
      .update(Account)
      .set({ lastTotpStep: step, failedAttempts: 0 })
      .where('id = :id', { id })
      .andWhere('(last_totp_step IS NULL OR last_totp_step < :step)', { step })
      .andWhere('(locked_until IS NULL OR locked_until <= :now)', { now: dbTime(manager, now) })
      .execute();
    return result.affected === 1;
  }

  async clearFailures(manager: EntityManager, id: string): Promise<void> {
    await manager.update(Account, { id }, { failedAttempts: 0 });
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
  ): Promise<boolean> {
    await manager
      .createQueryBuilder()
      .update(Account)
      .set({ failedAttempts: () => 'failed_attempts + 1' })
      .where('id = :id', { id })
      .execute();
    const row = await manager
      .getRepository(Account)
      .findOne({ select: { id: true, failedAttempts: true }, where: { id } });
    if (!row || row.failedAttempts < threshold) return false;
    await manager.update(Account, { id }, { failedAttempts: 0, lockedUntil: lockUntil });
    return true;
  }
}
