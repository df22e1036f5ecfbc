"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.ENTITIES = void 0;
exports.buildDataSourceOptions = buildDataSourceOptions;
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const sqlite3_1 = __importDefault(require("sqlite3"));
const account_entity_1 = require("../accounts/entities/account.entity");
const audit_event_entity_1 = require("../audit/entities/audit-event.entity");
const recovery_code_entity_1 = require("../mfa/entities/recovery-code.entity");
const role_entity_1 = require("../roles/entities/role.entity");
const session_entity_1 = require("../sessions/entities/session.entity");
const migrations_1 = require("./migrations");
const pg_client_1 = require("./pg-client");
exports.ENTITIES = [account_entity_1.Account, role_entity_1.Role, session_entity_1.Session, recovery_code_entity_1.RecoveryCode, audit_event_entity_1.AuditEvent];
/** One description of the database for the app, the tests and the migration CLI. */
function buildDataSourceOptions(config) {
    const common = {
        entities: exports.ENTITIES,
        migrations: migrations_1.MIGRATIONS,
        migrationsTableName: 'schema_migrations',
        migrationsTransactionMode: 'each',
        synchronize: false,
        logging: false,
    };
    if (config.kind === 'sqlite') {
        if (config.file !== ':memory:') {
            (0, node_fs_1.mkdirSync)((0, node_path_1.dirname)(config.file), { recursive: true });
            // Created owner-only (the keys are too); SQLite gives its -wal and -shm files the same mode.
            (0, node_fs_1.closeSync)((0, node_fs_1.openSync)(config.file, 'a', 0o600));
        }
        return {
            ...common,
            type: 'sqlite',
            database: config.file,
            // TypeORM calls verbose() on the driver, which wraps every call to capture a stack trace
            // (3-6% of the CPU under load); this driver answers verbose() with itself.
            driver: { ...sqlite3_1.default, verbose: () => sqlite3_1.default },
            enableWAL: true,
            busyTimeout: 5000,
        };
    }
    return {
        ...common,
        type: 'postgres',
        url: config.url,
        ssl: config.ssl ? { rejectUnauthorized: true } : false,
        // Passed to node-postgres' pool. statement_timeout is the server's limit; it cannot fire when
        // the server stops answering (a partition), so the client has its own: query_timeout for a
        // query, connectionTimeoutMillis for opening a connection (or waiting for a free one), and TCP
        // keepalive so an idle connection to a vanished server is noticed.
        extra: {
            max: config.poolSize,
            statement_timeout: config.statementTimeoutMs,
            query_timeout: config.queryTimeoutMs,
            connectionTimeoutMillis: config.connectTimeoutMs,
            keepAlive: true,
            keepAliveInitialDelayMillis: 10_000,
            Client: pg_client_1.TimeoutDiscardingClient,
        },
    };
}
//# sourceMappingURL=data-source-options.js.map