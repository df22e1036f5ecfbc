"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MIGRATION_LOCK_KEY = void 0;
exports.runPendingMigrations = runPendingMigrations;
const typeorm_1 = require("typeorm");
/**
 * Names the session-level advisory lock held around a migration run on PostgreSQL; any constant
 * distinct from the audit chain's and the role changes' keys.
 */
exports.MIGRATION_LOCK_KEY = 0x6d6967;
/** How often a waiting instance asks for the lock again, and for how long it keeps asking. */
const LOCK_POLL_MS = 100;
const LOCK_WAIT_MS = 10 * 60_000;
/**
 * Polls rather than blocking in `pg_advisory_lock`: a blocked call would be cut short by the
 * statement and query timeouts while another instance runs a long migration.
 */
async function acquireLock(runner) {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
        const rows = (await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
            exports.MIGRATION_LOCK_KEY,
        ]));
        if (rows[0]?.locked === true)
            return;
        if (Date.now() > deadline) {
            throw new Error(`the migration lock was held by another instance for more than ${LOCK_WAIT_MS / 1000} s`);
        }
        await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
}
/**
 * Applies pending migrations, each in its own transaction. On PostgreSQL the run holds an
 * advisory lock on one dedicated connection (the migrations run on that connection too, so a
 * pool of one suffices): instances started together take turns, the first migrates and the
 * others then find nothing pending. SQLite needs no lock: its database belongs to one instance.
 */
async function runPendingMigrations(dataSource) {
    if (dataSource.options.type !== 'postgres')
        return dataSource.runMigrations({ transaction: 'each' });
    const runner = dataSource.createQueryRunner();
    try {
        await acquireLock(runner);
        let applied;
        try {
            const executor = new typeorm_1.MigrationExecutor(dataSource, runner);
            executor.transaction = 'each';
            applied = await executor.executePendingMigrations();
        }
        catch (error) {
            // The caller destroys the data source, which closes this connection and its lock.
            await runner.query('SELECT pg_advisory_unlock($1)', [exports.MIGRATION_LOCK_KEY]).catch(() => { });
            throw error;
        }
        // A failed unlock throws: the start fails and the connection holding the lock is closed.
        await runner.query('SELECT pg_advisory_unlock($1)', [exports.MIGRATION_LOCK_KEY]);
        return applied;
    }
    finally {
        await runner.release();
    }
}
//# sourceMappingURL=migrate.js.map