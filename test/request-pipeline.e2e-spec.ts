import assert from 'node:assert/strict';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ACCOUNTS, AccountView, ROLES, UNKNOWN_ID } from './support/api';
import { ProblemBody, TRACE_ID, assertProblem, waitFor } from './support/problem';
import { rawExchange } from './support/raw-socket';
import { ADMIN_PASSWORD, SignedIn, TestApp, requestLine } from './support/test-app';
import { startContractApp } from './support/app-fixture';

const INCOMING_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace ids and request logs', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await startContractApp()));
  after(() => t.close());

  it('continues an incoming traceparent', async () => {
    const res = await request(t.http)
      .get('/api/v1/NoSuchThing')
      .set('traceparent', INCOMING_TRACEPARENT);
    const body = assertProblem(res, 404);
    assert.ok(
      body.traceId.startsWith('00-4bf92f3577b34da6a3ce929d0e0e4736-'),
      `traceId ${body.traceId} continues the incoming trace`,
    );
  });

  it('starts a fresh trace for an invalid traceparent', async () => {
    for (const bad of [
      'garbage',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    ]) {
      const res = await request(t.http).get('/api/v1/NoSuchThing').set('traceparent', bad);
      const body = assertProblem(res, 404);
      assert.ok(!body.traceId.includes('4bf92f3577b34da6a3ce929d0e0e4736'), bad);
      assert.ok(!body.traceId.startsWith('00-00000000000000000000000000000000'), bad);
    }
  });

  it('gives every request its own trace id', async () => {
    const a = assertProblem(await request(t.http).get('/nope'), 404);
    const b = assertProblem(await request(t.http).get('/nope'), 404);
    assert.notEqual(a.traceId, b.traceId);
  });

  it('logs a failing request at warn with its trace id, method, route, status and duration', async () => {
    const res = await request(t.http)
      .get(`${ACCOUNTS}/${UNKNOWN_ID}`)
      .auth(admin.token, { type: 'bearer' });
    const body = assertProblem(res, 404);
    const line = await requestLine(t, body.traceId);
    assert.equal(line.level, 'warn');
    assert.equal(line.method, 'GET');
    assert.equal(line.status, 404);
    assert.equal(typeof line.durationMs, 'number');
    assert.ok((line.durationMs as number) >= 0);
    assert.equal(typeof line.route, 'string');
    assert.ok(
      !(line.route as string).includes(UNKNOWN_ID),
      `the route is a template, not the raw path: ${String(line.route)}`,
    );
  });

  it('logs a successful request at info', async () => {
    await request(t.http)
      .get('/health/live')
      .set('traceparent', '00-11111111111111111111111111111111-2222222222222222-01')
      .expect(200);
    const line = await waitFor(
      () =>
        t.logLines.find(
          (l) =>
            typeof l.traceId === 'string' &&
            l.traceId.startsWith('00-11111111111111111111111111111111-') &&
            l.msg === 'request completed',
        ),
      'the log line of the health call',
    );
    assert.match(line.traceId as string, TRACE_ID);
    assert.equal(line.level, 'info');
    assert.equal(line.method, 'GET');
    assert.equal(line.route, '/health/live');
    assert.equal(line.status, 200);
    assert.equal(typeof line.durationMs, 'number');
  });

  it('logs the unknown route, the 405, the 413 and the 415 too', async () => {
    const answers = [
      await request(t.http).get('/nope'),
      await request(t.http).delete(ACCOUNTS),
      await request(t.http)
        .post('/signinBody')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ Login: 'x'.repeat(70 * 1024) })),
      await request(t.http).post('/signinBody').set('Content-Type', 'application/xml').send('<a/>'),
    ];
    for (const res of answers) {
      const body = JSON.parse(res.text) as ProblemBody;
      const line = await requestLine(t, body.traceId);
      assert.equal(line.status, res.status);
      assert.equal(line.level, 'warn');
    }
  });

  it('labels an answer given before routing with the route of its path', async () => {
    const answers: Array<[request.Response, string]> = [
      [await request(t.http).get('/nope'), 'unmatched'],
      [await request(t.http).delete(ACCOUNTS), ACCOUNTS],
      [await request(t.http).get(`${ACCOUNTS}/ResetMFA`), `${ACCOUNTS}/ResetMFA`],
      [await request(t.http).put(`${ACCOUNTS}/${UNKNOWN_ID}`), `${ACCOUNTS}/:id`],
      [
        await request(t.http)
          .post('/signinBody')
          .set('Content-Type', 'application/json')
          .send('{"Login":'),
        '/signinBody',
      ],
      [
        await request(t.http)
          .post('/signinBody')
          .set('Content-Type', 'application/xml')
          .send('<a/>'),
        '/signinBody',
      ],
    ];
    for (const [res, route] of answers) {
      const body = JSON.parse(res.text) as ProblemBody;
      const line = await requestLine(t, body.traceId);
      assert.equal(line.route, route, `${body.instance}: ${res.status}`);
    }
  });
});

