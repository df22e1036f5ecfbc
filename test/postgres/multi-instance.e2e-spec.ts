import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { PostgresTestDatabase } from '../support/test-database';
import { ADMIN_PASSWORD, SignedIn, TestApp } from '../support/test-app';

/** Two instances of the app, sharing nothing but one PostgreSQL database (and the keys). */
describe('two instances on one PostgreSQL database', () => {
  let database: PostgresTestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: SignedIn;

  before(async () => {
    database = await PostgresTestDatabase.create();
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      LOCKOUT_THRESHOLD: '4',
    };
    const clock = new FakeClock();
    a = await TestApp.start(env, clock);
    b = await TestApp.start(env, clock);
    admin = await a.enrolledAdmin();
  });
  after(async () => {
    await a.close();
    await b.close();
    await database.drop();
  });

  async function enrolledUser(name: string): Promise<SignedIn> {
    await a.createAccount(admin.token, name);
    return a.enroll(name, `${name}-Password-1!`);
  }

  it('accepts a token issued by A on B', async () => {
    await request(b.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).expect(200);
  });

  it('refuses on B, at once, an API key revoked on A', async () => {
    const created = await request(a.http)
      .post('/api/v1/ApiKey')
      .auth(admin.token, { type: 'bearer' })
      .send({ name: 'two-instances', expiresInDays: 1, permissions: ['view-accounts'] })
      .expect(201);
    const { id, key } = created.body as { id: string; key: string };
    await request(b.http).get('/api/v1/ManagedAccount').set('Authorization', key).expect(200);
    await request(a.http)
      .delete(`/api/v1/ApiKey/${id}`)
      .auth(admin.token, { type: 'bearer' })
      .expect(204);
    await request(b.http).get('/api/v1/ManagedAccount').set('Authorization', key).expect(401);
  });

  it('refuses on B a session signed out on A', async () => {
    const token = await a.signIn('admin', ADMIN_PASSWORD, admin.secret);
    await request(b.http).get('/api/v1/Mfa').auth(token, { type: 'bearer' }).expect(200);
    await request(a.http).post('/signout').auth(token, { type: 'bearer' }).expect(204);
    await request(b.http).get('/api/v1/Mfa').auth(token, { type: 'bearer' }).expect(401);
  });

  it('refuses on B the tokens of an account reset on A', async () => {
    const user = await enrolledUser('reset-on-a');
    await request(b.http).get('/api/v1/Mfa').auth(user.token, { type: 'bearer' }).expect(200);
    await request(a.http)
      .put(`/api/v1/ManagedAccount/ResetMFA/${user.id}`)
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    await request(b.http).get('/api/v1/Mfa').auth(user.token, { type: 'bearer' }).expect(401);
  });

  it('refuses on B a code already accepted on A', async () => {
    const user = await enrolledUser('replay-across');
    const preA = await a.preAuth(user.userName, user.password);
    const preB = await b.preAuth(user.userName, user.password);
    a.nextStep();
    const code = await a.code(user.secret);
    await request(a.http)
      .post('/signin2fa')
      .auth(preA, { type: 'bearer' })
      .send({ code })
      .expect(200);
    const res = await request(b.http)
      .post('/signin2fa')
      .auth(preB, { type: 'bearer' })
      .send({ code })
      .expect(401);
    assert.equal(res.body.errorType, 'totp-invalid');
  });

  it('adds failed attempts on A and B up to one lock-out', async () => {
    const user = await enrolledUser('locked-across');
    // Wrong codes at the second step: wrong passwords never count toward the lock-out.
    const wrongCode = async (app: TestApp) => {
      const preAuth = await app.preAuth(user.userName, user.password);
      const code = await app.code(user.secret);
      await request(app.http)
        .post('/signin2fa')
        .auth(preAuth, { type: 'bearer' })
        .send({ code: code === '000000' ? '111111' : '000000' })
        .expect(401);
    };
    for (const app of [a, b, a]) await wrongCode(app);
    const before = await request(b.http)
      .get(`/api/v1/ManagedAccount/${user.id}`)
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    assert.equal(before.body.lockedUntil, null);
    await wrongCode(b);
    const after = await request(a.http)
      .get(`/api/v1/ManagedAccount/${user.id}`)
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    assert.notEqual(after.body.lockedUntil, null);
    // Locked: even the right password gets no pre-auth token, on either instance.
    await request(a.http)
      .post('/signinBody')
      .send({ Login: user.userName, Password: user.password })
      .expect(401);
    await request(b.http)
      .post('/signinBody')
      .send({ Login: user.userName, Password: user.password })
      .expect(401);
  });

  it('ends 50 concurrent resets of 10 accounts over both instances in one consistent state', async () => {
    const users: SignedIn[] = [];
    for (let i = 0; i < 10; i++) users.push(await enrolledUser(`concurrent-${i}`));
    const eventsBefore = await a.sql<{ n: string }>(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'",
    );
    // Call i resets account i % 10 on the instance floor(i / 10) % 2: every account is reset
    // three times from A and twice from B, at once.
    const instanceOf = (i: number) => (Math.floor(i / 10) % 2 === 0 ? a : b);
    for (let account = 0; account < 10; account++) {
      const from = new Set([0, 1, 2, 3, 4].map((round) => instanceOf(round * 10 + account)));
      assert.equal(from.size, 2, `account ${account} is reset from both instances`);
    }
    const calls = Array.from({ length: 50 }, (_, i) =>
      request(instanceOf(i).http)
        .put(`/api/v1/ManagedAccount/ResetMFA/${users[i % 10].id}`)
        .auth(admin.token, { type: 'bearer' }),
    );
    const answers = await Promise.all(calls);
    assert.deepEqual(
      answers.map((r) => r.status),
      Array.from({ length: 50 }, () => 200),
    );
    // Each account: exactly one of its five resets found MFA on.
    for (let i = 0; i < 10; i++) {
      const mine = answers
        .filter((_, j) => j % 10 === i)
        .map((r) => r.body as { mfaWasEnabled: boolean });
      assert.equal(mine.filter((r) => r.mfaWasEnabled).length, 1, `account ${i}`);
    }
    const ids = users.map((u) => u.id);
    const rows = await a.sql<{ n: string }>(
      `SELECT COUNT(*) AS n FROM accounts WHERE id IN (${ids.map(() => '?').join(',')}) AND (mfa_secret IS NOT NULL OR mfa_enrolled_at IS NOT NULL)`,
      ids,
    );
    assert.equal(Number(rows[0].n), 0);
    const eventsAfter = await a.sql<{ n: string }>(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'",
    );
    assert.equal(Number(eventsAfter[0].n) - Number(eventsBefore[0].n), 50);
    const verify = await request(b.http)
      .get('/api/v1/AuditEvent/Verify')
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    assert.equal(verify.body.valid, true);
  });

  it('never leaves a half-reset account when a batch races single resets', async () => {
    // Accounts 0-3 are reset only by the batch (nothing repairs what it leaves); accounts 4-7 by
    // the batch and, at the same moment, once from each instance.
    const users: SignedIn[] = [];
    for (let i = 0; i < 8; i++) users.push(await enrolledUser(`race-${i}`));
    const batchOnly = users.slice(0, 4);
    const both = users.slice(4);
    // A second session each (on B), so that "every session ended" is about more than one.
    const secondTokens = new Map<string, string>();
    for (const user of users)
      secondTokens.set(user.id, await b.signIn(user.userName, user.password, user.secret));

    const ids = users.map((u) => u.id);
    const placeholders = ids.map(() => '?').join(',');
    const now = a.clock.now();
    const openBefore = await a.sql<{ id: string; account_id: string }>(
      `SELECT id, account_id FROM sessions WHERE account_id IN (${placeholders}) AND revoked_at IS NULL AND expires_at > ?`,
      [...ids, now],
    );
    const stampsBefore = new Map(
      (
        await a.sql<{ id: string; security_stamp: string }>(
          `SELECT id, security_stamp FROM accounts WHERE id IN (${placeholders})`,
          ids,
        )
      ).map((r) => [r.id, r.security_stamp]),
    );
    const codesBefore = await a.sql<{ account_id: string; n: string }>(
      `SELECT account_id, COUNT(*) AS n FROM recovery_codes WHERE account_id IN (${placeholders}) GROUP BY account_id`,
      ids,
    );
    for (const user of users) {
      assert.ok(
        openBefore.filter((s) => s.account_id === user.id).length >= 2,
        `${user.userName} has two open sessions before`,
      );
      assert.ok(
        Number(codesBefore.find((c) => c.account_id === user.id)?.n ?? 0) > 0,
        `${user.userName} has recovery codes before`,
      );
    }
    const eventsBefore = await a.sql<{ n: string }>(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'",
    );

    // A fresh MFA proof: the sign-ins above moved the clock past the step-up window.
    const caller = await a.signIn('admin', ADMIN_PASSWORD, admin.secret);
    const batch = request(a.http)
      .put('/api/v1/ManagedAccount/ResetMFA')
      .auth(caller, { type: 'bearer' })
      .send(ids);
    const singles = both.flatMap((user) =>
      [b, a].map((app) =>
        request(app.http)
          .put(`/api/v1/ManagedAccount/ResetMFA/${user.id}`)
          .auth(caller, { type: 'bearer' }),
      ),
    );
    const [batchAnswer, ...singleAnswers] = await Promise.all([batch, ...singles]);
    assert.equal(batchAnswer.status, 200, JSON.stringify(batchAnswer.body));
    const reported = (batchAnswer.body as { userids: string[] }).userids;
    assert.deepEqual(reported, ids, 'the batch reports exactly its input, in order');
    assert.equal(new Set(reported).size, ids.length);
    for (const answer of singleAnswers) assert.equal(answer.status, 200);

    // Every account reset: no secret, no pending enrolment, no recovery code, a new stamp, and
    // every session that was open before ended (the caller, admin, is none of these accounts).
    const accounts = await a.sql<{
      id: string;
      mfa_secret: string | null;
      mfa_enrolled_at: Date | null;
      mfa_pending_secret: string | null;
      security_stamp: string;
    }>(
      `SELECT id, mfa_secret, mfa_enrolled_at, mfa_pending_secret, security_stamp FROM accounts WHERE id IN (${placeholders})`,
      ids,
    );
    const codes = await a.sql<{ account_id: string }>(
      `SELECT account_id FROM recovery_codes WHERE account_id IN (${placeholders})`,
      ids,
    );
    const sessions = await a.sql<{ id: string; revoked_at: Date | null }>(
      `SELECT id, revoked_at FROM sessions WHERE account_id IN (${placeholders})`,
      ids,
    );
    const revokedAt = new Map(sessions.map((s) => [s.id, s.revoked_at]));
    for (const user of users) {
      const what = `${batchOnly.includes(user) ? 'batch only' : 'batch and singles'}: ${user.userName}`;
      const account = accounts.find((r) => r.id === user.id);
      assert.ok(account, what);
      assert.equal(account.mfa_secret, null, `${what}: secret cleared`);
      assert.equal(account.mfa_enrolled_at, null, `${what}: not enrolled`);
      assert.equal(account.mfa_pending_secret, null, `${what}: no pending enrolment`);
      assert.notEqual(account.security_stamp, stampsBefore.get(user.id), `${what}: new stamp`);
      assert.equal(
        codes.filter((c) => c.account_id === user.id).length,
        0,
        `${what}: recovery codes gone`,
      );
      for (const session of openBefore.filter((s) => s.account_id === user.id))
        assert.notEqual(revokedAt.get(session.id), null, `${what}: session ${session.id} revoked`);
      for (const token of [user.token, secondTokens.get(user.id)!])
        await request(b.http).get('/api/v1/Mfa').auth(token, { type: 'bearer' }).expect(401);
    }
    const eventsAfter = await a.sql<{ n: string }>(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'",
    );
    assert.equal(
      Number(eventsAfter[0].n) - Number(eventsBefore[0].n),
      users.length + singles.length,
      'one event per account of the batch and one per single reset',
    );
    const verify = await request(a.http)
      .get('/api/v1/AuditEvent/Verify')
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    assert.equal(verify.body.valid, true);
  });
});
