"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const node_test_1 = require("node:test");
const app_config_1 = require("../config/app-config");
const secret_cipher_1 = require("./secret-cipher");
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
(0, node_test_1.describe)('SecretCipher', () => {
    let dir;
    const keyA = (0, node_crypto_1.randomBytes)(32).toString('hex');
    const keyB = (0, node_crypto_1.randomBytes)(32).toString('base64');
    /** A cipher whose current key is `current` and which still reads `previous`. */
    const cipherWith = (current, previous = []) => new secret_cipher_1.SecretCipher((0, app_config_1.loadConfig)({
        DATA_DIR: dir,
        MFA_ENCRYPTION_KEY: current,
        MFA_ENCRYPTION_KEYS_PREVIOUS: previous.join(','),
    }));
    (0, node_test_1.before)(() => {
        dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'mfa-admin-cipher-'));
    });
    (0, node_test_1.after)(() => (0, node_fs_1.rmSync)(dir, { recursive: true, force: true }));
    (0, node_test_1.it)('decrypts what it encrypted, for the same account', () => {
        const cipher = cipherWith(keyA);
        const account = (0, node_crypto_1.randomUUID)();
        strict_1.default.equal(cipher.decrypt(cipher.encrypt(SECRET, account), account), SECRET);
    });
    (0, node_test_1.it)('stores version, key id, nonce, tag and body, and never the secret', () => {
        const stored = cipherWith(keyA).encrypt(SECRET, (0, node_crypto_1.randomUUID)());
        const parts = stored.split(':');
        strict_1.default.equal(parts.length, 5);
        strict_1.default.equal(parts[0], 'v1');
        strict_1.default.match(parts[1], /^[A-Za-z0-9_-]+$/, 'a key id');
        strict_1.default.equal(Buffer.from(parts[2], 'base64url').length, 12, '96-bit nonce');
        strict_1.default.equal(Buffer.from(parts[3], 'base64url').length, 16, '128-bit tag');
        strict_1.default.ok(!stored.includes(SECRET));
        strict_1.default.ok(!stored.includes(Buffer.from(SECRET).toString('base64url')));
    });
    (0, node_test_1.it)('uses a fresh nonce each time: the same secret never encrypts the same way twice', () => {
        const cipher = cipherWith(keyA);
        const account = (0, node_crypto_1.randomUUID)();
        const seen = new Set(Array.from({ length: 50 }, () => cipher.encrypt(SECRET, account)));
        strict_1.default.equal(seen.size, 50);
    });
    (0, node_test_1.it)("refuses a ciphertext copied to another account's row (the account id is bound in)", () => {
        const cipher = cipherWith(keyA);
        const stored = cipher.encrypt(SECRET, (0, node_crypto_1.randomUUID)());
        strict_1.default.throws(() => cipher.decrypt(stored, (0, node_crypto_1.randomUUID)()));
    });
    (0, node_test_1.it)('refuses a tampered body, nonce or tag', () => {
        const cipher = cipherWith(keyA);
        const account = (0, node_crypto_1.randomUUID)();
        const parts = cipher.encrypt(SECRET, account).split(':');
        for (const index of [2, 3, 4]) {
            const bytes = Buffer.from(parts[index], 'base64url');
            bytes[0] ^= 0x01;
            const tampered = [...parts];
            tampered[index] = bytes.toString('base64url');
            strict_1.default.throws(() => cipher.decrypt(tampered.join(':'), account), `part ${index}`);
        }
    });
    (0, node_test_1.it)('refuses an unknown version, an unknown key id and a truncated value', () => {
        const cipher = cipherWith(keyA);
        const account = (0, node_crypto_1.randomUUID)();
        const parts = cipher.encrypt(SECRET, account).split(':');
        strict_1.default.throws(() => cipher.decrypt(['v2', ...parts.slice(1)].join(':'), account), /unknown/);
        strict_1.default.throws(() => cipher.decrypt([parts[0], 'nokey', ...parts.slice(2)].join(':'), account), /unknown/);
        strict_1.default.throws(() => cipher.decrypt(parts.slice(0, 4).join(':'), account), /unknown/);
        strict_1.default.throws(() => cipher.decrypt(SECRET, account), /unknown/);
    });
    (0, node_test_1.it)('rotates: after a key change, old values still decrypt through the previous keys', () => {
        const account = (0, node_crypto_1.randomUUID)();
        const underA = cipherWith(keyA).encrypt(SECRET, account);
        const rotated = cipherWith(keyB, [keyA]);
        strict_1.default.equal(rotated.decrypt(underA, account), SECRET);
        const underB = rotated.encrypt(SECRET, account);
        strict_1.default.notEqual(underB.split(':')[1], underA.split(':')[1], 'new values name the new key');
        strict_1.default.equal(rotated.decrypt(underB, account), SECRET);
    });
    (0, node_test_1.it)('refuses values of a key that was dropped from the configuration', () => {
        const account = (0, node_crypto_1.randomUUID)();
        const underA = cipherWith(keyA).encrypt(SECRET, account);
        strict_1.default.throws(() => cipherWith(keyB).decrypt(underA, account), /unknown key/);
    });
    (0, node_test_1.it)('hashes recovery codes under every known key, current first, repeatably', () => {
        const single = cipherWith(keyA).keyedHashes('abcde-23456');
        const rotated = cipherWith(keyB, [keyA]).keyedHashes('abcde-23456');
        strict_1.default.equal(single.length, 1);
        strict_1.default.equal(rotated.length, 2);
        strict_1.default.match(rotated[0], /^[0-9a-f]{64}$/);
        strict_1.default.equal(rotated[1], single[0], 'the previous key gives the old hash');
        strict_1.default.notEqual(rotated[0], single[0], 'the current key gives another');
        strict_1.default.deepEqual(cipherWith(keyA).keyedHashes('abcde-23456'), single);
        strict_1.default.notDeepEqual(cipherWith(keyA).keyedHashes('abcde-23457'), single);
    });
});
//# sourceMappingURL=secret-cipher.spec.js.map