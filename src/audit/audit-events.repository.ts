import { AuditAction } from './audit-action';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Sql, SqlValue } from '../database/sql';
import { AnchoredHead, chainFields, GENESIS_HASH } from './audit-chain';
import { ListAuditEventsQuery } from './dto/audit-event.dto';
import { AuditEvent } from './entities/audit-event.entity';

/** Any constant works; it names the lock that serialises appends on a shared database. */
const CHAIN_LOCK_KEY = 0x6d6661;

/** An append's row; its columns in `chainFields` order, then the hash. */
const INSERT_EVENT = `INSERT INTO audit_events (seq, id, occurred_at, action, outcome, actor_id,
  actor_name, target_id, target_name, client_ip, user_agent, trace_id, details, key_id, prev_hash,
  hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Moves the anchored head in the appends' transaction, once, before it commits. */
const UPDATE_HEAD =
  'UPDATE audit_chain_head SET seq = ?, hash = ?, key_id = ?, mac = ? WHERE id = 1';

/** The head (all null when its row is missing) and the last row (null when there is none). */
const READ_TIP = `SELECT h.seq, h.hash, h.key_id, h.mac, l.seq AS last_seq, l.hash AS last_hash
  FROM (SELECT 1 AS one) o
  LEFT JOIN audit_chain_head h ON h.id = 1
  LEFT JOIN (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1) l ON 1 = 1`;

export interface HeadRow {
  seq: number;
  hash: string;
  key_id: string | null;
  mac: string;
}

export interface TipRow {
  seq: number | null;
  hash: string | null;
  key_id: string | null;
  mac: string | null;
  last_seq: number | null;
  last_hash: string | null;
}

/** The head as the schema creates it, before the first event: position 0, unsigned. */
export function isEmptyChainHead(head: HeadRow): boolean {
  return head.seq === 0 && head.hash === GENESIS_HASH && head.key_id === null && head.mac === '';
}

/** The head as the append writes it: position, hash, signing key id and MAC. */
export interface HeadValues extends AnchoredHead {
  readonly keyId: string;
  readonly mac: string;
}

/** The audit actions an account's MFA history shows (besides an ended lock-out). */
const MFA_HISTORY_ACTIONS: readonly string[] = [
  AuditAction.MfaEnrolled,
  AuditAction.MfaReset,
  AuditAction.AccountLocked,
  AuditAction.EnrollmentCodeUsed,
];

/** The audit log's rows and its anchored head. Rows are only ever inserted. */
@Injectable()
export class AuditEventsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sql: Sql,
  ) {}

  /** Holds the chain's lock to the end of the transaction (appends one at a time). */
  lockChain(manager: EntityManager): Promise<void> {
    return this.sql.lock(manager, CHAIN_LOCK_KEY);
  }

  async readTip(manager: EntityManager): Promise<TipRow> {
    const [row] = await this.sql.rows<TipRow>(manager, READ_TIP, []);
    return row;
  }

  async readHead(manager?: EntityManager): Promise<HeadRow | undefined> {
    const [row] = await this.sql.rows<HeadRow>(
      manager,
      'SELECT seq, hash, key_id, mac FROM audit_chain_head WHERE id = 1',
      [],
    );
    return row;
  }

  /** One row of the chain; the head is moved by `moveHead`, once per transaction. */
  async insert(manager: EntityManager, event: AuditEvent): Promise<void> {
    const row: SqlValue[] = [...chainFields(event, this.sql.time(event.occurredAt)), event.hash];
    await this.sql.run(manager, INSERT_EVENT, row);
  }

  /** The anchored head moved to the transaction's last row. */
  async moveHead(manager: EntityManager, head: HeadValues): Promise<void> {
    await this.sql.run(manager, UPDATE_HEAD, [head.seq, head.hash, head.keyId, head.mac]);
  }

  /** The head signed again (same position and hash) under another key; false if it moved. */
  async resignHead(
    manager: EntityManager,
    head: { seq: number; hash: string },
    keyId: string,
    mac: string,
  ): Promise<boolean> {
    const changed = await this.sql.run(
      manager,
      'UPDATE audit_chain_head SET key_id = ?, mac = ? WHERE id = 1 AND seq = ? AND hash = ?',
      [keyId, mac, head.seq, head.hash],
    );
    return changed === 1;
  }

  /** Newest first, `take + 1` rows (the extra one tells whether a next page exists). */
  page(query: ListAuditEventsQuery, take: number): Promise<AuditEvent[]> {
    return this.pageOf(query, take).getMany();
  }

  /**
   * The MFA events of one account, newest first: enrolments, resets, lock-outs and their ends,
   * enrolment codes used (successes only: a refused reset changed nothing).
   */
  mfaHistoryPage(
    targetId: string,
    cursor: string | undefined,
    take: number,
  ): Promise<AuditEvent[]> {
    return this.pageOf({ targetId, cursor }, take)
      .andWhere('e.outcome = :outcome', { outcome: 'success' })
      .andWhere(`(e.action IN (:...actions) OR (e.action = :updated AND e.details LIKE :unlock))`, {
        actions: MFA_HISTORY_ACTIONS,
        updated: AuditAction.AccountUpdated,
        unlock: '%"lockedUntil"%',
      })
      .getMany();
  }

  private pageOf(query: ListAuditEventsQuery, take: number) {
    const builder = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .orderBy('e.seq', 'DESC')
      .limit(take + 1);
    if (query.action !== undefined)
      builder.andWhere('e.action = :action', { action: query.action });
    if (query.actorId !== undefined)
      builder.andWhere('e.actorId = :actorId', { actorId: query.actorId.toLowerCase() });
    if (query.targetId !== undefined)
      builder.andWhere('e.targetId = :targetId', { targetId: query.targetId.toLowerCase() });
    if (query.since !== undefined)
      builder.andWhere('e.occurredAt >= :since', { since: this.sql.time(query.since) });
    if (query.until !== undefined)
      builder.andWhere('e.occurredAt < :until', { until: this.sql.time(query.until) });
    if (query.cursor !== undefined)
      builder.andWhere('e.seq < :cursor', { cursor: Number(query.cursor) });
    return builder;
  }

  /** Up to `limit` rows in chain order from position `from`, to `to` when given. */
  chainSlice(from: number, to: number | undefined, limit: number): Promise<AuditEvent[]> {
    const query = this.dataSource
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .where('e.seq >= :from', { from })
      .orderBy('e.seq', 'ASC')
      .limit(limit);
    if (to !== undefined) query.andWhere('e.seq <= :to', { to });
    return query.getMany();
  }

  async hasAnyRow(): Promise<boolean> {
    const rows = await this.sql.rows<unknown>(
      undefined,
      'SELECT seq FROM audit_events LIMIT 1',
      [],
    );
    return rows.length > 0;
  }

  /** Whether the keyed chain's head table and key ids are still there. */
  async chainSchemaIntact(): Promise<boolean> {
    return (
      (await this.sql.hasColumn('audit_chain_head', 'mac')) &&
      (await this.sql.hasColumn('audit_events', 'key_id'))
    );
  }
}
