"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const problem_1 = require("./support/problem");
const route_catalog_1 = require("../src/common/http/route-catalog");
const raw_http_1 = require("./support/raw-http");
const raw_socket_1 = require("./support/raw-socket");
const test_app_1 = require("./support/test-app");
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
/** The one "request completed" line of the request with this trace id. */
function requestLine(t, traceId) {
    return (0, problem_1.waitFor)(() => t.logLines.find((l) => l.traceId === traceId && l.msg === 'request completed'), `the log line of ${traceId}`);
}
(0, node_test_1.describe)('HTTP contract', () => {
    let t;
    let port;
    let admin;
    let plainUser;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        await t.createAccount(admin.token, 'plain-user', ['User']);
        plainUser = await t.enroll('plain-user', 'plain-user-Password-1!');
        await t.app.listen(0, '127.0.0.1');
        port = t.app.getHttpServer().address().port;
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.describe)('problem details', () => {
        (0, node_test_1.it)('401: no token on a protected route, with WWW-Authenticate', async () => {
            const res = await (0, supertest_1.default)(t.http).get(ACCOUNTS);
            const body = (0, problem_1.assertProblem)(res, 401, ACCOUNTS);
            strict_1.default.equal(body.title, 'Unauthorized');
            strict_1.default.equal(res.headers['www-authenticate'], 'Bearer');
        });
        (0, node_test_1.it)('401: a token that is not one, with error="invalid_token"', async () => {
            const res = await (0, supertest_1.default)(t.http).get(ACCOUNTS).auth('not.a.token', { type: 'bearer' });
            (0, problem_1.assertProblem)(res, 401, ACCOUNTS);
            strict_1.default.match(String(res.headers['www-authenticate']), /^Bearer error="invalid_token"/);
        });
        (0, node_test_1.it)('403: a signed-in account without the permission', async () => {
            const res = await (0, supertest_1.default)(t.http).get(ACCOUNTS).auth(plainUser.token, { type: 'bearer' });
            const body = (0, problem_1.assertProblem)(res, 403, ACCOUNTS);
            strict_1.default.equal(body.title, 'Forbidden');
        });
        (0, node_test_1.it)('404: an unknown route, without a token (routing before authentication)', async () => {
            const res = await (0, supertest_1.default)(t.http).get('/api/v1/NoSuchThing/1');
            const body = (0, problem_1.assertProblem)(res, 404, '/api/v1/NoSuchThing/1');
            strict_1.default.equal(body.title, 'Not Found');
            strict_1.default.equal(body.type, 'https://tools.ietf.org/html/rfc9110#section-15.5.5');
            strict_1.default.equal(res.headers['www-authenticate'], undefined);
        });
        (0, node_test_1.it)('404: an unknown account, the instance without the query string', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .get(`${ACCOUNTS}/${UNKNOWN_ID}?x=1`)
                .auth(admin.token, { type: 'bearer' });
            const body = (0, problem_1.assertProblem)(res, 404, `${ACCOUNTS}/${UNKNOWN_ID}`);
            strict_1.default.equal(body.detail, 'User not found');
        });
        (0, node_test_1.it)('405: a wrong method on a known path, with Allow', async () => {
            const res = await (0, supertest_1.default)(t.http).delete(ACCOUNTS);
            const body = (0, problem_1.assertProblem)(res, 405, ACCOUNTS);
            strict_1.default.equal(body.title, 'Method Not Allowed');
            const allow = String(res.headers.allow ?? '')
                .split(',')
                .map((m) => m.trim());
            strict_1.default.ok(allow.includes('GET') && allow.includes('POST'), `Allow: ${allow.join(', ')}`);
            strict_1.default.ok(!allow.includes('DELETE'));
        });
        (0, node_test_1.it)('405 also on a path with a parameter (PUT /api/v1/ManagedAccount/{id})', async () => {
            const res = await (0, supertest_1.default)(t.http).put(`${ACCOUNTS}/${UNKNOWN_ID}`).send({});
            (0, problem_1.assertProblem)(res, 405, `${ACCOUNTS}/${UNKNOWN_ID}`);
            const allow = String(res.headers.allow ?? '');
            strict_1.default.match(allow, /\bGET\b/);
            strict_1.default.match(allow, /\bPATCH\b/);
        });
        (0, node_test_1.it)('405 on the batch reset path for any method but PUT, token or not (not taken for an id)', async () => {
            const path = `${ACCOUNTS}/ResetMFA`;
            const answers = [
                await (0, supertest_1.default)(t.http).get(path),
                await (0, supertest_1.default)(t.http).get(`${path}/`).auth(admin.token, { type: 'bearer' }),
                await (0, supertest_1.default)(t.http).patch(path.toLowerCase()).auth(admin.token, { type: 'bearer' }),
                await (0, supertest_1.default)(t.http)
                    .post(path)
                    .send({ ids: [plainUser.id] }),
            ];
            for (const res of answers) {
                (0, problem_1.assertProblem)(res, 405);
                strict_1.default.equal(res.headers.allow, 'PUT', res.text);
            }
        });
        (0, node_test_1.it)('405 before the body is read: a wrong method with a malformed body', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .post(`${ACCOUNTS}/${UNKNOWN_ID}`)
                .set('Content-Type', 'application/json')
                .send('{"displayName":');
            (0, problem_1.assertProblem)(res, 405, `${ACCOUNTS}/${UNKNOWN_ID}`);
            strict_1.default.match(String(res.headers.allow), /\bPATCH\b/);
        });
        (0, node_test_1.it)('a path named by a route without parameters is that route alone: every overlap, listed', () => {
            // A new route whose literal path a parameter route also matches must be added here on
            // purpose: the parameter route loses that path for every method (405).
            const entries = t.app.get(route_catalog_1.RouteCatalog).all();
            const overlaps = entries
                .filter((literal) => !literal.path.includes(':'))
                .flatMap((literal) => entries
                .filter((other) => other.path.includes(':') && other.pattern.test(literal.path))
                .map((other) => `${literal.path} hides ${other.method} ${other.path}`));
            strict_1.default.deepEqual(overlaps.sort(), [
                `${ACCOUNTS}/ResetMFA hides GET ${ACCOUNTS}/:id`,
                `${ACCOUNTS}/ResetMFA hides PATCH ${ACCOUNTS}/:id`,
            ]);
        });
        (0, node_test_1.it)('409: a user name that is taken', async () => {
            const res = await (0, supertest_1.default)(t.http).post(ACCOUNTS).auth(admin.token, { type: 'bearer' }).send({
                userName: 'plain-user',
                displayName: 'Again',
                email: 'again@example.com',
                password: 'another-Password-1!',
            });
            const body = (0, problem_1.assertProblem)(res, 409, ACCOUNTS);
            strict_1.default.equal(body.title, 'Conflict');
        });
        (0, node_test_1.it)('413: a body over 64 KiB with Content-Length', async () => {
            const big = JSON.stringify({ Login: 'admin', Password: 'x'.repeat(70 * 1024) });
            const res = await (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .set('Content-Type', 'application/json')
                .send(big);
            strict_1.default.ok(Buffer.byteLength(big) > 64 * 1024);
            const body = (0, problem_1.assertProblem)(res, 413, '/signinBody');
            strict_1.default.equal(body.title, 'Content Too Large');
        });
        (0, node_test_1.it)('413: a chunked body over 64 KiB', async () => {
            const big = JSON.stringify({ Login: 'admin', Password: 'x'.repeat(70 * 1024) });
            const res = await (0, raw_http_1.rawRequest)(port, 'POST', '/signinBody', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }, big);
            (0, problem_1.assertProblem)(res, 413, '/signinBody');
        });
        (0, node_test_1.it)('accepts a body of exactly 64 KiB (the limit is inclusive)', async () => {
            const prefix = '{"Login":"admin","Password":"';
            const suffix = '"}';
            const body = prefix + 'x'.repeat(64 * 1024 - prefix.length - suffix.length) + suffix;
            strict_1.default.equal(Buffer.byteLength(body), 64 * 1024);
            const res = await (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .set('Content-Type', 'application/json')
                .send(body);
            // Read and judged: a wrong password (or a validation failure), but not 413.
            strict_1.default.notEqual(res.status, 413, res.text);
        });
        (0, node_test_1.it)('reads text/json as JSON, as ASP.NET Core does', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .set('Content-Type', 'text/json')
                .send(JSON.stringify({ Login: 'admin', Password: test_app_1.ADMIN_PASSWORD }));
            strict_1.default.equal(res.status, 200, res.text);
        });
        (0, node_test_1.it)('415: an XML body', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .set('Content-Type', 'application/xml')
                .send('<login><user>admin</user></login>');
            const body = (0, problem_1.assertProblem)(res, 415, '/signinBody');
            strict_1.default.equal(body.title, 'Unsupported Media Type');
        });
        (0, node_test_1.it)('400: malformed JSON, as a validation problem with an errors dictionary', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .set('Content-Type', 'application/json')
                .send('{"Login": "admin", "Password": ');
            const body = (0, problem_1.assertValidationProblem)(res, '/signinBody');
            strict_1.default.equal(body.title, problem_1.VALIDATION_TITLE);
            strict_1.default.ok(Object.keys(body.errors ?? {}).length > 0);
        });
        (0, node_test_1.it)('400: a JSON array where an object is expected', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .post(ACCOUNTS)
                .auth(admin.token, { type: 'bearer' })
                .set('Content-Type', 'application/json')
                .send('[{"userName":"x"}]');
            (0, problem_1.assertValidationProblem)(res, ACCOUNTS);
        });
        (0, node_test_1.it)('400: a JSON string where an object is expected', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .post(ACCOUNTS)
                .auth(admin.token, { type: 'bearer' })
                .set('Content-Type', 'application/json')
                .send('"alice"');
            (0, problem_1.assertValidationProblem)(res, ACCOUNTS);
        });
        (0, node_test_1.it)('400: a JSON array as the sign-in body', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .set('Content-Type', 'application/json')
                .send('["admin", "password"]');
            (0, problem_1.assertValidationProblem)(res, '/signinBody');
        });
        (0, node_test_1.it)('400: a path that cannot be percent-decoded, as problem details in the log', async () => {
            for (const path of [`${ACCOUNTS}/%zz`, '/health/%', `${ACCOUNTS}/ResetMFA/ByName/a%zzb`]) {
                const res = await (0, raw_socket_1.rawExchange)(port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
                const body = (0, problem_1.assertValidationProblem)(res, path);
                strict_1.default.ok(!res.text.includes('FST_'), res.text);
                strict_1.default.equal(res.headers['cache-control'], 'no-store');
                const line = await requestLine(t, body.traceId);
                strict_1.default.equal(line.status, 400);
                strict_1.default.equal(line.level, 'warn');
            }
        });
        (0, node_test_1.it)('431: a request head over 16 KiB, as problem details', async () => {
            const res = await (0, raw_socket_1.rawExchange)(port, `GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
            const body = (0, problem_1.assertProblem)(res, 431);
            strict_1.default.equal(body.title, 'Request Header Fields Too Large');
            const line = await (0, problem_1.waitFor)(() => t.logLines.find((l) => l.traceId === body.traceId), 'the log line of the refused request');
            strict_1.default.equal(line.level, 'warn');
        });
        (0, node_test_1.it)('400: an unparsable request head, as problem details', async () => {
            const res = await (0, raw_socket_1.rawExchange)(port, 'THIS IS NOT HTTP\r\n\r\n');
            (0, problem_1.assertValidationProblem)(res, undefined);
        });
        (0, node_test_1.describe)('account validation (POST /api/v1/ManagedAccount)', () => {
            const create = (body) => (0, supertest_1.default)(t.http).post(ACCOUNTS).auth(admin.token, { type: 'bearer' }).send(body);
            (0, node_test_1.it)('missing fields: one message each, naming what is wrong (not a length limit)', async () => {
                const res = await create({ userName: 'no-fields' });
                const body = (0, problem_1.assertValidationProblem)(res, ACCOUNTS, 'email');
                for (const field of ['displayName', 'email', 'password']) {
                    strict_1.default.equal(body.errors?.[field]?.length, 1, JSON.stringify(body.errors));
                    strict_1.default.doesNotMatch(body.errors?.[field][0] ?? '', /shorter|longer|no more than/);
                }
                strict_1.default.match(body.errors?.email[0] ?? '', /email/);
            });
            (0, node_test_1.it)('a password under 12 characters: errors.password', async () => {
                const res = await create({
                    userName: 'short-pw',
                    displayName: 'Short',
                    email: 'short@example.com',
                    password: 'Short-pw-1!',
                });
                (0, problem_1.assertValidationProblem)(res, ACCOUNTS, 'password');
            });
            (0, node_test_1.it)('a password over 128 characters: errors.password', async () => {
                const res = await create({
                    userName: 'long-pw',
                    displayName: 'Long',
                    email: 'long@example.com',
                    password: 'x'.repeat(129),
                });
                (0, problem_1.assertValidationProblem)(res, ACCOUNTS, 'password');
            });
            (0, node_test_1.it)('a password equal to the user name: errors.password', async () => {
                const res = await create({
                    userName: 'same.as.password1',
                    displayName: 'Same',
                    email: 'same@example.com',
                    password: 'same.as.password1',
                });
                (0, problem_1.assertValidationProblem)(res, ACCOUNTS, 'password');
            });
            (0, node_test_1.it)('bad user name characters: errors.userName', async () => {
                const res = await create({
                    userName: 'bad name!',
                    displayName: 'Bad',
                    email: 'bad@example.com',
                    password: 'a-good-Password-1!',
                });
                (0, problem_1.assertValidationProblem)(res, ACCOUNTS, 'userName');
            });
            (0, node_test_1.it)('a user name over 64 characters: errors.userName', async () => {
                const res = await create({
                    userName: 'u'.repeat(65),
                    displayName: 'Long',
                    email: 'longname@example.com',
                    password: 'a-good-Password-1!',
                });
                (0, problem_1.assertValidationProblem)(res, ACCOUNTS, 'userName');
            });
            (0, node_test_1.it)('nothing was created by the refused calls', async () => {
                const res = await (0, supertest_1.default)(t.http)
                    .get(ACCOUNTS)
                    .query({ search: 'pw' })
                    .auth(admin.token, { type: 'bearer' })
                    .expect(200);
                strict_1.default.equal(res.body.totalCount, 0);
            });
        });
    });
    (0, node_test_1.describe)('trace ids and request logs', () => {
        (0, node_test_1.it)('continues an incoming traceparent', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .get('/api/v1/NoSuchThing')
                .set('traceparent', INCOMING_TRACEPARENT);
            const body = (0, problem_1.assertProblem)(res, 404);
            strict_1.default.ok(body.traceId.startsWith('00-4bf92f3577b34da6a3ce929d0e0e4736-'), `traceId ${body.traceId} continues the incoming trace`);
        });
        (0, node_test_1.it)('starts a fresh trace for an invalid traceparent', async () => {
            for (const bad of [
                'garbage',
                '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7',
                '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
                'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
            ]) {
                const res = await (0, supertest_1.default)(t.http).get('/api/v1/NoSuchThing').set('traceparent', bad);
                const body = (0, problem_1.assertProblem)(res, 404);
                strict_1.default.ok(!body.traceId.includes('4bf92f3577b34da6a3ce929d0e0e4736'), bad);
                strict_1.default.ok(!body.traceId.startsWith('00-00000000000000000000000000000000'), bad);
            }
        });
        (0, node_test_1.it)('gives every request its own trace id', async () => {
            const a = (0, problem_1.assertProblem)(await (0, supertest_1.default)(t.http).get('/nope'), 404);
            const b = (0, problem_1.assertProblem)(await (0, supertest_1.default)(t.http).get('/nope'), 404);
            strict_1.default.notEqual(a.traceId, b.traceId);
        });
        (0, node_test_1.it)('logs a failing request at warn with its trace id, method, route, status and duration', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .get(`${ACCOUNTS}/${UNKNOWN_ID}`)
                .auth(admin.token, { type: 'bearer' });
            const body = (0, problem_1.assertProblem)(res, 404);
            const line = await requestLine(t, body.traceId);
            strict_1.default.equal(line.level, 'warn');
            strict_1.default.equal(line.method, 'GET');
            strict_1.default.equal(line.status, 404);
            strict_1.default.equal(typeof line.durationMs, 'number');
            strict_1.default.ok(line.durationMs >= 0);
            strict_1.default.equal(typeof line.route, 'string');
            strict_1.default.ok(!line.route.includes(UNKNOWN_ID), `the route is a template, not the raw path: ${String(line.route)}`);
        });
        (0, node_test_1.it)('logs a successful request at info', async () => {
            await (0, supertest_1.default)(t.http)
                .get('/health/live')
                .set('traceparent', '00-11111111111111111111111111111111-2222222222222222-01')
                .expect(200);
            const line = await (0, problem_1.waitFor)(() => t.logLines.find((l) => typeof l.traceId === 'string' &&
                l.traceId.startsWith('00-11111111111111111111111111111111-') &&
                l.msg === 'request completed'), 'the log line of the health call');
            strict_1.default.match(line.traceId, problem_1.TRACE_ID);
            strict_1.default.equal(line.level, 'info');
            strict_1.default.equal(line.method, 'GET');
            strict_1.default.equal(line.route, '/health/live');
            strict_1.default.equal(line.status, 200);
            strict_1.default.equal(typeof line.durationMs, 'number');
        });
        (0, node_test_1.it)('logs the unknown route, the 405, the 413 and the 415 too', async () => {
            const answers = [
                await (0, supertest_1.default)(t.http).get('/nope'),
                await (0, supertest_1.default)(t.http).delete(ACCOUNTS),
                await (0, supertest_1.default)(t.http)
                    .post('/signinBody')
                    .set('Content-Type', 'application/json')
                    .send(JSON.stringify({ Login: 'x'.repeat(70 * 1024) })),
                await (0, supertest_1.default)(t.http)
                    .post('/signinBody')
                    .set('Content-Type', 'application/xml')
                    .send('<a/>'),
            ];
            for (const res of answers) {
                const body = JSON.parse(res.text);
                const line = await requestLine(t, body.traceId);
                strict_1.default.equal(line.status, res.status);
                strict_1.default.equal(line.level, 'warn');
            }
        });
        (0, node_test_1.it)('labels an answer given before routing with the route of its path', async () => {
            const answers = [
                [await (0, supertest_1.default)(t.http).get('/nope'), 'unmatched'],
                [await (0, supertest_1.default)(t.http).delete(ACCOUNTS), ACCOUNTS],
                [await (0, supertest_1.default)(t.http).get(`${ACCOUNTS}/ResetMFA`), `${ACCOUNTS}/ResetMFA`],
                [await (0, supertest_1.default)(t.http).put(`${ACCOUNTS}/${UNKNOWN_ID}`), `${ACCOUNTS}/:id`],
                [
                    await (0, supertest_1.default)(t.http)
                        .post('/signinBody')
                        .set('Content-Type', 'application/json')
                        .send('{"Login":'),
                    '/signinBody',
                ],
                [
                    await (0, supertest_1.default)(t.http)
                        .post('/signinBody')
                        .set('Content-Type', 'application/xml')
                        .send('<a/>'),
                    '/signinBody',
                ],
            ];
            for (const [res, route] of answers) {
                const body = JSON.parse(res.text);
                const line = await requestLine(t, body.traceId);
                strict_1.default.equal(line.route, route, `${body.instance}: ${res.status}`);
            }
        });
    });
    (0, node_test_1.describe)('operations', () => {
        (0, node_test_1.it)('GET /health/live answers 200', async () => {
            await (0, supertest_1.default)(t.http).get('/health/live').expect(200);
        });
        (0, node_test_1.it)('GET /health/ready answers 200', async () => {
            await (0, supertest_1.default)(t.http).get('/health/ready').expect(200);
        });
        (0, node_test_1.it)('GET /metrics answers Prometheus text with http_requests_total', async () => {
            await (0, supertest_1.default)(t.http).get('/health/live').expect(200);
            const res = await (0, supertest_1.default)(t.http).get('/metrics').expect(200);
            strict_1.default.match(res.headers['content-type'], /^text\/plain/);
            strict_1.default.match(res.text, /^# TYPE http_requests_total counter$/m);
            strict_1.default.match(res.text, /^http_requests_total\{[^}]*route="\/health\/live"[^}]*\} \d+/m);
        });
        (0, node_test_1.it)('labels request metrics by route template, never by raw path', async () => {
            await (0, supertest_1.default)(t.http)
                .get(`${ACCOUNTS}/${plainUser.id}`)
                .auth(admin.token, { type: 'bearer' })
                .expect(200);
            const res = await (0, supertest_1.default)(t.http).get('/metrics').expect(200);
            strict_1.default.match(res.text, /http_requests_total\{[^}]*route="\/api\/v1\/ManagedAccount\/:id"/);
            strict_1.default.ok(!res.text.includes(plainUser.id), 'no account id in the metrics');
        });
        (0, node_test_1.it)("helmet's headers on every answer (a success, a problem), without CSP on the docs", async () => {
            const answers = [
                await (0, supertest_1.default)(t.http).get(ACCOUNTS).auth(admin.token, { type: 'bearer' }).expect(200),
                await (0, supertest_1.default)(t.http).get('/api/v1/NoSuchThing').expect(404),
                await (0, supertest_1.default)(t.http).put(`${ACCOUNTS}/x`).send('{').type('json'),
            ];
            for (const res of answers) {
                strict_1.default.match(String(res.headers['content-security-policy']), /default-src 'self'/);
                strict_1.default.equal(res.headers['x-content-type-options'], 'nosniff');
                strict_1.default.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
                strict_1.default.match(String(res.headers['strict-transport-security']), /^max-age=\d+/);
                strict_1.default.equal(res.headers['cross-origin-opener-policy'], 'same-origin');
                strict_1.default.equal(res.headers['referrer-policy'], 'no-referrer');
                strict_1.default.equal(res.headers['x-powered-by'], undefined);
                strict_1.default.equal(res.headers['cache-control'], 'no-store');
            }
            const docs = await (0, supertest_1.default)(t.http).get('/swagger/v1/swagger.json').expect(200);
            strict_1.default.equal(docs.headers['content-security-policy'], undefined);
            strict_1.default.equal(docs.headers['x-content-type-options'], 'nosniff');
        });
        (0, node_test_1.it)('GET /swagger answers the UI as HTML, no redirect', async () => {
            const res = await (0, supertest_1.default)(t.http).get('/swagger');
            strict_1.default.equal(res.status, 200, `status ${res.status} location ${res.headers.location}`);
            strict_1.default.match(res.headers['content-type'], /^text\/html/);
        });
        (0, node_test_1.it)('serves the UI with its assets, with or without a final slash', async () => {
            for (const page of ['/swagger', '/swagger/']) {
                const res = await (0, supertest_1.default)(t.http).get(page).expect(200);
                const assets = [...res.text.matchAll(/(?:href|src)="(\.\/[^"]+)"/g)].map((m) => m[1]);
                strict_1.default.ok(assets.length >= 3, `${page} links its assets: ${assets.join(', ')}`);
                for (const asset of assets) {
                    const url = new URL(asset, `http://localhost${page}`).pathname;
                    const got = await (0, supertest_1.default)(t.http).get(url);
                    strict_1.default.equal(got.status, 200, `${page} -> ${url}`);
                }
            }
        });
        (0, node_test_1.describe)('GET /swagger/v1/swagger.json', () => {
            const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
            const PUBLIC_PATHS = ['/signinBody', '/health/live', '/health/ready', '/metrics'];
            let doc;
            const operations = () => Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item)
                .filter(([method]) => METHODS.includes(method))
                .map(([method, op]) => ({ path, method, op })));
            (0, node_test_1.before)(async () => {
                const res = await (0, supertest_1.default)(t.http).get('/swagger/v1/swagger.json').expect(200);
                strict_1.default.match(res.headers['content-type'], /^application\/json/);
                doc = JSON.parse(res.text);
            });
            (0, node_test_1.it)('is OpenAPI 3 with servers [{url: "/"}]', () => {
                strict_1.default.match(doc.openapi, /^3\./);
                strict_1.default.deepEqual(doc.servers, [{ url: '/' }]);
            });
            (0, node_test_1.it)('lists every endpoint of the contract', () => {
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
                for (const e of expected)
                    strict_1.default.ok(present.has(e), `${e} is documented`);
            });
            (0, node_test_1.it)('gives every operation a unique operationId', () => {
                const ids = operations().map((o) => o.op.operationId);
                for (const [i, id] of ids.entries())
                    strict_1.default.ok(typeof id === 'string' && id !== '', `operation ${i} has an operationId`);
                strict_1.default.equal(new Set(ids).size, ids.length, `duplicates in ${ids.join(', ')}`);
            });
            (0, node_test_1.it)('documents a success answer for every operation (204 included)', () => {
                for (const { path, method, op } of operations()) {
                    const success = Object.keys(op.responses).filter((status) => /^2\d\d$/.test(status));
                    strict_1.default.ok(success.length > 0, `${method} ${path} documents its success answer`);
                }
                strict_1.default.ok('204' in doc.paths['/signout'].post.responses, 'POST /signout answers 204');
            });
            (0, node_test_1.it)('declares the bearer scheme on every operation but the public ones', () => {
                const schemes = Object.entries(doc.components.securitySchemes ?? {});
                const bearer = schemes.find(([, s]) => s.type === 'http' && s.scheme === 'bearer');
                strict_1.default.ok(bearer, 'a bearer security scheme');
                const [bearerName] = bearer;
                for (const { path, method, op } of operations()) {
                    const secured = (op.security ?? []).some((s) => bearerName in s);
                    if (PUBLIC_PATHS.includes(path)) {
                        strict_1.default.ok(!secured, `${method} ${path} is public`);
                    }
                    else {
                        strict_1.default.ok(secured, `${method} ${path} names the bearer scheme`);
                        strict_1.default.ok('401' in op.responses, `${method} ${path} documents 401`);
                    }
                }
            });
            (0, node_test_1.it)('documents every error answer as problem+json with the shared schemas', () => {
                strict_1.default.ok('ProblemDetails' in doc.components.schemas);
                strict_1.default.ok('ValidationProblemDetails' in doc.components.schemas);
                let errors = 0;
                for (const { path, method, op } of operations()) {
                    for (const [status, response] of Object.entries(op.responses)) {
                        if (Number(status) < 400)
                            continue;
                        errors++;
                        const where = `${method} ${path} ${status}`;
                        const media = response.content?.['application/problem+json'];
                        strict_1.default.ok(media, `${where} is application/problem+json`);
                        strict_1.default.ok([
                            '#/components/schemas/ProblemDetails',
                            '#/components/schemas/ValidationProblemDetails',
                        ].includes(media.schema?.$ref ?? ''), `${where} references a shared schema: ${JSON.stringify(media.schema)}`);
                    }
                }
                strict_1.default.ok(errors > 20, 'error answers are documented');
            });
            (0, node_test_1.it)('declares the ManagedAccount {id} parameters as format uuid', () => {
                let checked = 0;
                for (const { path, method, op } of operations()) {
                    if (!path.startsWith('/api/v1/ManagedAccount') || !path.includes('{id}'))
                        continue;
                    const ids = (op.parameters ?? []).filter((p) => p.name === 'id' && p.in === 'path');
                    strict_1.default.equal(ids.length, 1, `${method} ${path} declares id once`);
                    strict_1.default.equal(ids[0].schema?.format, 'uuid', `${method} ${path}: ${JSON.stringify(ids)}`);
                    checked++;
                }
                strict_1.default.ok(checked >= 3, `checked ${checked} operations`);
            });
        });
    });
    (0, node_test_1.describe)('accounts and roles', () => {
        const auth = () => ({ Authorization: `Bearer ${admin.token}` });
        let alice;
        (0, node_test_1.before)(async () => {
            const res = await (0, supertest_1.default)(t.http).post(ACCOUNTS).set(auth()).send({
                userName: 'Alice',
                displayName: 'Alice Liddell',
                email: 'alice@wonder.example',
                password: 'Alice-Password-1!',
            });
            strict_1.default.equal(res.status, 201, res.text);
            alice = res.body;
            for (const [userName, displayName, email, roles] of [
                ['bob.builder', 'Robert Builder', 'bob@site.example', ['HelpDesk']],
                ['carol_x', 'Carol', 'CAROL@Example.org', ['User']],
            ]) {
                await (0, supertest_1.default)(t.http)
                    .post(ACCOUNTS)
                    .set(auth())
                    .send({ userName, displayName, email, password: `${userName}-Password-1!`, roles })
                    .expect(201);
            }
        });
        (0, node_test_1.it)('POST answers 201 with Location and the account', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .post(ACCOUNTS)
                .set(auth())
                .send({
                userName: 'dave',
                displayName: 'Dave',
                email: 'dave@example.com',
                password: 'Dave-Password-1!',
                roles: ['HelpDesk'],
            });
            strict_1.default.equal(res.status, 201, res.text);
            const body = res.body;
            strict_1.default.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
            strict_1.default.equal(res.headers.location, `${ACCOUNTS}/${body.id}`);
            strict_1.default.equal(body.userName, 'dave');
            strict_1.default.equal(body.displayName, 'Dave');
            strict_1.default.equal(body.email, 'dave@example.com');
            strict_1.default.deepEqual(body.roles, ['HelpDesk']);
            strict_1.default.equal(body.isActive, true);
            strict_1.default.equal(body.mfaEnabled, false);
            strict_1.default.equal(body.mfaEnrolledAt, null);
            strict_1.default.equal(body.lockedUntil, null);
            strict_1.default.ok(!Number.isNaN(Date.parse(body.createdAt)));
            strict_1.default.ok(!('password' in body) && !('passwordHash' in body));
            const fetched = await (0, supertest_1.default)(t.http).get(res.headers.location).set(auth()).expect(200);
            strict_1.default.deepEqual(fetched.body, body);
        });
        (0, node_test_1.it)('POST gives an account without roles the role User', () => {
            strict_1.default.deepEqual(alice.roles, ['User']);
            strict_1.default.equal(alice.userName, 'Alice');
        });
        (0, node_test_1.it)('POST answers 409 for a name taken in another case ("Alice" vs "alice")', async () => {
            const res = await (0, supertest_1.default)(t.http).post(ACCOUNTS).set(auth()).send({
                userName: 'alice',
                displayName: 'Another Alice',
                email: 'alice2@example.com',
                password: 'Alice-Password-2!',
            });
            (0, problem_1.assertProblem)(res, 409, ACCOUNTS);
        });
        (0, node_test_1.it)('POST answers 400 for an unknown role', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .post(ACCOUNTS)
                .set(auth())
                .send({
                userName: 'erin',
                displayName: 'Erin',
                email: 'erin@example.com',
                password: 'Erin-Password-1!',
                roles: ['SuperUser'],
            });
            (0, problem_1.assertValidationProblem)(res, ACCOUNTS, 'roles');
        });
        (0, node_test_1.describe)('GET list', () => {
            const list = async (query) => {
                const res = await (0, supertest_1.default)(t.http).get(ACCOUNTS).query(query).set(auth());
                strict_1.default.equal(res.status, 200, res.text);
                const body = res.body;
                return { names: body.items.map((a) => a.userName), body };
            };
            (0, node_test_1.it)('answers items and totalCount', async () => {
                const { body, names } = await list({});
                strict_1.default.equal(body.totalCount, names.length);
                for (const n of ['admin', 'plain-user', 'Alice', 'bob.builder', 'carol_x'])
                    strict_1.default.ok(names.includes(n), `${n} is listed`);
                strict_1.default.ok(body.items.every((a) => Array.isArray(a.roles) && 'mfaEnabled' in a));
            });
            (0, node_test_1.it)('searches the user name case-insensitively, as a substring', async () => {
                strict_1.default.deepEqual((await list({ search: 'ALIC' })).names, ['Alice']);
                strict_1.default.deepEqual((await list({ search: 'ob.bui' })).names, ['bob.builder']);
            });
            (0, node_test_1.it)('searches the display name', async () => {
                strict_1.default.deepEqual((await list({ search: 'liddell' })).names, ['Alice']);
                strict_1.default.deepEqual((await list({ search: 'ROBERT' })).names, ['bob.builder']);
            });
            (0, node_test_1.it)('searches the email', async () => {
                strict_1.default.deepEqual((await list({ search: 'wonder.EXAMPLE' })).names, ['Alice']);
                strict_1.default.deepEqual((await list({ search: 'carol@example.org' })).names, ['carol_x']);
            });
            (0, node_test_1.it)('takes % and _ in a search literally', async () => {
                strict_1.default.deepEqual((await list({ search: '_' })).names, ['carol_x']);
                strict_1.default.deepEqual((await list({ search: '%' })).names, []);
            });
            (0, node_test_1.it)('answers an empty page, not an error, for no match', async () => {
                const { body } = await list({ search: 'no-such-account-anywhere' });
                strict_1.default.deepEqual(body, { items: [], totalCount: 0 });
            });
            (0, node_test_1.it)('pages with skip and take; totalCount counts every match', async () => {
                const all = await list({});
                const first = await list({ take: 2 });
                strict_1.default.equal(first.names.length, 2);
                strict_1.default.equal(first.body.totalCount, all.body.totalCount);
                const second = await list({ skip: 1, take: 2 });
                strict_1.default.deepEqual(second.names, all.names.slice(1, 3));
                const beyond = await list({ skip: 1000 });
                strict_1.default.deepEqual(beyond.names, []);
                strict_1.default.equal(beyond.body.totalCount, all.body.totalCount);
            });
            (0, node_test_1.it)('refuses take above 200, take 0, a negative skip and a non-number', async () => {
                for (const [query, field] of [
                    [{ take: 201 }, 'take'],
                    [{ take: 0 }, 'take'],
                    [{ skip: -1 }, 'skip'],
                    [{ take: 'ten' }, 'take'],
                ]) {
                    const res = await (0, supertest_1.default)(t.http).get(ACCOUNTS).query(query).set(auth());
                    (0, problem_1.assertValidationProblem)(res, ACCOUNTS, field);
                }
                await (0, supertest_1.default)(t.http).get(ACCOUNTS).query({ take: 200 }).set(auth()).expect(200);
            });
            (0, node_test_1.it)('names one broken rule a field: skip=abc is "must be an integer", nothing more', async () => {
                for (const field of ['skip', 'take']) {
                    const res = await (0, supertest_1.default)(t.http).get(`${ACCOUNTS}?${field}=abc`).set(auth());
                    const body = (0, problem_1.assertValidationProblem)(res, ACCOUNTS, field);
                    strict_1.default.equal(body.errors?.[field].length, 1, JSON.stringify(body.errors));
                    strict_1.default.match(body.errors?.[field][0] ?? '', /integer/);
                }
            });
            (0, node_test_1.it)('binds the first value of a repeated parameter, as ASP.NET Core does', async () => {
                const res = await (0, supertest_1.default)(t.http)
                    .get(`${ACCOUNTS}?search=Alice&search=nobody-matches&take=1&take=2`)
                    .set(auth())
                    .expect(200);
                const body = res.body;
                strict_1.default.deepEqual(body.items.map((a) => a.userName), ['Alice']);
            });
        });
        (0, node_test_1.it)('GET one answers the account with every contract field', async () => {
            const res = await (0, supertest_1.default)(t.http).get(`${ACCOUNTS}/${alice.id}`).set(auth()).expect(200);
            const body = res.body;
            strict_1.default.deepEqual(Object.keys(body).sort(), [
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
            strict_1.default.equal(body.id, alice.id);
            strict_1.default.equal(body.userName, 'Alice');
        });
        (0, node_test_1.it)('GET one answers 400 errors.id for an id that is not a uuid', async () => {
            const res = await (0, supertest_1.default)(t.http).get(`${ACCOUNTS}/not-a-uuid`).set(auth());
            (0, problem_1.assertValidationProblem)(res, `${ACCOUNTS}/not-a-uuid`, 'id');
        });
        (0, node_test_1.it)('PATCH displayName answers 200 with the account', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .patch(`${ACCOUNTS}/${alice.id}`)
                .set(auth())
                .send({ displayName: 'Alice P. Liddell' });
            strict_1.default.equal(res.status, 200, res.text);
            const body = res.body;
            strict_1.default.equal(body.displayName, 'Alice P. Liddell');
            strict_1.default.equal(body.userName, 'Alice');
            const again = await (0, supertest_1.default)(t.http).get(`${ACCOUNTS}/${alice.id}`).set(auth()).expect(200);
            strict_1.default.equal(again.body.displayName, 'Alice P. Liddell');
        });
        (0, node_test_1.it)('PATCH answers 400 errors.password for a password equal to the user name', async () => {
            const { id } = await t.createAccount(admin.token, 'long.user.name');
            const res = await (0, supertest_1.default)(t.http)
                .patch(`${ACCOUNTS}/${id}`)
                .set(auth())
                .send({ password: 'long.user.name' });
            (0, problem_1.assertValidationProblem)(res, `${ACCOUNTS}/${id}`, 'password');
        });
        (0, node_test_1.it)('PATCH checks the body before existence: an unknown role for an unknown account is 400', async () => {
            // The contract's order of refusals: ... then 400 validation, then 404 (existence).
            const res = await (0, supertest_1.default)(t.http)
                .patch(`${ACCOUNTS}/${UNKNOWN_ID}`)
                .set(auth())
                .send({ roles: ['NoSuchRole'] });
            (0, problem_1.assertValidationProblem)(res, `${ACCOUNTS}/${UNKNOWN_ID}`, 'roles');
        });
        (0, node_test_1.it)('PATCH answers 404 for an unknown account', async () => {
            const res = await (0, supertest_1.default)(t.http)
                .patch(`${ACCOUNTS}/${UNKNOWN_ID}`)
                .set(auth())
                .send({ displayName: 'Nobody' });
            (0, problem_1.assertProblem)(res, 404, `${ACCOUNTS}/${UNKNOWN_ID}`);
        });
        (0, node_test_1.describe)('roles', () => {
            const roles = async () => {
                const res = await (0, supertest_1.default)(t.http).get(ROLES).set(auth()).expect(200);
                return res.body;
            };
            (0, node_test_1.it)('GET lists Admin, HelpDesk and User, built in', async () => {
                const all = await roles();
                const byName = new Map(all.map((r) => [r.name, r]));
                strict_1.default.deepEqual([...byName.keys()].sort(), ['Admin', 'HelpDesk', 'User']);
                for (const role of all)
                    strict_1.default.equal(role.builtIn, true, role.name);
                strict_1.default.deepEqual([...byName.get('Admin').permissions].sort(), ALL_PERMISSIONS);
                strict_1.default.deepEqual([...byName.get('HelpDesk').permissions].sort(), [
                    'edit-other-user-totp',
                    'view-accounts',
                ]);
                strict_1.default.deepEqual(byName.get('User').permissions, []);
            });
            (0, node_test_1.it)('GET is refused (403) to an account without manage-roles', async () => {
                const res = await (0, supertest_1.default)(t.http).get(ROLES).auth(plainUser.token, { type: 'bearer' });
                (0, problem_1.assertProblem)(res, 403, ROLES);
            });
            (0, node_test_1.it)("PUT replaces a role's permissions and answers the role", async () => {
                const res = await (0, supertest_1.default)(t.http)
                    .put(`${ROLES}/HelpDesk`)
                    .set(auth())
                    .send({ permissions: ['view-audit', 'view-accounts', 'edit-other-user-totp'] });
                strict_1.default.equal(res.status, 200, res.text);
                const body = res.body;
                strict_1.default.equal(body.name, 'HelpDesk');
                strict_1.default.equal(body.builtIn, true);
                strict_1.default.deepEqual([...body.permissions].sort(), [
                    'edit-other-user-totp',
                    'view-accounts',
                    'view-audit',
                ]);
                const now = (await roles()).find((r) => r.name === 'HelpDesk');
                strict_1.default.deepEqual([...(now?.permissions ?? [])].sort(), [
                    'edit-other-user-totp',
                    'view-accounts',
                    'view-audit',
                ]);
                await (0, supertest_1.default)(t.http)
                    .put(`${ROLES}/HelpDesk`)
                    .set(auth())
                    .send({ permissions: ['edit-other-user-totp', 'view-accounts'] })
                    .expect(200);
            });
            (0, node_test_1.it)('PUT answers 400 for an unknown permission, and changes nothing', async () => {
                const res = await (0, supertest_1.default)(t.http)
                    .put(`${ROLES}/HelpDesk`)
                    .set(auth())
                    .send({ permissions: ['view-accounts', 'launch-missiles'] });
                (0, problem_1.assertValidationProblem)(res, `${ROLES}/HelpDesk`, 'permissions');
                const now = (await roles()).find((r) => r.name === 'HelpDesk');
                strict_1.default.deepEqual([...(now?.permissions ?? [])].sort(), [
                    'edit-other-user-totp',
                    'view-accounts',
                ]);
            });
            (0, node_test_1.it)('PUT answers 404 for an unknown role', async () => {
                const res = await (0, supertest_1.default)(t.http)
                    .put(`${ROLES}/NoSuchRole`)
                    .set(auth())
                    .send({ permissions: ['view-accounts'] });
                (0, problem_1.assertProblem)(res, 404, `${ROLES}/NoSuchRole`);
            });
            (0, node_test_1.it)('PUT answers 409 when it would take manage-roles from the only Admin, and changes nothing', async () => {
                const res = await (0, supertest_1.default)(t.http)
                    .put(`${ROLES}/Admin`)
                    .set(auth())
                    .send({ permissions: ALL_PERMISSIONS.filter((p) => p !== 'manage-roles') });
                (0, problem_1.assertProblem)(res, 409, `${ROLES}/Admin`);
                const now = (await roles()).find((r) => r.name === 'Admin');
                strict_1.default.deepEqual([...(now?.permissions ?? [])].sort(), ALL_PERMISSIONS);
                // The administrator can still manage roles.
                await (0, supertest_1.default)(t.http).get(ROLES).set(auth()).expect(200);
            });
            (0, node_test_1.it)('PATCH of the only Admin\'s own roles to ["User"] answers 409, and changes nothing', async () => {
                const res = await (0, supertest_1.default)(t.http)
                    .patch(`${ACCOUNTS}/${admin.id}`)
                    .set(auth())
                    .send({ roles: ['User'] });
                (0, problem_1.assertProblem)(res, 409, `${ACCOUNTS}/${admin.id}`);
                const me = await (0, supertest_1.default)(t.http).get(`${ACCOUNTS}/${admin.id}`).set(auth()).expect(200);
                strict_1.default.deepEqual(me.body.roles, ['Admin']);
                await (0, supertest_1.default)(t.http).get(ROLES).set(auth()).expect(200);
            });
            (0, node_test_1.it)('PATCH disabling the only Admin answers 409, and changes nothing', async () => {
                const res = await (0, supertest_1.default)(t.http)
                    .patch(`${ACCOUNTS}/${admin.id}`)
                    .set(auth())
                    .send({ isActive: false });
                (0, problem_1.assertProblem)(res, 409, `${ACCOUNTS}/${admin.id}`);
                const me = await (0, supertest_1.default)(t.http).get(`${ACCOUNTS}/${admin.id}`).set(auth()).expect(200);
                strict_1.default.equal(me.body.isActive, true);
            });
        });
    });
});
(0, node_test_1.describe)('a request that does not arrive in time (REQUEST_TIMEOUT_MS=1000)', () => {
    let t;
    let port;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ REQUEST_TIMEOUT_MS: '1000' });
        await t.app.listen(0, '127.0.0.1');
        port = t.app.getHttpServer().address().port;
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('answers 408 problem details to a body that stops short of its Content-Length', async () => {
        const res = await (0, raw_socket_1.rawExchange)(port, 'POST /signinBody HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
            'Content-Length: 100\r\n\r\n{"Login":', 8000);
        const body = (0, problem_1.assertProblem)(res, 408);
        strict_1.default.equal(body.title, 'Request Timeout');
        strict_1.default.equal(res.headers['cache-control'], 'no-store');
        strict_1.default.equal(res.headers['x-content-type-options'], 'nosniff');
    });
});
(0, node_test_1.describe)('sign-in rate limit', () => {
    let t;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ SIGNIN_RATE_LIMIT: '3' });
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('answers the 4th POST /signinBody within a minute 429 with Retry-After', async () => {
        for (let i = 0; i < 3; i++) {
            await (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .send({ Login: 'admin', Password: 'wrong-password-123' })
                .expect(401);
        }
        const res = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: 'admin', Password: test_app_1.ADMIN_PASSWORD });
        const body = (0, problem_1.assertProblem)(res, 429, '/signinBody');
        strict_1.default.equal(body.title, 'Too Many Requests');
        const retryAfter = Number(res.headers['retry-after']);
        strict_1.default.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60, `Retry-After: ${res.headers['retry-after']}`);
        const line = await requestLine(t, body.traceId);
        strict_1.default.equal(line.status, 429);
        strict_1.default.equal(line.level, 'warn');
    });
    (0, node_test_1.it)('does not let a client escape the limit with X-Forwarded-For (TRUST_PROXY off)', async () => {
        const res = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .set('X-Forwarded-For', '203.0.113.7')
            .send({ Login: 'admin', Password: test_app_1.ADMIN_PASSWORD });
        (0, problem_1.assertProblem)(res, 429, '/signinBody');
    });
    (0, node_test_1.it)('limits POST /signin2fa too', async () => {
        const statuses = [];
        for (let i = 0; i < 4; i++) {
            const res = await (0, supertest_1.default)(t.http)
                .post('/signin2fa')
                .set('Content-Type', 'application/json')
                .send('"123456"');
            statuses.push(res.status);
            if (res.status === 429)
                (0, problem_1.assertProblem)(res, 429, '/signin2fa');
        }
        strict_1.default.equal(statuses.at(-1), 429, `statuses ${statuses.join(', ')}`);
    });
    (0, node_test_1.it)('never limits GET /health/live or other endpoints', async () => {
        for (let i = 0; i < 10; i++)
            await (0, supertest_1.default)(t.http).get('/health/live').expect(200);
        for (let i = 0; i < 5; i++) {
            const res = await (0, supertest_1.default)(t.http).get(ACCOUNTS);
            strict_1.default.equal(res.status, 401);
        }
    });
});
(0, node_test_1.describe)('sign-in rate limit shared by both sign-in routes', () => {
    let t;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ SIGNIN_RATE_LIMIT: '3' });
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('counts /signinBody and /signin2fa calls of one address against one budget', async () => {
        await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: 'admin', Password: 'wrong-password-123' })
            .expect(401);
        await (0, supertest_1.default)(t.http)
            .post('/signin2fa')
            .set('Content-Type', 'application/json')
            .send('"123456"')
            .expect(401);
        await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: 'admin', Password: 'wrong-password-123' })
            .expect(401);
        const fourth = await (0, supertest_1.default)(t.http)
            .post('/signin2fa')
            .set('Content-Type', 'application/json')
            .send('"123456"');
        (0, problem_1.assertProblem)(fourth, 429, '/signin2fa');
    });
});
(0, node_test_1.describe)('bootstrap administrator without BOOTSTRAP_ADMIN_PASSWORD', () => {
    let t;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ BOOTSTRAP_ADMIN_PASSWORD: '' });
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('logs exactly one warn line with the one-time password, and it signs in', async () => {
        const lines = t.logLines.filter((l) => JSON.stringify(l).includes('one-time password'));
        strict_1.default.equal(lines.length, 1, JSON.stringify(lines));
        const [line] = lines;
        strict_1.default.equal(line.level, 'warn');
        const match = /one-time password: (\S+)/.exec(String(line.msg));
        strict_1.default.ok(match, `the line gives the password: ${String(line.msg)}`);
        const password = match[1];
        strict_1.default.match(password, /^[A-Za-z0-9!@#$%^&*_+=.~-]{16,}$/);
        const others = t.logLines.filter((l) => l !== line && JSON.stringify(l).includes(password));
        strict_1.default.deepEqual(others, [], 'no other line names the password');
        const res = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: 'admin', Password: password })
            .expect(200);
        strict_1.default.equal(typeof res.body, 'string');
    });
});
(0, node_test_1.describe)('no secret in the logs (LOG_LEVEL=trace)', () => {
    let t;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ LOG_LEVEL: 'trace' });
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('after sign-in, enrolment, step-up and account changes, no line names a password, secret, recovery code or token', async () => {
        const secrets = [test_app_1.ADMIN_PASSWORD];
        const bearer = (token) => ({ Authorization: `Bearer ${token}` });
        await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: 'admin', Password: `${test_app_1.ADMIN_PASSWORD}-wrong` })
            .expect(401);
        secrets.push(`${test_app_1.ADMIN_PASSWORD}-wrong`);
        const enrollToken = await t.preAuth('admin', test_app_1.ADMIN_PASSWORD);
        secrets.push(enrollToken);
        const enrolment = await (0, supertest_1.default)(t.http)
            .post('/api/v1/Mfa/Enroll')
            .set(bearer(enrollToken))
            .expect(200);
        const { secret, otpauthUri } = enrolment.body;
        secrets.push(secret, otpauthUri);
        t.nextStep();
        const confirmed = await (0, supertest_1.default)(t.http)
            .post('/api/v1/Mfa/Enroll/Confirm')
            .set(bearer(enrollToken))
            .send({ code: await t.code(secret) })
            .expect(200);
        const { token, recoveryCodes } = confirmed.body;
        strict_1.default.equal(recoveryCodes.length, 10);
        secrets.push(token, ...recoveryCodes);
        // A second sign-in with a code, a wrong code, and one with a recovery code.
        const mfaToken = await t.preAuth('admin', test_app_1.ADMIN_PASSWORD);
        secrets.push(mfaToken);
        await (0, supertest_1.default)(t.http)
            .post('/signin2fa')
            .set(bearer(mfaToken))
            .set('Content-Type', 'application/json')
            .send('"000000"');
        t.nextStep();
        const access = await (0, supertest_1.default)(t.http)
            .post('/signin2fa')
            .set(bearer(mfaToken))
            .set('Content-Type', 'application/json')
            .send(JSON.stringify(await t.code(secret)))
            .expect(200);
        secrets.push(access.body);
        const mfaToken2 = await t.preAuth('admin', test_app_1.ADMIN_PASSWORD);
        secrets.push(mfaToken2);
        const byRecovery = await (0, supertest_1.default)(t.http)
            .post('/signin2fa')
            .set(bearer(mfaToken2))
            .send({ code: recoveryCodes[0] })
            .expect(200);
        const recoveryAccess = byRecovery.body;
        secrets.push(recoveryAccess);
        // An account created and changed with passwords, and a step-up by password.
        const newPassword = 'Zq8-created-Password!';
        const created = await (0, supertest_1.default)(t.http)
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
        const stepUpToken = await t.signIn('admin', test_app_1.ADMIN_PASSWORD, secret);
        secrets.push(stepUpToken);
        t.clock.advance(1000);
        await (0, supertest_1.default)(t.http)
            .patch(`${ACCOUNTS}/${created.body.id}`)
            .set(bearer(stepUpToken))
            .set('x-2fa-method', 'password')
            .set('x-2fa-code', test_app_1.ADMIN_PASSWORD)
            .send({ password: changedPassword })
            .expect(200);
        secrets.push(changedPassword);
        await (0, supertest_1.default)(t.http)
            .put(`${ROLES}/HelpDesk`)
            .set(bearer(stepUpToken))
            .set('x-2fa-method', 'password')
            .set('x-2fa-code', 'a-wrong-Password-9!')
            .send({ permissions: ['view-accounts'] })
            .expect(400);
        secrets.push('a-wrong-Password-9!');
        await (0, supertest_1.default)(t.http).post('/signout').set(bearer(stepUpToken)).expect(204);
        await (0, supertest_1.default)(t.http).get('/api/v1/Mfa').set(bearer(stepUpToken)).expect(401);
        strict_1.default.ok(t.logLines.length > 10, 'the flow was logged');
        for (const line of t.logLines) {
            const text = JSON.stringify(line);
            for (const s of secrets) {
                strict_1.default.ok(!text.includes(s), `a log line names a secret (${s.slice(0, 6)}...): ${text}`);
            }
            // Any JWT at all, not only the ones this test saw.
            strict_1.default.doesNotMatch(text, /eyJ[\w-]{10,}\.[\w-]{10,}\./, `a log line holds a JWT: ${text}`);
        }
    });
});
(0, node_test_1.describe)('readiness when the database is gone', () => {
    let t;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('answers /health/ready 503 problem+json while /health/live stays 200', async () => {
        await (0, supertest_1.default)(t.http).get('/health/ready').expect(200);
        await t.dataSource.destroy();
        const res = await (0, supertest_1.default)(t.http).get('/health/ready');
        const body = (0, problem_1.assertProblem)(res, 503, '/health/ready');
        strict_1.default.equal(body.title, 'Service Unavailable');
        await (0, supertest_1.default)(t.http).get('/health/live').expect(200);
        const line = await requestLine(t, body.traceId);
        strict_1.default.equal(line.level, 'error');
    });
});
//# sourceMappingURL=http-contract.e2e-spec.js.map