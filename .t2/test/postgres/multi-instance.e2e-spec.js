"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const fake_clock_1 = require("../support/fake-clock");
const test_database_1 = require("../support/test-database");
const test_app_1 = require("../support/test-app");
/** Two instances of the app, sharing nothing but one PostgreSQL database (and the keys). */
(0, node_test_1.describe)('two instances on one PostgreSQL database', () => {
    let database;
    let a;
    let b;
    let admin;
    (0, node_test_1.before)(async () => {
        database = await test_database_1.PostgresTestDatabase.create();
        const env = {
            DATABASE_URL: database.url,
            JWT_SECRET: (0, node_crypto_1.randomBytes)(32).toString('base64url'),
            MFA_ENCRYPTION_KEY: (0, node_crypto_1.randomBytes)(32).toString('hex'),
            LOCKOUT_THRESHOLD: '4',
        };
        const clock = new fake_clock_1.FakeClock();
        a = await test_app_1.TestApp.start(env, clock);
        b = await test_app_1.TestApp.start(env, clock);
        admin = await a.enrolledAdmin();
    });
    (0, node_test_1.after)(async () => {
        await a.close();
        await b.close();
        await database.drop();
    });
    async function enrolledUser(name) {
        await a.createAccount(admin.token, name);
        return a.enroll(name, `${name}-Password-1!`);
    }
    (0, node_test_1.it)('accepts a token issued by A on B', async () => {
        await (0, supertest_1.default)(b.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).expect(200);
    });
    (0, node_test_1.it)('refuses on B a session signed out on A', async () => {
        const token = await a.signIn('admin', test_app_1.ADMIN_PASSWORD, admin.secret);
        await (0, supertest_1.default)(b.http).get('/api/v1/Mfa').auth(token, { type: 'bearer' }).expect(200);
        await (0, supertest_1.default)(a.http).post('/signout').auth(token, { type: 'bearer' }).expect(204);
        await (0, supertest_1.default)(b.http).get('/api/v1/Mfa').auth(token, { type: 'bearer' }).expect(401);
    });
    (0, node_test_1.it)('refuses on B the tokens of an account reset on A', async () => {
        const user = await enrolledUser('reset-on-a');
        await (0, supertest_1.default)(b.http).get('/api/v1/Mfa').auth(user.token, { type: 'bearer' }).expect(200);
        await (0, supertest_1.default)(a.http)
            .put(`/api/v1/ManagedAccount/ResetMFA/${user.id}`)
            .auth(admin.token, { type: 'bearer' })
            .expect(200);
        await (0, supertest_1.default)(b.http).get('/api/v1/Mfa').auth(user.token, { type: 'bearer' }).expect(401);
    });
    (0, node_test_1.it)('refuses on B a code already accepted on A', async () => {
        const user = await enrolledUser('replay-across');
        const preA = await a.preAuth(user.userName, user.password);
        const preB = await b.preAuth(user.userName, user.password);
        a.nextStep();
        const code = await a.code(user.secret);
        await (0, supertest_1.default)(a.http)
            .post('/signin2fa')
            .auth(preA, { type: 'bearer' })
            .send({ code })
            .expect(200);
        const res = await (0, supertest_1.default)(b.http)
            .post('/signin2fa')
            .auth(preB, { type: 'bearer' })
            .send({ code })
            .expect(401);
        strict_1.default.equal(res.body.errorType, 'totp-invalid');
    });
    (0, node_test_1.it)('adds failed attempts on A and B up to one lock-out', async () => {
        const user = await enrolledUser('locked-across');
        // Wrong codes at the second step: wrong passwords never count toward the lock-out.
        const wrongCode = async (app) => {
            const preAuth = await app.preAuth(user.userName, user.password);
            const code = await app.code(user.secret);
            await (0, supertest_1.default)(app.http)
                .post('/signin2fa')
                .auth(preAuth, { type: 'bearer' })
                .send({ code: code === '000000' ? '111111' : '000000' })
                .expect(401);
        };
        for (const app of [a, b, a])
            await wrongCode(app);
        const before = await (0, supertest_1.default)(b.http)
            .get(`/api/v1/ManagedAccount/${user.id}`)
            .auth(admin.token, { type: 'bearer' })
            .expect(200);
        strict_1.default.equal(before.body.lockedUntil, null);
        await wrongCode(b);
        const after = await (0, supertest_1.default)(a.http)
            .get(`/api/v1/ManagedAccount/${user.id}`)
            .auth(admin.token, { type: 'bearer' })
            .expect(200);
        strict_1.default.notEqual(after.body.lockedUntil, null);
        // Locked: even the right password gets no pre-auth token, on either instance.
        await (0, supertest_1.default)(a.http)
            .post('/signinBody')
            .send({ Login: user.userName, Password: user.password })
            .expect(401);
        await (0, supertest_1.default)(b.http)
            .post('/signinBody')
            .send({ Login: user.userName, Password: user.password })
            .expect(401);
    });
    (0, node_test_1.it)('ends 50 concurrent resets of 10 accounts over both instances in one consistent state', async () => {
        const users = [];
        for (let i = 0; i < 10; i++)
            users.push(await enrolledUser(`concurrent-${i}`));
        const eventsBefore = await a.sql("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'");
        // Call i resets account i % 10 on the instance floor(i / 10) % 2: every account is reset
        // three times from A and twice from B, at once.
        const instanceOf = (i) => (Math.floor(i / 10) % 2 === 0 ? a : b);
        for (let account = 0; account < 10; account++) {
            const from = new Set([0, 1, 2, 3, 4].map((round) => instanceOf(round * 10 + account)));
            strict_1.default.equal(from.size, 2, `account ${account} is reset from both instances`);
        }
        const calls = Array.from({ length: 50 }, (_, i) => (0, supertest_1.default)(instanceOf(i).http)
            .put(`/api/v1/ManagedAccount/ResetMFA/${users[i % 10].id}`)
            .auth(admin.token, { type: 'bearer' }));
        const answers = await Promise.all(calls);
        strict_1.default.deepEqual(answers.map((r) => r.status), Array.from({ length: 50 }, () => 200));
        // Each account: exactly one of its five resets found MFA on.
        for (let i = 0; i < 10; i++) {
            const mine = answers
                .filter((_, j) => j % 10 === i)
                .map((r) => r.body);
            strict_1.default.equal(mine.filter((r) => r.mfaWasEnabled).length, 1, `account ${i}`);
        }
        const ids = users.map((u) => u.id);
        const rows = await a.sql(`SELECT COUNT(*) AS n FROM accounts WHERE id IN (${ids.map(() => '?').join(',')}) AND (mfa_secret IS NOT NULL OR mfa_enrolled_at IS NOT NULL)`, ids);
        strict_1.default.equal(Number(rows[0].n), 0);
        const eventsAfter = await a.sql("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'");
        strict_1.default.equal(Number(eventsAfter[0].n) - Number(eventsBefore[0].n), 50);
        const verify = await (0, supertest_1.default)(b.http)
            .get('/api/v1/AuditEvent/Verify')
            .auth(admin.token, { type: 'bearer' })
            .expect(200);
        strict_1.default.equal(verify.body.valid, true);
    });
    (0, node_test_1.it)('never leaves a half-reset account when a batch races single resets', async () => {
        // Accounts 0-3 are reset only by the batch (nothing repairs what it leaves); accounts 4-7 by
        // the batch and, at the same moment, once from each instance.
        const users = [];
        for (let i = 0; i < 8; i++)
            users.push(await enrolledUser(`race-${i}`));
        const batchOnly = users.slice(0, 4);
        const both = users.slice(4);
        // A second session each (on B), so that "every session ended" is about more than one.
        const secondTokens = new Map();
        for (const user of users)
            secondTokens.set(user.id, await b.signIn(user.userName, user.password, user.secret));
        const ids = users.map((u) => u.id);
        const placeholders = ids.map(() => '?').join(',');
        const now = a.clock.now();
        const openBefore = await a.sql(`SELECT id, account_id FROM sessions WHERE account_id IN (${placeholders}) AND revoked_at IS NULL AND expires_at > ?`, [...ids, now]);
        const stampsBefore = new Map((await a.sql(`SELECT id, security_stamp FROM accounts WHERE id IN (${placeholders})`, ids)).map((r) => [r.id, r.security_stamp]));
        const codesBefore = await a.sql(`SELECT account_id, COUNT(*) AS n FROM recovery_codes WHERE account_id IN (${placeholders}) GROUP BY account_id`, ids);
        for (const user of users) {
            strict_1.default.ok(openBefore.filter((s) => s.account_id === user.id).length >= 2, `${user.userName} has two open sessions before`);
            strict_1.default.ok(Number(codesBefore.find((c) => c.account_id === user.id)?.n ?? 0) > 0, `${user.userName} has recovery codes before`);
        }
        const eventsBefore = await a.sql("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'");
        // A fresh MFA proof: the sign-ins above moved the clock past the step-up window.
        const caller = await a.signIn('admin', test_app_1.ADMIN_PASSWORD, admin.secret);
        const batch = (0, supertest_1.default)(a.http)
            .put('/api/v1/ManagedAccount/ResetMFA')
            .auth(caller, { type: 'bearer' })
            .send(ids);
        const singles = both.flatMap((user) => [b, a].map((app) => (0, supertest_1.default)(app.http)
            .put(`/api/v1/ManagedAccount/ResetMFA/${user.id}`)
            .auth(caller, { type: 'bearer' })));
        const [batchAnswer, ...singleAnswers] = await Promise.all([batch, ...singles]);
        strict_1.default.equal(batchAnswer.status, 200, JSON.stringify(batchAnswer.body));
        const reported = batchAnswer.body.userids;
        strict_1.default.deepEqual(reported, ids, 'the batch reports exactly its input, in order');
        strict_1.default.equal(new Set(reported).size, ids.length);
        for (const answer of singleAnswers)
            strict_1.default.equal(answer.status, 200);
        // Every account reset: no secret, no pending enrolment, no recovery code, a new stamp, and
        // every session that was open before ended (the caller, admin, is none of these accounts).
        const accounts = await a.sql(`SELECT id, mfa_secret, mfa_enrolled_at, mfa_pending_secret, security_stamp FROM accounts WHERE id IN (${placeholders})`, ids);
        const codes = await a.sql(`SELECT account_id FROM recovery_codes WHERE account_id IN (${placeholders})`, ids);
        const sessions = await a.sql(`SELECT id, revoked_at FROM sessions WHERE account_id IN (${placeholders})`, ids);
        const revokedAt = new Map(sessions.map((s) => [s.id, s.revoked_at]));
        for (const user of users) {
            const what = `${batchOnly.includes(user) ? 'batch only' : 'batch and singles'}: ${user.userName}`;
            const account = accounts.find((r) => r.id === user.id);
            strict_1.default.ok(account, what);
            strict_1.default.equal(account.mfa_secret, null, `${what}: secret cleared`);
            strict_1.default.equal(account.mfa_enrolled_at, null, `${what}: not enrolled`);
            strict_1.default.equal(account.mfa_pending_secret, null, `${what}: no pending enrolment`);
            strict_1.default.notEqual(account.security_stamp, stampsBefore.get(user.id), `${what}: new stamp`);
            strict_1.default.equal(codes.filter((c) => c.account_id === user.id).length, 0, `${what}: recovery codes gone`);
            for (const session of openBefore.filter((s) => s.account_id === user.id))
                strict_1.default.notEqual(revokedAt.get(session.id), null, `${what}: session ${session.id} revoked`);
            for (const token of [user.token, secondTokens.get(user.id)])
                await (0, supertest_1.default)(b.http).get('/api/v1/Mfa').auth(token, { type: 'bearer' }).expect(401);
        }
        const eventsAfter = await a.sql("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'");
        strict_1.default.equal(Number(eventsAfter[0].n) - Number(eventsBefore[0].n), users.length + singles.length, 'one event per account of the batch and one per single reset');
        const verify = await (0, supertest_1.default)(a.http)
            .get('/api/v1/AuditEvent/Verify')
            .auth(admin.token, { type: 'bearer' })
            .expect(200);
        strict_1.default.equal(verify.body.valid, true);
    });
});
//# sourceMappingURL=multi-instance.e2e-spec.js.map