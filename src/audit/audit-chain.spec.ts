import assert from 'node:assert/strict';
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { EncryptionKey } from '../config/app-config';
import {
  AuditChainKeys,
  ChainRow,
  GENESIS_HASH,
  headMac,
  macMatches,
  rowHash,
} from './audit-chain';

const keyA: EncryptionKey = { id: 'aaaaaaaa', key: Buffer.alloc(32, 1) };
const keyB: EncryptionKey = { id: 'bbbbbbbb', key: Buffer.alloc(32, 2) };

const ROW: ChainRow = {
  seq: 7,
  id: '0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90',
  occurredAt: new Date('2025-01-02T03:04:05.678Z'),
  action: 'mfa.reset',
  outcome: 'success',
  actorId: null,
  actorName: 'admin',
  targetId: null,
  targetName: 'alice',
  clientIp: '127.0.0.1',
  userAgent: 'test/1.0',
  traceId: null,
  details: '{"batch":false}',
  keyId: keyA.id,
  prevHash: 'ab'.repeat(32),
};

/** ROW's columns in chain order, its time in ISO form: what the MAC covers. */
const FIELDS = [
  7,
  ROW.id,
  '2025-01-02T03:04:05.678Z',
  'mfa.reset',
  'success',
  null,
  'admin',
  null,
  'alice',
  '127.0.0.1',
  'test/1.0',
  null,
  '{"batch":false}',
  'aaaaaaaa',
  'ab'.repeat(32),
];

describe('audit chain hashes', () => {
  const keys = new AuditChainKeys(keyA, [keyB]);

  it('signs a row with HMAC-SHA256 under a key derived from the MFA key by HKDF', () => {
    const derived = Buffer.from(hkdfSync('sha256', keyA.key, Buffer.alloc(0), 'audit-chain', 32));
    const expected = createHmac('sha256', derived).update(JSON.stringify(FIELDS)).digest('hex');
    assert.equal(rowHash(keys.current, ROW), expected);
  });

  it('keeps the stored format: a fixed row under a fixed key gives a fixed hash', () => {
    // A change here makes every stored chain unverifiable.
    assert.equal(
      rowHash(keys.current, ROW),
      '55ddd58a6a1c8d88055e7f52d596599231f3a2b76b48776f9133f31d0c490818',
    );
  });

  it('is not the plain SHA-256 an attacker without the key could recompute', () => {
    const plain = createHash('sha256').update(JSON.stringify(FIELDS)).digest('hex');
    assert.notEqual(rowHash(keys.current, ROW), plain);
    // Nor the SHA-256 of the fields without the key id (an unkeyed chain this service never wrote).
    const unkeyed = [...FIELDS.slice(0, 13), ROW.prevHash];
    assert.notEqual(
      rowHash(keys.current, ROW),
      createHash('sha256').update(JSON.stringify(unkeyed)).digest('hex'),
    );
  });

  it('changes with the key, with every field, and with the previous hash', () => {
    const signed = rowHash(keys.current, ROW);
    assert.notEqual(rowHash(keys.find(keyB.id)!, ROW), signed);
    for (const change of [
      { seq: 8 },
      { targetName: 'mallory' },
      { outcome: 'failure' as const },
      { occurredAt: new Date('2025-01-02T03:04:05.679Z') },
      { details: null },
      { keyId: keyB.id },
      { prevHash: GENESIS_HASH },
    ]) {
      assert.notEqual(rowHash(keys.current, { ...ROW, ...change }), signed, JSON.stringify(change));
    }
  });

  it('finds the current and previous keys by id, and no other', () => {
    assert.equal(keys.current.id, keyA.id);
    assert.equal(keys.find(keyA.id), keys.current);
    assert.equal(keys.find(keyB.id)?.id, keyB.id);
    assert.equal(keys.find('cccccccc'), undefined);
    assert.equal(keys.find(null), undefined);
    assert.equal(new AuditChainKeys(keyB).find(keyA.id), undefined);
  });

  it('signs the head apart from rows: its MAC is no row hash, and covers seq and hash', () => {
    const head = { seq: ROW.seq, hash: rowHash(keys.current, ROW) };
    const mac = headMac(keys.current, head);
    assert.match(mac, /^[0-9a-f]{64}$/);
    assert.notEqual(mac, head.hash);
    assert.notEqual(headMac(keys.current, { ...head, seq: 6 }), mac);
    assert.notEqual(headMac(keys.current, { ...head, hash: GENESIS_HASH }), mac);
    assert.notEqual(headMac(keys.find(keyB.id)!, head), mac);
  });

  it('compares MACs exactly', () => {
    const mac = headMac(keys.current, { seq: 1, hash: GENESIS_HASH });
    assert.equal(macMatches(mac, mac), true);
    assert.equal(macMatches(mac.toUpperCase(), mac), false);
    assert.equal(macMatches(mac.slice(1), mac), false);
    assert.equal(macMatches(null, mac), false);
    assert.equal(macMatches('', mac), false);
  });
});
