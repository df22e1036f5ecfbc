"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_test_1 = require("node:test");
const core_1 = require("@nestjs/core");
const jsonwebtoken_1 = require("jsonwebtoken");
const supertest_1 = __importDefault(require("supertest"));
const auth_decorators_1 = require("../src/common/auth/auth.decorators");
const route_catalog_1 = require("../src/common/http/route-catalog");
const problem_1 = require("./support/problem");
const test_app_1 = require("./support/test-app");
const OWN_MFA = '/api/v1/Mfa';
const ACCOUNTS = '/api/v1/ManagedAccount';
const ROLES = '/api/v1/Role';
/** The routes the contract lets anyone call without a token; every other route needs one. */
const ALLOWED_PUBLIC = [
    'GET /health/live',
    'GET /health/ready',
    'GET /metrics',
    'POST /signinBody',
];
/** The decoded (not verified) payload of a JWT. */
function payloadOf(token) {
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
function base64url(value) {
    return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
/** A 401 as the contract shapes it; the challenge names invalid_token only when a token was sent. */
function assertUnauthorized(res, tokenSent) {
    const body = (0, problem_1.assertProblem)(res, 401);
    strict_1.default.equal(res.headers['www-authenticate'], tokenSent ? 'Bearer error="invalid_token"' : 'Bearer', 'WWW-Authenticate');
    return body;
}
/** Signs claims the way the service does (HS256, its secret, issuer and audience) unless told otherwise. */
function forge(t, claims, options = {}) {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    return (0, jsonwebtoken_1.sign)({ ...claims, iat: options.iat ?? now, exp: options.exp ?? now + 600 }, options.key ?? t.config.jwt.secret, {
        algorithm: options.algorithm ?? 'HS256',
        issuer: options.issuer ?? t.config.jwt.issuer,
        audience: options.audience ?? t.config.jwt.audience,
    });
}
/** The service's own claims (sub, sid, typ) of a token it issued. */
function claimsOf(token) {
    const { sub, sid, typ } = payloadOf(token);
    return { sub, sid, typ };
}
function get(t, path, token) {
    const req = (0, supertest_1.default)(t.http).get(path);
    return token === undefined ? req : req.auth(token, { type: 'bearer' });
}
async function signin2fa(t, preAuth, code) {
    return (0, supertest_1.default)(t.http)
        .post('/signin2fa')
        .auth(preAuth, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(code));
}
/** An account with the given roles, created by the admin, enrolled and signed in. */
async function newAccount(t, admin, userName, roles) {
    const created = await t.createAccount(admin.token, userName, roles);
    return t.enroll(userName, created.password);
}
(0, node_test_1.describe)('bearer tokens on protected endpoints', () => {
    let t;
    let admin;
    let user;
    /** Two protected endpoints: one any account may call, one that needs view-accounts. */
    let endpoints;
    /** Every protected endpoint refuses the token with 401 invalid_token. */
    async function assertRefusedEverywhere(token) {
        for (const path of endpoints)
            assertUnauthorized(await get(t, path, token), true);
    }
    /** A PATCH by the admin, with its password as the step-up proof; answers the account. */
    async function patchAsAdmin(id, body) {
        const res = await (0, supertest_1.default)(t.http)
            .patch(`${ACCOUNTS}/${id}`)
            .auth(admin.token, { type: 'bearer' })
            .set('x-2fa-method', 'password')
            .set('x-2fa-code', test_app_1.ADMIN_PASSWORD)
            .send(body);
        strict_1.default.equal(res.status, 200, res.text);
        return res.body;
    }
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        user = await newAccount(t, admin, 'token-user', ['User']);
        endpoints = [OWN_MFA, `${ACCOUNTS}/${user.id}`];
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('answers 401 with WWW-Authenticate: Bearer when no token is sent', async () => {
        for (const path of endpoints) {
            const body = assertUnauthorized(await get(t, path), false);
            strict_1.default.equal(body.instance, path);
        }
    });
    (0, node_test_1.it)('lets the issued tokens through (control for the refusals below)', async () => {
        await get(t, OWN_MFA, user.token).expect(200);
        const res = await get(t, `${ACCOUNTS}/${user.id}`, admin.token).expect(200);
        strict_1.default.equal(res.body.id, user.id);
    });
    (0, node_test_1.it)('accepts a token signed as the service signs them that names a live session (control for the forged tokens below)', async () => {
        await get(t, OWN_MFA, forge(t, claimsOf(user.token))).expect(200);
        await get(t, `${ACCOUNTS}/${user.id}`, forge(t, claimsOf(admin.token))).expect(200);
    });
    (0, node_test_1.it)('refuses a garbage bearer string', async () => {
        for (const garbage of ['garbage', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9.e30.', `${user.token}.x`]) {
            await assertRefusedEverywhere(garbage);
        }
    });
    (0, node_test_1.it)('refuses an alg "none" token with valid claims', async () => {
        const now = Math.floor(t.clock.now().getTime() / 1000);
        const payload = {
            ...claimsOf(admin.token),
            iss: t.config.jwt.issuer,
            aud: t.config.jwt.audience,
            iat: now,
            exp: now + 600,
        };
        for (const alg of ['none', 'None', 'NONE']) {
            const header = base64url({ alg, typ: 'JWT' });
            await assertRefusedEverywhere(`${header}.${base64url(payload)}.`);
            await assertRefusedEverywhere(`${header}.${base64url(payload)}`);
        }
    });
    (0, node_test_1.it)('refuses a token signed with another key', async () => {
        const key = (0, node_crypto_1.randomBytes)(48);
        await assertRefusedEverywhere(forge(t, claimsOf(admin.token), { key }));
    });
    (0, node_test_1.it)('refuses a token whose payload was edited under the original signature', async () => {
        const [header, , signature] = user.token.split('.');
        const edited = { ...payloadOf(user.token), sub: admin.id, sid: claimsOf(admin.token).sid };
        await assertRefusedEverywhere(`${header}.${base64url(edited)}.${signature}`);
    });
    (0, node_test_1.it)('refuses a payload carrying the valid signature of another token', async () => {
        const [header, adminPayload] = admin.token.split('.');
        const userSignature = user.token.split('.')[2];
        await assertRefusedEverywhere(`${header}.${adminPayload}.${userSignature}`);
    });
    (0, node_test_1.it)('refuses an expired token signed with the real secret', async () => {
        const past = Math.floor(Math.min(Date.now(), t.clock.now().getTime()) / 1000) - 120;
        await assertRefusedEverywhere(forge(t, claimsOf(admin.token), { iat: past - 3600, exp: past }));
    });
    (0, node_test_1.it)('refuses tokens signed with the real secret but another algorithm (HS256 is pinned)', async () => {
        for (const algorithm of ['HS384', 'HS512']) {
            await assertRefusedEverywhere(forge(t, claimsOf(admin.token), { algorithm }));
        }
    });
    (0, node_test_1.it)('refuses a token from another issuer', async () => {
        await assertRefusedEverywhere(forge(t, claimsOf(admin.token), { issuer: `${t.config.jwt.issuer}-other` }));
    });
    (0, node_test_1.it)('refuses a token for another audience', async () => {
        await assertRefusedEverywhere(forge(t, claimsOf(admin.token), { audience: `${t.config.jwt.audience}-other` }));
    });
    (0, node_test_1.it)('refuses a token whose sub is not the account of the session it names', async () => {
        await assertRefusedEverywhere(forge(t, { ...claimsOf(user.token), sub: admin.id }));
    });
    (0, node_test_1.it)('refuses a token naming a session that does not exist', async () => {
        await assertRefusedEverywhere(forge(t, { ...claimsOf(admin.token), sid: (0, node_crypto_1.randomUUID)() }));
    });
    (0, node_test_1.it)('refuses a token that claims kind access for a pre-auth session', async () => {
        const preAuth = await t.preAuth('admin', test_app_1.ADMIN_PASSWORD);
        strict_1.default.equal(payloadOf(preAuth).typ, 'mfa');
        await assertRefusedEverywhere(forge(t, { ...claimsOf(preAuth), typ: 'access' }));
    });
    (0, node_test_1.it)('refuses a token whose session was revoked by sign-out', async () => {
        const token = await t.signIn(user.userName, user.password, user.secret);
        await get(t, OWN_MFA, token).expect(200);
        await (0, supertest_1.default)(t.http).post('/signout').auth(token, { type: 'bearer' }).expect(204);
        await assertRefusedEverywhere(token);
        assertUnauthorized(await (0, supertest_1.default)(t.http).post('/signout').auth(token, { type: 'bearer' }), true);
    });
    (0, node_test_1.it)("ends only the signed-out session: the account's other sessions keep working", async () => {
        const first = await t.signIn(user.userName, user.password, user.secret);
        const second = await t.signIn(user.userName, user.password, user.secret);
        await (0, supertest_1.default)(t.http).post('/signout').auth(first, { type: 'bearer' }).expect(204);
        assertUnauthorized(await get(t, OWN_MFA, first), true);
        await get(t, OWN_MFA, second).expect(200);
    });
    (0, node_test_1.it)('refuses the token of an account an administrator disabled', async () => {
        const victim = await newAccount(t, admin, 'token-disabled', ['HelpDesk']);
        await get(t, OWN_MFA, victim.token).expect(200);
        await get(t, `${ACCOUNTS}/${user.id}`, victim.token).expect(200);
        strict_1.default.equal((await patchAsAdmin(victim.id, { isActive: false })).isActive, false);
        await assertRefusedEverywhere(victim.token);
    });
    (0, node_test_1.it)('keeps refusing the token of a disabled account after the account is enabled again', async () => {
        const victim = await newAccount(t, admin, 'token-reenabled', ['HelpDesk']);
        await get(t, OWN_MFA, victim.token).expect(200);
        strict_1.default.equal((await patchAsAdmin(victim.id, { isActive: false })).isActive, false);
        strict_1.default.equal((await patchAsAdmin(victim.id, { isActive: true })).isActive, true);
        await assertRefusedEverywhere(victim.token);
    });
    (0, node_test_1.it)("refuses a token once an administrator changed the account's roles", async () => {
        const victim = await newAccount(t, admin, 'token-roles', ['HelpDesk']);
        await get(t, OWN_MFA, victim.token).expect(200);
        strict_1.default.deepEqual((await patchAsAdmin(victim.id, { roles: ['User'] })).roles, ['User']);
        assertUnauthorized(await get(t, OWN_MFA, victim.token), true);
    });
    (0, node_test_1.it)("refuses a token once an administrator changed the account's password", async () => {
        const victim = await newAccount(t, admin, 'token-password', ['User']);
        await get(t, OWN_MFA, victim.token).expect(200);
        await patchAsAdmin(victim.id, { password: 'a-brand-new-Password-2!' });
        assertUnauthorized(await get(t, OWN_MFA, victim.token), true);
    });
    (0, node_test_1.it)("refuses a token once the account's security stamp changed", async () => {
        const victim = await newAccount(t, admin, 'token-stamp', ['HelpDesk']);
        await get(t, OWN_MFA, victim.token).expect(200);
        await get(t, `${ACCOUNTS}/${user.id}`, victim.token).expect(200);
        await t.sql('UPDATE accounts SET security_stamp = ? WHERE id = ?', ['x', victim.id]);
        await assertRefusedEverywhere(victim.token);
    });
    (0, node_test_1.it)('refuses an mfa pre-auth token on a normal endpoint', async () => {
        const preAuth = await t.preAuth('admin', test_app_1.ADMIN_PASSWORD);
        strict_1.default.equal(payloadOf(preAuth).typ, 'mfa');
        await assertRefusedEverywhere(preAuth);
    });
    (0, node_test_1.it)('refuses an enroll pre-auth token on a normal endpoint', async () => {
        // An Admin that has not enrolled yet: its permissions would let it read accounts.
        const created = await t.createAccount(admin.token, 'token-enrollee', ['Admin']);
        const preAuth = await t.preAuth(created.userName, created.password);
        strict_1.default.equal(payloadOf(preAuth).typ, 'enroll');
        await assertRefusedEverywhere(preAuth);
        // The token itself is sound: the enrolment call takes it.
        await (0, supertest_1.default)(t.http).post(`${OWN_MFA}/Enroll`).auth(preAuth, { type: 'bearer' }).expect(200);
    });
    (0, node_test_1.it)('accepts an mfa pre-auth token on /signin2fa only once', async () => {
        const preAuth = await t.preAuth(user.userName, user.password);
        t.nextStep();
        const first = await signin2fa(t, preAuth, await t.code(user.secret));
        strict_1.default.equal(first.status, 200, first.text);
        const access = first.body;
        strict_1.default.equal(payloadOf(access).typ, 'access');
        t.nextStep();
        const second = await signin2fa(t, preAuth, await t.code(user.secret));
        const body = assertUnauthorized(second, true);
        strict_1.default.notEqual(body.errorType, 'totp-invalid', 'the token is refused, not the code');
        // The promoted session lives on through the access token, never through the pre-auth one.
        await get(t, OWN_MFA, access).expect(200);
        assertUnauthorized(await get(t, OWN_MFA, preAuth), true);
    });
    (0, node_test_1.it)('refuses an enroll pre-auth token and an access token on /signin2fa', async () => {
        const created = await t.createAccount(admin.token, 'token-enrollee-2', ['User']);
        const enrollToken = await t.preAuth(created.userName, created.password);
        strict_1.default.equal(payloadOf(enrollToken).typ, 'enroll');
        t.nextStep();
        assertUnauthorized(await signin2fa(t, enrollToken, '123456'), true);
        const access = await t.signIn(user.userName, user.password, user.secret);
        t.nextStep();
        assertUnauthorized(await signin2fa(t, access, await t.code(user.secret)), true);
    });
    (0, node_test_1.it)('refuses an mfa pre-auth token on the enrolment calls', async () => {
        const preAuth = await t.preAuth(user.userName, user.password);
        assertUnauthorized(await (0, supertest_1.default)(t.http).post(`${OWN_MFA}/Enroll`).auth(preAuth, { type: 'bearer' }), true);
        t.nextStep();
        assertUnauthorized(await (0, supertest_1.default)(t.http)
            .post(`${OWN_MFA}/Enroll/Confirm`)
            .auth(preAuth, { type: 'bearer' })
            .send({ code: await t.code(user.secret) }), true);
    });
});
(0, node_test_1.describe)('token lifetime on the service clock', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('refuses a pre-auth token after five minutes, with a right code', async () => {
        const preAuth = await t.preAuth('admin', test_app_1.ADMIN_PASSWORD);
        t.clock.advance(t.config.jwt.preAuthTokenTtlSeconds + 1);
        const res = await signin2fa(t, preAuth, await t.code(admin.secret));
        const body = assertUnauthorized(res, true);
        strict_1.default.notEqual(body.errorType, 'totp-invalid', 'the token is refused, not the code');
    });
    (0, node_test_1.it)('refuses an access token once its session expired, though its JWT exp is still ahead in real time', async () => {
        t.nextStep();
        const token = await t.signIn('admin', test_app_1.ADMIN_PASSWORD, admin.secret);
        await get(t, OWN_MFA, token).expect(200);
        t.clock.advance(t.config.jwt.accessTokenTtlSeconds + 1);
        strict_1.default.ok(payloadOf(token).exp * 1000 > Date.now(), 'the JWT alone would still pass');
        assertUnauthorized(await get(t, OWN_MFA, token), true);
    });
});
(0, node_test_1.describe)('permission before existence', () => {
    let t;
    let admin;
    let plain;
    let helpDesk;
    function assertNotAllowed(res) {
        const body = (0, problem_1.assertProblem)(res, 403);
        strict_1.default.equal(body.errorType, 'error-not-allowed');
    }
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        plain = await newAccount(t, admin, 'perm-user', ['User']);
        helpDesk = await newAccount(t, admin, 'perm-helpdesk', ['HelpDesk']);
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('refuses a User-role account 403 on a random uuid, before looking it up', async () => {
        const path = `${ACCOUNTS}/${(0, node_crypto_1.randomUUID)()}`;
        const res = await get(t, path, plain.token);
        assertNotAllowed(res);
        strict_1.default.equal(res.body.instance, path);
    });
    (0, node_test_1.it)('refuses a User-role account 403 on an existing account', async () => {
        assertNotAllowed(await get(t, `${ACCOUNTS}/${admin.id}`, plain.token));
        assertNotAllowed(await get(t, `${ACCOUNTS}/${plain.id}`, plain.token));
    });
    (0, node_test_1.it)('refuses a User-role account 403 before validating a malformed id', async () => {
        assertNotAllowed(await get(t, `${ACCOUNTS}/not-a-uuid`, plain.token));
    });
    (0, node_test_1.it)('shows the admin an existing account', async () => {
        const res = await get(t, `${ACCOUNTS}/${plain.id}`, admin.token).expect(200);
        strict_1.default.equal(res.body.id, plain.id);
        strict_1.default.equal(res.body.userName, 'perm-user');
    });
    (0, node_test_1.it)('answers the admin 404 "User not found" for an unknown uuid', async () => {
        const path = `${ACCOUNTS}/${(0, node_crypto_1.randomUUID)()}`;
        const body = (0, problem_1.assertProblem)(await get(t, path, admin.token), 404, path);
        strict_1.default.equal(body.detail, 'User not found');
    });
    (0, node_test_1.it)('answers the admin 400 naming errors.id for an id that is not a uuid', async () => {
        const path = `${ACCOUNTS}/not-a-uuid`;
        const body = (0, problem_1.assertProblem)(await get(t, path, admin.token), 400, path);
        strict_1.default.equal(body.title, 'One or more validation errors occurred.');
        strict_1.default.ok(body.errors !== undefined, 'an errors dictionary');
        strict_1.default.ok(Array.isArray(body.errors.id) && body.errors.id.length > 0, JSON.stringify(body));
    });
    (0, node_test_1.it)('lets a HelpDesk account list and read accounts', async () => {
        const list = await get(t, `${ACCOUNTS}?search=perm-user`, helpDesk.token).expect(200);
        strict_1.default.deepEqual(list.body.items.map((a) => a.id), [plain.id]);
        const one = await get(t, `${ACCOUNTS}/${plain.id}`, helpDesk.token).expect(200);
        strict_1.default.equal(one.body.id, plain.id);
    });
    (0, node_test_1.it)('refuses a HelpDesk account 403 on creating an account, and creates nothing', async () => {
        const res = await (0, supertest_1.default)(t.http)
            .post(ACCOUNTS)
            .auth(helpDesk.token, { type: 'bearer' })
            .send({
            userName: 'perm-created',
            displayName: 'perm-created',
            email: 'perm-created@example.com',
            password: 'perm-created-Password-1!',
            roles: ['User'],
        });
        assertNotAllowed(res);
        const list = await get(t, `${ACCOUNTS}?search=perm-created`, admin.token).expect(200);
        strict_1.default.equal(list.body.totalCount, 0);
    });
    (0, node_test_1.it)('refuses a HelpDesk account 403 on the role list', async () => {
        assertNotAllowed(await get(t, ROLES, helpDesk.token));
        await get(t, ROLES, admin.token).expect(200);
    });
});
(0, node_test_1.describe)('route audit: deny by default', () => {
    let t;
    let admin;
    let routes;
    let protectedRoutes;
    const key = (r) => `${r.method} ${r.path}`;
    function isPublic(reflector, route) {
        return (reflector.get(auth_decorators_1.IS_PUBLIC, route.handler) === true ||
            reflector.get(auth_decorators_1.IS_PUBLIC, route.controllerClass) === true);
    }
    /** The route called with a random uuid for each path parameter and, unless a GET, a `{}` body. */
    function call(route, token) {
        const path = route.path.replace(/:[^/]+/g, () => (0, node_crypto_1.randomUUID)());
        const agent = (0, supertest_1.default)(t.http);
        let req;
        switch (route.method) {
            case 'GET':
                req = agent.get(path);
                break;
            case 'POST':
                req = agent.post(path).send({});
                break;
            case 'PUT':
                req = agent.put(path).send({});
                break;
            case 'PATCH':
                req = agent.patch(path).send({});
                break;
            case 'DELETE':
                req = agent.delete(path).send({});
                break;
            default:
                strict_1.default.fail(`unexpected method ${key(route)}`);
        }
        return token === undefined ? req : req.auth(token, { type: 'bearer' });
    }
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        const reflector = t.app.get(core_1.Reflector);
        routes = t.app.get(route_catalog_1.RouteCatalog).all();
        protectedRoutes = routes.filter((r) => !isPublic(reflector, r));
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('sees every controller route of the app', () => {
        const keys = routes.map(key);
        for (const expected of [
            'POST /signinBody',
            'POST /signin2fa',
            'POST /signout',
            'GET /api/v1/Mfa',
            'POST /api/v1/Mfa/Enroll',
            'GET /api/v1/ManagedAccount/:id',
            'PATCH /api/v1/ManagedAccount/:id',
            'PUT /api/v1/ManagedAccount/ResetMFA/:id',
            'PUT /api/v1/ManagedAccount/ResetMFA',
            'GET /api/v1/Role',
            'PUT /api/v1/Role/:name',
            'GET /api/v1/AuditEvent',
            'GET /health/ready',
        ]) {
            strict_1.default.ok(keys.includes(expected), `${expected} in ${keys.join(', ')}`);
        }
    });
    (0, node_test_1.it)('makes public exactly the sign-in, health and metrics routes', () => {
        const reflector = t.app.get(core_1.Reflector);
        const publicRoutes = routes
            .filter((r) => isPublic(reflector, r))
            .map(key)
            .sort();
        strict_1.default.deepEqual(publicRoutes, [...ALLOWED_PUBLIC].sort());
    });
    (0, node_test_1.it)('does not make POST /signin2fa public (it needs an mfa pre-auth token)', () => {
        strict_1.default.ok(protectedRoutes.some((r) => key(r) === 'POST /signin2fa'), protectedRoutes.map(key).join(', '));
    });
    (0, node_test_1.it)('answers 401 with WWW-Authenticate: Bearer on every non-public route called without a token', async () => {
        strict_1.default.ok(protectedRoutes.length >= 15, `${protectedRoutes.length} protected routes`);
        for (const route of protectedRoutes) {
            const res = await call(route);
            strict_1.default.equal(res.status, 401, `${key(route)}: ${res.status} ${res.text.slice(0, 300)}`);
            assertUnauthorized(res, false);
        }
    });
    (0, node_test_1.it)('answers 401 invalid_token on every non-public route called with a token signed by another key', async () => {
        const token = forge(t, { sub: (0, node_crypto_1.randomUUID)(), sid: (0, node_crypto_1.randomUUID)(), typ: 'access' }, {
            key: (0, node_crypto_1.randomBytes)(48),
        });
        for (const route of protectedRoutes) {
            const res = await call(route, token);
            strict_1.default.equal(res.status, 401, `${key(route)}: ${res.status} ${res.text.slice(0, 300)}`);
            assertUnauthorized(res, true);
        }
    });
    (0, node_test_1.it)('answers 401 on every non-public route but /signin2fa to an mfa pre-auth token', async () => {
        const preAuth = await t.preAuth('admin', test_app_1.ADMIN_PASSWORD);
        strict_1.default.equal(payloadOf(preAuth).typ, 'mfa');
        for (const route of protectedRoutes.filter((r) => key(r) !== 'POST /signin2fa')) {
            const res = await call(route, preAuth);
            strict_1.default.equal(res.status, 401, `${key(route)}: ${res.status} ${res.text.slice(0, 300)}`);
            assertUnauthorized(res, true);
        }
    });
    (0, node_test_1.it)('answers 401 on every non-public route but the enrolment calls to an enroll pre-auth token', async () => {
        const created = await t.createAccount(admin.token, 'audit-enrollee', ['Admin']);
        const preAuth = await t.preAuth(created.userName, created.password);
        strict_1.default.equal(payloadOf(preAuth).typ, 'enroll');
        const enrolment = new Set(['POST /api/v1/Mfa/Enroll', 'POST /api/v1/Mfa/Enroll/Confirm']);
        for (const route of protectedRoutes.filter((r) => !enrolment.has(key(r)))) {
            const res = await call(route, preAuth);
            strict_1.default.equal(res.status, 401, `${key(route)}: ${res.status} ${res.text.slice(0, 300)}`);
            assertUnauthorized(res, true);
        }
    });
});
(0, node_test_1.describe)('the challenge for another authorization scheme', () => {
    let t;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('answers a Basic authorization with a plain Bearer challenge (no bearer token was sent)', async () => {
        const res = await (0, supertest_1.default)(t.http)
            .get('/api/v1/Mfa')
            .set('Authorization', 'Basic YWRtaW46cGFzc3dvcmQ=')
            .expect(401);
        strict_1.default.equal(res.headers['www-authenticate'], 'Bearer');
    });
});
//# sourceMappingURL=tokens.e2e-spec.js.map