"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const pg_client_1 = require("../../src/database/pg-client");
const test_database_1 = require("../support/test-database");
async function connected() {
    const client = new pg_client_1.TimeoutDiscardingClient({
        connectionString: (0, test_database_1.postgresServerUrl)(),
        query_timeout: 200,
    });
    await client.connect();
    return client;
}
/** The pool's client gives up its connection when a query times out, and only then. */
(0, node_test_1.describe)('TimeoutDiscardingClient', () => {
    (0, node_test_1.it)('answers queries as node-postgres does, in both call styles', async () => {
        const client = await connected();
        try {
            const viaPromise = await client.query('SELECT $1::int AS n', [7]);
            strict_1.default.equal(viaPromise.rows[0].n, 7);
            const viaCallback = await new Promise((resolve, reject) => client.query('SELECT 8 AS n', (error, result) => error ? reject(error) : resolve(result)));
            strict_1.default.equal(viaCallback.rows[0].n, 8);
            // A server-side error leaves the connection usable.
            await strict_1.default.rejects(client.query('SELECT 1/0'), /division by zero/);
            strict_1.default.equal((await client.query('SELECT 9 AS n')).rows[0].n, 9);
        }
        finally {
            await client.end();
        }
    });
    (0, node_test_1.it)('closes its connection when a query times out (promise)', async () => {
        const client = await connected();
        const ended = new Promise((resolve) => client.once('end', resolve));
        await strict_1.default.rejects(client.query('SELECT pg_sleep(2)'), { message: pg_client_1.QUERY_TIMEOUT_MESSAGE });
        await ended;
        await strict_1.default.rejects(client.query('SELECT 1'), /not queryable/);
    });
    (0, node_test_1.it)('closes its connection when a query times out (callback)', async () => {
        const client = await connected();
        const ended = new Promise((resolve) => client.once('end', resolve));
        const error = await new Promise((resolve) => client.query('SELECT pg_sleep(2)', (e) => resolve(e)));
        strict_1.default.equal(error.message, pg_client_1.QUERY_TIMEOUT_MESSAGE);
        await ended;
    });
});
//# sourceMappingURL=pg-client.e2e-spec.js.map