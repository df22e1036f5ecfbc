import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../config/app-config';
import { SecretCipher, UnknownSecretKeyError } from './secret-cipher';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('SecretCipher', () => {
  let dir: string;
  const keyA = randomBytes(32).toString('hex');
  const keyB = randomBytes(32).toString('base64');
  /** A cipher whose current key is `current` and which still reads `previous`. */
  const cipherWith = (current: string, previous: string[] = []) =>
    new SecretCipher(
      loadConfig({
        DATA_DIR: dir,
        MFA_ENCRYPTION_KEY: current,
        MFA_ENCRYPTION_KEYS_PREVIOUS: previous.join(','),
      }),
    );

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'mfa-admin-cipher-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('decrypts what it encrypted, for the same account', () => {
    const cipher = cipherWith(keyA);
    const account = randomUUID();
    assert.equal(cipher.decrypt(cipher.encrypt(SECRET, account), account), SECRET);
  });

  it('stores version, key id, nonce, tag and body, and never the secret', () => {
    const stored = cipherWith(keyA).encrypt(SECRET, randomUUID());
    const parts = stored.split(':');
    assert.equal(parts.length, 5);
    assert.equal(parts[0], 'v1');
    assert.match(parts[1], /^[A-Za-z0-9_-]+$/, 'a key id');
    assert.equal(Buffer.from(parts[2], 'base64url').length, 12, '96-bit nonce');
    assert.equal(Buffer.from(parts[3], 'base64url').length, 16, '128-bit tag');
    assert.ok(!stored.includes(SECRET));
    assert.ok(!stored.includes(Buffer.from(SECRET).toString('base64url')));
  });

  it('uses a fresh nonce each time: the same secret never encrypts the same way twice', () => {
    const cipher = cipherWith(keyA);
    const account = randomUUID();
    const seen = new Set(Array.from({ length: 50 }, () => cipher.encrypt(SECRET, account)));
    assert.equal(seen.size, 50);
  });

  it("refuses a ciphertext copied to another account's row (the account id is bound in)", () => {
    const cipher = cipherWith(keyA);
    const stored = cipher.encrypt(SECRET, randomUUID());
    assert.throws(() => cipher.decrypt(stored, randomUUID()));
  });

  it('refuses a tampered body, nonce or tag', () => {
    const cipher = cipherWith(keyA);
    const account = randomUUID();
    const parts = cipher.encrypt(SECRET, account).split(':');
    for (const index of [2, 3, 4]) {
      const bytes = Buffer.from(parts[index], 'base64url');
      bytes[0] ^= 0x01;
      const tampered = [...parts];
      tampered[index] = bytes.toString('base64url');
      assert.throws(() => cipher.decrypt(tampered.join(':'), account), `part ${index}`);
    }
  });

  it('refuses an unknown version, an unknown key id and a truncated value', () => {
    const cipher = cipherWith(keyA);
    const account = randomUUID();
    const parts = cipher.encrypt(SECRET, account).split(':');
    assert.throws(() => cipher.decrypt(['v2', ...parts.slice(1)].join(':'), account), /format/);
    assert.throws(
      () => cipher.decrypt([parts[0], 'nokey', ...parts.slice(2)].join(':'), account),
      (e: unknown) => e instanceof UnknownSecretKeyError && e.keyId === 'nokey',
    );
    assert.throws(() => cipher.decrypt(parts.slice(0, 4).join(':'), account), /format/);
    assert.throws(() => cipher.decrypt(SECRET, account), /format/);
  });

  it('rotates: after a key change, old values still decrypt through the previous keys', () => {
    const account = randomUUID();
    const underA = cipherWith(keyA).encrypt(SECRET, account);
    const rotated = cipherWith(keyB, [keyA]);
    assert.equal(rotated.decrypt(underA, account), SECRET);
    const underB = rotated.encrypt(SECRET, account);
    assert.notEqual(underB.split(':')[1], underA.split(':')[1], 'new values name the new key');
    assert.equal(rotated.decrypt(underB, account), SECRET);
  });

  it('refuses values of a key that was dropped from the configuration', () => {
    const account = randomUUID();
    const underA = cipherWith(keyA).encrypt(SECRET, account);
    assert.throws(
      () => cipherWith(keyB).decrypt(underA, account),
      /encrypted with a key that is not configured \(key id [0-9a-f]+\)/,
    );
  });

  it('hashes recovery codes under every known key, current first, repeatably', () => {
    const single = cipherWith(keyA).keyedHashes('abcde-23456');
    const rotated = cipherWith(keyB, [keyA]).keyedHashes('abcde-23456');
    assert.equal(single.length, 1);
    assert.equal(rotated.length, 2);
    assert.match(rotated[0], /^[0-9a-f]{64}$/);
    assert.equal(rotated[1], single[0], 'the previous key gives the old hash');
    assert.notEqual(rotated[0], single[0], 'the current key gives another');
    assert.deepEqual(cipherWith(keyA).keyedHashes('abcde-23456'), single);
    assert.notDeepEqual(cipherWith(keyA).keyedHashes('abcde-23457'), single);
  });
});
