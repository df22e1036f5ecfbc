import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

@Entity({ name: 'recovery_codes' })
@Index('IX_recovery_codes_account_id', ['accountId'])
export class RecoveryCode {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  /** HMAC-SHA-256 of the normalised code under a key derived from the MFA key. */
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'used_at', type: Date, nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;
}
