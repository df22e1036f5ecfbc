"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const node_test_1 = require("node:test");
const app_config_1 = require("./app-config");
/** Asserts that loading this environment fails with a ConfigError naming the variable. */
function assertRefused(env, variable) {
    let caught;
    try {
        (0, app_config_1.loadConfig)(env);
    }
    catch (error) {
        caught = error;
    }
    strict_1.default.ok(caught instanceof app_config_1.ConfigError, `expected a ConfigError naming ${variable}`);
    strict_1.default.equal(caught.variable, variable);
    strict_1.default.ok(caught.message.includes(variable), `the message '${caught.message}' names ${variable}`);
    return caught;
}
const STRONG_JWT_SECRET = (0, node_crypto_1.randomBytes)(48).toString('base64url');
const STRONG_MFA_KEY = (0, node_crypto_1.randomBytes)(32).toString('hex');
/** One character below the 32 the contract demands. */
const SHORT_JWT_SECRET = (0, node_crypto_1.randomBytes)(48).toString('base64url').slice(0, 31);
(0, node_test_1.describe)('loadConfig', () => {
    let root;
    let n = 0;
    /** A fresh, not yet existing folder under the test's temporary root. */
    const freshDir = () => (0, node_path_1.join)(root, `data-${++n}`);
    (0, node_test_1.before)(() => {
        root = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'mfa-admin-config-'));
    });
    (0, node_test_1.after)(() => (0, node_fs_1.rmSync)(root, { recursive: true, force: true }));
    (0, node_test_1.describe)('defaults', () => {
        (0, node_test_1.it)('answers the documented defaults when only DATA_DIR is set', () => {
            const dir = freshDir();
            const config = (0, app_config_1.loadConfig)({ DATA_DIR: dir });
            strict_1.default.equal(config.production, false);
            strict_1.default.equal(config.port, 3000);
            strict_1.default.equal(config.dataDir, dir);
            strict_1.default.deepEqual(config.database, { kind: 'sqlite', file: (0, node_path_1.join)(dir, 'mfa-admin.sqlite') });
            strict_1.default.equal(config.logLevel, 'info');
            strict_1.default.equal(config.jwt.accessTokenTtlSeconds, 3600);
            strict_1.default.equal(config.jwt.preAuthTokenTtlSeconds, 300);
            strict_1.default.equal(config.stepUpMaxAgeSeconds, 900);
            strict_1.default.deepEqual(config.lockout, { threshold: 10, minutes: 15 });
            strict_1.default.equal(config.signInRateLimit, 60);
            strict_1.default.equal(config.trustProxy, false);
            strict_1.default.equal(config.bootstrapAdminPassword, undefined);
            strict_1.default.ok(config.jwt.secret.length >= 32);
            strict_1.default.equal(config.mfa.currentKey.key.length, 32);
            strict_1.default.deepEqual(config.mfa.previousKeys, []);
        });
        (0, node_test_1.it)('treats empty and blank values as unset', () => {
            const config = (0, app_config_1.loadConfig)({
                DATA_DIR: freshDir(),
                PORT: '',
                LOG_LEVEL: '  ',
                BOOTSTRAP_ADMIN_PASSWORD: '',
            });
            strict_1.default.equal(config.port, 3000);
            strict_1.default.equal(config.logLevel, 'info');
            strict_1.default.equal(config.bootstrapAdminPassword, undefined);
        });
        (0, node_test_1.it)('reads valid values', () => {
            const config = (0, app_config_1.loadConfig)({
                DATA_DIR: freshDir(),
                PORT: '8080',
                LOG_LEVEL: 'debug',
                DATABASE_URL: 'postgres://user@db.example:5432/mfa',
                STEP_UP_MAX_AGE: '0',
                LOCKOUT_THRESHOLD: '3',
                SIGNIN_RATE_LIMIT: '0',
            });
            strict_1.default.equal(config.port, 8080);
            strict_1.default.equal(config.logLevel, 'debug');
            strict_1.default.equal(config.database.kind, 'postgres');
            strict_1.default.equal(config.stepUpMaxAgeSeconds, 0);
            strict_1.default.equal(config.lockout.threshold, 3);
            strict_1.default.equal(config.signInRateLimit, 0);
        });
    });
    (0, node_test_1.describe)('PostgreSQL settings', () => {
        const postgres = (extra = {}) => {
            const config = (0, app_config_1.loadConfig)({
                DATA_DIR: freshDir(),
                DATABASE_URL: 'postgres://user@db.example:5432/mfa',
                ...extra,
            });
            strict_1.default.equal(config.database.kind, 'postgres');
            return config.database;
        };
        (0, node_test_1.it)('answers the documented defaults: the client-side query timeout a second above the statement timeout', () => {
            strict_1.default.deepEqual(postgres(), {
                kind: 'postgres',
                url: 'postgres://user@db.example:5432/mfa',
                poolSize: 10,
                statementTimeoutMs: 10_000,
                queryTimeoutMs: 11_000,
                connectTimeoutMs: 5000,
                ssl: false,
            });
        });
        (0, node_test_1.it)('follows DATABASE_STATEMENT_TIMEOUT_MS when DATABASE_QUERY_TIMEOUT_MS is unset', () => {
            strict_1.default.equal(postgres({ DATABASE_STATEMENT_TIMEOUT_MS: '2500' }).queryTimeoutMs, 3500);
            strict_1.default.equal(postgres({ DATABASE_STATEMENT_TIMEOUT_MS: '0' }).queryTimeoutMs, 0);
        });
        (0, node_test_1.it)('reads DATABASE_QUERY_TIMEOUT_MS and DATABASE_CONNECT_TIMEOUT_MS', () => {
            const database = postgres({
                DATABASE_STATEMENT_TIMEOUT_MS: '1000',
                DATABASE_QUERY_TIMEOUT_MS: '1500',
                DATABASE_CONNECT_TIMEOUT_MS: '2000',
            });
            strict_1.default.equal(database.queryTimeoutMs, 1500);
            strict_1.default.equal(database.connectTimeoutMs, 2000);
            strict_1.default.equal(postgres({ DATABASE_QUERY_TIMEOUT_MS: '0' }).queryTimeoutMs, 0);
            strict_1.default.equal(postgres({ DATABASE_STATEMENT_TIMEOUT_MS: '0', DATABASE_QUERY_TIMEOUT_MS: '500' })
                .queryTimeoutMs, 500);
        });
        const refused = [
            [{ DATABASE_QUERY_TIMEOUT_MS: 'soon' }, 'DATABASE_QUERY_TIMEOUT_MS'],
            [{ DATABASE_QUERY_TIMEOUT_MS: '-1' }, 'DATABASE_QUERY_TIMEOUT_MS'],
            [{ DATABASE_QUERY_TIMEOUT_MS: '10000' }, 'DATABASE_QUERY_TIMEOUT_MS'],
            [
                { DATABASE_STATEMENT_TIMEOUT_MS: '5000', DATABASE_QUERY_TIMEOUT_MS: '4000' },
                'DATABASE_QUERY_TIMEOUT_MS',
            ],
            [{ DATABASE_CONNECT_TIMEOUT_MS: '0' }, 'DATABASE_CONNECT_TIMEOUT_MS'],
            [{ DATABASE_CONNECT_TIMEOUT_MS: 'x' }, 'DATABASE_CONNECT_TIMEOUT_MS'],
            [{ DATABASE_STATEMENT_TIMEOUT_MS: '-5' }, 'DATABASE_STATEMENT_TIMEOUT_MS'],
            [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE'],
        ];
        for (const [extra, variable] of refused) {
            (0, node_test_1.it)(`refuses ${JSON.stringify(extra)} with a ConfigError naming ${variable}`, () => {
                assertRefused({
                    DATA_DIR: freshDir(),
                    DATABASE_URL: 'postgres://user@db.example:5432/mfa',
                    ...extra,
                }, variable);
            });
        }
    });
    (0, node_test_1.describe)('TRUST_PROXY', () => {
        for (const value of ['off', 'false', '0', 'no', '']) {
            (0, node_test_1.it)(`trusts no proxy for '${value}'`, () => {
                strict_1.default.equal((0, app_config_1.loadConfig)({ DATA_DIR: freshDir(), TRUST_PROXY: value }).trustProxy, false);
            });
        }
        (0, node_test_1.it)('takes addresses, CIDR ranges and the named ranges, comma-separated', () => {
            const config = (0, app_config_1.loadConfig)({
                DATA_DIR: freshDir(),
                TRUST_PROXY: 'Loopback, 10.0.0.1,192.168.0.0/16 ,fd00::/8,::1',
            });
            strict_1.default.equal(config.trustProxy, 'loopback,10.0.0.1,192.168.0.0/16,fd00::/8,::1');
        });
    });
    (0, node_test_1.describe)('bad values', () => {
        const cases = [
            ['PORT', 'abc'],
            ['PORT', '70000'],
            ['PORT', '-1'],
            ['PORT', '30.5'],
            ['LOG_LEVEL', 'loud'],
            ['DATABASE_URL', 'mysql://x'],
            ['JWT_SECRET', SHORT_JWT_SECRET],
            ['MFA_ENCRYPTION_KEY', 'abcd'],
            ['MFA_ENCRYPTION_KEY', 'ab'.repeat(31)],
            ['MFA_ENCRYPTION_KEY', 'ab'.repeat(33)],
            ['LOCKOUT_THRESHOLD', '0'],
            ['STEP_UP_MAX_AGE', '-1'],
            ['SIGNIN_RATE_LIMIT', 'many'],
            ['ACCESS_TOKEN_TTL', 'soon'],
            ['BOOTSTRAP_ADMIN_PASSWORD', 'short'],
            ['MAX_OLD_SPACE_MIB', '10'],
            ['REQUEST_TIMEOUT_MS', '10'],
            ['MAX_OLD_SPACE_MIB', 'lots'],
            ['TRUST_PROXY', 'true'],
            ['TRUST_PROXY', '???'],
            ['TRUST_PROXY', '10.0.0.1,bogus'],
            ['TRUST_PROXY', '10.0.0.0/33'],
            ['TRUST_PROXY', '0.0.0.0/0'],
            ['TRUST_PROXY', '::/0'],
            ['TRUST_PROXY', '10.0.0.0/8/1'],
        ];
        for (const [variable, value] of cases) {
            const shown = variable === 'JWT_SECRET'
                ? `a ${value.length}-character secret`
                : value.length > 20
                    ? `${value.slice(0, 8)}... (${value.length} characters)`
                    : `'${value}'`;
            (0, node_test_1.it)(`refuses ${variable}=${shown} with a ConfigError naming ${variable}`, () => {
                assertRefused({ DATA_DIR: freshDir(), [variable]: value }, variable);
            });
        }
    });
    (0, node_test_1.describe)('development keys', () => {
        (0, node_test_1.it)('generates both keys once into DATA_DIR with mode 0600 and reuses them on the next load', () => {
            const dir = freshDir();
            const first = (0, app_config_1.loadConfig)({ DATA_DIR: dir });
            const jwtFile = (0, node_path_1.join)(dir, 'jwt-secret.key');
            const mfaFile = (0, node_path_1.join)(dir, 'mfa-encryption.key');
            for (const file of [jwtFile, mfaFile]) {
                strict_1.default.ok((0, node_fs_1.existsSync)(file), `${file} was written`);
                strict_1.default.equal((0, node_fs_1.statSync)(file).mode & 0o777, 0o600, `${file} is readable by its owner only`);
            }
            const jwtWritten = (0, node_fs_1.statSync)(jwtFile).mtimeMs;
            const second = (0, app_config_1.loadConfig)({ DATA_DIR: dir });
            strict_1.default.deepEqual(second.jwt.secret, first.jwt.secret);
            strict_1.default.deepEqual(second.mfa.currentKey.key, first.mfa.currentKey.key);
            strict_1.default.equal(second.mfa.currentKey.id, first.mfa.currentKey.id);
            strict_1.default.equal((0, node_fs_1.statSync)(jwtFile).mtimeMs, jwtWritten, 'the key file was not rewritten');
        });
        (0, node_test_1.it)('generates different keys for different folders', () => {
            const a = (0, app_config_1.loadConfig)({ DATA_DIR: freshDir() });
            const b = (0, app_config_1.loadConfig)({ DATA_DIR: freshDir() });
            strict_1.default.notDeepEqual(a.jwt.secret, b.jwt.secret);
            strict_1.default.notDeepEqual(a.mfa.currentKey.key, b.mfa.currentKey.key);
        });
        (0, node_test_1.it)('writes no key file when both keys are given', () => {
            const dir = freshDir();
            (0, app_config_1.loadConfig)({
                DATA_DIR: dir,
                JWT_SECRET: STRONG_JWT_SECRET,
                MFA_ENCRYPTION_KEY: STRONG_MFA_KEY,
            });
            strict_1.default.equal((0, node_fs_1.existsSync)((0, node_path_1.join)(dir, 'jwt-secret.key')), false);
            strict_1.default.equal((0, node_fs_1.existsSync)((0, node_path_1.join)(dir, 'mfa-encryption.key')), false);
        });
        (0, node_test_1.it)('accepts the encryption key as base64 as well as hex', () => {
            const key = (0, node_crypto_1.randomBytes)(32);
            const hex = (0, app_config_1.loadConfig)({ DATA_DIR: freshDir(), MFA_ENCRYPTION_KEY: key.toString('hex') });
            const b64 = (0, app_config_1.loadConfig)({ DATA_DIR: freshDir(), MFA_ENCRYPTION_KEY: key.toString('base64') });
            strict_1.default.deepEqual(hex.mfa.currentKey.key, key);
            strict_1.default.deepEqual(b64.mfa.currentKey.key, key);
        });
    });
    (0, node_test_1.describe)('NODE_ENV=production', () => {
        const production = (extra) => ({
            NODE_ENV: 'production',
            DATA_DIR: freshDir(),
            JWT_SECRET: STRONG_JWT_SECRET,
            MFA_ENCRYPTION_KEY: STRONG_MFA_KEY,
            ...extra,
        });
        (0, node_test_1.it)('refuses to start without JWT_SECRET, and generates no key', () => {
            const env = production({});
            delete env.JWT_SECRET;
            assertRefused(env, 'JWT_SECRET');
            strict_1.default.equal((0, node_fs_1.existsSync)((0, node_path_1.join)(env.DATA_DIR, 'jwt-secret.key')), false);
        });
        (0, node_test_1.it)('refuses to start without MFA_ENCRYPTION_KEY, and generates no key', () => {
            const env = production({});
            delete env.MFA_ENCRYPTION_KEY;
            assertRefused(env, 'MFA_ENCRYPTION_KEY');
            strict_1.default.equal((0, node_fs_1.existsSync)((0, node_path_1.join)(env.DATA_DIR, 'mfa-encryption.key')), false);
        });
        (0, node_test_1.it)('refuses a placeholder JWT_SECRET (changeme repeated)', () => {
            assertRefused(production({ JWT_SECRET: 'changeme'.repeat(5) }), 'JWT_SECRET');
        });
        (0, node_test_1.it)("refuses a weak JWT_SECRET ('a' x 40)", () => {
            assertRefused(production({ JWT_SECRET: 'a'.repeat(40) }), 'JWT_SECRET');
        });
        (0, node_test_1.it)('refuses SIGNIN_RATE_LIMIT=0', () => {
            assertRefused(production({ SIGNIN_RATE_LIMIT: '0' }), 'SIGNIN_RATE_LIMIT');
        });
        (0, node_test_1.it)('refuses an all-zero MFA_ENCRYPTION_KEY', () => {
            assertRefused(production({ MFA_ENCRYPTION_KEY: '0'.repeat(64) }), 'MFA_ENCRYPTION_KEY');
        });
        (0, node_test_1.it)('loads with strong keys', () => {
            const config = (0, app_config_1.loadConfig)(production({}));
            strict_1.default.equal(config.production, true);
            strict_1.default.deepEqual(config.jwt.secret, Buffer.from(STRONG_JWT_SECRET, 'utf8'));
            strict_1.default.deepEqual(config.mfa.currentKey.key, Buffer.from(STRONG_MFA_KEY, 'hex'));
            strict_1.default.equal(config.signInRateLimit, 60);
        });
    });
});
//# sourceMappingURL=app-config.spec.js.map