import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser } from './support/accounts';
import { FakeClock } from './support/fake-clock';
import { assertProblem } from './support/problem';
import { buildService, projectRoot } from './support/service-process';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { lastingDatabase } from './support/test-database';

/** The key id a stored secret names (`v1:<key id>:...`). */
async function secretKeyIds(t: TestApp): Promise<string[]> {
  const rows = await t.sql<{ mfa_secret: string | null; mfa_pending_secret: string | null }>(
    'SELECT mfa_secret, mfa_pending_secret FROM accounts',
  );
  return rows
    .flatMap((r) => [r.mfa_secret, r.mfa_pending_secret])
    .filter((s): s is string => s !== null)
    .map((s) => s.split(':')[1]);
}

describe('rotating MFA_ENCRYPTION_KEY: secrets re-wrapped on use and by a command', () => {
  const keyA = randomBytes(32).toString('hex');
  const keyB = randomBytes(32).toString('hex');
  const keyC = randomBytes(32).toString('hex');
  const clock = new FakeClock();
  let database: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;
  let dataDir: string;
  let admin: SignedIn;
  let idle: SignedIn;
  let idA: string;
  let idB: string;

  const start = (keys: Record<string, string>) => TestApp.start({ ...env, ...keys }, clock);

  /** `npm run secrets:rewrap` as an operator runs it, on the compiled service. */
  const rewrapCommand = (keys: Record<string, string>) => {
    const result = spawnSync(process.execPath, [join('dist', 'src', 'rewrap-secrets.js')], {
      cwd: projectRoot(),
      env: { ...process.env, ...env, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...keys },
      encoding: 'utf8',
      timeout: 60_000,
    });
    const lines = result.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    return { status: result.status, lines, output: result.stdout + result.stderr };
  };

  before(async () => {
    buildService();
    database = await lastingDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'mfa-admin-rotation-'));
    env = { DATABASE_URL: database.url, JWT_SECRET: randomBytes(32).toString('base64url') };
    const t = await start({ MFA_ENCRYPTION_KEY: keyA });
    try {
      idA = t.config.mfa.currentKey.id;
      admin = await t.enrolledAdmin();
      idle = await enrolledUser(t, 'idle-user');
    } finally {
      await t.close();
    }
  });
  after(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('re-encrypts a secret under the current key when it is next used', async () => {
    const t = await start({ MFA_ENCRYPTION_KEY: keyB, MFA_ENCRYPTION_KEYS_PREVIOUS: keyA });
    try {
      idB = t.config.mfa.currentKey.id;
      assert.deepEqual(await secretKeyIds(t), [idA, idA]);
      await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
      const [row] = await t.sql<{ mfa_secret: string }>(
        'SELECT mfa_secret FROM accounts WHERE id = ?',
        [admin.id],
      );
      assert.equal(row.mfa_secret.split(':')[1], idB, 'the admin signed in: re-wrapped');
      assert.deepEqual((await secretKeyIds(t)).sort(), [idA, idB].sort(), 'the idle one is not');
    } finally {
      await t.close();
    }
  });

  it('answers 503 with a log line naming the key id for a secret under a dropped key', async () => {
    const t = await start({ MFA_ENCRYPTION_KEY: keyB });
    try {
      const preAuth = await t.preAuth(idle.userName, idle.password);
      t.nextStep();
      const res = await request(t.http)
        .post('/signin2fa')
        .auth(preAuth, { type: 'bearer' })
        .type('json')
        .send(JSON.stringify(await t.code(idle.secret)));
      const problem = assertProblem(res, 503, '/signin2fa');
      assert.match(String(problem.detail), /key .* is not configured/);
      const line = t.logLines.find((l) => String(l.msg).includes('key that is not configured'));
      assert.equal(line?.keyId, idA, JSON.stringify(line));
      assert.equal(line?.level, 'error');
      // The admin's secret was re-wrapped on use: it signs in without the old key.
      await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
    } finally {
      await t.close();
    }
  });

  it('re-wraps every remaining secret with a command that can run again, then the old key can go', async () => {
    const first = rewrapCommand({ MFA_ENCRYPTION_KEY: keyB, MFA_ENCRYPTION_KEYS_PREVIOUS: keyA });
    assert.equal(first.status, 0, first.output);
    const report = first.lines.find((l) => typeof l.rewrapped === 'number');
    assert.equal(report?.rewrapped, 1, first.output);
    const again = rewrapCommand({ MFA_ENCRYPTION_KEY: keyB, MFA_ENCRYPTION_KEYS_PREVIOUS: keyA });
    assert.equal(again.status, 0, again.output);
    assert.equal(again.lines.find((l) => typeof l.rewrapped === 'number')?.rewrapped, 0);

    const t = await start({ MFA_ENCRYPTION_KEY: keyB });
    try {
      assert.deepEqual(await secretKeyIds(t), [idB, idB]);
      await t.signIn(idle.userName, idle.password, idle.secret);
    } finally {
      await t.close();
    }
  });

  it('names the keys it does not hold and exits non-zero, changing nothing', () => {
    const run = rewrapCommand({ MFA_ENCRYPTION_KEY: keyC });
    assert.equal(run.status, 2, run.output);
    const line = run.lines.find((l) => l.level === 'error');
    assert.deepEqual(line?.unknownKeys, { [idB]: 2 }, run.output);
    assert.doesNotMatch(run.output, new RegExp(keyB));
  });

  it('enables a pending enrolment begun under the old key under the current one', async () => {
    let t = await start({ MFA_ENCRYPTION_KEY: keyB });
    let enrollToken: string;
    let secret: string;
    try {
      const adminToken = await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
      await t.createAccount(adminToken, 'pending-user');
      enrollToken = await t.preAuth('pending-user', 'pending-user-Password-1!');
      const res = await request(t.http)
        .post('/api/v1/Mfa/Enroll')
        .auth(enrollToken, { type: 'bearer' })
        .expect(200);
      secret = (res.body as { secret: string }).secret;
    } finally {
      await t.close();
    }
    t = await start({ MFA_ENCRYPTION_KEY: keyC, MFA_ENCRYPTION_KEYS_PREVIOUS: keyB });
    try {
      t.nextStep();
      await request(t.http)
        .post('/api/v1/Mfa/Enroll/Confirm')
        .auth(enrollToken, { type: 'bearer' })
        .send({ code: await t.code(secret) })
        .expect(200);
      const [row] = await t.sql<{ mfa_secret: string }>(
        "SELECT mfa_secret FROM accounts WHERE user_name = 'pending-user'",
      );
      assert.equal(row.mfa_secret.split(':')[1], t.config.mfa.currentKey.id);
    } finally {
      await t.close();
    }
  });

  it('names an account whose secret does not decrypt, and re-wraps the others', async () => {
    const t = await start({ MFA_ENCRYPTION_KEY: keyC, MFA_ENCRYPTION_KEYS_PREVIOUS: keyB });
    try {
      // A value copied from another account does not decrypt (the account id is bound to it).
      await t.sql(
        "UPDATE accounts SET mfa_secret = (SELECT mfa_secret FROM accounts WHERE user_name = 'admin') WHERE user_name = ?",
        [idle.userName],
      );
    } finally {
      await t.close();
    }
    const run = rewrapCommand({ MFA_ENCRYPTION_KEY: keyC, MFA_ENCRYPTION_KEYS_PREVIOUS: keyB });
    assert.equal(run.status, 2, run.output);
    const line = run.lines.find((l) => l.level === 'error');
    assert.deepEqual(line?.unreadable, [idle.id], run.output);
    assert.equal(line?.rewrapped, 1, 'the admin is re-wrapped');
  });

  it('signs the audit chain head again, so an instance without the old key can still append', async () => {
    const keyD = randomBytes(32).toString('hex');
    // The last start ran under C: the head is signed with C. Rotate to D with the command alone.
    const run = rewrapCommand({ MFA_ENCRYPTION_KEY: keyD, MFA_ENCRYPTION_KEYS_PREVIOUS: keyC });
    const report = run.lines.find((l) => l.auditHead !== undefined);
    assert.equal(report?.auditHead, 'resigned', run.output);
    const t = await start({ MFA_ENCRYPTION_KEY: keyD });
    try {
      // An audited call (a sign-in writes events): answered, not refused for the head's key.
      await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
    } finally {
      await t.close();
    }
  });
});
