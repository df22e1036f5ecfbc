import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generate } from 'otplib';
import { Client } from 'pg';
import request from 'supertest';
import { TcpProxy } from '../support/tcp-proxy';
import { PostgresTestDatabase } from '../support/test-database';
import { SignedIn, TestApp } from '../support/test-app';

async function eventually(check: () => Promise<boolean>, seconds: number): Promise<boolean> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

describe('the database going away and coming back', () => {
  let database: PostgresTestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    database = await PostgresTestDatabase.create();
    const direct = new URL(database.url);
    proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
    const port = await proxy.start();
    const viaProxy = new URL(database.url);
    viaProxy.port = String(port);
    t = await TestApp.start({
      DATABASE_URL: viaProxy.toString(),
      DATABASE_STATEMENT_TIMEOUT_MS: '5000',
    });
    admin = await t.enrolledAdmin();
  });
  after(async () => {
    await t.close();
    await proxy.cut();
    await database.drop();
  });

  it('answers 503 problem details, promptly, while the database is unreachable', async () => {
    await proxy.cut();
    const started = Date.now();
    const ready = await request(t.http).get('/health/ready').expect(503);
    assert.match(ready.headers['content-type'], /^application\/problem\+json/);
    assert.equal(ready.body.status, 503);
    const call = await request(t.http)
      .get('/api/v1/Mfa')
      .auth(admin.token, { type: 'bearer' })
      .expect(503);
    assert.equal(call.body.title, 'Service Unavailable');
    assert.doesNotMatch(JSON.stringify(call.body), /ECONNREFUSED|stack|SELECT/i);
    assert.ok(Date.now() - started < 8000, 'no request hangs');
    await request(t.http).get('/health/live').expect(200);
  });

  it('recovers by itself when the database is back', async () => {
    await proxy.restore();
    const recovered = await eventually(
      async () => (await request(t.http).get('/health/ready')).status === 200,
      15,
    );
    assert.equal(recovered, true);
    await request(t.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).expect(200);
  });
});

