import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, uniqueName, wrongCode } from './support/accounts';
import { ACCOUNTS, AUDIT, OWN_MFA, RESET } from './support/api';
import { assertProblem } from './support/problem';
import { SignedIn, TestApp, requestLine } from './support/test-app';
import { startContractApp } from './support/app-fixture';

describe('operations', () => {
  let t: TestApp;
  let admin: SignedIn;
  let plainUser: SignedIn;

  before(async () => ({ t, admin, plainUser } = await startContractApp()));
  after(() => t.close());

  it('GET /health/live answers 200', async () => {
    await request(t.http).get('/health/live').expect(200);
  });

  it('GET /health/ready answers 200', async () => {
    await request(t.http).get('/health/ready').expect(200);
  });

  it('GET /metrics answers Prometheus text with http_requests_total', async () => {
    await request(t.http).get('/health/live').expect(200);
    const res = await request(t.http).get('/metrics').expect(200);
    assert.match(res.headers['content-type'], /^text\/plain/);
    assert.match(res.text, /^# TYPE http_requests_total counter$/m);
    assert.match(res.text, /^http_requests_total\{[^}]*route="\/health\/live"[^}]*\} \d+/m);
  });

  it('counts resets, second-factor failures, lock-outs, step-up refusals and chain checks', async () => {
    const value = async (series: string): Promise<number> => {
      const text = (await request(t.http).get('/metrics').expect(200)).text;
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      // Every series exists from the start (at 0), so a dashboard never sees it missing.
      assert.ok(line, `${series} is served`);
      return Number(line.slice(series.length + 1));
    };
    const series = {
      byId: 'mfa_admin_resets_total{way="id",outcome="success"}',
      batch: 'mfa_admin_resets_total{way="batch",outcome="success"}',
      notFound: 'mfa_admin_resets_total{way="name",outcome="not-found"}',
      signIn2fa: 'mfa_admin_second_factor_failures_total{step="sign-in"}',
      lockouts: 'mfa_admin_lockouts_total',
      invalid: 'mfa_admin_step_up_refusals_total{reason="invalid"}',
      method: 'mfa_admin_step_up_refusals_total{reason="method"}',
      verified: 'mfa_admin_audit_chain_verifications_total{result="valid"}',
    };
    const before: Record<string, number> = {};
    for (const [k, name] of Object.entries(series)) before[k] = await value(name);
    const bearer = { type: 'bearer' } as const;
    const [one, two, three, locked] = await Promise.all(
      ['m-one', 'm-two', 'm-three', 'm-lock'].map((p) => enrolledUser(t, uniqueName(p))),
    );

    await request(t.http).put(`${RESET}/${one.id}`).auth(admin.token, bearer).expect(200);
    await request(t.http).put(RESET).auth(admin.token, bearer).send([two.id, three.id]).expect(200);
    await request(t.http).put(`${RESET}/ByName/nobody-here`).auth(admin.token, bearer).expect(404);
    const preAuth = await t.preAuth(locked.userName, locked.password);
    await request(t.http)
      .post('/signin2fa')
      .auth(preAuth, bearer)
      .type('json')
      .send(JSON.stringify(await wrongCode(t, locked.secret)))
      .expect(401);
    await request(t.http)
      .put(`${OWN_MFA}/Reset`)
      .auth(locked.token, bearer)
      .set('x-2fa-code', '123456')
      .set('x-2fa-method', 'email')
      .expect(400);
    // With the two failures above, threshold - 2 wrong step-up codes lock the account.
    for (let i = 0; i < t.config.lockout.threshold - 2; i++) {
      await request(t.http)
        .put(`${OWN_MFA}/Reset`)
        .auth(locked.token, bearer)
        .set('x-2fa-code', await wrongCode(t, locked.secret))
        .expect(400);
    }
    await request(t.http).get(`${AUDIT}/Verify`).auth(admin.token, bearer).expect(200);

    const after: Record<string, number> = {};
    for (const [k, name] of Object.entries(series)) after[k] = (await value(name)) - before[k];
    assert.deepEqual(after, {
      byId: 1,
      batch: 2,
      notFound: 1,
      signIn2fa: 1,
      lockouts: 1,
      invalid: t.config.lockout.threshold - 2,
      method: 1,
      verified: 1,
    });
  });

  it('labels request metrics by route template, never by raw path', async () => {
    await request(t.http)
      .get(`${ACCOUNTS}/${plainUser.id}`)
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    const res = await request(t.http).get('/metrics').expect(200);
    assert.match(res.text, /http_requests_total\{[^}]*route="\/api\/v1\/ManagedAccount\/:id"/);
    assert.ok(!res.text.includes(plainUser.id), 'no account id in the metrics');
  });

  it("helmet's headers on every answer (a success, a problem), without CSP on the docs", async () => {
    const answers = [
      await request(t.http).get(ACCOUNTS).auth(admin.token, { type: 'bearer' }).expect(200),
      await request(t.http).get('/api/v1/NoSuchThing').expect(404),
      await request(t.http).put(`${ACCOUNTS}/x`).send('{').type('json'),
    ];
    for (const res of answers) {
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
      assert.match(String(res.headers['strict-transport-security']), /^max-age=\d+/);
      assert.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.equal(res.headers['x-powered-by'], undefined);
      assert.equal(res.headers['cache-control'], 'no-store');
    }
    const docs = await request(t.http).get('/swagger/v1/swagger.json').expect(200);
    assert.equal(docs.headers['content-security-policy'], undefined);
    assert.equal(docs.headers['x-content-type-options'], 'nosniff');
  });

  it('GET /swagger answers the UI as HTML, no redirect', async () => {
    const res = await request(t.http).get('/swagger');
    assert.equal(res.status, 200, `status ${res.status} location ${res.headers.location}`);
    assert.match(res.headers['content-type'], /^text\/html/);
  });

  it('serves the UI with its assets, with or without a final slash', async () => {
    for (const page of ['/swagger', '/swagger/']) {
      const res = await request(t.http).get(page).expect(200);
      const assets = [...res.text.matchAll(/(?:href|src)="(\.\/[^"]+)"/g)].map((m) => m[1]);
      assert.ok(assets.length >= 3, `${page} links its assets: ${assets.join(', ')}`);
      for (const asset of assets) {
        const url = new URL(asset, `http://localhost${page}`).pathname;
        const got = await request(t.http).get(url);
        assert.equal(got.status, 200, `${page} -> ${url}`);
      }
    }
  });
});

