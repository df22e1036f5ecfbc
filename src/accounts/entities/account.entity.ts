import { Column, Entity, Index, JoinTable, ManyToMany, PrimaryColumn } from 'typeorm';
import { Role } from '../../roles/entities/role.entity';

@Entity({ name: 'accounts' })
export class Account {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'user_name', type: 'varchar', length: 64 })
  userName!: string;

  /** Lower-cased user name: the unique key, so names are unique case-insensitively on every database. */
  @Index('UQ_accounts_user_name_normalized', { unique: true })
  @Column({ name: 'user_name_normalized', type: 'varchar', length: 64 })
  userNameNormalized!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255, select: false })
  passwordHash!: string;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  @Column({ name: 'security_stamp', type: 'varchar', length: 64 })
  securityStamp!: string;

  @Column({ name: 'mfa_secret', type: 'text', nullable: true, select: false })
  mfaSecret!: string | null;

  @Column({ name: 'mfa_enrolled_at', type: Date, nullable: true })
  mfaEnrolledAt!: Date | null;

  @Column({ name: 'mfa_pending_secret', type: 'text', nullable: true, select: false })
  mfaPendingSecret!: string | null;

  /** RFC 6238 time step of the last code accepted: a code at or before it is a replay. */
  @Column({ name: 'last_totp_step', type: 'integer', nullable: true })
  lastTotpStep!: number | null;

  @Column({ name: 'failed_attempts', type: 'integer', default: 0 })
  failedAttempts!: number;

  @Column({ name: 'locked_until', type: Date, nullable: true })
  lockedUntil!: Date | null;

  /** Set by a reset with RESET_ENROLLMENT_CODE=true: enrolling again needs the code; cleared by enrolling. */
  @Column({ name: 'enrollment_code_required', type: 'boolean', default: false })
  enrollmentCodeRequired!: boolean;

  @Column({
    name: 'enrollment_code_hash',
    type: 'varchar',
    length: 64,
    nullable: true,
    select: false,
  })
  enrollmentCodeHash!: string | null;

  @Column({ name: 'enrollment_code_expires_at', type: Date, nullable: true, select: false })
  enrollmentCodeExpiresAt!: Date | null;

  @Column({ name: 'created_at', type: Date })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;

  @ManyToMany(() => Role)
  @JoinTable({
    name: 'account_roles',
    joinColumn: { name: 'account_id', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'role_name', referencedColumnName: 'name' },
  })
  roles!: Role[];
}
