import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AppConfig, EncryptionKey } from '../config/app-config';
import { AuditEvent } from './entities/audit-event.entity';

/** The previous hash of the first row, and the anchored head of an empty chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** HKDF `info`: the chain's key is derived from the MFA key for this purpose only. */
const PURPOSE = 'audit-chain';

/** The MAC key of one generation of the MFA encryption key, named by that key's id. */
export interface ChainKey {
  readonly id: string;
  readonly key: Buffer;
}

export type ChainField = string | number | Date | null;

/** A row as the chain covers it: everything but its own hash. */
export type ChainRow = Omit<AuditEvent, 'hash'>;

export interface AnchoredHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * The chain's keys, one per MFA encryption key: the current one signs, previous ones (still in
 * MFA_ENCRYPTION_KEYS_PREVIOUS) verify rows signed before a rotation. The database holds only key
 * ids, so whoever can write to it cannot recompute a valid chain.
 */
export class AuditChainKeys {
  readonly current: ChainKey;
  private readonly byId: ReadonlyMap<string, ChainKey>;

  constructor(current: EncryptionKey, previous: readonly EncryptionKey[] = []) {
    const derive = (k: EncryptionKey): ChainKey => ({
      id: k.id,
      key: Buffer.from(hkdfSync('sha256', k.key, Buffer.alloc(0), PURPOSE, 32)),
    });
    this.current = derive(current);
    this.byId = new Map([
      ...previous.map((k): [string, ChainKey] => [k.id, derive(k)]),
      [current.id, this.current],
    ]);
  }

  static fromConfig(config: AppConfig): AuditChainKeys {
    return new AuditChainKeys(config.mfa.currentKey, config.mfa.previousKeys);
  }

  find(id: string | null): ChainKey | undefined {
    return id === null ? undefined : this.byId.get(id);
  }

  /** Whether the anchored head carries a MAC of its position and hash under a key this holds. */
  headIsGenuine(
    head: AnchoredHead & { readonly key_id: string | null; readonly mac: string },
  ): boolean {
    const key = this.find(head.key_id);
    return key !== undefined && macMatches(head.mac, headMac(key, head));
  }
}

/** A row's fields other than the chain's own, in column order; its time as given. */
function contentFields(row: ChainRow, time: string | Date): ChainField[] {
  return [
    row.seq,
    row.id,
    time,
    row.action,
    row.outcome,
    row.actorId,
    row.actorName,
    row.targetId,
    row.targetName,
    row.clientIp,
    row.userAgent,
    row.traceId,
    row.details,
  ];
}

/** Every column a row's MAC covers, in column order (the key id, then the previous hash, last). */
export function chainFields(row: ChainRow, time: string | Date): ChainField[] {
  return [...contentFields(row, time), row.keyId, row.prevHash];
}

/** A row's hash: HMAC-SHA256 under the chain key over its fields and the previous hash. */
export function rowHash(key: ChainKey, row: ChainRow): string {
  return createHmac('sha256', key.key)
    .update(JSON.stringify(chainFields(row, row.occurredAt.toISOString())))
    .digest('hex');
}

/** The anchored head's own MAC; its message starts with a string, a row's with a number. */
export function headMac(key: ChainKey, head: AnchoredHead): string {
  return createHmac('sha256', key.key)
    .update(JSON.stringify(['head', key.id, head.seq, head.hash]))
    .digest('hex');
}

/** Compares a stored MAC with the expected one in constant time. */
export function macMatches(stored: string | null, expected: string): boolean {
  if (stored === null || stored.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(stored, 'utf8'), Buffer.from(expected, 'utf8'));
}
