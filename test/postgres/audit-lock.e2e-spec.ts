import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { FakeClock } from '../support/fake-clock';
import { PostgresTestDatabase } from '../support/test-database';
import { SignedIn, TestApp } from '../support/test-app';

const BATCH = 1000;

/**
 * Every audited write of every instance waits for the audit chain's lock. A batch reset takes it
 * for its events once its accounts are reset, so the rest of the service does not queue behind
 * the whole batch.
 */
describe('a large batch reset and the audit chain lock (two instances)', () => {
  let database: PostgresTestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: SignedIn;
  let ids: string[];

  before(async () => {
    database = await PostgresTestDatabase.create();
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    };
    const clock = new FakeClock();
    a = await TestApp.start(env, clock);
    b = await TestApp.start(env, clock);
    admin = await a.enrolledAdmin();
    // Accounts made directly in the database, each with one open session to end.
    const rows = await a.sql<{ id: string }>(
      `INSERT INTO accounts (id, user_name, user_name_normalized, display_name, email,
         password_hash, security_stamp, created_at, updated_at)
       SELECT gen_random_uuid(), 'bulk-' || n, 'bulk-' || n, 'Bulk ' || n, 'bulk' || n || '@example.com',
         a.password_hash, md5(random()::text), now(), now()
       FROM generate_series(1, ${BATCH}) AS n, accounts a WHERE a.user_name_normalized = 'admin'
       RETURNING id`,
    );
    ids = rows.map((r) => r.id);
    await a.sql(
      `INSERT INTO account_roles (account_id, role_name)
       SELECT id, 'User' FROM accounts WHERE user_name_normalized LIKE 'bulk-%'`,
    );
    await a.sql(
      `INSERT INTO sessions (id, account_id, kind, security_stamp, expires_at, created_at)
       SELECT gen_random_uuid(), id, 'access', security_stamp, now() + interval '1 hour', now()
       FROM accounts WHERE user_name_normalized LIKE 'bulk-%'`,
    );
  });
  after(async () => {
    await a.close();
    await b.close();
    await database.drop();
  });

  it('lets an audited sign-in on the other instance through while the batch resets its accounts', async () => {
    const began = performance.now();
    let batchMs = 0;
    const batch = request(a.http)
      .put('/api/v1/ManagedAccount/ResetMFA')
      .auth(admin.token, { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(ids))
      .then((res) => {
        batchMs = performance.now() - began;
        return res;
      });
    // Well inside the batch's resets: its accounts are locked, the chain not yet. An unknown
    // login locks no account row; its failure is still audited.
    await new Promise((resolve) => setTimeout(resolve, 150));
    const signInStarted = performance.now();
    const signIn = await request(b.http)
      .post('/signinBody')
      .send({ Login: 'nobody-here', Password: 'not-the-password-1' });
    const signInMs = performance.now() - signInStarted;

    const batchAnswer = await batch;
    assert.equal(batchAnswer.status, 200, batchAnswer.text);
    assert.equal((batchAnswer.body as { userids: string[] }).userids.length, BATCH);
    assert.equal(signIn.status, 401);
    assert.ok(
      signInMs < batchMs / 2,
      `the sign-in took ${Math.round(signInMs)} ms beside a batch of ${Math.round(batchMs)} ms`,
    );
    const failures = await b.sql<{ n: string }>(
      "SELECT count(*) AS n FROM audit_events WHERE action = 'sign-in.failed'",
    );
    assert.equal(Number(failures[0].n), 1, 'the sign-in failure is audited');
  });
});
