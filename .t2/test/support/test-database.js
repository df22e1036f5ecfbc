"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PostgresTestDatabase = void 0;
exports.testDatabaseKind = testDatabaseKind;
exports.postgresServerUrl = postgresServerUrl;
const node_crypto_1 = require("node:crypto");
const pg_1 = require("pg");
/** Which database this test run uses: TEST_DATABASE=postgres, or SQLite by default. */
function testDatabaseKind() {
    return process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}
/** The server the PostgreSQL runs use (trust auth on the project's machines). */
function postgresServerUrl() {
    return process.env.TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
}
async function withAdminClient(work) {
    const client = new pg_1.Client({ connectionString: postgresServerUrl() });
    await client.connect();
    try {
        return await work(client);
    }
    finally {
        await client.end();
    }
}
/** A PostgreSQL database of its own for one test app (or a group of instances), dropped afterwards. */
class PostgresTestDatabase {
    name;
    constructor(name) {
        this.name = name;
    }
    static async create() {
        const name = `mfa_test_${(0, node_crypto_1.randomBytes)(6).toString('hex')}`;
        await withAdminClient((c) => c.query(`CREATE DATABASE ${name}`));
        return new PostgresTestDatabase(name);
    }
    get url() {
        const url = new URL(postgresServerUrl());
        url.pathname = `/${this.name}`;
        return url.toString();
    }
    async drop() {
        await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
    }
}
exports.PostgresTestDatabase = PostgresTestDatabase;
//# sourceMappingURL=test-database.js.map