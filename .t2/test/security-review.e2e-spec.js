"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
// Each attack of the outside security review, reproduced as it was made: every test here failed on
// the code before the fix.
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_test_1 = require("node:test");
const jsonwebtoken_1 = require("jsonwebtoken");
const supertest_1 = __importDefault(require("supertest"));
const problem_1 = require("./support/problem");
const reset_helpers_1 = require("./support/reset-helpers");
const test_app_1 = require("./support/test-app");
const HELP_DESK_DEFAULT = ['edit-other-user-totp', 'view-accounts'];
const ALL_PERMISSIONS = [
    'edit-other-user-totp',
    'manage-accounts',
    'manage-roles',
    'view-accounts',
    'view-audit',
];
function signIn2fa(t, preAuth, body) {
    return (0, supertest_1.default)(t.http)
        .post('/signin2fa')
        .auth(preAuth, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send(body);
}
function wrongPassword(t, login) {
    return (0, supertest_1.default)(t.http)
        .post('/signinBody')
        .send({ Login: login, Password: 'not-the-password-1!' });
}
async function roleOf(t, token, name) {
    const res = await (0, supertest_1.default)(t.http).get('/api/v1/Role').auth(token, { type: 'bearer' }).expect(200);
    const role = res.body.find((r) => r.name === name);
    strict_1.default.ok(role, name);
    return role.permissions;
}
async function failedAttempts(t, id) {
    const [row] = await t.sql('SELECT failed_attempts FROM accounts WHERE id = ?', [id]);
    return Number(row.failed_attempts);
}
/** Locks an enrolled account the only way there is: wrong codes at the second step. */
async function lockWithWrongCodes(t, user) {
    const preAuth = await t.preAuth(user.userName, user.password);
    for (let i = 0; i < t.config.lockout.threshold; i++) {
        await signIn2fa(t, preAuth, JSON.stringify(await (0, reset_helpers_1.wrongCode)(t, user.secret))).expect(401);
    }
    await wrongPassword(t, user.userName); // a locked account answers like any failed sign-in
    await (0, supertest_1.default)(t.http)
        .post('/signinBody')
        .send({ Login: user.userName, Password: user.password })
        .expect(401);
}
(0, node_test_1.describe)('security review: roles', () => {
    let t;
    let admin;
    let helpDesk;
    const helpDeskToken = () => t.signIn(helpDesk.userName, helpDesk.password, helpDesk.secret);
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        await (0, reset_helpers_1.putRole)(t, adminToken, 'HelpDesk', [...HELP_DESK_DEFAULT, 'manage-roles']).expect(200);
        helpDesk = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('hd'), ['HelpDesk']);
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('refuses a role manager stripping Admin of permissions it lacks: 403, Admin unchanged, audited', async () => {
        const res = await (0, reset_helpers_1.putRole)(t, await helpDeskToken(), 'Admin', ['view-accounts']);
        strict_1.default.equal((0, problem_1.assertProblem)(res, 403).errorType, 'error-not-allowed');
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        strict_1.default.deepEqual(await roleOf(t, adminToken, 'Admin'), ALL_PERMISSIONS);
        await (0, reset_helpers_1.resetById)(t, await helpDeskToken(), admin.id).expect(403);
        const [event] = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, {
            action: 'role.updated',
            actorId: helpDesk.id,
        });
        strict_1.default.equal(event.outcome, 'denied');
        strict_1.default.deepEqual(event.details?.lacking, ['manage-accounts', 'view-audit']);
    });
    (0, node_test_1.it)('refuses removing from any role a permission the caller lacks', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        await (0, reset_helpers_1.putRole)(t, adminToken, 'User', ['view-audit']).expect(200);
        const res = await (0, reset_helpers_1.putRole)(t, await helpDeskToken(), 'User', []);
        strict_1.default.equal((0, problem_1.assertProblem)(res, 403).errorType, 'error-not-allowed');
        strict_1.default.deepEqual(await roleOf(t, adminToken, 'User'), ['view-audit']);
        await (0, reset_helpers_1.putRole)(t, adminToken, 'User', []).expect(200);
    });
    (0, node_test_1.it)('lets a role manager change what it holds itself', async () => {
        const res = await (0, reset_helpers_1.putRole)(t, await helpDeskToken(), 'User', ['view-accounts']);
        strict_1.default.equal(res.status, 200, res.text);
        await (0, reset_helpers_1.putRole)(t, await helpDeskToken(), 'User', []).expect(200);
    });
    (0, node_test_1.it)('answers 409 to an Admin taking a permission from the Admin role, and keeps it', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const res = await (0, reset_helpers_1.putRole)(t, adminToken, 'Admin', ALL_PERMISSIONS.filter((p) => p !== 'view-audit'));
        (0, problem_1.assertProblem)(res, 409);
        strict_1.default.deepEqual(await roleOf(t, adminToken, 'Admin'), ALL_PERMISSIONS);
        await (0, supertest_1.default)(t.http).get(reset_helpers_1.AUDIT).auth(adminToken, { type: 'bearer' }).expect(200);
        const [event] = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, {
            action: 'role.updated',
            actorId: admin.id,
        });
        strict_1.default.equal(event.outcome, 'denied');
    });
    (0, node_test_1.it)('audits the 409 for the last account able to manage roles (thrown inside the transaction)', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        await (0, reset_helpers_1.putRole)(t, adminToken, 'HelpDesk', HELP_DESK_DEFAULT).expect(200);
        const res = await (0, reset_helpers_1.patchAccount)(t, adminToken, admin.id, { roles: ['User'] });
        (0, problem_1.assertProblem)(res, 409);
        const [event] = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, {
            action: 'account.updated',
            targetId: admin.id,
        });
        strict_1.default.equal(event.outcome, 'denied');
        strict_1.default.match(String(event.details?.reason), /manage roles/);
        await (0, reset_helpers_1.putRole)(t, adminToken, 'HelpDesk', [...HELP_DESK_DEFAULT, 'manage-roles']).expect(200);
    });
});
(0, node_test_1.describe)('security review: lock-out', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ LOCKOUT_THRESHOLD: '3', PASSWORD_BURST_THRESHOLD: '5' });
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('never locks an account for wrong passwords, admin included', async () => {
        for (let i = 0; i < 10; i++)
            await wrongPassword(t, 'admin').expect(401);
        strict_1.default.equal(await failedAttempts(t, admin.id), 0);
        await t.signIn('admin', test_app_1.ADMIN_PASSWORD, admin.secret);
    });
    (0, node_test_1.it)('logs a burst of wrong passwords against one account at warn and counts it in the metrics', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('burst'));
        const bursts = async () => {
            const text = (await (0, supertest_1.default)(t.http).get('/metrics').expect(200)).text;
            return Number(/^mfa_admin_password_bursts_total (\d+)$/m.exec(text)?.[1]);
        };
        const before = await bursts();
        for (let i = 0; i < 7; i++)
            await wrongPassword(t, user.userName).expect(401);
        const lines = t.logLines.filter((l) => l.msg === 'burst of wrong passwords against one account' && l.accountId === user.id);
        strict_1.default.equal(lines.length, 1, 'one line per account and minute');
        strict_1.default.equal(lines[0].level, 'warn');
        strict_1.default.equal(lines[0].failures, 5);
        strict_1.default.equal(await bursts(), before + 1);
        const metrics = await (0, supertest_1.default)(t.http).get('/metrics').expect(200);
        strict_1.default.match(metrics.text, /^mfa_admin_sign_in_failures_total\{reason="password"\} \d+$/m);
    });
    (0, node_test_1.it)('ends a lock with PATCH lockedUntil: null, audited', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('locked'));
        await lockWithWrongCodes(t, user);
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        strict_1.default.notEqual((await (0, reset_helpers_1.accountView)(t, adminToken, user.id)).lockedUntil, null);
        const res = await (0, reset_helpers_1.patchAccount)(t, adminToken, user.id, { lockedUntil: null });
        strict_1.default.equal(res.status, 200, res.text);
        strict_1.default.equal(res.body.lockedUntil, null);
        await t.signIn(user.userName, user.password, user.secret);
        const [event] = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, {
            action: 'account.updated',
            targetId: user.id,
        });
        strict_1.default.deepEqual(event.details?.changed, ['lockedUntil']);
    });
    (0, node_test_1.it)('ends a lock when an administrator sets a password', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('locked'));
        await lockWithWrongCodes(t, user);
        const password = 'a-new-Password-123';
        await (0, reset_helpers_1.patchAccount)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), user.id, { password }).expect(200);
        await t.signIn(user.userName, password, user.secret);
    });
    (0, node_test_1.it)('ends a lock when the MFA is reset (the failures were against the old factor)', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('locked'));
        await lockWithWrongCodes(t, user);
        await (0, reset_helpers_1.resetById)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), user.id).expect(200);
        await t.enroll(user.userName, user.password);
    });
    (0, node_test_1.it)('refuses a lockedUntil other than null: 400 naming lockedUntil', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('lockset'));
        const res = await (0, reset_helpers_1.patchAccount)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), user.id, {
            lockedUntil: '2099-01-01T00:00:00Z',
        });
        (0, problem_1.assertValidationProblem)(res, undefined, 'lockedUntil');
    });
});
(0, node_test_1.describe)('security review: step-up (STEP_UP_MAX_AGE=0)', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ STEP_UP_MAX_AGE: '0' });
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    const create = (roles, code) => {
        const name = (0, reset_helpers_1.uniqueName)('new');
        const req = (0, supertest_1.default)(t.http)
            .post(reset_helpers_1.ACCOUNTS)
            .auth(admin.token, { type: 'bearer' })
            .send({
            userName: name,
            displayName: name,
            email: `${name}@example.com`,
            password: `${name}-Password-1!`,
            roles,
        });
        if (code !== undefined)
            req.set('x-2fa-code', code);
        return req;
    };
    (0, node_test_1.it)('asks for a code before creating an account whose roles grant a permission', async () => {
        const res = await create(['Admin']);
        strict_1.default.equal((0, problem_1.assertProblem)(res, 400).errorType, 'totp-required');
        const [{ n }] = await t.sql("SELECT COUNT(*) AS n FROM account_roles WHERE role_name = 'Admin'");
        strict_1.default.equal(Number(n), 1, 'no administrator was planted');
        strict_1.default.equal((0, problem_1.assertProblem)(await create(['HelpDesk']), 400).errorType, 'totp-required', 'HelpDesk too');
    });
    (0, node_test_1.it)('creates it with the caller’s current code', async () => {
        const res = await create(['Admin'], await (0, reset_helpers_1.freshCode)(t, admin.secret));
        strict_1.default.equal(res.status, 201, res.text);
    });
    (0, node_test_1.it)('creates an account with permission-less roles without a code', async () => {
        strict_1.default.equal((await create(['User'])).status, 201);
        strict_1.default.equal((await create([])).status, 201);
    });
    (0, node_test_1.it)('asks for a code before ending a lock-out', async () => {
        const res = await (0, reset_helpers_1.patchAccount)(t, admin.token, admin.id, { lockedUntil: null });
        strict_1.default.equal((0, problem_1.assertProblem)(res, 400).errorType, 'totp-required');
    });
});
(0, node_test_1.describe)('security review: refusals are audited', () => {
    let t;
    let admin;
    let user;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('user'));
    });
    (0, node_test_1.after)(() => t.close());
    const eventsOf = async (actorId, action) => (0, reset_helpers_1.allAuditEvents)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), { actorId, action });
    (0, node_test_1.it)('audits a 403 at the permission check: ResetMFA, PATCH of own roles, PUT Role', async () => {
        await (0, reset_helpers_1.resetById)(t, user.token, admin.id).expect(403);
        await (0, reset_helpers_1.patchAccount)(t, user.token, user.id, { roles: ['Admin'] }).expect(403);
        await (0, reset_helpers_1.putRole)(t, user.token, 'User', ['view-audit']).expect(403);
        const events = await eventsOf(user.id, 'access.denied');
        strict_1.default.deepEqual(events.map((e) => [e.outcome, e.details?.method, e.details?.permission]).reverse(), [
            ['denied', 'PUT', 'edit-other-user-totp'],
            ['denied', 'PATCH', 'manage-accounts'],
            ['denied', 'PUT', 'manage-roles'],
        ]);
        strict_1.default.ok(events.every((e) => typeof e.traceId === 'string' && e.traceId !== ''));
    });
    (0, node_test_1.it)('audits and counts a malformed step-up code and an unavailable method', async () => {
        const token = await t.signIn(user.userName, user.password, user.secret);
        const before = await failedAttempts(t, user.id);
        const malformed = await (0, supertest_1.default)(t.http)
            .put('/api/v1/Mfa/Reset')
            .auth(token, { type: 'bearer' })
            .set('x-2fa-code', 'abc');
        const sms = await (0, supertest_1.default)(t.http)
            .put('/api/v1/Mfa/Reset')
            .auth(token, { type: 'bearer' })
            .set('x-2fa-code', '123456')
            .set('x-2fa-method', 'sms');
        strict_1.default.equal((0, problem_1.assertProblem)(malformed, 400).errorType, 'totp-invalid');
        strict_1.default.equal((0, problem_1.assertProblem)(sms, 400).errorType, 'totp-invalid');
        strict_1.default.equal(await failedAttempts(t, user.id), before + 2);
        const events = await eventsOf(user.id, 'step-up.failed');
        strict_1.default.ok(events.length >= 2);
    });
    (0, node_test_1.it)('audits and counts a malformed code at the second sign-in step', async () => {
        const preAuth = await t.preAuth(user.userName, user.password);
        const before = await failedAttempts(t, user.id);
        const res = await signIn2fa(t, preAuth, JSON.stringify('not-a-code'));
        strict_1.default.equal((0, problem_1.assertProblem)(res, 401).errorType, 'totp-invalid');
        strict_1.default.equal(await failedAttempts(t, user.id), before + 1);
        const [event] = await eventsOf(user.id, 'sign-in.failed');
        strict_1.default.deepEqual(event.details, { method: 'malformed' });
    });
    (0, node_test_1.it)('audits a reset of an account that does not exist', async () => {
        const token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const missing = '0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a91';
        await (0, reset_helpers_1.resetById)(t, token, missing).expect(404);
        const [event] = await (0, reset_helpers_1.allAuditEvents)(t, token, { action: 'mfa.reset', targetId: missing });
        strict_1.default.equal(event.outcome, 'failure');
    });
});
(0, node_test_1.describe)('security review: bad input is a 4xx problem, never a 500', () => {
    let t;
    let admin;
    let token;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
    });
    (0, node_test_1.after)(() => t.close());
    const deep = (depth) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    (0, node_test_1.it)('refuses JSON nested 10,000 deep, anonymous or not', async () => {
        const anonymous = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .set('Content-Type', 'application/json')
            .send(deep(10_000));
        (0, problem_1.assertValidationProblem)(anonymous, undefined, '$');
        const signedIn = await (0, supertest_1.default)(t.http)
            .post(reset_helpers_1.ACCOUNTS)
            .auth(token, { type: 'bearer' })
            .set('Content-Type', 'application/json')
            .send(`{"userName":"deep","roles":[],"displayName":${deep(10_000)}}`);
        (0, problem_1.assertValidationProblem)(signedIn, undefined, '$');
    });
    (0, node_test_1.it)('accepts JSON nested as deep as the limit allows', async () => {
        const res = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .set('Content-Type', 'application/json')
            .send(`{"Login":"admin","Password":"x","extra":${deep(30)}}`);
        (0, problem_1.assertProblem)(res, 401);
    });
    (0, node_test_1.it)('refuses numbers and dates out of range', async () => {
        for (const [path, field] of [
            [`${reset_helpers_1.ACCOUNTS}?skip=100000000000000000000`, 'skip'],
            [`${reset_helpers_1.ACCOUNTS}?skip=2147483648`, 'skip'],
            [`${reset_helpers_1.AUDIT}?cursor=2147483648`, 'cursor'],
            [`${reset_helpers_1.AUDIT}?since=-004714-01-01T00:00:00Z`, 'since'],
            [`${reset_helpers_1.AUDIT}?until=0000-01-01T00:00:00Z`, 'until'],
        ]) {
            (0, problem_1.assertValidationProblem)(await (0, supertest_1.default)(t.http).get(path).auth(token, { type: 'bearer' }), undefined, field);
        }
        await (0, supertest_1.default)(t.http)
            .get(`${reset_helpers_1.AUDIT}?cursor=2147483647`)
            .auth(token, { type: 'bearer' })
            .expect(200);
    });
    (0, node_test_1.it)('refuses NUL characters in a body, a query and a path', async () => {
        const body = await (0, reset_helpers_1.patchAccount)(t, token, admin.id, { displayName: 'a\u0000b' });
        (0, problem_1.assertValidationProblem)(body, undefined, '$');
        const query = await (0, supertest_1.default)(t.http)
            .get(`${reset_helpers_1.ACCOUNTS}?search=a%00b`)
            .auth(token, { type: 'bearer' });
        (0, problem_1.assertValidationProblem)(query, undefined, 'search');
        const path = await (0, reset_helpers_1.resetByName)(t, token, 'a\u0000b');
        (0, problem_1.assertValidationProblem)(path, undefined, 'userName');
        const form = await (0, supertest_1.default)(t.http).post('/signinBody').send('Login=a%00&Password=b');
        (0, problem_1.assertValidationProblem)(form, undefined, '$');
    });
    (0, node_test_1.it)('refuses a JSON object naming a member twice (case-insensitively), on every route', async () => {
        const victim = await (0, reset_helpers_1.enrolledUser)(t, token, (0, reset_helpers_1.uniqueName)('dup'));
        const batch = await (0, reset_helpers_1.resetBatch)(t, token, { ids: [victim.id], IDS: [admin.id] });
        (0, problem_1.assertValidationProblem)(batch, undefined, '$');
        strict_1.default.equal((await (0, reset_helpers_1.storedMfa)(t, victim.id)).hasSecret, true, 'nothing was reset');
        strict_1.default.equal((await (0, reset_helpers_1.storedMfa)(t, admin.id)).hasSecret, true);
        const patch = await (0, supertest_1.default)(t.http)
            .patch(`${reset_helpers_1.ACCOUNTS}/${victim.id}`)
            .auth(token, { type: 'bearer' })
            .set('Content-Type', 'application/json')
            .send('{"displayName":"a","DisplayName":"b"}');
        (0, problem_1.assertValidationProblem)(patch, undefined, '$');
        const signIn = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .set('Content-Type', 'application/json')
            .send(`{"Login":"admin","login":"other","Password":"${test_app_1.ADMIN_PASSWORD}"}`);
        (0, problem_1.assertValidationProblem)(signIn, undefined, '$');
    });
});
(0, node_test_1.describe)('security review: sign-in', () => {
    let t;
    let admin;
    let kate;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        kate = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), `kate-${(0, reset_helpers_1.uniqueName)('k')}`);
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('never stores an unknown login as typed: a password typed into the login field', async () => {
        await wrongPassword(t, 'AdminPass-123456').expect(401);
        const events = await (0, reset_helpers_1.allAuditEvents)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), {
            action: 'sign-in.failed',
        });
        strict_1.default.ok(events.length > 0);
        strict_1.default.ok(events.every((e) => e.actorName !== 'AdminPass-123456' && e.targetName !== 'AdminPass-123456'));
    });
    (0, node_test_1.it)('does the same work for an unknown login and a wrong password: one event, no account written', async () => {
        const before = await t.sql('SELECT id, updated_at, failed_attempts FROM accounts ORDER BY id');
        const [{ n: eventsBefore }] = await t.sql('SELECT COUNT(*) AS n FROM audit_events');
        await wrongPassword(t, 'nobody-at-all').expect(401);
        const [{ n: afterUnknown }] = await t.sql('SELECT COUNT(*) AS n FROM audit_events');
        await wrongPassword(t, kate.userName).expect(401);
        const [{ n: afterWrong }] = await t.sql('SELECT COUNT(*) AS n FROM audit_events');
        strict_1.default.equal(Number(afterUnknown) - Number(eventsBefore), 1);
        strict_1.default.equal(Number(afterWrong) - Number(afterUnknown), 1);
        strict_1.default.deepEqual(await t.sql('SELECT id, updated_at, failed_attempts FROM accounts ORDER BY id'), before);
    });
    (0, node_test_1.it)('compares user names as ASCII: the Kelvin sign is not a k', async () => {
        const spoofed = `\u212A${kate.userName.slice(1)}`;
        const token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        await (0, reset_helpers_1.resetByName)(t, token, spoofed).expect(404);
        strict_1.default.equal((await (0, reset_helpers_1.storedMfa)(t, kate.id)).hasSecret, true, 'kate keeps her MFA');
        await wrongPassword(t, spoofed).expect(401);
        const res = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: spoofed, Password: kate.password });
        (0, problem_1.assertProblem)(res, 401);
    });
    (0, node_test_1.it)('refuses tokens signed with the key but without exp, issued in the future, or living too long', async () => {
        const token = await t.signIn(kate.userName, kate.password, kate.secret);
        const claims = (0, reset_helpers_1.jwtPayload)(token);
        const now = Math.floor(t.clock.now().getTime() / 1000);
        const forge = (payload) => (0, jsonwebtoken_1.sign)(payload, t.config.jwt.secret, {
            algorithm: 'HS256',
            issuer: t.config.jwt.issuer,
            audience: t.config.jwt.audience,
            // jsonwebtoken keeps a given iat, and adds one only when none is given.
            noTimestamp: payload.iat === undefined,
        });
        const base = { sub: claims.sub, sid: claims.sid, typ: claims.typ };
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, forge({ ...base, iat: now, exp: now + 600 })), 200);
        for (const [what, payload] of [
            ['no exp', { ...base, iat: now }],
            ['no iat', { ...base, exp: now + 600 }],
            ['an iat an hour ahead', { ...base, iat: now + 3600, exp: now + 3700 }],
            ['exp 1e20', { ...base, iat: now, exp: 1e20 }],
            ['a lifetime of a year', { ...base, iat: now, exp: now + 365 * 86_400 }],
        ]) {
            strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, forge(payload)), 401, what);
        }
    });
    (0, node_test_1.it)('bounds the password hashes computed at once: past the queue, 503 with Retry-After', async () => {
        const busy = await test_app_1.TestApp.start({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '1' });
        try {
            const answers = await Promise.all(Array.from({ length: 6 }, () => wrongPassword(busy, 'admin')));
            const statuses = answers.map((r) => r.status).sort();
            strict_1.default.ok(statuses.includes(401), statuses.join());
            const refused = answers.filter((r) => r.status === 503);
            strict_1.default.ok(refused.length >= 1, statuses.join());
            (0, problem_1.assertProblem)(refused[0], 503);
            strict_1.default.equal(refused[0].headers['retry-after'], '1');
        }
        finally {
            await busy.close();
        }
    });
});
(0, node_test_1.describe)('security review: operations', () => {
    (0, node_test_1.it)('asks for METRICS_TOKEN on /metrics when it is set', async () => {
        const metricsToken = (0, node_crypto_1.randomBytes)(24).toString('hex');
        const t = await test_app_1.TestApp.start({ METRICS_TOKEN: metricsToken });
        try {
            const missing = await (0, supertest_1.default)(t.http).get('/metrics');
            (0, problem_1.assertProblem)(missing, 401);
            strict_1.default.equal(missing.headers['www-authenticate'], 'Bearer');
            (0, problem_1.assertProblem)(await (0, supertest_1.default)(t.http).get('/metrics').auth('wrong-token-123456', { type: 'bearer' }), 401);
            const ok = await (0, supertest_1.default)(t.http).get('/metrics').auth(metricsToken, { type: 'bearer' });
            strict_1.default.equal(ok.status, 200);
            strict_1.default.match(ok.text, /http_requests_total/);
        }
        finally {
            await t.close();
        }
    });
    (0, node_test_1.it)('answers /metrics 404 in production without METRICS_TOKEN', async () => {
        const t = await test_app_1.TestApp.start({
            NODE_ENV: 'production',
            SIGNIN_RATE_LIMIT: '60',
            JWT_SECRET: (0, node_crypto_1.randomBytes)(48).toString('base64url'),
            MFA_ENCRYPTION_KEY: (0, node_crypto_1.randomBytes)(32).toString('hex'),
        });
        try {
            (0, problem_1.assertProblem)(await (0, supertest_1.default)(t.http).get('/metrics'), 404);
        }
        finally {
            await t.close();
        }
    });
    (0, node_test_1.it)('writes the one-time password line at LOG_LEVEL=error too', async () => {
        const t = await test_app_1.TestApp.start({ LOG_LEVEL: 'error', BOOTSTRAP_ADMIN_PASSWORD: '' });
        try {
            const lines = t.logLines.filter((l) => /one-time password: \S{16,}/.test(String(l.msg)));
            strict_1.default.equal(lines.length, 1);
            strict_1.default.equal(lines[0].level, 'warn');
            strict_1.default.ok(!t.logLines.some((l) => l.level === 'info'), 'the level holds for everything else');
        }
        finally {
            await t.close();
        }
    });
    (0, node_test_1.it)('counts an IPv6 client by its /64 in the per-address sign-in limit', async () => {
        const t = await test_app_1.TestApp.start({ SIGNIN_RATE_LIMIT: '3', TRUST_PROXY: 'loopback' });
        try {
            const from = (address) => wrongPassword(t, 'admin').set('X-Forwarded-For', address);
            for (let i = 1; i <= 3; i++)
                await from(`2001:db8:5:6::${i}`).expect(401);
            const limited = await from('2001:db8:5:6:ffff::9');
            (0, problem_1.assertProblem)(limited, 429);
            await from('2001:db8:5:7::1').expect(401);
        }
        finally {
            await t.close();
        }
    });
});
//# sourceMappingURL=security-review.e2e-spec.js.map