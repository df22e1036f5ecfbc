import { MigrationInterface, QueryRunner } from 'typeorm';
import { typesFor } from './column-types';

/** HelpDesk's reset budget on a database that has the role: accounts per 10 minutes. */
const HELP_DESK_RESET_BUDGET = 50;

/**
 * Accountable resets: a reset budget per role (NULL: unlimited; HelpDesk 50), the accounts each
 * caller has reset (the budget's count, shared by every instance), the one-time enrolment code a
 * reset may set (its hash only), the outbox of messages to the people concerned, and the answers
 * kept for `Idempotency-Key` retries.
 */
export class AccountableResets1766000000000 implements MigrationInterface {
  name = 'AccountableResets1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = typesFor(queryRunner);
    await queryRunner.query(`ALTER TABLE roles ADD COLUMN reset_budget integer NULL`);
    await queryRunner.query(
      `UPDATE roles SET reset_budget = ${t.param(1)} WHERE name = ${t.param(2)}`,
      [HELP_DESK_RESET_BUDGET, 'HelpDesk'],
    );
    await queryRunner.query(
      `ALTER TABLE accounts ADD COLUMN enrollment_code_hash varchar(64) NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE accounts ADD COLUMN enrollment_code_expires_at ${t.time} NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE accounts ADD COLUMN enrollment_code_required boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(`
      CREATE TABLE reset_uses (
        actor_id ${t.uuid} NOT NULL,
        at ${t.time} NOT NULL,
        accounts integer NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "IX_reset_uses_actor_at" ON reset_uses (actor_id, at)`);
    await queryRunner.query(`
      CREATE TABLE outbox (
        id ${t.uuid} PRIMARY KEY,
        kind varchar(32) NOT NULL,
        account_id ${t.uuid} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        details text NOT NULL,
        secret text NULL,
        created_at ${t.time} NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at ${t.time} NOT NULL,
        claimed_by varchar(64) NULL,
        claimed_until ${t.time} NULL,
        delivered_at ${t.time} NULL,
        failed_at ${t.time} NULL,
        channel varchar(8) NULL,
        recipient varchar(254) NULL,
        last_error varchar(500) NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX "IX_outbox_due" ON outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IX_outbox_account" ON outbox (account_id)`);
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        account_id ${t.uuid} NOT NULL,
        idempotency_key varchar(255) NOT NULL,
        request_hash varchar(64) NOT NULL,
        created_at ${t.time} NOT NULL,
        expires_at ${t.time} NOT NULL,
        lease_until ${t.time} NOT NULL,
        acted boolean NOT NULL DEFAULT false,
        status integer NULL,
        answer text NULL,
        PRIMARY KEY (account_id, idempotency_key)
      )`);
    await queryRunner.query(
      `CREATE INDEX "IX_idempotency_keys_expires_at" ON idempotency_keys (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['idempotency_keys', 'outbox', 'reset_uses']) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
    for (const column of [
      'enrollment_code_required',
      'enrollment_code_expires_at',
      'enrollment_code_hash',
    ]) {
      await queryRunner.query(`ALTER TABLE accounts DROP COLUMN ${column}`);
    }
    await queryRunner.query(`ALTER TABLE roles DROP COLUMN reset_budget`);
  }
}