describe('bootstrap administrator without BOOTSTRAP_ADMIN_PASSWORD', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start({ BOOTSTRAP_ADMIN_PASSWORD: '' });
  });
  after(() => t.close());

  it('logs exactly one warn line with the one-time password, and it signs in', async () => {
    const lines = t.logLines.filter((l) => JSON.stringify(l).includes('one-time password'));
    assert.equal(lines.length, 1, JSON.stringify(lines));
    const [line] = lines;
    assert.equal(line.level, 'warn');
    const match = /one-time password: (\S+)/.exec(String(line.msg));
    assert.ok(match, `the line gives the password: ${String(line.msg)}`);
    const password = match[1];
    assert.match(password, /^[A-Za-z0-9!@#$%^&*_+=.~-]{16,}$/);
    const others = t.logLines.filter((l) => l !== line && JSON.stringify(l).includes(password));
    assert.deepEqual(others, [], 'no other line names the password');
    const res = await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: password })
      .expect(200);
    assert.equal(typeof res.body, 'string');
  });
});

describe('readiness when the database is gone', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.close());

  it('answers /health/ready 503 problem+json while /health/live stays 200', async () => {
    await request(t.http).get('/health/ready').expect(200);
    await t.loseDatabase();
    const res = await request(t.http).get('/health/ready');
    const body = assertProblem(res, 503, '/health/ready');
    assert.equal(body.title, 'Service Unavailable');
    await request(t.http).get('/health/live').expect(200);
    const line = await requestLine(t, body.traceId);
    assert.equal(line.level, 'error');
  });
});
