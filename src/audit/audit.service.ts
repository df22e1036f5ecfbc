import { createHash, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { AuditAction } from './audit-action';
import {
  AuditEventPageResponse,
  AuditEventResponse,
  ListAuditEventsQuery,
} from './dto/audit-event.dto';
import { AuditEvent, AuditOutcome } from './entities/audit-event.entity';
import { dbTime } from '../database/db-time';
import { PreparedSql } from '../database/prepared-sql';
import { TransactionRunner } from '../database/transaction-runner';

export const GENESIS_HASH = '0'.repeat(64);

/** Any constant works; it names the advisory lock that serialises appends on PostgreSQL. */
const CHAIN_LOCK_KEY = 0x6d6661;

/** SQLite's append, prepared once; its columns in `chainFields` order, then the hash. */
const INSERT_EVENT = `INSERT INTO audit_events (seq, id, occurred_at, action, outcome, actor_id,
  actor_name, target_id, target_name, client_ip, user_agent, trace_id, details, prev_hash, hash)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export interface AuditParty {
  readonly id: string | null;
  readonly name: string | null;
}

/** The signed-in caller as the audit log names it. */
export function partyOf(principal: Principal): { readonly id: string; readonly name: string } {
  return { id: principal.accountId, name: principal.userName };
}

export interface AuditEntry {
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly actor?: AuditParty;
  readonly target?: AuditParty;
  readonly context?: RequestContext;
  readonly details?: Record<string, unknown>;
}

/** A row's fields in chain order (the previous hash last), its time written as given. */
function chainFields(
  event: Omit<AuditEvent, 'hash'>,
  time: string | Date,
): (string | number | Date | null)[] {
  return [
    event.seq,
    event.id,
    time,
    event.action,
    event.outcome,
    event.actorId,
    event.actorName,
    event.targetId,
    event.targetName,
    event.clientIp,
    event.userAgent,
    event.traceId,
    event.details,
    event.prevHash,
  ];
}

/** The hash of one row: its fields and the previous hash, in a fixed order. */
export function chainHash(event: Omit<AuditEvent, 'hash'>): string {
  const fields = chainFields(event, event.occurredAt.toISOString());
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

export interface ChainVerification {
  readonly valid: boolean;
  readonly count: number;
  /** The first position where the chain breaks, when it does. */
  readonly brokenAt?: number;
}

@Injectable()
export class AuditService {
  /**
   * SQLite only: the chain head as this process last wrote it, so an append needs no read. Any
   * rollback forgets it; a row appended by another process makes the next insert collide on its
   * position (the primary key), which rolls back and forgets it too.
   */
  private head: { seq: number; hash: string } | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly sql: PreparedSql,
    runner: TransactionRunner,
  ) {
    runner.onRollback(() => (this.head = undefined));
  }

  /**
   * Appends inside the caller's transaction, so the event lands with the change it records, or
   * not at all. Appends are serialised: the write queue on SQLite, an advisory lock on PostgreSQL.
   */
  async append(manager: EntityManager, entry: AuditEntry): Promise<AuditEvent> {
    const sqlite = manager.connection.options.type === 'sqlite';
    if (!sqlite) await manager.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
    const head = (sqlite ? this.head : undefined) ?? (await this.readHead(manager));
    const row: Omit<AuditEvent, 'hash'> = {
      seq: (head?.seq ?? 0) + 1,
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
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const event: AuditEvent = { ...row, hash: chainHash(row) };
    if (!sqlite) {
      await manager.insert(AuditEvent, event);
      return event;
    }
    this.head = undefined;
    await this.sql.run(INSERT_EVENT, [
      ...chainFields(event, dbTime(manager, event.occurredAt)),
      event.hash,
    ]);
    this.head = { seq: event.seq, hash: event.hash };
    return event;
  }

  private async readHead(manager: EntityManager): Promise<{ seq: number; hash: string } | null> {
    return manager
      .getRepository(AuditEvent)
      .createQueryBuilder('e')
      .select(['e.seq', 'e.hash'])
      .orderBy('e.seq', 'DESC')
      .limit(1)
      .getOne();
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

  /** Walks the whole chain in order, recomputing every hash. */
  async verify(): Promise<ChainVerification> {
    const repository = this.dataSource.getRepository(AuditEvent);
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      const batch = await repository
        .createQueryBuilder('e')
        .where('e.seq >= :from', { from: expectedSeq })
        .orderBy('e.seq', 'ASC')
        .limit(1000)
        .getMany();
      if (batch.length === 0) return { valid: true, count: expectedSeq - 1 };
      for (const event of batch) {
        if (
          event.seq !== expectedSeq ||
          event.prevHash !== prevHash ||
          chainHash(event) !== event.hash
        ) {
          return { valid: false, count: expectedSeq - 1, brokenAt: expectedSeq };
        }
        prevHash = event.hash;
        expectedSeq++;
      }
    }
  }
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
