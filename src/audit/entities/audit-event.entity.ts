import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type AuditOutcome = 'success' | 'failure' | 'denied';

/**
 * Append-only and hash-chained: `hash` is an HMAC, under a key the database does not hold, of this
 * row's fields and the previous row's hash, so an edited or deleted row breaks the chain from there
 * on; the table `audit_chain_head` anchors the last row, so a cut-off tail is detected too.
 */
@Entity({ name: 'audit_events' })
@Index('IX_audit_events_action', ['action', 'seq'])
@Index('IX_audit_events_actor', ['actorId', 'seq'])
@Index('IX_audit_events_target', ['targetId', 'seq'])
@Index('IX_audit_events_occurred_at', ['occurredAt'])
export class AuditEvent {
  /** Position in the chain; 1, 2, 3 ... with no gaps. */
  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Index('UQ_audit_events_id', { unique: true })
  @Column({ type: 'uuid' })
  id!: string;

  @Column({ name: 'occurred_at', type: Date })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 64, nullable: true })
  actorName!: string | null;

  @Column({ name: 'target_id', type: 'uuid', nullable: true })
  targetId!: string | null;

  @Column({ name: 'target_name', type: 'varchar', length: 64, nullable: true })
  targetName!: string | null;

  @Column({ name: 'client_ip', type: 'varchar', length: 64, nullable: true })
  clientIp!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;

  @Column({ name: 'trace_id', type: 'varchar', length: 64, nullable: true })
  traceId!: string | null;

  /** JSON object with action-specific facts; never a secret. */
  @Column({ type: 'text', nullable: true })
  details!: string | null;

  /** Which MFA encryption key the chain key of `hash` derives from. */
  @Column({ name: 'key_id', type: 'varchar', length: 16 })
  keyId!: string;

  @Column({ name: 'prev_hash', type: 'varchar', length: 64 })
  prevHash!: string;

  @Column({ type: 'varchar', length: 64 })
  hash!: string;
}
