import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { Sql } from '../database/sql';
import { RecoveryCode } from './entities/recovery-code.entity';

/** An account's recovery codes, stored as keyed hashes only. */
@Injectable()
export class RecoveryCodesRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: Sql,
  ) {}

  /** Replaces the account's codes with these hashes. */
  async replace(
    manager: EntityManager,
    accountId: string,
    hashes: readonly string[],
    now: Date,
  ): Promise<void> {
    await this.deleteAllOf(manager, accountId);
    await manager.insert(
      RecoveryCode,
      hashes.map((codeHash) => ({
        id: randomUUID(),
        accountId,
        codeHash,
        usedAt: null,
        createdAt: now,
      })),
    );
  }

  async deleteAllOf(manager: EntityManager, accountId: string): Promise<void> {
    await this.sql.run(manager, 'DELETE FROM recovery_codes WHERE account_id = ?', [accountId]);
  }

  /** Marks one unused code among these hashes used; answers whether there was one. */
  async spend(
    manager: EntityManager,
    accountId: string,
    hashes: readonly string[],
    now: Date,
  ): Promise<boolean> {
    const result = await manager.update(
      RecoveryCode,
      { accountId, codeHash: In([...hashes]), usedAt: IsNull() },
      { usedAt: now },
    );
    return result.affected === 1;
  }

  countUnused(accountId: string): Promise<number> {
    return this.dataSource
      .getRepository(RecoveryCode)
      .count({ where: { accountId, usedAt: IsNull() } });
  }
}
