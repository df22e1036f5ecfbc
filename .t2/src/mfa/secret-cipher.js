"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SecretCipher = void 0;
const node_crypto_1 = require("node:crypto");
const common_1 = require("@nestjs/common");
const app_config_1 = require("../config/app-config");
const VERSION = 'v1';
/**
 * TOTP secrets at rest: AES-256-GCM, a fresh 96-bit nonce each time, the owning account's id as
 * additional data (a ciphertext copied to another row does not decrypt), and the key id in the
 * stored value so keys can be rotated (MFA_ENCRYPTION_KEYS_PREVIOUS still decrypts).
 */
let SecretCipher = class SecretCipher {
    keys;
    current;
    constructor(config) {
        this.current = config.mfa.currentKey;
        this.keys = new Map([config.mfa.currentKey, ...config.mfa.previousKeys].map((k) => [k.id, k]));
    }
    encrypt(plaintext, accountId) {
        const iv = (0, node_crypto_1.randomBytes)(12);
        const cipher = (0, node_crypto_1.createCipheriv)('aes-256-gcm', this.current.key, iv);
        cipher.setAAD(Buffer.from(accountId, 'utf8'));
        const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
        const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
        return [VERSION, this.current.id, ...parts].join(':');
    }
    decrypt(stored, accountId) {
        const [version, keyId, iv, tag, body] = stored.split(':');
        const key = this.keys.get(keyId);
        if (version !== VERSION || key === undefined || body === undefined) {
            throw new Error('MFA secret was encrypted with an unknown key or format');
        }
        const decipher = (0, node_crypto_1.createDecipheriv)('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
        decipher.setAAD(Buffer.from(accountId, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([
            decipher.update(Buffer.from(body, 'base64url')),
            decipher.final(),
        ]).toString('utf8');
    }
    /** Keyed hashes of a value under every known key, current first (for recovery-code lookup). */
    keyedHashes(value) {
        return [...this.keys.values()].map((k) => (0, node_crypto_1.createHmac)('sha256', Buffer.from((0, node_crypto_1.hkdfSync)('sha256', k.key, Buffer.alloc(0), 'recovery-codes', 32)))
            .update(value)
            .digest('hex'));
    }
};
exports.SecretCipher = SecretCipher;
exports.SecretCipher = SecretCipher = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [Object])
], SecretCipher);
//# sourceMappingURL=secret-cipher.js.map