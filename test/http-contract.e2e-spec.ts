import assert from 'node:assert/strict';
import { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import {
  ProblemBody,
  TRACE_ID,
  VALIDATION_TITLE,
  assertProblem,
  assertValidationProblem,
  waitFor,
} from './support/problem';
import { RouteCatalog } from '../src/common/http/route-catalog';
import { rawRequest } from './support/raw-http';
import { rawExchange } from './support/raw-socket';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';

const ACCOUNTS = '/api/v1/ManagedAccount';
const ROLES = '/api/v1/Role';
const ALL_PERMISSIONS = [
  'edit-other-user-totp',
  'manage-accounts',
  'manage-roles',
  'view-accounts',
  'view-audit',
];
const INCOMING_TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const UNKNOWN_ID = '0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90';

interface AccountBody {
  id: string;
  userName: string;
  displayName: string;
  email: string;
  roles: string[];
  isActive: boolean;
  mfaEnabled: boolean;
  mfaEnrolledAt: string | null;
  lockedUntil: string | null;
  createdAt: string;
}

interface RoleBody {
  name: string;
  permissions: string[];
  builtIn: boolean;
}

type LogLine = Record<string, unknown>;

/** The one "request completed" line of the request with this trace id. */
function requestLine(t: TestApp, traceId: string): Promise<LogLine> {
  return waitFor(
    () => t.logLines.find((l) => l.traceId === traceId && l.msg === 'request completed'),
    `the log line of ${traceId}`,
  );
}

describe('HTTP contract', () => {
  let t: TestApp;
  let port: number;
  let admin: SignedIn;
  let plainUser: SignedIn;

  before(async () => {
    t = await TestApp.start();
    admin = await t.enrolledAdmin();
    await t.createAccount(admin.token, 'plain-user', ['User']);
    plainUser = await t.enroll('plain-user', 'plain-user-Password-1!');
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  after(() => t.close());

  describe('problem details', () => {
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

  describe('trace ids and request logs', () => {
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
        await request(t.http)
          .post('/signinBody')
          .set('Content-Type', 'application/xml')
          .send('<a/>'),
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

  describe('operations', () => {
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

    describe('GET /swagger/v1/swagger.json', () => {
      type Operation = {
        operationId?: string;
        security?: Record<string, string[]>[];
        parameters?: { name: string; in: string; schema?: { format?: string; type?: string } }[];
        responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
      };
      type Doc = {
        openapi: string;
        servers: { url: string }[];
        paths: Record<string, Record<string, Operation>>;
        components: {
          schemas: Record<string, unknown>;
          securitySchemes: Record<string, { type: string; scheme?: string }>;
        };
      };
      const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
      const PUBLIC_PATHS = ['/signinBody', '/health/live', '/health/ready', '/metrics'];
      let doc: Doc;
      const operations = () =>
        Object.entries(doc.paths).flatMap(([path, item]) =>
          Object.entries(item)
            .filter(([method]) => METHODS.includes(method))
            .map(([method, op]) => ({ path, method, op })),
        );

      before(async () => {
        const res = await request(t.http).get('/swagger/v1/swagger.json').expect(200);
        assert.match(res.headers['content-type'], /^application\/json/);
        doc = JSON.parse(res.text) as Doc;
      });

      it('is OpenAPI 3 with servers [{url: "/"}]', () => {
        assert.match(doc.openapi, /^3\./);
        assert.deepEqual(doc.servers, [{ url: '/' }]);
      });

      it('lists every endpoint of the contract', () => {
        const expected = [
          'post /signinBody',
          'post /signin2fa',
          'post /signout',
          'post /api/v1/Mfa/Enroll',
          'post /api/v1/Mfa/Enroll/Confirm',
          'get /api/v1/Mfa',
          'put /api/v1/Mfa/Reset',
          'put /api/v1/ManagedAccount/ResetMFA/{id}',
          'put /api/v1/ManagedAccount/ResetMFA/ByName/{userName}',
          'put /api/v1/ManagedAccount/ResetMFA',
          'post /api/v1/ManagedAccount',
          'get /api/v1/ManagedAccount',
          'get /api/v1/ManagedAccount/{id}',
          'patch /api/v1/ManagedAccount/{id}',
          'get /api/v1/Role',
          'put /api/v1/Role/{name}',
          'get /api/v1/AuditEvent',
          'get /api/v1/AuditEvent/Verify',
          'get /health/live',
          'get /health/ready',
          'get /metrics',
        ];
        const present = new Set(operations().map((o) => `${o.method} ${o.path}`));
        for (const e of expected) assert.ok(present.has(e), `${e} is documented`);
      });

      it('gives every operation a unique operationId', () => {
        const ids = operations().map((o) => o.op.operationId);
        for (const [i, id] of ids.entries())
          assert.ok(typeof id === 'string' && id !== '', `operation ${i} has an operationId`);
        assert.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join(', ')}`);
      });

      it('documents a success answer for every operation (204 included)', () => {
        for (const { path, method, op } of operations()) {
          const success = Object.keys(op.responses).filter((status) => /^2\d\d$/.test(status));
          assert.ok(success.length > 0, `${method} ${path} documents its success answer`);
        }
        assert.ok('204' in doc.paths['/signout'].post.responses, 'POST /signout answers 204');
      });

      it('declares the bearer scheme on every operation but the public ones', () => {
        const schemes = Object.entries(doc.components.securitySchemes ?? {});
        const bearer = schemes.find(([, s]) => s.type === 'http' && s.scheme === 'bearer');
        assert.ok(bearer, 'a bearer security scheme');
        const [bearerName] = bearer;
        for (const { path, method, op } of operations()) {
          const secured = (op.security ?? []).some((s) => bearerName in s);
          if (PUBLIC_PATHS.includes(path)) {
            assert.ok(!secured, `${method} ${path} is public`);
          } else {
            assert.ok(secured, `${method} ${path} names the bearer scheme`);
            assert.ok('401' in op.responses, `${method} ${path} documents 401`);
          }
        }
      });

      it('documents every error answer as problem+json with the shared schemas', () => {
        assert.ok('ProblemDetails' in doc.components.schemas);
        assert.ok('ValidationProblemDetails' in doc.components.schemas);
        let errors = 0;
        for (const { path, method, op } of operations()) {
          for (const [status, response] of Object.entries(op.responses)) {
            if (Number(status) < 400) continue;
            errors++;
            const where = `${method} ${path} ${status}`;
            const media = response.content?.['application/problem+json'];
            assert.ok(media, `${where} is application/problem+json`);
            assert.ok(
              [
                '#/components/schemas/ProblemDetails',
                '#/components/schemas/ValidationProblemDetails',
              ].includes(media.schema?.$ref ?? ''),
              `${where} references a shared schema: ${JSON.stringify(media.schema)}`,
            );
          }
        }
        assert.ok(errors > 20, 'error answers are documented');
      });

      it('declares the ManagedAccount {id} parameters as format uuid', () => {
        let checked = 0;
        for (const { path, method, op } of operations()) {
          if (!path.startsWith('/api/v1/ManagedAccount') || !path.includes('{id}')) continue;
          const ids = (op.parameters ?? []).filter((p) => p.name === 'id' && p.in === 'path');
          assert.equal(ids.length, 1, `${method} ${path} declares id once`);
          assert.equal(ids[0].schema?.format, 'uuid', `${method} ${path}: ${JSON.stringify(ids)}`);
          checked++;
        }
        assert.ok(checked >= 3, `checked ${checked} operations`);
      });
    });
  });

  describe('accounts and roles', () => {
    const auth = () => ({ Authorization: `Bearer ${admin.token}` });
    let alice: AccountBody;

    before(async () => {
      const res = await request(t.http).post(ACCOUNTS).set(auth()).send({
        userName: 'Alice',
        displayName: 'Alice Liddell',
        email: 'alice@wonder.example',
        password: 'Alice-Password-1!',
      });
      assert.equal(res.status, 201, res.text);
      alice = res.body as AccountBody;
      for (const [userName, displayName, email, roles] of [
        ['bob.builder', 'Robert Builder', 'bob@site.example', ['HelpDesk']],
        ['carol_x', 'Carol', 'CAROL@Example.org', ['User']],
      ] as const) {
        await request(t.http)
          .post(ACCOUNTS)
          .set(auth())
          .send({ userName, displayName, email, password: `${userName}-Password-1!`, roles })
          .expect(201);
      }
    });

    it('POST answers 201 with Location and the account', async () => {
      const res = await request(t.http)
        .post(ACCOUNTS)
        .set(auth())
        .send({
          userName: 'dave',
          displayName: 'Dave',
          email: 'dave@example.com',
          password: 'Dave-Password-1!',
          roles: ['HelpDesk'],
        });
      assert.equal(res.status, 201, res.text);
      const body = res.body as AccountBody;
      assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      assert.equal(res.headers.location, `${ACCOUNTS}/${body.id}`);
      assert.equal(body.userName, 'dave');
      assert.equal(body.displayName, 'Dave');
      assert.equal(body.email, 'dave@example.com');
      assert.deepEqual(body.roles, ['HelpDesk']);
      assert.equal(body.isActive, true);
      assert.equal(body.mfaEnabled, false);
      assert.equal(body.mfaEnrolledAt, null);
      assert.equal(body.lockedUntil, null);
      assert.ok(!Number.isNaN(Date.parse(body.createdAt)));
      assert.ok(!('password' in body) && !('passwordHash' in body));
      const fetched = await request(t.http).get(res.headers.location).set(auth()).expect(200);
      assert.deepEqual(fetched.body, body);
    });

    it('POST gives an account without roles the role User', () => {
      assert.deepEqual(alice.roles, ['User']);
      assert.equal(alice.userName, 'Alice');
    });

    it('POST answers 409 for a name taken in another case ("Alice" vs "alice")', async () => {
      const res = await request(t.http).post(ACCOUNTS).set(auth()).send({
        userName: 'alice',
        displayName: 'Another Alice',
        email: 'alice2@example.com',
        password: 'Alice-Password-2!',
      });
      assertProblem(res, 409, ACCOUNTS);
    });

    it('POST answers 400 for an unknown role', async () => {
      const res = await request(t.http)
        .post(ACCOUNTS)
        .set(auth())
        .send({
          userName: 'erin',
          displayName: 'Erin',
          email: 'erin@example.com',
          password: 'Erin-Password-1!',
          roles: ['SuperUser'],
        });
      assertValidationProblem(res, ACCOUNTS, 'roles');
    });

    describe('GET list', () => {
      const list = async (query: Record<string, string | number>) => {
        const res = await request(t.http).get(ACCOUNTS).query(query).set(auth());
        assert.equal(res.status, 200, res.text);
        const body = res.body as { items: AccountBody[]; totalCount: number };
        return { names: body.items.map((a) => a.userName), body };
      };

      it('answers items and totalCount', async () => {
        const { body, names } = await list({});
        assert.equal(body.totalCount, names.length);
        for (const n of ['admin', 'plain-user', 'Alice', 'bob.builder', 'carol_x'])
          assert.ok(names.includes(n), `${n} is listed`);
        assert.ok(body.items.every((a) => Array.isArray(a.roles) && 'mfaEnabled' in a));
      });

      it('searches the user name case-insensitively, as a substring', async () => {
        assert.deepEqual((await list({ search: 'ALIC' })).names, ['Alice']);
        assert.deepEqual((await list({ search: 'ob.bui' })).names, ['bob.builder']);
      });

      it('searches the display name', async () => {
        assert.deepEqual((await list({ search: 'liddell' })).names, ['Alice']);
        assert.deepEqual((await list({ search: 'ROBERT' })).names, ['bob.builder']);
      });

      it('searches the email', async () => {
        assert.deepEqual((await list({ search: 'wonder.EXAMPLE' })).names, ['Alice']);
        assert.deepEqual((await list({ search: 'carol@example.org' })).names, ['carol_x']);
      });

      it('takes % and _ in a search literally', async () => {
        assert.deepEqual((await list({ search: '_' })).names, ['carol_x']);
        assert.deepEqual((await list({ search: '%' })).names, []);
      });

      it('answers an empty page, not an error, for no match', async () => {
        const { body } = await list({ search: 'no-such-account-anywhere' });
        assert.deepEqual(body, { items: [], totalCount: 0 });
      });

      it('pages with skip and take; totalCount counts every match', async () => {
        const all = await list({});
        const first = await list({ take: 2 });
        assert.equal(first.names.length, 2);
        assert.equal(first.body.totalCount, all.body.totalCount);
        const second = await list({ skip: 1, take: 2 });
        assert.deepEqual(second.names, all.names.slice(1, 3));
        const beyond = await list({ skip: 1000 });
        assert.deepEqual(beyond.names, []);
        assert.equal(beyond.body.totalCount, all.body.totalCount);
      });

      it('refuses take above 200, take 0, a negative skip and a non-number', async () => {
        for (const [query, field] of [
          [{ take: 201 }, 'take'],
          [{ take: 0 }, 'take'],
          [{ skip: -1 }, 'skip'],
          [{ take: 'ten' }, 'take'],
        ] as const) {
          const res = await request(t.http).get(ACCOUNTS).query(query).set(auth());
          assertValidationProblem(res, ACCOUNTS, field);
        }
        await request(t.http).get(ACCOUNTS).query({ take: 200 }).set(auth()).expect(200);
      });

      it('names one broken rule a field: skip=abc is "must be an integer", nothing more', async () => {
        for (const field of ['skip', 'take']) {
          const res = await request(t.http).get(`${ACCOUNTS}?${field}=abc`).set(auth());
          const body = assertValidationProblem(res, ACCOUNTS, field);
          assert.equal(body.errors?.[field].length, 1, JSON.stringify(body.errors));
          assert.match(body.errors?.[field][0] ?? '', /integer/);
        }
      });

      it('binds the first value of a repeated parameter, as ASP.NET Core does', async () => {
        const res = await request(t.http)
          .get(`${ACCOUNTS}?search=Alice&search=nobody-matches&take=1&take=2`)
          .set(auth())
          .expect(200);
        const body = res.body as { items: AccountBody[]; totalCount: number };
        assert.deepEqual(
          body.items.map((a) => a.userName),
          ['Alice'],
        );
      });
    });

    it('GET one answers the account with every contract field', async () => {
      const res = await request(t.http).get(`${ACCOUNTS}/${alice.id}`).set(auth()).expect(200);
      const body = res.body as AccountBody;
      assert.deepEqual(Object.keys(body).sort(), [
        'createdAt',
        'displayName',
        'email',
        'id',
        'isActive',
        'lockedUntil',
        'mfaEnabled',
        'mfaEnrolledAt',
        'roles',
        'userName',
      ]);
      assert.equal(body.id, alice.id);
      assert.equal(body.userName, 'Alice');
    });

    it('GET one answers 400 errors.id for an id that is not a uuid', async () => {
      const res = await request(t.http).get(`${ACCOUNTS}/not-a-uuid`).set(auth());
      assertValidationProblem(res, `${ACCOUNTS}/not-a-uuid`, 'id');
    });

    it('PATCH displayName answers 200 with the account', async () => {
      const res = await request(t.http)
        .patch(`${ACCOUNTS}/${alice.id}`)
        .set(auth())
        .send({ displayName: 'Alice P. Liddell' });
      assert.equal(res.status, 200, res.text);
      const body = res.body as AccountBody;
      assert.equal(body.displayName, 'Alice P. Liddell');
      assert.equal(body.userName, 'Alice');
      const again = await request(t.http).get(`${ACCOUNTS}/${alice.id}`).set(auth()).expect(200);
      assert.equal((again.body as AccountBody).displayName, 'Alice P. Liddell');
    });

    it('PATCH answers 400 errors.password for a password equal to the user name', async () => {
      const { id } = await t.createAccount(admin.token, 'long.user.name');
      const res = await request(t.http)
        .patch(`${ACCOUNTS}/${id}`)
        .set(auth())
        .send({ password: 'long.user.name' });
      assertValidationProblem(res, `${ACCOUNTS}/${id}`, 'password');
    });

    it('PATCH checks the body before existence: an unknown role for an unknown account is 400', async () => {
      // The contract's order of refusals: ... then 400 validation, then 404 (existence).
      const res = await request(t.http)
        .patch(`${ACCOUNTS}/${UNKNOWN_ID}`)
        .set(auth())
        .send({ roles: ['NoSuchRole'] });
      assertValidationProblem(res, `${ACCOUNTS}/${UNKNOWN_ID}`, 'roles');
    });

    it('PATCH answers 404 for an unknown account', async () => {
      const res = await request(t.http)
        .patch(`${ACCOUNTS}/${UNKNOWN_ID}`)
        .set(auth())
        .send({ displayName: 'Nobody' });
      assertProblem(res, 404, `${ACCOUNTS}/${UNKNOWN_ID}`);
    });

    describe('roles', () => {
      const roles = async () => {
        const res = await request(t.http).get(ROLES).set(auth()).expect(200);
        return res.body as RoleBody[];
      };

      it('GET lists Admin, HelpDesk and User, built in', async () => {
        const all = await roles();
        const byName = new Map(all.map((r) => [r.name, r]));
        assert.deepEqual([...byName.keys()].sort(), ['Admin', 'HelpDesk', 'User']);
        for (const role of all) assert.equal(role.builtIn, true, role.name);
        assert.deepEqual([...byName.get('Admin')!.permissions].sort(), ALL_PERMISSIONS);
        assert.deepEqual([...byName.get('HelpDesk')!.permissions].sort(), [
          'edit-other-user-totp',
          'view-accounts',
        ]);
        assert.deepEqual(byName.get('User')!.permissions, []);
      });

      it('GET is refused (403) to an account without manage-roles', async () => {
        const res = await request(t.http).get(ROLES).auth(plainUser.token, { type: 'bearer' });
        assertProblem(res, 403, ROLES);
      });

      it("PUT replaces a role's permissions and answers the role", async () => {
        const res = await request(t.http)
          .put(`${ROLES}/HelpDesk`)
          .set(auth())
          .send({ permissions: ['view-audit', 'view-accounts', 'edit-other-user-totp'] });
        assert.equal(res.status, 200, res.text);
        const body = res.body as RoleBody;
        assert.equal(body.name, 'HelpDesk');
        assert.equal(body.builtIn, true);
        assert.deepEqual([...body.permissions].sort(), [
          'edit-other-user-totp',
          'view-accounts',
          'view-audit',
        ]);
        const now = (await roles()).find((r) => r.name === 'HelpDesk');
        assert.deepEqual([...(now?.permissions ?? [])].sort(), [
          'edit-other-user-totp',
          'view-accounts',
          'view-audit',
        ]);
        await request(t.http)
          .put(`${ROLES}/HelpDesk`)
          .set(auth())
          .send({ permissions: ['edit-other-user-totp', 'view-accounts'] })
          .expect(200);
      });

      it('PUT answers 400 for an unknown permission, and changes nothing', async () => {
        const res = await request(t.http)
          .put(`${ROLES}/HelpDesk`)
          .set(auth())
          .send({ permissions: ['view-accounts', 'launch-missiles'] });
        assertValidationProblem(res, `${ROLES}/HelpDesk`, 'permissions');
        const now = (await roles()).find((r) => r.name === 'HelpDesk');
        assert.deepEqual([...(now?.permissions ?? [])].sort(), [
          'edit-other-user-totp',
          'view-accounts',
        ]);
      });

      it('PUT answers 404 for an unknown role', async () => {
        const res = await request(t.http)
          .put(`${ROLES}/NoSuchRole`)
          .set(auth())
          .send({ permissions: ['view-accounts'] });
        assertProblem(res, 404, `${ROLES}/NoSuchRole`);
      });

      it('PUT answers 409 when it would take manage-roles from the only Admin, and changes nothing', async () => {
        const res = await request(t.http)
          .put(`${ROLES}/Admin`)
          .set(auth())
          .send({ permissions: ALL_PERMISSIONS.filter((p) => p !== 'manage-roles') });
        assertProblem(res, 409, `${ROLES}/Admin`);
        const now = (await roles()).find((r) => r.name === 'Admin');
        assert.deepEqual([...(now?.permissions ?? [])].sort(), ALL_PERMISSIONS);
        // The administrator can still manage roles.
        await request(t.http).get(ROLES).set(auth()).expect(200);
      });

      it('PATCH of the only Admin\'s own roles to ["User"] answers 409, and changes nothing', async () => {
        const res = await request(t.http)
          .patch(`${ACCOUNTS}/${admin.id}`)
          .set(auth())
          .send({ roles: ['User'] });
        assertProblem(res, 409, `${ACCOUNTS}/${admin.id}`);
        const me = await request(t.http).get(`${ACCOUNTS}/${admin.id}`).set(auth()).expect(200);
        assert.deepEqual((me.body as AccountBody).roles, ['Admin']);
        await request(t.http).get(ROLES).set(auth()).expect(200);
      });

      it('PATCH disabling the only Admin answers 409, and changes nothing', async () => {
        const res = await request(t.http)
          .patch(`${ACCOUNTS}/${admin.id}`)
          .set(auth())
          .send({ isActive: false });
        assertProblem(res, 409, `${ACCOUNTS}/${admin.id}`);
        const me = await request(t.http).get(`${ACCOUNTS}/${admin.id}`).set(auth()).expect(200);
        assert.equal((me.body as AccountBody).isActive, true);
      });
    });
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

describe('sign-in rate limit', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start({ SIGNIN_RATE_LIMIT: '3' });
  });
  after(() => t.close());

  it('answers the 4th POST /signinBody within a minute 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i++) {
      await request(t.http)
        .post('/signinBody')
        .send({ Login: 'admin', Password: 'wrong-password-123' })
        .expect(401);
    }
    const res = await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: ADMIN_PASSWORD });
    const body = assertProblem(res, 429, '/signinBody');
    assert.equal(body.title, 'Too Many Requests');
    const retryAfter = Number(res.headers['retry-after']);
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60,
      `Retry-After: ${res.headers['retry-after']}`,
    );
    const line = await requestLine(t, body.traceId);
    assert.equal(line.status, 429);
    assert.equal(line.level, 'warn');
  });

  it('does not let a client escape the limit with X-Forwarded-For (TRUST_PROXY off)', async () => {
    const res = await request(t.http)
      .post('/signinBody')
      .set('X-Forwarded-For', '203.0.113.7')
      .send({ Login: 'admin', Password: ADMIN_PASSWORD });
    assertProblem(res, 429, '/signinBody');
  });

  it('limits POST /signin2fa too', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await request(t.http)
        .post('/signin2fa')
        .set('Content-Type', 'application/json')
        .send('"123456"');
      statuses.push(res.status);
      if (res.status === 429) assertProblem(res, 429, '/signin2fa');
    }
    assert.equal(statuses.at(-1), 429, `statuses ${statuses.join(', ')}`);
  });

  it('never limits GET /health/live or other endpoints', async () => {
    for (let i = 0; i < 10; i++) await request(t.http).get('/health/live').expect(200);
    for (let i = 0; i < 5; i++) {
      const res = await request(t.http).get(ACCOUNTS);
      assert.equal(res.status, 401);
    }
  });
});

describe('sign-in rate limit shared by both sign-in routes', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start({ SIGNIN_RATE_LIMIT: '3' });
  });
  after(() => t.close());

  it('counts /signinBody and /signin2fa calls of one address against one budget', async () => {
    await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: 'wrong-password-123' })
      .expect(401);
    await request(t.http)
      .post('/signin2fa')
      .set('Content-Type', 'application/json')
      .send('"123456"')
      .expect(401);
    await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: 'wrong-password-123' })
      .expect(401);
    const fourth = await request(t.http)
      .post('/signin2fa')
      .set('Content-Type', 'application/json')
      .send('"123456"');
    assertProblem(fourth, 429, '/signin2fa');
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
      .patch(`${ACCOUNTS}/${(created.body as AccountBody).id}`)
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

describe('readiness when the database is gone', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.close());

  it('answers /health/ready 503 problem+json while /health/live stays 200', async () => {
    await request(t.http).get('/health/ready').expect(200);
    await t.dataSource.destroy();
    const res = await request(t.http).get('/health/ready');
    const body = assertProblem(res, 503, '/health/ready');
    assert.equal(body.title, 'Service Unavailable');
    await request(t.http).get('/health/live').expect(200);
    const line = await requestLine(t, body.traceId);
    assert.equal(line.level, 'error');
  });
});