describe('a network partition: the database stops answering, connections stay open', () => {
  let database: PostgresTestDatabase;
  let proxy: TcpProxy;
  let t: TestApp;
  let admin: SignedIn;
  let user: { id: string };
  /** A request that hangs fails the test here instead of at the runner's timeout. */
  const HANG = { response: 20_000, deadline: 20_000 };
  const PROMPT_MS = 6000;

  before(async () => {
    database = await PostgresTestDatabase.create();
    const direct = new URL(database.url);
    proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.port = String(await proxy.start());
    t = await TestApp.start({
      DATABASE_URL: viaProxy.toString(),
      DATABASE_POOL_SIZE: '4',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
      DATABASE_QUERY_TIMEOUT_MS: '2000',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
    });
    admin = await t.enrolledAdmin();
    user = await t.createAccount(admin.token, 'partitioned');
    // Several pooled connections open, so the partition catches more than one.
    await Promise.all(
      Array.from({ length: 4 }, () =>
        request(t.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).expect(200),
      ),
    );
    assert.ok(proxy.openConnections >= 2, 'connections are open through the proxy');
  });
  after(async () => {
    await t.close();
    await proxy.cut();
    await database.drop();
  });

  async function promptly<T>(what: string, call: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const answer = await call();
    const took = Date.now() - started;
    assert.ok(took < PROMPT_MS, `${what} answered after ${took} ms, not within ${PROMPT_MS} ms`);
    return answer;
  }

  function assertUnavailable(res: request.Response): void {
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.match(res.headers['content-type'], /^application\/problem\+json/);
    assert.equal(res.body.status, 503);
    assert.equal(res.body.title, 'Service Unavailable');
    assert.doesNotMatch(JSON.stringify(res.body), /timeout|stack|SELECT|START TRANSACTION/i);
  }

  it('answers 503 problem details within seconds instead of hanging', async () => {
    proxy.blackhole();
    const ready = await promptly('/health/ready', () =>
      request(t.http).get('/health/ready').timeout(HANG),
    );
    assertUnavailable(ready);
    const read = await promptly('an authenticated read', () =>
      request(t.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).timeout(HANG),
    );
    assertUnavailable(read);
    const write = await promptly('a reset', () =>
      request(t.http)
        .put(`/api/v1/ManagedAccount/ResetMFA/${user.id}`)
        .auth(admin.token, { type: 'bearer' })
        .timeout(HANG),
    );
    assertUnavailable(write);
    // Requests at once: the pool's connections (silent) and new ones (never answered) all fail.
    const together = await promptly('six requests at once', () =>
      Promise.all(
        Array.from({ length: 6 }, () =>
          request(t.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).timeout(HANG),
        ),
      ),
    );
    for (const res of together) assertUnavailable(res);
    await request(t.http).get('/health/live').expect(200);
  });

  it('recovers by itself when the network is back, though the old connections stay dead', async () => {
    proxy.unblackhole();
    // Asked again and again (never idle long enough for the pool to retire a connection on its
    // own): a connection left waiting on a lost answer would fail every time it comes round.
    const recovered = await eventually(
      async () => (await request(t.http).get('/health/ready').timeout(HANG)).status === 200,
      20,
    );
    assert.equal(recovered, true, 'ready again');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request(t.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).timeout(HANG),
      ),
    );
    assert.deepEqual(
      answers.map((r) => r.status),
      Array.from({ length: 8 }, () => 200),
    );
    await request(t.http)
      .put(`/api/v1/ManagedAccount/ResetMFA/${user.id}`)
      .auth(admin.token, { type: 'bearer' })
      .timeout(HANG)
      .expect(200);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

describe('kill -9 in the middle of a batch reset', () => {
  const BATCH = 1000;
  let database: PostgresTestDatabase;
  let child: ChildProcess | undefined;
  let dataDir: string;

  before(async () => {
    database = await PostgresTestDatabase.create();
    dataDir = mkdtempSync(join(tmpdir(), 'mfa-admin-kill-'));
  });
  after(async () => {
    child?.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    await database.drop();
  });

  it('leaves the database as it was before the batch', async () => {
    const port = await freePort();
    const password = 'Kill-test-admin-pw-1';
    // The service as built for these tests (same code as dist/), started as a real process.
    // Without NODE_TEST_CONTEXT: node's test runner sets it, and a child that inherits it acts as a test file.
    const { NODE_TEST_CONTEXT: _ignored, ...parentEnv } = process.env;
    child = spawn(process.execPath, [join(__dirname, '..', '..', 'src', 'main.js')], {
      env: {
        ...parentEnv,
        NODE_ENV: 'development',
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'warn',
        BOOTSTRAP_ADMIN_PASSWORD: password,
        JWT_SECRET: randomBytes(32).toString('base64url'),
        MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    assert.equal(
      await eventually(
        async () =>
          (await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2000) })).status ===
          200,
        20,
      ),
      true,
    );

    const preAuth = (await (
      await fetch(`${base}/signinBody`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password }),
        signal: AbortSignal.timeout(5000),
      })
    ).json()) as string;
    const auth = { authorization: `Bearer ${preAuth}`, 'content-type': 'application/json' };
    const { secret } = (await (
      await fetch(`${base}/api/v1/Mfa/Enroll`, {
        method: 'POST',
        headers: auth,
        signal: AbortSignal.timeout(5000),
      })
    ).json()) as { secret: string };
    const code = await generate({ secret });
    const confirmed = await fetch(`${base}/api/v1/Mfa/Enroll/Confirm`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ code }),
      signal: AbortSignal.timeout(5000),
    });
    assert.equal(confirmed.status, 200);
    const { token } = (await confirmed.json()) as { token: string };

    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO accounts (id, user_name, user_name_normalized, display_name, email, password_hash, security_stamp,
                               mfa_secret, mfa_enrolled_at, created_at, updated_at)
         SELECT gen_random_uuid(), 'bulk-' || g, 'bulk-' || g, 'Bulk ' || g, 'bulk' || g || '@example.com', 'x',
                md5(random()::text), 'v1:none:a:b:c', now(), now(), now()
         FROM generate_series(1, ${BATCH}) AS g
         RETURNING id`,
      );
      const ids = rows.map((r) => r.id);
      let answered = false;
      const batch = fetch(`${base}/api/v1/ManagedAccount/ResetMFA`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(ids),
        signal: AbortSignal.timeout(30_000),
      }).then(
        () => (answered = true),
        () => undefined,
      );
      // Kill once the batch is under way: its first audit events exist only inside its transaction.
      await new Promise((r) => setTimeout(r, 300));
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGKILL');
      await Promise.all([batch, exited]);
      assert.equal(answered, false, 'the batch finished before the kill; the test proves nothing');

      const changed = await db.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM accounts WHERE user_name LIKE 'bulk-%' AND (mfa_enrolled_at IS NULL OR mfa_secret IS NULL)",
      );
      assert.equal(Number(changed.rows[0].n), 0);
      const events = await db.query<{ n: string }>(
        "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'",
      );
      assert.equal(Number(events.rows[0].n), 0);
    } finally {
      await db.end();
    }
  });
});
