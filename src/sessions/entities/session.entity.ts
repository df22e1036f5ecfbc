import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { SessionKind } from '../../common/auth/principal';

export type { SessionKind };

/**
 * Every token belongs to a session row. A pre-auth session turns into an access session when
 * the second factor (or the enrolment) succeeds, which also spends the pre-auth token.
 */
@Entity({ name: 'sessions' })
@Index('IX_sessions_account_id', ['accountId'])
export class Session {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The account (a foreign key in the schema, deleted with it; no relation object is loaded). */
  @Column({ name: 'account_id', type: 'uuid' })
  accountId!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: SessionKind;

  /** The account's security stamp when the session was made: a changed stamp ends it. */
  @Column({ name: 'security_stamp', type: 'varchar', length: 64 })
  securityStamp!: string;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: Date })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt!: Date | null;

  /** When this session last proved MFA (second step, enrolment, or step-up): "sudo mode". */
  @Column({ name: 'mfa_verified_at', type: Date, nullable: true })
  mfaVerifiedAt!: Date | null;

  @Column({ name: 'client_ip', type: 'varchar', length: 64, nullable: true })
  clientIp!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 512, nullable: true })
  userAgent!: string | null;
}
