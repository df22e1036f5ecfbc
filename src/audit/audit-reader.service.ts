import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { HTTP_METRICS } from '../common/logging/metrics.provider';
import type { HttpMetrics } from '../common/logging/request-logging';
import { WriteQueue } from '../database/write-queue';
import { AuditChainKeys, GENESIS_HASH, macMatches, rowHash } from './audit-chain';
import { AuditEventsRepository, isEmptyChainHead } from './audit-events.repository';
import { AuditAction } from './audit-action';
import {
  AuditEventPageResponse,
  AuditEventResponse,
  ListAuditEventsQuery,
  MfaHistoryEvent,
  MfaHistoryItem,
  MfaHistoryPage,
  MfaHistoryQuery,
} from './dto/audit-event.dto';
import { AuditEvent } from './entities/audit-event.entity';

/** Rows read per statement when verifying. */
const BATCH = 1000;

export interface ChainVerification {
  readonly valid: boolean;
  readonly count: number;
  /** The first position where the chain breaks, when it does. */
  readonly brokenAt?: number;
}

/** Reads the audit log: pages of events, and a check of the whole chain. */
@Injectable()
export class AuditReader {
  private readonly keys: AuditChainKeys;

  constructor(
    private readonly events: AuditEventsRepository,
    private readonly writes: WriteQueue,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
  ) {
    this.keys = AuditChainKeys.fromConfig(config);
  }

  /** Newest first, keyset-paged on the chain position (stable under concurrent appends). */
  async list(query: ListAuditEventsQuery): Promise<AuditEventPageResponse> {
    const take = query.take ?? 50;
    const rows = await this.events.page(query, take);
    const page = rows.slice(0, take);
    return {
      items: page.map(toAuditEventResponse),
      next: rows.length > take ? String(page[page.length - 1].seq) : null,
    };
  }

  /** An account's MFA history, newest first, keyset-paged as the audit log is. */
  async mfaHistory(accountId: string, query: MfaHistoryQuery): Promise<MfaHistoryPage> {
    const take = query.take ?? 50;
    const rows = await this.events.mfaHistoryPage(accountId, query.cursor, take);
    const page = rows.slice(0, take);
    return {
      items: page.map(toMfaHistoryItem),
      next: rows.length > take ? String(page[page.length - 1].seq) : null,
    };
  }

  /**
   * Walks the chain up to the anchored head, recomputing every MAC, and checks that its last row
   * is the head: an edited, deleted or cut-off event breaks it, and so does a head or a key id
   * that is missing. Events appended after the head was read are left to the next call.
   */
  async verify(): Promise<ChainVerification> {
    const result = await this.walkChain();
    this.metrics.auditChainVerifications
      .labels({ result: result.valid ? 'valid' : 'invalid' })
      .inc();
    return result;
  }

  private async walkChain(): Promise<ChainVerification> {
    if (!(await this.events.chainSchemaIntact())) {
      return { valid: false, count: 0, brokenAt: (await this.events.hasAnyRow()) ? 1 : 0 };
    }
    // Through the write queue: on SQLite a read beside it could see an append's uncommitted head.
    const head = await this.writes.run((m) => this.events.readHead(m));
    if (head !== undefined && isEmptyChainHead(head)) {
      // Valid only as the chain before its first event: any row means the head was put back.
      return (await this.events.hasAnyRow())
        ? { valid: false, count: 0, brokenAt: 1 }
        : { valid: true, count: 0 };
    }
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    for (;;) {
      // Without a head, every row is walked (for the count); the answer is invalid anyway.
      const batch = await this.events.chainSlice(expectedSeq, head?.seq, BATCH);
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
    if (
      head === undefined ||
      head.seq !== count ||
      head.hash !== prevHash ||
      !this.keys.headIsGenuine(head)
    ) {
      return { valid: false, count, brokenAt: expectedSeq };
    }
    return { valid: true, count };
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

const HISTORY_EVENTS: Partial<Record<string, MfaHistoryEvent>> = {
  [AuditAction.MfaEnrolled]: 'enrolled',
  [AuditAction.MfaReset]: 'reset',
  [AuditAction.AccountLocked]: 'locked',
  [AuditAction.AccountUpdated]: 'unlocked',
  [AuditAction.EnrollmentCodeUsed]: 'enrollment-code-used',
};

function toMfaHistoryItem(event: AuditEvent): MfaHistoryItem {
  const details =
    event.details === null ? {} : (JSON.parse(event.details) as Record<string, unknown>);
  const text = (name: string) => (typeof details[name] === 'string' ? details[name] : undefined);
  const kind = HISTORY_EVENTS[event.action] ?? 'reset';
  const reason = kind === 'reset' ? text('reason') : undefined;
  const ticket = kind === 'reset' ? text('ticket') : undefined;
  const lockedUntil = kind === 'locked' ? text('lockedUntil') : undefined;
  return {
    at: event.occurredAt.toISOString(),
    event: kind,
    byId: event.actorId,
    byName: event.actorName,
    ...(reason === undefined ? {} : { reason }),
    ...(ticket === undefined ? {} : { ticket }),
    ...(lockedUntil === undefined ? {} : { lockedUntil }),
    clientIp: event.clientIp,
    traceId: event.traceId,
    auditEventId: event.id,
  };
}
