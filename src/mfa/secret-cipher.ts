import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, EncryptionKey } from '../config/app-config';

const VERSION = 'v1';

/**
 * TOTP secrets at rest: AES-256-GCM, a fresh 96-bit nonce each time, the owning account's id as
 * additional data (a ciphertext copied to another row does not decrypt), and the key id in the
 * stored value so keys can be rotated (MFA_ENCRYPTION_KEYS_PREVIOUS still decrypts).
 */
@Injectable()
export class SecretCipher {
  private readonly keys: ReadonlyMap<string, EncryptionKey>;
  private readonly current: EncryptionKey;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.current = config.mfa.currentKey;
    this.keys = new Map([config.mfa.currentKey, ...config.mfa.previousKeys].map((k) => [k.id, k]));
  }

  encrypt(plaintext: string, accountId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(accountId, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
    return [VERSION, this.current.id, ...parts].join(':');
  }

  decrypt(stored: string, accountId: string): string {
    const [version, keyId, iv, tag, body] = stored.split(':');
    const key = this.keys.get(keyId);
    if (version !== VERSION || key === undefined || body === undefined) {
      throw new Error('MFA secret was encrypted with an unknown key or format');
    }
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(accountId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }

  /** Keyed hashes of a value under every known key, current first (for recovery-code lookup). */
  keyedHashes(value: string): string[] {
    return [...this.keys.values()].map((k) =>
      createHmac(
        'sha256',
        Buffer.from(hkdfSync('sha256', k.key, Buffer.alloc(0), 'recovery-codes', 32)),
      )
        .update(value)
        .digest('hex'),
    );
  }
}
