import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'roles' })
export class Role {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  /** Comma-separated permission names; a handful per role, read with the role. */
  @Column({ type: 'simple-array' })
  permissions!: string[];

  @Column({ name: 'built_in', type: 'boolean', default: false })
  builtIn!: boolean;

  /** Accounts a holder may reset per 10 minutes (the burst guard); null: unlimited. */
  @Column({ name: 'reset_budget', type: 'integer', nullable: true })
  resetBudget!: number | null;

  @Column({ name: 'updated_at', type: Date })
  updatedAt!: Date;
}
