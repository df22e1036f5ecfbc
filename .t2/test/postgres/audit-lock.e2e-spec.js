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
const BATCH = 1000;
/**
 * Every audited write of every instance waits for the audit chain's lock. A batch reset takes it
 * for its events once its accounts are reset, so the rest of the service does not queue behind
 * the whole batch.
 */
(0, node_test_1.describe)('a large batch reset and the audit chain lock (two instances)', () => {
    let database;
    let a;
    let b;
    let admin;
    let ids;
    (0, node_test_1.before)(async () => {
        database = await test_database_1.PostgresTestDatabase.create();
        const env = {
            DATABASE_URL: database.url,
            JWT_SECRET: (0, node_crypto_1.randomBytes)(32).toString('base64url'),
            MFA_ENCRYPTION_KEY: (0, node_crypto_1.randomBytes)(32).toString('hex'),
        };
        const clock = new fake_clock_1.FakeClock();
        a = await test_app_1.TestApp.start(env, clock);
        b = await test_app_1.TestApp.start(env, clock);
        admin = await a.enrolledAdmin();
        // Accounts made directly in the database, each with one open session to end.
        const rows = await a.sql(`INSERT INTO accounts (id, user_name, user_name_normalized, display_name, email,
         password_hash, security_stamp, created_at, updated_at)
       SELECT gen_random_uuid(), 'bulk-' || n, 'bulk-' || n, 'Bulk ' || n, 'bulk' || n || '@example.com',
         a.password_hash, md5(random()::text), now(), now()
       FROM generate_series(1, ${BATCH}) AS n, accounts a WHERE a.user_name_normalized = 'admin'
       RETURNING id`);
        ids = rows.map((r) => r.id);
        await a.sql(`INSERT INTO account_roles (account_id, role_name)
       SELECT id, 'User' FROM accounts WHERE user_name_normalized LIKE 'bulk-%'`);
        await a.sql(`INSERT INTO sessions (id, account_id, kind, security_stamp, expires_at, created_at)
       SELECT gen_random_uuid(), id, 'access', security_stamp, now() + interval '1 hour', now()
       FROM accounts WHERE user_name_normalized LIKE 'bulk-%'`);
    });
    (0, node_test_1.after)(async () => {
        await a.close();
        await b.close();
        await database.drop();
    });
    (0, node_test_1.it)('lets an audited sign-in on the other instance through while the batch resets its accounts', async () => {
        const began = performance.now();
        let batchMs = 0;
        const batch = (0, supertest_1.default)(a.http)
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
        const signIn = await (0, supertest_1.default)(b.http)
            .post('/signinBody')
            .send({ Login: 'nobody-here', Password: 'not-the-password-1' });
        const signInMs = performance.now() - signInStarted;
        const batchAnswer = await batch;
        strict_1.default.equal(batchAnswer.status, 200, batchAnswer.text);
        strict_1.default.equal(batchAnswer.body.userids.length, BATCH);
        strict_1.default.equal(signIn.status, 401);
        strict_1.default.ok(signInMs < batchMs / 2, `the sign-in took ${Math.round(signInMs)} ms beside a batch of ${Math.round(batchMs)} ms`);
        const failures = await b.sql("SELECT count(*) AS n FROM audit_events WHERE action = 'sign-in.failed'");
        strict_1.default.equal(Number(failures[0].n), 1, 'the sign-in failure is audited');
    });
});
//# sourceMappingURL=audit-lock.e2e-spec.js.map