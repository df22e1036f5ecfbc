import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ACCOUNTS, UNKNOWN_ID } from './support/api';
import {
  VALIDATION_TITLE,
  assertProblem,
  assertValidationProblem,
  waitFor,
} from './support/problem';
import { RouteCatalog } from '../src/common/http/route-catalog';
import { rawRequest } from './support/raw-http';
import { rawExchange } from './support/raw-socket';
import { ADMIN_PASSWORD, SignedIn, TestApp, requestLine } from './support/test-app';
import { startContractApp } from './support/app-fixture';

describe('problem details', () => {
  let t: TestApp;
  let port: number;
  let admin: SignedIn;
  let plainUser: SignedIn;

  before(async () => ({ t, port, admin, plainUser } = await startContractApp()));
  after(() => t.close());

  it('401: no token on a protected route, with WWW-Authenticate', async () => {
    const res = await request(t.http).get(ACCOUNTS);
    const body = assertProblem(res, 401, ACCOUNTS);
    assert.equal(body.title, 'Unauthorized');
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  it('401: a token that is not one, with error="invalid_token"', async () => {
    const res = await request(t.http).get(ACCOUNTS).auth('not.a.token', { type: 'bearer' });
    assertProblem(res, 401, ACCOUNTS);
    assert.match(String(res.headers['www-authenticate']), /^Bearer error="invalid_token"/);
  });

  it('403: a signed-in account without the permission', async () => {
    const res = await request(t.http).get(ACCOUNTS).auth(plainUser.token, { type: 'bearer' });
    const body = assertProblem(res, 403, ACCOUNTS);
    assert.equal(body.title, 'Forbidden');
  });

  it('404: an unknown route, without a token (routing before authentication)', async () => {
    const res = await request(t.http).get('/api/v1/NoSuchThing/1');
    const body = assertProblem(res, 404, '/api/v1/NoSuchThing/1');
    assert.equal(body.title, 'Not Found');
    assert.equal(body.type, 'https://tools.ietf.org/html/rfc9110#section-15.5.5');
    assert.equal(res.headers['www-authenticate'], undefined);
  });

  it('404: an unknown account, the instance without the query string', async () => {
    const res = await request(t.http)
      .get(`${ACCOUNTS}/${UNKNOWN_ID}?x=1`)
      .auth(admin.token, { type: 'bearer' });
    const body = assertProblem(res, 404, `${ACCOUNTS}/${UNKNOWN_ID}`);
    assert.equal(body.detail, 'User not found');
  });

  it('405: a wrong method on a known path, with Allow', async () => {
    const res = await request(t.http).delete(ACCOUNTS);
    const body = assertProblem(res, 405, ACCOUNTS);
    assert.equal(body.title, 'Method Not Allowed');
    const allow = String(res.headers.allow ?? '')
      .split(',')
      .map((m) => m.trim());
    assert.ok(allow.includes('GET') && allow.includes('POST'), `Allow: ${allow.join(', ')}`);
    assert.ok(!allow.includes('DELETE'));
  });

  it('405 also on a path with a parameter (PUT /api/v1/ManagedAccount/{id})', async () => {
    const res = await request(t.http).put(`${ACCOUNTS}/${UNKNOWN_ID}`).send({});
    assertProblem(res, 405, `${ACCOUNTS}/${UNKNOWN_ID}`);
    const allow = String(res.headers.allow ?? '');
    assert.match(allow, /\bGET\b/);
    assert.match(allow, /\bPATCH\b/);
  });

  it('405 on the batch reset path for any method but PUT, token or not (not taken for an id)', async () => {
    const path = `${ACCOUNTS}/ResetMFA`;
    const answers = [
      await request(t.http).get(path),
      await request(t.http).get(`${path}/`).auth(admin.token, { type: 'bearer' }),
      await request(t.http).patch(path.toLowerCase()).auth(admin.token, { type: 'bearer' }),
      await request(t.http)
        .post(path)
        .send({ ids: [plainUser.id] }),
    ];
    for (const res of answers) {
      assertProblem(res, 405);
      assert.equal(res.headers.allow, 'PUT', res.text);
    }
  });

  it('405 before the body is read: a wrong method with a malformed body', async () => {
    const res = await request(t.http)
      .post(`${ACCOUNTS}/${UNKNOWN_ID}`)
      .set('Content-Type', 'application/json')
      .send('{"displayName":');
    assertProblem(res, 405, `${ACCOUNTS}/${UNKNOWN_ID}`);
    assert.match(String(res.headers.allow), /\bPATCH\b/);
  });

  it('a path named by a route without parameters is that route alone: every overlap, listed', () => {
    // A new route whose literal path a parameter route also matches must be added here on
    // purpose: the parameter route loses that path for every method (405).
    const entries = t.app.get(RouteCatalog).all();
    const overlaps = entries
      .filter((literal) => !literal.path.includes(':'))
      .flatMap((literal) =>
        entries
          .filter((other) => other.path.includes(':') && other.pattern.test(literal.path))
          .map((other) => `${literal.path} hides ${other.method} ${other.path}`),
      );
    assert.deepEqual(overlaps.sort(), [
      `${ACCOUNTS}/ResetMFA hides GET ${ACCOUNTS}/:id`,
      `${ACCOUNTS}/ResetMFA hides PATCH ${ACCOUNTS}/:id`,
    ]);
  });

  it('409: a user name that is taken', async () => {
    const res = await request(t.http).post(ACCOUNTS).auth(admin.token, { type: 'bearer' }).send({
      userName: 'plain-user',
      displayName: 'Again',
      email: 'again@example.com',
      password: 'another-Password-1!',
    });
    const body = assertProblem(res, 409, ACCOUNTS);
    assert.equal(body.title, 'Conflict');
  });

  it('413: a body over 64 KiB with Content-Length', async () => {
    const big = JSON.stringify({ Login: 'admin', Password: 'x'.repeat(70 * 1024) });
    const res = await request(t.http)
      .post('/signinBody')
      .set('Content-Type', 'application/json')
      .send(big);
    assert.ok(Buffer.byteLength(big) > 64 * 1024);
    const body = assertProblem(res, 413, '/signinBody');
    assert.equal(body.title, 'Content Too Large');
  });

  it('413: a chunked body over 64 KiB', async () => {
    const big = JSON.stringify({ Login: 'admin', Password: 'x'.repeat(70 * 1024) });
    const res = await rawRequest(
      port,
      'POST',
      '/signinBody',
      { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      big,
    );
    assertProblem(res, 413, '/signinBody');
  });

  it('refuses at once a body declared over the discard bound (8 MiB)', async () => {
    const res = await rawRequest(
      port,
      'POST',
      '/signinBody',
      { 'Content-Type': 'application/json', 'Content-Length': String(9 * 1024 * 1024) },
      '{',
    );
    assertProblem(res, 413, '/signinBody');
  });

  it('accepts a body of exactly 64 KiB (the limit is inclusive)', async () => {
    const prefix = '{"Login":"admin","Password":"';
    const suffix = '"}';
    const body = prefix + 'x'.repeat(64 * 1024 - prefix.length - suffix.length) + suffix;
    assert.equal(Buffer.byteLength(body), 64 * 1024);
    const res = await request(t.http)
      .post('/signinBody')
      .set('Content-Type', 'application/json')
      .send(body);
    // Read and judged: a wrong password (or a validation failure), but not 413.
    assert.notEqual(res.status, 413, res.text);
  });

  it('reads text/json as JSON, as ASP.NET Core does', async () => {
    const res = await request(t.http)
      .post('/signinBody')
      .set('Content-Type', 'text/json')
      .send(JSON.stringify({ Login: 'admin', Password: ADMIN_PASSWORD }));
    assert.equal(res.status, 200, res.text);
  });

  it('415: an XML body', async () => {
    const res = await request(t.http)
      .post('/signinBody')
      .set('Content-Type', 'application/xml')
      .send('<login><user>admin</user></login>');
    const body = assertProblem(res, 415, '/signinBody');
    assert.equal(body.title, 'Unsupported Media Type');
  });

  it('400: malformed JSON, as a validation problem with an errors dictionary', async () => {
    const res = await request(t.http)
      .post('/signinBody')
      .set('Content-Type', 'application/json')
      .send('{"Login": "admin", "Password": ');
    const body = assertValidationProblem(res, '/signinBody');
    assert.equal(body.title, VALIDATION_TITLE);
    assert.ok(Object.keys(body.errors ?? {}).length > 0);
  });

  it('400: a JSON array where an object is expected', async () => {
    const res = await request(t.http)
      .post(ACCOUNTS)
      .auth(admin.token, { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send('[{"userName":"x"}]');
    assertValidationProblem(res, ACCOUNTS);
  });

  it('400: a JSON string where an object is expected', async () => {
    const res = await request(t.http)
      .post(ACCOUNTS)
      .auth(admin.token, { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send('"alice"');
    assertValidationProblem(res, ACCOUNTS);
  });

  it('400: a JSON array as the sign-in body', async () => {
    const res = await request(t.http)
      .post('/signinBody')
      .set('Content-Type', 'application/json')
      .send('["admin", "password"]');
    assertValidationProblem(res, '/signinBody');
  });

  it('400: a path that cannot be percent-decoded, as problem details in the log', async () => {
    for (const path of [`${ACCOUNTS}/%zz`, '/health/%', `${ACCOUNTS}/ResetMFA/ByName/a%zzb`]) {
      const res = await rawExchange(
        port,
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      const body = assertValidationProblem(res, path);
      assert.ok(!res.text.includes('FST_'), res.text);
      assert.equal(res.headers['cache-control'], 'no-store');
      const line = await requestLine(t, body.traceId);
      assert.equal(line.status, 400);
      assert.equal(line.level, 'warn');
    }
  });

  it('431: a request head over 16 KiB, as problem details', async () => {
    const res = await rawExchange(
      port,
      `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`,
    );
    const body = assertProblem(res, 431);
    assert.equal(body.title, 'Request Header Fields Too Large');
    const line = await waitFor(
      () => t.logLines.find((l) => l.traceId === body.traceId),
      'the log line of the refused request',
    );
    assert.equal(line.level, 'warn');
  });

  it('400: an unparsable request head, as problem details', async () => {
    const res = await rawExchange(port, 'THIS IS NOT HTTP\r\n\r\n');
    assertValidationProblem(res, undefined);
  });

  describe('account validation (POST /api/v1/ManagedAccount)', () => {
    const create = (body: Record<string, unknown>) =>
      request(t.http).post(ACCOUNTS).auth(admin.token, { type: 'bearer' }).send(body);

    it('missing fields: one message each, naming what is wrong (not a length limit)', async () => {
      const res = await create({ userName: 'no-fields' });
      const body = assertValidationProblem(res, ACCOUNTS, 'email');
      for (const field of ['displayName', 'email', 'password']) {
        assert.equal(body.errors?.[field]?.length, 1, JSON.stringify(body.errors));
        assert.doesNotMatch(body.errors?.[field][0] ?? '', /shorter|longer|no more than/);
      }
      assert.match(body.errors?.email[0] ?? '', /email/);
    });

    it('a password under 12 characters: errors.password', async () => {
      const res = await create({
        userName: 'short-pw',
        displayName: 'Short',
        email: 'short@example.com',
        password: 'Short-pw-1!',
      });
      assertValidationProblem(res, ACCOUNTS, 'password');
    });

    it('a password over 128 characters: errors.password', async () => {
      const res = await create({
        userName: 'long-pw',
        displayName: 'Long',
        email: 'long@example.com',
        password: 'x'.repeat(129),
      });
      assertValidationProblem(res, ACCOUNTS, 'password');
    });

    it('a password equal to the user name: errors.password', async () => {
      const res = await create({
        userName: 'same.as.password1',
        displayName: 'Same',
        email: 'same@example.com',
        password: 'same.as.password1',
      });
      assertValidationProblem(res, ACCOUNTS, 'password');
    });

    it('bad user name characters: errors.userName', async () => {
      const res = await create({
        userName: 'bad name!',
        displayName: 'Bad',
        email: 'bad@example.com',
        password: 'a-good-Password-1!',
      });
      assertValidationProblem(res, ACCOUNTS, 'userName');
    });

    it('a user name over 64 characters: errors.userName', async () => {
      const res = await create({
        userName: 'u'.repeat(65),
        displayName: 'Long',
        email: 'longname@example.com',
        password: 'a-good-Password-1!',
      });
      assertValidationProblem(res, ACCOUNTS, 'userName');
    });

    it('nothing was created by the refused calls', async () => {
      const res = await request(t.http)
        .get(ACCOUNTS)
        .query({ search: 'pw' })
        .auth(admin.token, { type: 'bearer' })
        .expect(200);
      assert.equal((res.body as { totalCount: number }).totalCount, 0);
    });
  });
});
