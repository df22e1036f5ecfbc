"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.TestApp = exports.ADMIN_PASSWORD = void 0;
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const node_stream_1 = require("node:stream");
const supertest_1 = __importDefault(require("supertest"));
const typeorm_1 = require("typeorm");
const app_setup_1 = require("../../src/app.setup");
const logger_1 = require("../../src/common/logging/logger");
const app_config_1 = require("../../src/config/app-config");
const fake_clock_1 = require("./fake-clock");
const test_database_1 = require("./test-database");
const totp_1 = require("./totp");
exports.ADMIN_PASSWORD = 'bootstrap-Admin-pw-1!';
/** The real app on a fresh SQLite file in a temporary folder, with a movable clock and captured logs. */
class TestApp {
    app;
    config;
    clock;
    logLines;
    dir;
    ownDatabase;
    constructor(app, config, clock, 
    /** Every JSON log line the app wrote, parsed, in order. */
    logLines, dir, ownDatabase) {
        this.app = app;
        this.config = config;
        this.clock = clock;
        this.logLines = logLines;
        this.dir = dir;
        this.ownDatabase = ownDatabase;
    }
    /**
     * On SQLite (the default) a fresh file in a temporary folder; with TEST_DATABASE=postgres a
     * fresh database, dropped on close. `env.DATABASE_URL` points several instances at one database.
     */
    static async start(env = {}, clock = new fake_clock_1.FakeClock()) {
        const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'mfa-admin-test-'));
        const ownDatabase = env.DATABASE_URL === undefined && (0, test_database_1.testDatabaseKind)() === 'postgres'
            ? await test_database_1.PostgresTestDatabase.create()
            : undefined;
        const config = (0, app_config_1.loadConfig)({
            DATA_DIR: dir,
            ...(ownDatabase ? { DATABASE_URL: ownDatabase.url } : {}),
            LOG_LEVEL: 'info',
            BOOTSTRAP_ADMIN_PASSWORD: exports.ADMIN_PASSWORD,
            SIGNIN_RATE_LIMIT: '0',
            ...env,
        });
        const lines = [];
        const sink = new node_stream_1.Writable({
            write(chunk, _encoding, done) {
                for (const line of chunk.toString('utf8').split('\n'))
                    if (line.trim() !== '')
                        lines.push(JSON.parse(line));
                done();
            },
        });
        const app = await (0, app_setup_1.createApp)(config, (0, logger_1.createLogger)(config.logLevel, sink), clock);
        return new TestApp(app, config, clock, lines, dir, ownDatabase);
    }
    get http() {
        return this.app.getHttpServer();
    }
    get dataSource() {
        return this.app.get(typeorm_1.DataSource);
    }
    get dataDir() {
        return this.dir;
    }
    async close() {
        await this.app.close();
        (0, node_fs_1.rmSync)(this.dir, { recursive: true, force: true });
        await this.ownDatabase?.drop();
    }
    get isPostgres() {
        return this.config.database.kind === 'postgres';
    }
    /** Raw SQL with `?` placeholders on either database. */
    sql(query, params = []) {
        let n = 0;
        const text = this.isPostgres ? query.replace(/\?/g, () => `$${++n}`) : query;
        return this.dataSource.query(text, params);
    }
    /** Moves to a fresh TOTP step so the next code is not a replay of the last. */
    nextStep() {
        this.clock.advance(30);
    }
    code(secret) {
        return (0, totp_1.totpAt)(secret, this.clock.now());
    }
    async preAuth(userName, password) {
        const res = await (0, supertest_1.default)(this.http)
            .post('/signinBody')
            .send({ Login: userName, Password: password })
            .expect(200);
        return res.body;
    }
    /** First sign-in of an account without MFA: password, enrolment, confirmation. */
    async enroll(userName, password) {
        const preAuth = await this.preAuth(userName, password);
        const enrolment = await (0, supertest_1.default)(this.http)
            .post('/api/v1/Mfa/Enroll')
            .auth(preAuth, { type: 'bearer' })
            .expect(200);
        const secret = enrolment.body.secret;
        this.nextStep();
        const confirmed = await (0, supertest_1.default)(this.http)
            .post('/api/v1/Mfa/Enroll/Confirm')
            .auth(preAuth, { type: 'bearer' })
            .send({ code: await this.code(secret) })
            .expect(200);
        const body = confirmed.body;
        const me = await this.accountByName(userName);
        return {
            id: me.id,
            userName,
            password,
            secret,
            token: body.token,
            recoveryCodes: body.recoveryCodes,
        };
    }
    /** Sign-in of an enrolled account: password, then the current code. */
    async signIn(userName, password, secret) {
        const preAuth = await this.preAuth(userName, password);
        this.nextStep();
        const res = await (0, supertest_1.default)(this.http)
            .post('/signin2fa')
            .auth(preAuth, { type: 'bearer' })
            .send(JSON.stringify(await this.code(secret)))
            .set('Content-Type', 'application/json')
            .expect(200);
        return res.body;
    }
    async enrolledAdmin() {
        return this.enroll('admin', exports.ADMIN_PASSWORD);
    }
    /** Creates an account through the API as the given administrator. */
    async createAccount(adminToken, userName, roles = ['User'], password = `${userName}-Password-1!`) {
        const res = await (0, supertest_1.default)(this.http)
            .post('/api/v1/ManagedAccount')
            .auth(adminToken, { type: 'bearer' })
            .send({ userName, displayName: userName, email: `${userName}@example.com`, password, roles })
            .expect(201);
        return { ...res.body, password };
    }
    async accountByName(userName) {
        const rows = await this.sql('SELECT id FROM accounts WHERE user_name_normalized = ?', [userName.toLowerCase()]);
        return rows[0];
    }
}
exports.TestApp = TestApp;
//# sourceMappingURL=test-app.js.map