import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Party } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { APP_LOGGER, AppLogger } from '../common/logging/logger';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Sql } from '../database/sql';
import { WriteQueue } from '../database/write-queue';
import { AuditAction } from './audit-action';
import {
  AnchoredHead,
  AuditChainKeys,
  ChainKey,
  ChainRow,
  GENESIS_HASH,
  headMac,
  rowHash,
} from './audit-chain';
import { AuditEventsRepository, HeadRow, isEmptyChainHead } from './audit-events.repository';
import { AuditEvent, AuditOutcome } from './entities/audit-event.entity';

/**
 * Stored as the head's MAC once the head failed its own: never a valid MAC, so an append on top
 * of a forged or missing head cannot launder it.
 */
const UNTRUSTED_HEAD = 'untrusted';

export interface AuditEntry {
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly actor?: Party;
  readonly target?: Party;
  readonly context?: RequestContext;
  readonly details?: Record<string, unknown>;
}

/**
 * The event's details; a call made with an API key names the key (id and shown prefix) in every
 * event it leaves, beside its owner as the actor.
 */
function detailsOf(entry: AuditEntry): string | null {
  const apiKey = entry.context?.apiKey;
  const dialect = entry.context?.dialect;
  if (apiKey === undefined && dialect === undefined)
    return entry.details === undefined ? null : JSON.stringify(entry.details);
  return JSON.stringify({
    ...entry.details,
    ...(apiKey === undefined ? {} : { apiKey: { id: apiKey.id, prefix: apiKey.prefix } }),
    ...(dialect === undefined ? {} : { dialect }),
  });
}

/** Where the next append goes, and whether the anchored head it continues was genuine. */
interface ChainTip extends AnchoredHead {
  readonly trusted: boolean;
}

/** A transaction's last row, where its head goes when it commits, and the key it is signed with. */
interface PendingHead {
  readonly tip: ChainTip;
  readonly key: ChainKey;
}

/**
 * Appends to the audit log: each event continues the keyed hash chain and moves its anchored
 * head, in the transaction of the change it records. Reading and verifying: AuditReader.
 */
@Injectable()
export class AuditService implements OnModuleInit {
  private readonly keys: AuditChainKeys;

  /**
   * The chain tip as this process last wrote it, kept only where this process is the database's
   * single writer, so an append needs no read. Any rollback forgets it.
   */
  private tip: ChainTip | undefined;

  /**
   * Each open transaction's last appended row. The anchored head is moved once, just before the
   * transaction commits (`WriteQueue.beforeCommit`), not once per row: a group commit of many
   * resets writes it once. The transaction's later appends continue from here, not from a read.
   */
  private readonly pending = new WeakMap<EntityManager, PendingHead>();

  constructor(
    private readonly events: AuditEventsRepository,
    private readonly sql: Sql,
    private readonly clock: Clock,
    writes: WriteQueue,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
  ) {
    this.keys = AuditChainKeys.fromConfig(config);
    writes.onRollback(() => (this.tip = undefined));
    writes.beforeCommit((manager) => this.moveHead(manager));
  }

  /** A missing head or key ids are reported at start; appends and Verify never trust them. */
  async onModuleInit(): Promise<void> {
    if (!(await this.events.chainSchemaIntact())) {
      this.logger.error(
        'the audit chain head or key ids are missing: the audit log was tampered with',
      );
    }
  }

  /**
   * Appends inside the caller's transaction, so the event lands with the change it records, or
   * not at all, and the anchored head moves with it (when the transaction commits). Appends are
   * serialised: by the write queue on SQLite, by the chain's lock on PostgreSQL.
   */
  async append(manager: EntityManager, entry: AuditEntry): Promise<AuditEvent> {
    await this.events.lockChain(manager);
    const tip =
      this.pending.get(manager)?.tip ??
      (this.sql.singleWriter ? this.tip : undefined) ??
      (await this.readTip(manager));
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
      details: detailsOf(entry),
      keyId: key.id,
      prevHash: tip.hash,
    };
    const event: AuditEvent = { ...row, hash: rowHash(key, row) };
    const next: ChainTip = { seq: event.seq, hash: event.hash, trusted: tip.trusted };
    // Taken before the writes finish, so the next append in this transaction needs no read.
    if (this.sql.singleWriter) this.tip = next;
    try {
      await this.events.insert(manager, event);
    } catch (error) {
      this.tip = undefined;
      throw error;
    }
    this.pending.set(manager, { tip: next, key });
    return event;
  }

  /** The transaction's last row anchored as the head (nothing when it appended nothing). */
  private async moveHead(manager: EntityManager): Promise<void> {
    const last = this.pending.get(manager);
    if (last === undefined) return;
    this.pending.delete(manager);
    const { tip, key } = last;
    await this.events.moveHead(manager, {
      seq: tip.seq,
      hash: tip.hash,
      keyId: key.id,
      mac: tip.trusted ? headMac(key, tip) : UNTRUSTED_HEAD,
    });
  }

  /**
   * After a key rotation: the chain head, genuine under the key that signed it, signed again under
   * the current key, so that appends go on once the earlier key is dropped (the events it signed
   * still need it to verify). Answers what was done.
   */
  async resignHead(
    manager: EntityManager,
  ): Promise<'resigned' | 'current' | 'empty' | 'untrusted'> {
    await this.events.lockChain(manager);
    // Rows appended earlier in this transaction anchor the head first.
    await this.moveHead(manager);
    const head = await this.events.readHead(manager);
    if (head === undefined || head.key_id === null) return 'empty';
    const key = this.keys.current;
    if (head.key_id === key.id) return 'current';
    if (!this.keys.headIsGenuine(head)) return 'untrusted';
    const moved = !(await this.events.resignHead(manager, head, key.id, headMac(key, head)));
    this.tip = undefined;
    return moved ? 'untrusted' : 'resigned';
  }

  /**
   * The anchored head, or the last row when rows lie beyond it (written without moving it: each
   * is then judged by its own MAC). A cut-off tail is not healed: the next row continues the head.
   */
  private async readTip(manager: EntityManager): Promise<ChainTip> {
    const row = await this.events.readTip(manager);
    const head: HeadRow | undefined =
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
      (this.keys.headIsGenuine(head) || (isEmptyChainHead(head) && row.last_seq === null));
    const anchored = { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH };
    if (row.last_seq !== null && row.last_hash !== null && row.last_seq > anchored.seq) {
      return { seq: row.last_seq, hash: row.last_hash, trusted };
    }
    return { ...anchored, trusted };
  }
}
