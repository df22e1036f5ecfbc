import { MigrationInterface, QueryRunner } from 'typeorm';
import { BUILT_IN_ROLES } from '../../roles/built-in-roles';
import { typesFor } from './column-types';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const t = typesFor(queryRunner);
    await queryRunner.query(`
      CREATE TABLE roles (
        name varchar(64) PRIMARY KEY,
        permissions text NOT NULL,
        built_in boolean NOT NULL DEFAULT false,
        updated_at ${t.time} NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE accounts (
        id ${t.uuid} PRIMARY KEY,
        user_name varchar(64) NOT NULL,
        user_name_normalized varchar(64) NOT NULL,
        display_name varchar(200) NOT NULL,
        email varchar(254) NOT NULL,
        password_hash varchar(255) NOT NULL,
        is_active boolean NOT NULL DEFAULT true,
        security_stamp varchar(64) NOT NULL,
        mfa_secret text NULL,
        mfa_enrolled_at ${t.time} NULL,
        mfa_pending_secret text NULL,
        last_totp_step integer NULL,
        failed_attempts integer NOT NULL DEFAULT 0,
        locked_until ${t.time} NULL,
        created_at ${t.time} NOT NULL,
        updated_at ${t.time} NOT NULL
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_accounts_user_name_normalized" ON accounts (user_name_normalized)`,
    );
    await queryRunner.query(`
      CREATE TABLE account_roles (
        account_id ${t.uuid} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        role_name varchar(64) NOT NULL REFERENCES roles(name) ON DELETE CASCADE ON UPDATE CASCADE,
        PRIMARY KEY (account_id, role_name)
      )`);
    await queryRunner.query(
      `CREATE INDEX "IX_account_roles_role_name" ON account_roles (role_name)`,
    );
    await queryRunner.query(`
      CREATE TABLE sessions (
        id ${t.uuid} PRIMARY KEY,
        account_id ${t.uuid} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL,
        security_stamp varchar(64) NOT NULL,
        created_at ${t.time} NOT NULL,
        expires_at ${t.time} NOT NULL,
        revoked_at ${t.time} NULL,
        mfa_verified_at ${t.time} NULL,
        client_ip varchar(64) NULL,
        user_agent varchar(512) NULL
      )`);
    await queryRunner.query(`CREATE INDEX "IX_sessions_account_id" ON sessions (account_id)`);
    await queryRunner.query(`
      CREATE TABLE recovery_codes (
        id ${t.uuid} PRIMARY KEY,
        account_id ${t.uuid} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
        code_hash varchar(64) NOT NULL,
        used_at ${t.time} NULL,
        created_at ${t.time} NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX "IX_recovery_codes_account_id" ON recovery_codes (account_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE audit_events (
        seq integer PRIMARY KEY,
        id ${t.uuid} NOT NULL,
        occurred_at ${t.time} NOT NULL,
        action varchar(64) NOT NULL,
        outcome varchar(16) NOT NULL,
        actor_id ${t.uuid} NULL,
        actor_name varchar(64) NULL,
        target_id ${t.uuid} NULL,
        target_name varchar(64) NULL,
        client_ip varchar(64) NULL,
        user_agent varchar(512) NULL,
        trace_id varchar(64) NULL,
        details text NULL,
        key_id varchar(16) NOT NULL,
        prev_hash varchar(64) NOT NULL,
        hash varchar(64) NOT NULL
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_audit_events_id" ON audit_events (id)`);
    await queryRunner.query(`CREATE INDEX "IX_audit_events_action" ON audit_events (action, seq)`);
    await queryRunner.query(`CREATE INDEX "IX_audit_events_actor" ON audit_events (actor_id, seq)`);
    await queryRunner.query(
      `CREATE INDEX "IX_audit_events_target" ON audit_events (target_id, seq)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_audit_events_occurred_at" ON audit_events (occurred_at)`,
    );
    // Anchors the chain's last row (position, hash, and their MAC under the chain key). It starts
    // as the empty chain, unsigned: the migration does not hold the key. Only the first append,
    // on an empty table, may sign on top of it; a start never signs a row it did not write.
    await queryRunner.query(`
      CREATE TABLE audit_chain_head (
        id integer PRIMARY KEY CHECK (id = 1),
        seq integer NOT NULL,
        hash varchar(64) NOT NULL,
        key_id varchar(16) NULL,
        mac varchar(64) NOT NULL
      )`);
    await queryRunner.query(
      `INSERT INTO audit_chain_head (id, seq, hash, key_id, mac) VALUES (1, 0, '${'0'.repeat(64)}', NULL, '')`,
    );

    for (const [name, permissions] of Object.entries(BUILT_IN_ROLES)) {
      await queryRunner.query(
        `INSERT INTO roles (name, permissions, built_in, updated_at) VALUES (${t.param(1)}, ${t.param(2)}, true, ${t.now})`,
        [name, permissions.join(',')],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'audit_chain_head',
      'audit_events',
      'recovery_codes',
      'sessions',
      'account_roles',
      'accounts',
      'roles',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
