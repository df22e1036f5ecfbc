import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Party } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { APP_LOGGER, AppLogger } from '../common/logging/logger';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuditAction } from './audit-action';
import {
  AnchoredHead,
  AuditChainKeys,
  ChainKey,
  ChainRow,
  GENESIS_HASH,
  chainFields,
  headMac,
  macMatches,
  rowHash,
} from './audit-chain';
import {
  AuditEventPageResponse,
  AuditEventResponse,
  ListAuditEventsQuery,
} from './dto/audit-event.dto';
import { AuditEvent, AuditOutcome } from './entities/audit-event.entity';
import { dbTime, placeholders } from '../database/db-time';
import { PreparedSql, SqlValue } from '../database/prepared-sql';
import { TransactionRunner } from '../database/transaction-runner';

/** Any constant works; it names the advisory lock that serialises appends on PostgreSQL. */
const CHAIN_LOCK_KEY = 0x6d6661;

/** An append's row; its columns in `chainFields` order, then the hash. */
const INSERT_EVENT = `INSERT INTO audit_events (seq, id, occurred_at, action, outcome, actor_id,
  actor_name, target_id, target_name, client_ip, user_agent, trace_id, details, key_id, prev_hash,
  hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Moves the anchored head in the append's transaction. */
const UPDATE_HEAD =
  'UPDATE audit_chain_head SET seq = ?, hash = ?, key_id = ?, mac = ? WHERE id = 1';

/** PostgreSQL: the row and the head in one round trip. */
const APPEND_WITH_HEAD = `WITH head AS (${UPDATE_HEAD}) ${INSERT_EVENT}`;

/**
 * Stored as the head's MAC once the head failed its own: never a valid MAC, so an append on top
 * of a forged or missing head cannot launder it.
 */
const UNTRUSTED_HEAD = 'untrusted';

/** Rows read per statement when verifying. */
const BATCH = 1000;

export interface AuditEntry {
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly actor?: Party;
  readonly target?: Party;
  readonly context?: RequestContext;
  readonly details?: Record<string, unknown>;
}

export interface ChainVerification {
  readonly valid: boolean;
  readonly count: number;
  /** The first position where the chain breaks, when it does. */
  readonly brokenAt?: number;
}

/** Where the next append goes, and whether the anchored head it continues was genuine. */
interface ChainTip extends AnchoredHead {
  readonly trusted: boolean;
}

interface HeadRow {
  seq: number;
  hash: string;
  key_id: string | null;
  mac: string;
}

/** The head (all null when its row is missing) and the last row (null when there is none). */
interface TipRow {
  seq: number | null;
  hash: string | null;
  key_id: string | null;
  mac: string | null;
  last_seq: number | null;
  last_hash: string | null;
}

@Injectable()
export class AuditService implements OnModuleInit {
  private readonly keys: AuditChainKeys;

  /**
   * SQLite only: the chain tip as this process last wrote it, so an append needs no read. Any
   * rollback forgets it; a row appended by another process makes the next insert collide on its
   * position (the primary key), which rolls back and forgets it too.
   */
  private tip: ChainTip | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sql: PreparedSql,
    private readonly runner: TransactionRunner,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {
    this.keys = AuditChainKeys.fromConfig(config);
    runner.onRollback(() => (this.tip = undefined));
  }

  /** A missing head is reported at start; appends and Verify then refuse to trust the chain. */
  async onModuleInit(): Promise<void> {
    if (!(await this.chainTablesExist())) {
      this.logger.error(
        'the audit chain head or key ids are missing: the audit log was tampered with',
      );
    }
  }

  /**
   * Appends inside the caller's transaction, so the event lands with the change it records, or
   * not at all, and moves the anchored head with it. Appends are serialised: the write queue on
   * SQLite, an advisory lock on PostgreSQL.
   */
  async append(manager: EntityManager, entry: AuditEntry): Promise<AuditEvent> {
    const sqlite = manager.connection.options.type === 'sqlite';
    if (!sqlite) await this.lock(manager);
    const tip = (sqlite ? this.tip : undefined) ?? (await this.readTip(manager));
    const key = this.keys.current;
    const row: ChainRow = {
      seq: tip.seq + 1,
      id: randomUUID(),
      occurredAt: this.clock.now(),
      action: entry.action,
      outcome: entry.outcome,
      actorId: entry.actor?.id ?? null,
      actorName: entry.actor?.name ?? null,
      targetId: entry.target?.id ?? null,
      targetName: entry.target?.name ?? null,
      clientIp: entry.context?.clientIp ?? null,
      userAgent: entry.context?.userAgent ?? null,
      traceId: entry.context?.traceId ?? null,
      details: entry.details === undefined ? null : JSON.stringify(entry.details),
      keyId: key.id,
      prevHash: tip.hash,
    };
    const event: AuditEvent = { ...row, hash: rowHash(key, row) };
    const next: ChainTip = { seq: event.seq, hash: event.hash, trusted: tip.trusted };
    const headParams = this.headParams(key, next);
    const rowParams: SqlValue[] = [
      ...chainFields(event, dbTime(manager, event.occurredAt)),
      event.hash,
    ];
    if (!sqlite) {
      await manager.query(placeholders(manager, APPEND_WITH_HEAD), [...headParams, ...rowParams]);
      return event;
    }
    // Taken before the writes finish, so the next append in this transaction needs no read.
    this.tip = next;
    try {
      await Promise.all([
        this.sql.run(INSERT_EVENT, rowParams),
        this.sql.run(UPDATE_HEAD, headParams),
      ]);
    } catch (error) {
      this.tip = undefined;
      throw error;
    }
    return event;
  }

  private async lock(manager: EntityManager): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
  }

  private headParams(key: ChainKey, head: ChainTip): SqlValue[] {
    return [head.seq, head.hash, key.id, head.trusted ? headMac(key, head) : UNTRUSTED_HEAD];
  }

  /**
   * The anchored head, or the last row when rows lie beyond it (written without moving it: each
   * is then judged by its own MAC). A cut-off tail is not healed: the next row continues the head.
   */
  private async readTip(manager: EntityManager): Promise<ChainTip> {
    const [row] = await manager.query<TipRow[]>(
      `SELECT h.seq, h.hash, h.key_id, h.mac, l.seq AS last_seq, l.hash AS last_hash
         FROM (SELECT 1 AS one) o
         LEFT JOIN audit_chain_head h ON h.id = 1
         LEFT JOIN (SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1) l ON 1 = 1`,
    );
    const head =
      row.seq !== null && row.hash !== null && row.mac !== null
        ? { seq: row.seq, hash: row.hash, key_id: row.key_id, mac: row.mac }
        : undefined;
    if (head?.key_id != null && this.keys.find(head.key_id) === undefined) {
      // Another instance signs with a key this one lacks (a rotation done out of order): writing
      // on would mark the head untrusted for good, so this instance refuses to append instead.
      this.logger.error(
        { keyId: head.key_id },
        'the audit chain head is signed with a key this instance does not have: list it in MFA_ENCRYPTION_KEYS_PREVIOUS; no audit event is written until then',
      );
      throw new Error('audit chain head signed with an unknown key');
    }
    // The empty chain's unsigned head is trusted only while no row exists: the first append
    // signs it. With rows but an unsigned head, nothing the chain holds is vouched for.
    const trusted =
      head !== undefined &&
      (this.headIsGenuine(head) || (isEmptyChainHead(head) && row.last_seq === null));
    const anchored = { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH };
    if (row.last_seq !== null && row.last_hash !== null && row.last_seq > anchored.seq) {
      return { seq: row.last_seq, hash: row.last_hash, trusted };
    }
    return { ...anchored, trusted };
  }

  private async readHead(manager: EntityManager): Promise<HeadRow | undefined> {
    const [row] = await manager.query<HeadRow[]>(
      'SELECT seq, hash, key_id, mac FROM audit_chain_head WHERE id = 1',
    );
    return row;
  }

  /** The tables and column the keyed chain needs (someone with write access may drop them). */
  private async chainTablesExist(): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return (
        (await runner.hasTable('audit_chain_head')) &&
        (await runner.hasColumn('audit_events', 'key_id'))
      );
    } finally {
      await runner.release();
    }
  }

  private headIsGenuine(head: HeadRow): boolean {
    const key = this.keys.find(head.key_id);
    return key !== undefined && macMatches(head.mac, headMac(key, head));
  }

  /** Newest first, keyset-paged on the chain position (stable under concurrent appends). */
  async list(query: ListAuditEventsQuery): Promise<AuditEventPageResponse> {
    const take = query.take ?? 50;
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
      builder.andWhere('e.occurredAt >= :since', { since: dbTime(this.dataSource, query.since) });
    if (query.until !== undefined)
      builder.andWhere('e.occurredAt < :until', { until: dbTime(this.dataSource, query.until) });
    if (query.cursor !== undefined)
      builder.andWhere('e.seq < :cursor', { cursor: Number(query.cursor) });
    const rows = await builder.getMany();
    const page = rows.slice(0, take);
    return {
      items: page.map(toAuditEventResponse),
      next: rows.length > take ? String(page[page.length - 1].seq) : null,
    };
  }

  /**
   * Walks the chain up to the anchored head, recomputing every MAC, and checks that its last row
   * is the head: an edited, deleted or cut-off event breaks it. Events appended after the head
   * was read are left to the next call.
   */
  async verify(): Promise<ChainVerification> {
    if (!(await this.chainTablesExist())) {
      const [{ count }] = await this.dataSource.query<{ count: number | string }[]>(
        'SELECT count(*) AS count FROM audit_events',
      );
      return { valid: false, count: 0, brokenAt: Number(count) > 0 ? 1 : 0 };
    }
    // Through the runner: on SQLite a read beside it could see an append's uncommitted head.
    const head = await this.runner.run((m) => this.readHead(m));
    const repository = this.dataSource.getRepository(AuditEvent);
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const query = repository
        .createQueryBuilder('e')
        .where('e.seq >= :from', { from: expectedSeq })
        .orderBy('e.seq', 'ASC')
        .limit(BATCH);
      // Without a head, every row is walked (for the count); the answer is invalid anyway.
      if (head !== undefined) query.andWhere('e.seq <= :to', { to: head.seq });
      const batch = await query.getMany();
      if (batch.length === 0) break;
      for (const event of batch) {
        const key = this.keys.find(event.keyId);
        if (
          event.seq !== expectedSeq ||
          event.prevHash !== prevHash ||
          key === undefined ||
          !macMatches(event.hash, rowHash(key, event))
        ) {
          return { valid: false, count: expectedSeq - 1, brokenAt: expectedSeq };
        }
        prevHash = event.hash;
        expectedSeq++;
      }
    }
    const count = expectedSeq - 1;
    if (head !== undefined && isEmptyChainHead(head)) {
      // Valid only as the chain before its first event: any row means the head was put back.
      const [first] = await this.dataSource.query<unknown[]>(
        'SELECT seq FROM audit_events LIMIT 1',
      );
      return first === undefined
        ? { valid: true, count: 0 }
        : { valid: false, count: 0, brokenAt: 1 };
    }
    if (
      head === undefined ||
      head.seq !== count ||
      head.hash !== prevHash ||
      !this.headIsGenuine(head)
    ) {
      return { valid: false, count, brokenAt: expectedSeq };
    }
    return { valid: true, count };
  }
}

/** The head as the schema creates it, before the first event: position 0, unsigned. */
function isEmptyChainHead(head: HeadRow): boolean {
  return head.seq === 0 && head.hash === GENESIS_HASH && head.key_id === null && head.mac === '';
}

export function toAuditEventResponse(event: AuditEvent): AuditEventResponse {
  return {
    id: event.id,
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    action: event.action,
    outcome: event.outcome,
    actorId: event.actorId,
    actorName: event.actorName,
    targetId: event.targetId,
    targetName: event.targetName,
    clientIp: event.clientIp,
    userAgent: event.userAgent,
    traceId: event.traceId,
    details: event.details === null ? null : (JSON.parse(event.details) as Record<string, unknown>),
    hash: event.hash,
  };
}
