import { MigrationInterface, QueryRunner } from 'typeorm';
import { typesFor } from './column-types';

/** Permissions this migration brings, which the Admin role always holds. */
const NEW_ADMIN_PERMISSIONS = ['manage-api-keys', 'view-api-keys'];

/**
 * API keys: a hash of each key (never the key), its owner, the permissions it was given, its
 * grants and expiry, and the owner's security stamp when it was made (a key dies with it, as a
 * session does: a password set, an MFA reset, a role change or a disabling ends it); and the two permissions that manage them, granted to Admin on databases
 * made before (a database made now has them from the first migration already).
 */
export class ApiKeys1765000000000 implements MigrationInterface {
  name = 'ApiKeys1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = typesFor(queryRunner);
    await queryRunner.query(`
      CREATE TABLE api_keys (
        id ${t.uuid} PRIMARY KEY,
        account_id ${t.uuid} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        name varchar(100) NOT NULL,
        prefix varchar(16) NOT NULL,
        key_hash varchar(64) NOT NULL,
        permissions text NOT NULL,
        grants text NOT NULL,
        security_stamp varchar(64) NOT NULL,
        created_at ${t.time} NOT NULL,
        expires_at ${t.time} NOT NULL,
        revoked_at ${t.time} NULL,
        last_used_at ${t.time} NULL,
        last_used_ip varchar(64) NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_api_keys_key_hash" ON api_keys (key_hash)`);
    await queryRunner.query(`CREATE INDEX "IX_api_keys_account_id" ON api_keys (account_id)`);
    const rows = (await queryRunner.query(
      `SELECT permissions FROM roles WHERE name = ${t.param(1)}`,
      ['Admin'],
    )) as { permissions: string }[];
    if (rows.length === 1) {
      const held = rows[0].permissions.split(',').filter((p) => p !== '');
      const all = [...held, ...NEW_ADMIN_PERMISSIONS.filter((p) => !held.includes(p))];
      await queryRunner.query(
        `UPDATE roles SET permissions = ${t.param(1)} WHERE name = ${t.param(2)}`,
        [all.join(','), 'Admin'],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE api_keys');
  }
}
