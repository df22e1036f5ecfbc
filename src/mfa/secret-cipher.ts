import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, EncryptionKey } from '../config/app-config';

const VERSION = 'v1';

/** What a keyed hash is for: each purpose hashes under a key of its own. */
export type HashPurpose = 'recovery-codes' | 'api-keys' | 'enrollment-codes';

/** A stored secret whose key is not configured here (dropped from MFA_ENCRYPTION_KEYS_PREVIOUS). */
export class UnknownSecretKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`MFA secret was encrypted with a key that is not configured (key id ${keyId})`);
  }
}

/**
 * TOTP secrets at rest: AES-256-GCM, a fresh 96-bit nonce each time, the owning account's id as
 * additional data (a ciphertext copied to another row does not decrypt), and the key id in the
 * stored value so keys can be rotated (MFA_ENCRYPTION_KEYS_PREVIOUS still decrypts).
 */
@Injectable()
export class SecretCipher {
  private readonly keys: ReadonlyMap<string, EncryptionKey>;
  private readonly current: EncryptionKey;
  private readonly hashKeys: Readonly<Record<HashPurpose, readonly Buffer[]>>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.current = config.mfa.currentKey;
    this.keys = new Map([config.mfa.currentKey, ...config.mfa.previousKeys].map((k) => [k.id, k]));
    const derive = (purpose: HashPurpose) =>
      [...this.keys.values()].map((k) =>
        Buffer.from(hkdfSync('sha256', k.key, Buffer.alloc(0), purpose, 32)),
      );
    this.hashKeys = {
      'recovery-codes': derive('recovery-codes'),
      'api-keys': derive('api-keys'),
      'enrollment-codes': derive('enrollment-codes'),
    };
  }

  encrypt(plaintext: string, accountId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(accountId, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
    return [VERSION, this.current.id, ...parts].join(':');
  }

  /** The prefix of every value encrypted under the current key (what a re-wrap looks for). */
  get currentPrefix(): string {
    return `${VERSION}:${this.current.id}:`;
  }

  /** True when the value is encrypted under another key than the current one. */
  needsRewrap(stored: string): boolean {
    return !stored.startsWith(this.currentPrefix);
  }

  /** The same secret, encrypted under the current key (after MFA_ENCRYPTION_KEY was rotated). */
  rewrap(stored: string, accountId: string): string {
    return this.encrypt(this.decrypt(stored, accountId), accountId);
  }

  decrypt(stored: string, accountId: string): string {
    const [version, keyId, iv, tag, body] = stored.split(':');
    if (version !== VERSION || body === undefined) {
      throw new Error('MFA secret is not in a known format');
    }
    const key = this.keys.get(keyId);
    if (key === undefined) throw new UnknownSecretKeyError(keyId.slice(0, 32));
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(accountId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  /**
   * Keyed hashes (HMAC-SHA256) of a value under every known key, current first, for looking up
   * what is stored only hashed: recovery codes, API keys. Each purpose has its own derived key.
   */
  keyedHashes(value: string, purpose: HashPurpose = 'recovery-codes'): string[] {
    return this.hashKeys[purpose].map((k) => createHmac('sha256', k).update(value).digest('hex'));
  }
}
