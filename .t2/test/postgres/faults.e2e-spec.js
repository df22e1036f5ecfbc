"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_child_process_1 = require("node:child_process");
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const node_test_1 = require("node:test");
const otplib_1 = require("otplib");
const pg_1 = require("pg");
const supertest_1 = __importDefault(require("supertest"));
const tcp_proxy_1 = require("../support/tcp-proxy");
const test_database_1 = require("../support/test-database");
const test_app_1 = require("../support/test-app");
async function eventually(check, seconds) {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline) {
        if (await check().catch(() => false))
            return true;
        await new Promise((r) => setTimeout(r, 200));
    }
    return false;
}
(0, node_test_1.describe)('the database going away and coming back', () => {
    let database;
    let proxy;
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        database = await test_database_1.PostgresTestDatabase.create();
        const direct = new URL(database.url);
        proxy = new tcp_proxy_1.TcpProxy(direct.hostname, Number(direct.port || 5432));
        const port = await proxy.start();
        const viaProxy = new URL(database.url);
        viaProxy.port = String(port);
        t = await test_app_1.TestApp.start({
            DATABASE_URL: viaProxy.toString(),
            DATABASE_STATEMENT_TIMEOUT_MS: '5000',
        });
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(async () => {
        await t.close();
        await proxy.cut();
        await database.drop();
    });
    (0, node_test_1.it)('answers 503 problem details, promptly, while the database is unreachable', async () => {
        await proxy.cut();
        const started = Date.now();
        const ready = await (0, supertest_1.default)(t.http).get('/health/ready').expect(503);
        strict_1.default.match(ready.headers['content-type'], /^application\/problem\+json/);
        strict_1.default.equal(ready.body.status, 503);
        const call = await (0, supertest_1.default)(t.http)
            .get('/api/v1/Mfa')
            .auth(admin.token, { type: 'bearer' })
            .expect(503);
        strict_1.default.equal(call.body.title, 'Service Unavailable');
        strict_1.default.doesNotMatch(JSON.stringify(call.body), /ECONNREFUSED|stack|SELECT/i);
        strict_1.default.ok(Date.now() - started < 8000, 'no request hangs');
        await (0, supertest_1.default)(t.http).get('/health/live').expect(200);
    });
    (0, node_test_1.it)('recovers by itself when the database is back', async () => {
        await proxy.restore();
        const recovered = await eventually(async () => (await (0, supertest_1.default)(t.http).get('/health/ready')).status === 200, 15);
        strict_1.default.equal(recovered, true);
        await (0, supertest_1.default)(t.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).expect(200);
    });
});
(0, node_test_1.describe)('a network partition: the database stops answering, connections stay open', () => {
    let database;
    let proxy;
    let t;
    let admin;
    let user;
    /** A request that hangs fails the test here instead of at the runner's timeout. */
    const HANG = { response: 20_000, deadline: 20_000 };
    const PROMPT_MS = 6000;
    (0, node_test_1.before)(async () => {
        database = await test_database_1.PostgresTestDatabase.create();
        const direct = new URL(database.url);
        proxy = new tcp_proxy_1.TcpProxy(direct.hostname, Number(direct.port || 5432));
        const viaProxy = new URL(database.url);
        viaProxy.port = String(await proxy.start());
        t = await test_app_1.TestApp.start({
            DATABASE_URL: viaProxy.toString(),
            DATABASE_POOL_SIZE: '4',
            DATABASE_STATEMENT_TIMEOUT_MS: '1000',
            DATABASE_QUERY_TIMEOUT_MS: '2000',
            DATABASE_CONNECT_TIMEOUT_MS: '2000',
        });
        admin = await t.enrolledAdmin();
        user = await t.createAccount(admin.token, 'partitioned');
        // Several pooled connections open, so the partition catches more than one.
        await Promise.all(Array.from({ length: 4 }, () => (0, supertest_1.default)(t.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).expect(200)));
        strict_1.default.ok(proxy.openConnections >= 2, 'connections are open through the proxy');
    });
    (0, node_test_1.after)(async () => {
        await t.close();
        await proxy.cut();
        await database.drop();
    });
    async function promptly(what, call) {
        const started = Date.now();
        const answer = await call();
        const took = Date.now() - started;
        strict_1.default.ok(took < PROMPT_MS, `${what} answered after ${took} ms, not within ${PROMPT_MS} ms`);
        return answer;
    }
    function assertUnavailable(res) {
        strict_1.default.equal(res.status, 503, JSON.stringify(res.body));
        strict_1.default.match(res.headers['content-type'], /^application\/problem\+json/);
        strict_1.default.equal(res.body.status, 503);
        strict_1.default.equal(res.body.title, 'Service Unavailable');
        strict_1.default.doesNotMatch(JSON.stringify(res.body), /timeout|stack|SELECT|START TRANSACTION/i);
    }
    (0, node_test_1.it)('answers 503 problem details within seconds instead of hanging', async () => {
        proxy.blackhole();
        const ready = await promptly('/health/ready', () => (0, supertest_1.default)(t.http).get('/health/ready').timeout(HANG));
        assertUnavailable(ready);
        const read = await promptly('an authenticated read', () => (0, supertest_1.default)(t.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).timeout(HANG));
        assertUnavailable(read);
        const write = await promptly('a reset', () => (0, supertest_1.default)(t.http)
            .put(`/api/v1/ManagedAccount/ResetMFA/${user.id}`)
            .auth(admin.token, { type: 'bearer' })
            .timeout(HANG));
        assertUnavailable(write);
        // Requests at once: the pool's connections (silent) and new ones (never answered) all fail.
        const together = await promptly('six requests at once', () => Promise.all(Array.from({ length: 6 }, () => (0, supertest_1.default)(t.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).timeout(HANG))));
        for (const res of together)
            assertUnavailable(res);
        await (0, supertest_1.default)(t.http).get('/health/live').expect(200);
    });
    (0, node_test_1.it)('recovers by itself when the network is back, though the old connections stay dead', async () => {
        proxy.unblackhole();
        // Asked again and again (never idle long enough for the pool to retire a connection on its
        // own): a connection left waiting on a lost answer would fail every time it comes round.
        const recovered = await eventually(async () => (await (0, supertest_1.default)(t.http).get('/health/ready').timeout(HANG)).status === 200, 20);
        strict_1.default.equal(recovered, true, 'ready again');
        const answers = await Promise.all(Array.from({ length: 8 }, () => (0, supertest_1.default)(t.http).get('/api/v1/Mfa').auth(admin.token, { type: 'bearer' }).timeout(HANG)));
        strict_1.default.deepEqual(answers.map((r) => r.status), Array.from({ length: 8 }, () => 200));
        await (0, supertest_1.default)(t.http)
            .put(`/api/v1/ManagedAccount/ResetMFA/${user.id}`)
            .auth(admin.token, { type: 'bearer' })
            .timeout(HANG)
            .expect(200);
    });
});
function freePort() {
    return new Promise((resolve) => {
        const server = (0, node_net_1.createServer)();
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}
(0, node_test_1.describe)('kill -9 in the middle of a batch reset', () => {
    const BATCH = 1000;
    let database;
    let child;
    let dataDir;
    (0, node_test_1.before)(async () => {
        database = await test_database_1.PostgresTestDatabase.create();
        dataDir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'mfa-admin-kill-'));
    });
    (0, node_test_1.after)(async () => {
        child?.kill('SIGKILL');
        (0, node_fs_1.rmSync)(dataDir, { recursive: true, force: true });
        await database.drop();
    });
    (0, node_test_1.it)('leaves the database as it was before the batch', async () => {
        const port = await freePort();
        const password = 'Kill-test-admin-pw-1';
        // The service as built for these tests (same code as dist/), started as a real process.
        // Without NODE_TEST_CONTEXT: node's test runner sets it, and a child that inherits it acts as a test file.
        const { NODE_TEST_CONTEXT: _ignored, ...parentEnv } = process.env;
        child = (0, node_child_process_1.spawn)(process.execPath, [(0, node_path_1.join)(__dirname, '..', '..', 'src', 'main.js')], {
            env: {
                ...parentEnv,
                NODE_ENV: 'development',
                PORT: String(port),
                DATA_DIR: dataDir,
                DATABASE_URL: database.url,
                LOG_LEVEL: 'warn',
                BOOTSTRAP_ADMIN_PASSWORD: password,
                JWT_SECRET: (0, node_crypto_1.randomBytes)(32).toString('base64url'),
                MFA_ENCRYPTION_KEY: (0, node_crypto_1.randomBytes)(32).toString('hex'),
            },
            stdio: 'ignore',
        });
        const base = `http://127.0.0.1:${port}`;
        strict_1.default.equal(await eventually(async () => (await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2000) })).status ===
            200, 20), true);
        const preAuth = (await (await fetch(`${base}/signinBody`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ login: 'admin', password }),
            signal: AbortSignal.timeout(5000),
        })).json());
        const auth = { authorization: `Bearer ${preAuth}`, 'content-type': 'application/json' };
        const { secret } = (await (await fetch(`${base}/api/v1/Mfa/Enroll`, {
            method: 'POST',
            headers: auth,
            signal: AbortSignal.timeout(5000),
        })).json());
        const code = await (0, otplib_1.generate)({ secret });
        const confirmed = await fetch(`${base}/api/v1/Mfa/Enroll/Confirm`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ code }),
            signal: AbortSignal.timeout(5000),
        });
        strict_1.default.equal(confirmed.status, 200);
        const { token } = (await confirmed.json());
        const db = new pg_1.Client({ connectionString: database.url });
        await db.connect();
        try {
            const { rows } = await db.query(`INSERT INTO accounts (id, user_name, user_name_normalized, display_name, email, password_hash, security_stamp,
                               mfa_secret, mfa_enrolled_at, created_at, updated_at)
         SELECT gen_random_uuid(), 'bulk-' || g, 'bulk-' || g, 'Bulk ' || g, 'bulk' || g || '@example.com', 'x',
                md5(random()::text), 'v1:none:a:b:c', now(), now(), now()
         FROM generate_series(1, ${BATCH}) AS g
         RETURNING id`);
            const ids = rows.map((r) => r.id);
            let answered = false;
            const batch = fetch(`${base}/api/v1/ManagedAccount/ResetMFA`, {
                method: 'PUT',
                headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
                body: JSON.stringify(ids),
                signal: AbortSignal.timeout(30_000),
            }).then(() => (answered = true), () => undefined);
            // Kill once the batch is under way: its first audit events exist only inside its transaction.
            await new Promise((r) => setTimeout(r, 300));
            const exited = new Promise((r) => child.once('exit', r));
            child.kill('SIGKILL');
            await Promise.all([batch, exited]);
            strict_1.default.equal(answered, false, 'the batch finished before the kill; the test proves nothing');
            const changed = await db.query("SELECT COUNT(*) AS n FROM accounts WHERE user_name LIKE 'bulk-%' AND (mfa_enrolled_at IS NULL OR mfa_secret IS NULL)");
            strict_1.default.equal(Number(changed.rows[0].n), 0);
            const events = await db.query("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'");
            strict_1.default.equal(Number(events.rows[0].n), 0);
        }
        finally {
            await db.end();
        }
    });
});
//# sourceMappingURL=faults.e2e-spec.js.map