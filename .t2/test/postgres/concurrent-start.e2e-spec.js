"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const audit_action_1 = require("../../src/audit/audit-action");
const migrations_1 = require("../../src/database/migrations");
const test_database_1 = require("../support/test-database");
const test_app_1 = require("../support/test-app");
/** Instances started together on an empty database: one migrates, the others wait for it. */
(0, node_test_1.describe)('three instances starting at once on an empty PostgreSQL database', () => {
    let database;
    let apps = [];
    (0, node_test_1.before)(async () => {
        database = await test_database_1.PostgresTestDatabase.create();
    });
    (0, node_test_1.after)(async () => {
        for (const app of apps)
            await app.close();
        await database.drop();
    });
    (0, node_test_1.it)('all start, with the schema migrated once and one bootstrap admin', async () => {
        const env = {
            DATABASE_URL: database.url,
            JWT_SECRET: (0, node_crypto_1.randomBytes)(32).toString('base64url'),
            MFA_ENCRYPTION_KEY: (0, node_crypto_1.randomBytes)(32).toString('hex'),
        };
        const started = await Promise.allSettled([
            test_app_1.TestApp.start(env),
            test_app_1.TestApp.start(env),
            test_app_1.TestApp.start(env),
        ]);
        apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
        strict_1.default.deepEqual(started.map((s) => (s.status === 'fulfilled' ? 'started' : String(s.reason))), ['started', 'started', 'started']);
        const migrations = await apps[0].sql('SELECT name, COUNT(*) AS n FROM schema_migrations GROUP BY name');
        strict_1.default.deepEqual(migrations.map((m) => `${m.name} x${m.n}`).sort(), migrations_1.MIGRATIONS.map((m) => `${m.name} x1`).sort());
        const admins = await apps[0].sql("SELECT COUNT(*) AS n FROM accounts WHERE user_name_normalized = 'admin'");
        strict_1.default.equal(Number(admins[0].n), 1);
        const accounts = await apps[0].sql('SELECT COUNT(*) AS n FROM accounts');
        strict_1.default.equal(Number(accounts[0].n), 1);
        const created = await apps[0].sql('SELECT COUNT(*) AS n FROM audit_events WHERE action = ?', [audit_action_1.AuditAction.BootstrapAdminCreated]);
        strict_1.default.equal(Number(created[0].n), 1);
        for (const app of apps)
            await (0, supertest_1.default)(app.http).get('/health/ready').expect(200);
    });
});
//# sourceMappingURL=concurrent-start.e2e-spec.js.map