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
    for (const app of [a, b, a]) {
      await request(app.http)
        .post('/signinBody')
        .send({ Login: user.userName, Password: 'wrong-password-1' })
        .expect(401);
    }
    const before = await request(b.http)
      .get(`/api/v1/ManagedAccount/${user.id}`)
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    assert.equal(before.body.lockedUntil, null);
    await request(b.http)
      .post('/signinBody')
      .send({ Login: user.userName, Password: 'wrong-password-1' })
      .expect(401);
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
    const calls = Array.from({ length: 50 }, (_, i) =>
      request((i % 2 === 0 ? a : b).http)
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
    const users: SignedIn[] = [];
    for (let i = 0; i < 6; i++) users.push(await enrolledUser(`race-${i}`));
    const ids = users.map((u) => u.id);
    const batch = request(a.http)
      .put('/api/v1/ManagedAccount/ResetMFA')
      .auth(admin.token, { type: 'bearer' })
      .send(ids);
    const singles = ids.map((id, i) =>
      request((i % 2 === 0 ? b : a).http)
        .put(`/api/v1/ManagedAccount/ResetMFA/${id}`)
        .auth(admin.token, { type: 'bearer' }),
    );
    const [batchAnswer, ...singleAnswers] = await Promise.all([batch, ...singles]);
    assert.equal(batchAnswer.status, 200, JSON.stringify(batchAnswer.body));
    assert.deepEqual(batchAnswer.body.userids, ids);
    for (const answer of singleAnswers) assert.equal(answer.status, 200);
    const placeholders = ids.map(() => '?').join(',');
    const left = await a.sql<{ n: string }>(
      `SELECT COUNT(*) AS n FROM accounts WHERE id IN (${placeholders}) AND (mfa_secret IS NOT NULL OR mfa_enrolled_at IS NOT NULL OR mfa_pending_secret IS NOT NULL)`,
      ids,
    );
    assert.equal(Number(left[0].n), 0);
    const codes = await a.sql<{ n: string }>(
      `SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id IN (${placeholders})`,
      ids,
    );
    assert.equal(Number(codes[0].n), 0);
    const open = await a.sql<{ n: string }>(
      `SELECT COUNT(*) AS n FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.account_id IN (${placeholders}) AND s.revoked_at IS NULL AND s.security_stamp = a.security_stamp`,
      ids,
    );
    assert.equal(Number(open[0].n), 0);
    for (const user of users)
      await request(b.http).get('/api/v1/Mfa').auth(user.token, { type: 'bearer' }).expect(401);
    const verify = await request(a.http)
      .get('/api/v1/AuditEvent/Verify')
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    assert.equal(verify.body.valid, true);
  });
});
