"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuditChainKeys = exports.GENESIS_HASH = void 0;
exports.chainFields = chainFields;
exports.rowHash = rowHash;
exports.headMac = headMac;
exports.macMatches = macMatches;
const node_crypto_1 = require("node:crypto");
/** The previous hash of the first row, and the anchored head of an empty chain. */
exports.GENESIS_HASH = '0'.repeat(64);
/** HKDF `info`: the chain's key is derived from the MFA key for this purpose only. */
const PURPOSE = 'audit-chain';
/**
 * The chain's keys, one per MFA encryption key: the current one signs, previous ones (still in
 * MFA_ENCRYPTION_KEYS_PREVIOUS) verify rows signed before a rotation. The database holds only key
 * ids, so whoever can write to it cannot recompute a valid chain.
 */
class AuditChainKeys {
    current;
    byId;
    constructor(current, previous = []) {
        const derive = (k) => ({
            id: k.id,
            key: Buffer.from((0, node_crypto_1.hkdfSync)('sha256', k.key, Buffer.alloc(0), PURPOSE, 32)),
        });
        this.current = derive(current);
        this.byId = new Map([
            ...previous.map((k) => [k.id, derive(k)]),
            [current.id, this.current],
        ]);
    }
    static fromConfig(config) {
        return new AuditChainKeys(config.mfa.currentKey, config.mfa.previousKeys);
    }
    find(id) {
        return id === null ? undefined : this.byId.get(id);
    }
    /** Whether the anchored head carries a MAC of its position and hash under a key this holds. */
    headIsGenuine(head) {
        const key = this.find(head.key_id);
        return key !== undefined && macMatches(head.mac, headMac(key, head));
    }
}
exports.AuditChainKeys = AuditChainKeys;
/** A row's fields other than the chain's own, in column order; its time as given. */
function contentFields(row, time) {
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
function chainFields(row, time) {
    return [...contentFields(row, time), row.keyId, row.prevHash];
}
/** A row's hash: HMAC-SHA256 under the chain key over its fields and the previous hash. */
function rowHash(key, row) {
    return (0, node_crypto_1.createHmac)('sha256', key.key)
        .update(JSON.stringify(chainFields(row, row.occurredAt.toISOString())))
        .digest('hex');
}
/** The anchored head's own MAC; its message starts with a string, a row's with a number. */
function headMac(key, head) {
    return (0, node_crypto_1.createHmac)('sha256', key.key)
        .update(JSON.stringify(['head', key.id, head.seq, head.hash]))
        .digest('hex');
}
/** Compares a stored MAC with the expected one in constant time. */
function macMatches(stored, expected) {
    if (stored === null || stored.length !== expected.length)
        return false;
    return (0, node_crypto_1.timingSafeEqual)(Buffer.from(stored, 'utf8'), Buffer.from(expected, 'utf8'));
}
//# sourceMappingURL=audit-chain.js.map