"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_test_1 = require("node:test");
const audit_chain_1 = require("./audit-chain");
const keyA = { id: 'aaaaaaaa', key: Buffer.alloc(32, 1) };
const keyB = { id: 'bbbbbbbb', key: Buffer.alloc(32, 2) };
const ROW = {
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
(0, node_test_1.describe)('audit chain hashes', () => {
    const keys = new audit_chain_1.AuditChainKeys(keyA, [keyB]);
    (0, node_test_1.it)('signs a row with HMAC-SHA256 under a key derived from the MFA key by HKDF', () => {
        const derived = Buffer.from((0, node_crypto_1.hkdfSync)('sha256', keyA.key, Buffer.alloc(0), 'audit-chain', 32));
        const expected = (0, node_crypto_1.createHmac)('sha256', derived).update(JSON.stringify(FIELDS)).digest('hex');
        strict_1.default.equal((0, audit_chain_1.rowHash)(keys.current, ROW), expected);
    });
    (0, node_test_1.it)('keeps the stored format: a fixed row under a fixed key gives a fixed hash', () => {
        // A change here makes every stored chain unverifiable.
        strict_1.default.equal((0, audit_chain_1.rowHash)(keys.current, ROW), '55ddd58a6a1c8d88055e7f52d596599231f3a2b76b48776f9133f31d0c490818');
    });
    (0, node_test_1.it)('is not the plain SHA-256 an attacker without the key could recompute', () => {
        const plain = (0, node_crypto_1.createHash)('sha256').update(JSON.stringify(FIELDS)).digest('hex');
        strict_1.default.notEqual((0, audit_chain_1.rowHash)(keys.current, ROW), plain);
        // Nor the SHA-256 of the fields without the key id (an unkeyed chain this service never wrote).
        const unkeyed = [...FIELDS.slice(0, 13), ROW.prevHash];
        strict_1.default.notEqual((0, audit_chain_1.rowHash)(keys.current, ROW), (0, node_crypto_1.createHash)('sha256').update(JSON.stringify(unkeyed)).digest('hex'));
    });
    (0, node_test_1.it)('changes with the key, with every field, and with the previous hash', () => {
        const signed = (0, audit_chain_1.rowHash)(keys.current, ROW);
        strict_1.default.notEqual((0, audit_chain_1.rowHash)(keys.find(keyB.id), ROW), signed);
        for (const change of [
            { seq: 8 },
            { targetName: 'mallory' },
            { outcome: 'failure' },
            { occurredAt: new Date('2025-01-02T03:04:05.679Z') },
            { details: null },
            { keyId: keyB.id },
            { prevHash: audit_chain_1.GENESIS_HASH },
        ]) {
            strict_1.default.notEqual((0, audit_chain_1.rowHash)(keys.current, { ...ROW, ...change }), signed, JSON.stringify(change));
        }
    });
    (0, node_test_1.it)('finds the current and previous keys by id, and no other', () => {
        strict_1.default.equal(keys.current.id, keyA.id);
        strict_1.default.equal(keys.find(keyA.id), keys.current);
        strict_1.default.equal(keys.find(keyB.id)?.id, keyB.id);
        strict_1.default.equal(keys.find('cccccccc'), undefined);
        strict_1.default.equal(keys.find(null), undefined);
        strict_1.default.equal(new audit_chain_1.AuditChainKeys(keyB).find(keyA.id), undefined);
    });
    (0, node_test_1.it)('signs the head apart from rows: its MAC is no row hash, and covers seq and hash', () => {
        const head = { seq: ROW.seq, hash: (0, audit_chain_1.rowHash)(keys.current, ROW) };
        const mac = (0, audit_chain_1.headMac)(keys.current, head);
        strict_1.default.match(mac, /^[0-9a-f]{64}$/);
        strict_1.default.notEqual(mac, head.hash);
        strict_1.default.notEqual((0, audit_chain_1.headMac)(keys.current, { ...head, seq: 6 }), mac);
        strict_1.default.notEqual((0, audit_chain_1.headMac)(keys.current, { ...head, hash: audit_chain_1.GENESIS_HASH }), mac);
        strict_1.default.notEqual((0, audit_chain_1.headMac)(keys.find(keyB.id), head), mac);
    });
    (0, node_test_1.it)('compares MACs exactly', () => {
        const mac = (0, audit_chain_1.headMac)(keys.current, { seq: 1, hash: audit_chain_1.GENESIS_HASH });
        strict_1.default.equal((0, audit_chain_1.macMatches)(mac, mac), true);
        strict_1.default.equal((0, audit_chain_1.macMatches)(mac.toUpperCase(), mac), false);
        strict_1.default.equal((0, audit_chain_1.macMatches)(mac.slice(1), mac), false);
        strict_1.default.equal((0, audit_chain_1.macMatches)(null, mac), false);
        strict_1.default.equal((0, audit_chain_1.macMatches)('', mac), false);
    });
});
//# sourceMappingURL=audit-chain.spec.js.map