describe('a request that does not arrive in time (REQUEST_TIMEOUT_MS=1000)', () => {
  let t: TestApp;
  let port: number;

  before(async () => {
    t = await TestApp.start({ REQUEST_TIMEOUT_MS: '1000' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  after(() => t.close());

  it('answers 408 problem details to a body that stops short of its Content-Length', async () => {
    const res = await rawExchange(
      port,
      'POST /signinBody HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\n\r\n{"Login":',
      8000,
    );
    const body = assertProblem(res, 408);
    assert.equal(body.title, 'Request Timeout');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
  });
});

describe('no secret in the logs (LOG_LEVEL=trace)', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start({ LOG_LEVEL: 'trace' });
  });
  after(() => t.close());

  it('after sign-in, enrolment, step-up and account changes, no line names a password, secret, recovery code or token', async () => {
    const secrets: string[] = [ADMIN_PASSWORD];
    const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

    await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: `${ADMIN_PASSWORD}-wrong` })
      .expect(401);
    secrets.push(`${ADMIN_PASSWORD}-wrong`);

    const enrollToken = await t.preAuth('admin', ADMIN_PASSWORD);
    secrets.push(enrollToken);
    const enrolment = await request(t.http)
      .post('/api/v1/Mfa/Enroll')
      .set(bearer(enrollToken))
      .expect(200);
    const { secret, otpauthUri } = enrolment.body as { secret: string; otpauthUri: string };
    secrets.push(secret, otpauthUri);
    t.nextStep();
    const confirmed = await request(t.http)
      .post('/api/v1/Mfa/Enroll/Confirm')
      .set(bearer(enrollToken))
      .send({ code: await t.code(secret) })
      .expect(200);
    const { token, recoveryCodes } = confirmed.body as { token: string; recoveryCodes: string[] };
    assert.equal(recoveryCodes.length, 10);
    secrets.push(token, ...recoveryCodes);

    // A second sign-in with a code, a wrong code, and one with a recovery code.
    const mfaToken = await t.preAuth('admin', ADMIN_PASSWORD);
    secrets.push(mfaToken);
    await request(t.http)
      .post('/signin2fa')
      .set(bearer(mfaToken))
      .set('Content-Type', 'application/json')
      .send('"000000"');
    t.nextStep();
    const access = await request(t.http)
      .post('/signin2fa')
      .set(bearer(mfaToken))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(await t.code(secret)))
      .expect(200);
    secrets.push(access.body as string);
    const mfaToken2 = await t.preAuth('admin', ADMIN_PASSWORD);
    secrets.push(mfaToken2);
    const byRecovery = await request(t.http)
      .post('/signin2fa')
      .set(bearer(mfaToken2))
      .send({ code: recoveryCodes[0] })
      .expect(200);
    const recoveryAccess = byRecovery.body as string;
    secrets.push(recoveryAccess);

    // An account created and changed with passwords, and a step-up by password.
    const newPassword = 'Zq8-created-Password!';
    const created = await request(t.http)
      .post(ACCOUNTS)
      .set(bearer(token))
      .send({
        userName: 'frank',
        displayName: 'Frank',
        email: 'frank@example.com',
        password: newPassword,
      })
      .expect(201);
    secrets.push(newPassword);
    const changedPassword = 'Yp7-changed-Password!';
    t.clock.advance(3600);
    const stepUpToken = await t.signIn('admin', ADMIN_PASSWORD, secret);
    secrets.push(stepUpToken);
    t.clock.advance(1000);
    await request(t.http)
      .patch(`${ACCOUNTS}/${(created.body as AccountView).id}`)
      .set(bearer(stepUpToken))
      .set('x-2fa-method', 'password')
      .set('x-2fa-code', ADMIN_PASSWORD)
      .send({ password: changedPassword })
      .expect(200);
    secrets.push(changedPassword);
    await request(t.http)
      .put(`${ROLES}/HelpDesk`)
      .set(bearer(stepUpToken))
      .set('x-2fa-method', 'password')
      .set('x-2fa-code', 'a-wrong-Password-9!')
      .send({ permissions: ['view-accounts'] })
      .expect(400);
    secrets.push('a-wrong-Password-9!');
    await request(t.http).post('/signout').set(bearer(stepUpToken)).expect(204);
    await request(t.http).get('/api/v1/Mfa').set(bearer(stepUpToken)).expect(401);

    assert.ok(t.logLines.length > 10, 'the flow was logged');
    for (const line of t.logLines) {
      const text = JSON.stringify(line);
      for (const s of secrets) {
        assert.ok(!text.includes(s), `a log line names a secret (${s.slice(0, 6)}...): ${text}`);
      }
      // Any JWT at all, not only the ones this test saw.
      assert.doesNotMatch(text, /eyJ[\w-]{10,}\.[\w-]{10,}\./, `a log line holds a JWT: ${text}`);
    }
  });
});
