import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError, loadConfig } from './app-config';

/** Asserts that loading this environment fails with a ConfigError naming the variable. */
function assertRefused(env: Record<string, string>, variable: string): ConfigError {
  let caught: unknown;
  try {
    loadConfig(env);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError naming ${variable}`);
  assert.equal(caught.variable, variable);
  assert.ok(caught.message.includes(variable), `the message '${caught.message}' names ${variable}`);
  return caught;
}

const STRONG_JWT_SECRET = randomBytes(48).toString('base64url');
const STRONG_MFA_KEY = randomBytes(32).toString('hex');
/** One character below the 32 the contract demands. */
const SHORT_JWT_SECRET = randomBytes(48).toString('base64url').slice(0, 31);

describe('loadConfig', () => {
  let root: string;
  let n = 0;
  /** A fresh, not yet existing folder under the test's temporary root. */
  const freshDir = () => join(root, `data-${++n}`);

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'mfa-admin-config-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  describe('defaults', () => {
    it('answers the documented defaults when only DATA_DIR is set', () => {
      const dir = freshDir();
      const config = loadConfig({ DATA_DIR: dir });
      assert.equal(config.production, false);
      assert.equal(config.port, 3000);
      assert.equal(config.dataDir, dir);
      assert.deepEqual(config.database, { kind: 'sqlite', file: join(dir, 'mfa-admin.sqlite') });
      assert.equal(config.logLevel, 'info');
      assert.equal(config.jwt.accessTokenTtlSeconds, 3600);
      assert.equal(config.jwt.preAuthTokenTtlSeconds, 300);
      assert.equal(config.stepUpMaxAgeSeconds, 900);
      assert.deepEqual(config.lockout, { threshold: 10, minutes: 15 });
      assert.equal(config.signInRateLimit, 60);
      assert.equal(config.trustProxy, false);
      assert.equal(config.bootstrapAdminPassword, undefined);
      assert.ok(config.jwt.secret.length >= 32);
      assert.equal(config.mfa.currentKey.key.length, 32);
      assert.deepEqual(config.mfa.previousKeys, []);
    });

    it('treats empty and blank values as unset', () => {
      const config = loadConfig({
        DATA_DIR: freshDir(),
        PORT: '',
        LOG_LEVEL: '  ',
        BOOTSTRAP_ADMIN_PASSWORD: '',
      });
      assert.equal(config.port, 3000);
      assert.equal(config.logLevel, 'info');
      assert.equal(config.bootstrapAdminPassword, undefined);
    });

    it('reads valid values', () => {
      const config = loadConfig({
        DATA_DIR: freshDir(),
        PORT: '8080',
        LOG_LEVEL: 'debug',
        DATABASE_URL: 'postgres://user@db.example:5432/mfa',
        STEP_UP_MAX_AGE: '0',
        LOCKOUT_THRESHOLD: '3',
        SIGNIN_RATE_LIMIT: '0',
      });
      assert.equal(config.port, 8080);
      assert.equal(config.logLevel, 'debug');
      assert.equal(config.database.kind, 'postgres');
      assert.equal(config.stepUpMaxAgeSeconds, 0);
      assert.equal(config.lockout.threshold, 3);
      assert.equal(config.signInRateLimit, 0);
    });
  });

  describe('PostgreSQL settings', () => {
    const postgres = (extra: Record<string, string> = {}) => {
      const config = loadConfig({
        DATA_DIR: freshDir(),
        DATABASE_URL: 'postgres://user@db.example:5432/mfa',
        ...extra,
      });
      assert.equal(config.database.kind, 'postgres');
      return config.database;
    };

    it('answers the documented defaults: the client-side query timeout a second above the statement timeout', () => {
      assert.deepEqual(postgres(), {
        kind: 'postgres',
        url: 'postgres://user@db.example:5432/mfa',
        poolSize: 10,
        statementTimeoutMs: 10_000,
        queryTimeoutMs: 11_000,
        connectTimeoutMs: 5000,
        ssl: false,
      });
    });

    it('follows DATABASE_STATEMENT_TIMEOUT_MS when DATABASE_QUERY_TIMEOUT_MS is unset', () => {
      assert.equal(postgres({ DATABASE_STATEMENT_TIMEOUT_MS: '2500' }).queryTimeoutMs, 3500);
      assert.equal(postgres({ DATABASE_STATEMENT_TIMEOUT_MS: '0' }).queryTimeoutMs, 0);
    });

    it('reads DATABASE_QUERY_TIMEOUT_MS and DATABASE_CONNECT_TIMEOUT_MS', () => {
      const database = postgres({
        DATABASE_STATEMENT_TIMEOUT_MS: '1000',
        DATABASE_QUERY_TIMEOUT_MS: '1500',
        DATABASE_CONNECT_TIMEOUT_MS: '2000',
      });
      assert.equal(database.queryTimeoutMs, 1500);
      assert.equal(database.connectTimeoutMs, 2000);
      assert.equal(postgres({ DATABASE_QUERY_TIMEOUT_MS: '0' }).queryTimeoutMs, 0);
      assert.equal(
        postgres({ DATABASE_STATEMENT_TIMEOUT_MS: '0', DATABASE_QUERY_TIMEOUT_MS: '500' })
          .queryTimeoutMs,
        500,
      );
    });

    const refused: ReadonlyArray<readonly [Record<string, string>, string]> = [
      [{ DATABASE_QUERY_TIMEOUT_MS: 'soon' }, 'DATABASE_QUERY_TIMEOUT_MS'],
      [{ DATABASE_QUERY_TIMEOUT_MS: '-1' }, 'DATABASE_QUERY_TIMEOUT_MS'],
      [{ DATABASE_QUERY_TIMEOUT_MS: '10000' }, 'DATABASE_QUERY_TIMEOUT_MS'],
      [
        { DATABASE_STATEMENT_TIMEOUT_MS: '5000', DATABASE_QUERY_TIMEOUT_MS: '4000' },
        'DATABASE_QUERY_TIMEOUT_MS',
      ],
      [{ DATABASE_CONNECT_TIMEOUT_MS: '0' }, 'DATABASE_CONNECT_TIMEOUT_MS'],
      [{ DATABASE_CONNECT_TIMEOUT_MS: 'x' }, 'DATABASE_CONNECT_TIMEOUT_MS'],
      [{ DATABASE_STATEMENT_TIMEOUT_MS: '-5' }, 'DATABASE_STATEMENT_TIMEOUT_MS'],
      [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE'],
    ];
    for (const [extra, variable] of refused) {
      it(`refuses ${JSON.stringify(extra)} with a ConfigError naming ${variable}`, () => {
        assertRefused(
          {
            DATA_DIR: freshDir(),
            DATABASE_URL: 'postgres://user@db.example:5432/mfa',
            ...extra,
          },
          variable,
        );
      });
    }
  });

  describe('TRUST_PROXY', () => {
    for (const value of ['off', 'false', '0', 'no', '']) {
      it(`trusts no proxy for '${value}'`, () => {
        assert.equal(loadConfig({ DATA_DIR: freshDir(), TRUST_PROXY: value }).trustProxy, false);
      });
    }

    it('takes addresses, CIDR ranges and the named ranges, comma-separated', () => {
      const config = loadConfig({
        DATA_DIR: freshDir(),
        TRUST_PROXY: 'Loopback, 10.0.0.1,192.168.0.0/16 ,fd00::/8,::1',
      });
      assert.equal(config.trustProxy, 'loopback,10.0.0.1,192.168.0.0/16,fd00::/8,::1');
    });
  });

  describe('HOST', () => {
    const hostOf = (env: Record<string, string>) =>
      loadConfig({ DATA_DIR: freshDir(), ...env }).host;

    it('is loopback outside production and every interface in production', () => {
      assert.equal(hostOf({}), '127.0.0.1');
      const production = {
        NODE_ENV: 'production',
        JWT_SECRET: STRONG_JWT_SECRET,
        MFA_ENCRYPTION_KEY: STRONG_MFA_KEY,
      };
      assert.equal(hostOf(production), undefined);
      assert.equal(hostOf({ ...production, HOST: '10.1.2.3' }), '10.1.2.3');
    });

    it('takes an IPv4 or IPv6 address (brackets allowed) or localhost', () => {
      assert.equal(hostOf({ HOST: '0.0.0.0' }), '0.0.0.0');
      assert.equal(hostOf({ HOST: '[::]' }), '::');
      assert.equal(hostOf({ HOST: '::1' }), '::1');
      assert.equal(hostOf({ HOST: 'LocalHost' }), 'localhost');
    });
  });

  describe('bad values', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['PORT', '30.5'],
      ['HOST', 'example.com'],
      ['HOST', '127.0.0.1:3000'],
      ['HOST', '999.1.1.1'],
      ['LOG_LEVEL', 'loud'],
      ['DATABASE_URL', 'mysql://x'],
      ['JWT_SECRET', SHORT_JWT_SECRET],
      ['MFA_ENCRYPTION_KEY', 'abcd'],
      ['MFA_ENCRYPTION_KEY', 'ab'.repeat(31)],
      ['MFA_ENCRYPTION_KEY', 'ab'.repeat(33)],
      ['LOCKOUT_THRESHOLD', '0'],
      ['STEP_UP_MAX_AGE', '-1'],
      ['SIGNIN_RATE_LIMIT', 'many'],
      ['ACCESS_TOKEN_TTL', 'soon'],
      ['BOOTSTRAP_ADMIN_PASSWORD', 'short'],
      ['MAX_OLD_SPACE_MIB', '10'],
      ['REQUEST_TIMEOUT_MS', '10'],
      ['MAX_OLD_SPACE_MIB', 'lots'],
      ['TRUST_PROXY', 'true'],
      ['TRUST_PROXY', '???'],
      ['TRUST_PROXY', '10.0.0.1,bogus'],
      ['TRUST_PROXY', '10.0.0.0/33'],
      ['TRUST_PROXY', '0.0.0.0/0'],
      ['TRUST_PROXY', '::/0'],
      ['TRUST_PROXY', '10.0.0.0/8/1'],
    ];
    for (const [variable, value] of cases) {
      const shown =
        variable === 'JWT_SECRET'
          ? `a ${value.length}-character secret`
          : value.length > 20
            ? `${value.slice(0, 8)}... (${value.length} characters)`
            : `'${value}'`;
      it(`refuses ${variable}=${shown} with a ConfigError naming ${variable}`, () => {
        assertRefused({ DATA_DIR: freshDir(), [variable]: value }, variable);
      });
    }
  });

  describe('development keys', () => {
    it('generates both keys once into DATA_DIR with mode 0600 and reuses them on the next load', () => {
      const dir = freshDir();
      const first = loadConfig({ DATA_DIR: dir });
      const jwtFile = join(dir, 'jwt-secret.key');
      const mfaFile = join(dir, 'mfa-encryption.key');
      for (const file of [jwtFile, mfaFile]) {
        assert.ok(existsSync(file), `${file} was written`);
        assert.equal(statSync(file).mode & 0o777, 0o600, `${file} is readable by its owner only`);
      }
      const jwtWritten = statSync(jwtFile).mtimeMs;
      const second = loadConfig({ DATA_DIR: dir });
      assert.deepEqual(second.jwt.secret, first.jwt.secret);
      assert.deepEqual(second.mfa.currentKey.key, first.mfa.currentKey.key);
      assert.equal(second.mfa.currentKey.id, first.mfa.currentKey.id);
      assert.equal(statSync(jwtFile).mtimeMs, jwtWritten, 'the key file was not rewritten');
    });

    it('generates different keys for different folders', () => {
      const a = loadConfig({ DATA_DIR: freshDir() });
      const b = loadConfig({ DATA_DIR: freshDir() });
      assert.notDeepEqual(a.jwt.secret, b.jwt.secret);
      assert.notDeepEqual(a.mfa.currentKey.key, b.mfa.currentKey.key);
    });

    it('writes no key file when both keys are given', () => {
      const dir = freshDir();
      loadConfig({
        DATA_DIR: dir,
        JWT_SECRET: STRONG_JWT_SECRET,
        MFA_ENCRYPTION_KEY: STRONG_MFA_KEY,
      });
      assert.equal(existsSync(join(dir, 'jwt-secret.key')), false);
      assert.equal(existsSync(join(dir, 'mfa-encryption.key')), false);
    });

    it('accepts the encryption key as base64 as well as hex', () => {
      const key = randomBytes(32);
      const hex = loadConfig({ DATA_DIR: freshDir(), MFA_ENCRYPTION_KEY: key.toString('hex') });
      const b64 = loadConfig({ DATA_DIR: freshDir(), MFA_ENCRYPTION_KEY: key.toString('base64') });
      assert.deepEqual(hex.mfa.currentKey.key, key);
      assert.deepEqual(b64.mfa.currentKey.key, key);
    });
  });

  describe('NODE_ENV=production', () => {
    const production = (extra: Record<string, string>) => ({
      NODE_ENV: 'production',
      DATA_DIR: freshDir(),
      JWT_SECRET: STRONG_JWT_SECRET,
      MFA_ENCRYPTION_KEY: STRONG_MFA_KEY,
      ...extra,
    });

    it('refuses to start without JWT_SECRET, and generates no key', () => {
      const env = production({});
      delete (env as Record<string, string | undefined>).JWT_SECRET;
      assertRefused(env, 'JWT_SECRET');
      assert.equal(existsSync(join(env.DATA_DIR, 'jwt-secret.key')), false);
    });

    it('refuses to start without MFA_ENCRYPTION_KEY, and generates no key', () => {
      const env = production({});
      delete (env as Record<string, string | undefined>).MFA_ENCRYPTION_KEY;
      assertRefused(env, 'MFA_ENCRYPTION_KEY');
      assert.equal(existsSync(join(env.DATA_DIR, 'mfa-encryption.key')), false);
    });

    it('refuses a placeholder JWT_SECRET (changeme repeated)', () => {
      assertRefused(production({ JWT_SECRET: 'changeme'.repeat(5) }), 'JWT_SECRET');
    });

    it("refuses a weak JWT_SECRET ('a' x 40)", () => {
      assertRefused(production({ JWT_SECRET: 'a'.repeat(40) }), 'JWT_SECRET');
    });

    it('refuses SIGNIN_RATE_LIMIT=0', () => {
      assertRefused(production({ SIGNIN_RATE_LIMIT: '0' }), 'SIGNIN_RATE_LIMIT');
    });

    it('refuses an all-zero MFA_ENCRYPTION_KEY', () => {
      assertRefused(production({ MFA_ENCRYPTION_KEY: '0'.repeat(64) }), 'MFA_ENCRYPTION_KEY');
    });

    it('loads with strong keys', () => {
      const config = loadConfig(production({}));
      assert.equal(config.production, true);
      assert.deepEqual(config.jwt.secret, Buffer.from(STRONG_JWT_SECRET, 'utf8'));
      assert.deepEqual(config.mfa.currentKey.key, Buffer.from(STRONG_MFA_KEY, 'hex'));
      assert.equal(config.signInRateLimit, 60);
    });
  });

  describe('accountable resets and mail', () => {
    it('defaults: no reason required, no enrolment code (24 h when on), messages logged', () => {
      const config = loadConfig({ DATA_DIR: freshDir() });
      assert.deepEqual(config.resets, {
        reasonRequired: false,
        enrollmentCode: false,
        enrollmentCodeTtlSeconds: 86_400,
        enrollmentCodeInMessage: false,
      });
      assert.deepEqual(config.mail, {
        smtpUrl: undefined,
        from: 'MFA Admin <mfa-admin@localhost>',
      });
    });

    it('takes an smtp:// or smtps:// URL with credentials, and a sender with a name', () => {
      const config = loadConfig({
        DATA_DIR: freshDir(),
        SMTP_URL: 'smtps://user:p%40ss@mail.example.org:465',
        MAIL_FROM: 'Help Desk <helpdesk@example.org>',
        RESET_REASON_REQUIRED: 'true',
        RESET_ENROLLMENT_CODE: 'yes',
        ENROLLMENT_CODE_TTL: '3600',
      });
      assert.equal(config.mail.smtpUrl, 'smtps://user:p%40ss@mail.example.org:465');
      assert.equal(config.mail.from, 'Help Desk <helpdesk@example.org>');
      assert.equal(config.resets.reasonRequired, true);
      assert.equal(config.resets.enrollmentCode, true);
      assert.equal(config.resets.enrollmentCodeTtlSeconds, 3600);
    });

    it('refuses a bad value at start, naming the variable and never echoing a password', () => {
      const dir = freshDir();
      for (const url of ['http://mail.example.org', 'smtp://', 'not a url', 'smtp://h/path']) {
        const error = assertRefused({ DATA_DIR: dir, SMTP_URL: url }, 'SMTP_URL');
        assert.ok(!error.message.includes('secret-pw'));
      }
      const secret = assertRefused({ DATA_DIR: dir, SMTP_URL: 'ftp://u:secret-pw@h' }, 'SMTP_URL');
      assert.ok(!secret.message.includes('secret-pw'), secret.message);
      for (const from of ['nobody', 'a@b\r\nBcc: x@y', '<>'])
        assertRefused({ DATA_DIR: dir, MAIL_FROM: from }, 'MAIL_FROM');
      assertRefused({ DATA_DIR: dir, RESET_REASON_REQUIRED: 'sometimes' }, 'RESET_REASON_REQUIRED');
      assertRefused({ DATA_DIR: dir, ENROLLMENT_CODE_TTL: '59' }, 'ENROLLMENT_CODE_TTL');
      assertRefused({ DATA_DIR: dir, ENROLLMENT_CODE_TTL: '1h' }, 'ENROLLMENT_CODE_TTL');
    });
  });
});
