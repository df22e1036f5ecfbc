import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The keyed audit chain: each row records which key signed it, and a one-row table anchors the
 * chain's last row. The head starts as a placeholder without a key id: the service, which holds
 * the key, re-signs the rows written before this migration at its next start and signs the head.
 */
export class KeyedAuditChain1766000000000 implements MigrationInterface {
  name = 'KeyedAuditChain1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE audit_events ADD COLUMN key_id varchar(16) NULL`);
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
  }

  /** Rows re-signed in the meantime keep their keyed hashes, which the unkeyed Verify rejects. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE audit_chain_head');
    await queryRunner.query('ALTER TABLE audit_events DROP COLUMN key_id');
  }
}
