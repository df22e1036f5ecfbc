"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.Sql = void 0;
exports.fromDbTime = fromDbTime;
const common_1 = require("@nestjs/common");
const typeorm_1 = require("typeorm");
/** A timestamp as a raw query answers it: SQLite's UTC text, or PostgreSQL's Date. */
function fromDbTime(value) {
    if (value === null || value instanceof Date)
        return value;
    return new Date(`${value.replace(' ', 'T')}Z`);
}
/**
 * Raw SQL, and every difference between the two databases, in one place: repositories write
 * their statements once, with `?` placeholders, and this class runs them on either.
 *
 * - Statements: on SQLite each distinct statement is prepared once on TypeORM's own connection
 *   (so it runs inside the write queue's transaction) and reused; node-sqlite3 would otherwise
 *   parse and plan it on every call. On PostgreSQL they run through the manager with numbered
 *   placeholders.
 * - Several statements of one transaction are sent with `together()`: SQLite runs them in order
 *   on its one connection, with one wait instead of one each; on PostgreSQL they go one after
 *   another (node-postgres deprecates queueing a query behind another on one client).
 * - Times: SQLite keeps UTC text that compares correctly as text; PostgreSQL takes a Date.
 * - Lists: `group_concat` or `string_agg`.
 * - Locks: SQLite's writes are serialised by the write queue, so row and advisory locks are
 *   PostgreSQL's only.
 */
let Sql = class Sql {
    dataSource;
    statements = new Map();
    sqlite;
    /** The connection whose close() was made to finalize these statements first. */
    owned;
    constructor(dataSource) {
        this.dataSource = dataSource;
        this.sqlite = dataSource.options.type === 'sqlite';
    }
    /**
     * True when this process is the database's only writer, one transaction at a time (SQLite):
     * state read in one write may be kept for the next. Never true for a shared database.
     */
    get singleWriter() {
        return this.sqlite;
    }
    /**
     * The rows a query answers; `manager` is the transaction's, or none outside one. A statement
     * whose text varies with its input (a list of ids) is not worth preparing: `prepare: false`.
     */
    rows(manager, sql, params, { prepare = true } = {}) {
        if (!this.sqlite || !prepare) {
            return (manager ?? this.dataSource.manager).query(this.numbered(sql), [...params]);
        }
        const statement = this.prepared(sql);
        return new Promise((resolve, reject) => statement.all([...params], (error, rows) => (error ? reject(error) : resolve(rows))));
    }
    /** A write inside the transaction of `manager`; answers how many rows it changed. */
    async run(manager, sql, params) {
        if (!this.sqlite) {
            const result = await manager.query(this.numbered(sql), [...params]);
            // TypeORM answers [rows, rowCount] for UPDATE and DELETE on PostgreSQL.
            return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
        }
        const statement = this.prepared(sql);
        return new Promise((resolve, reject) => statement.run([...params], function (error) {
            if (error)
                reject(error);
            else
                resolve(this.changes);
        }));
    }
    /**
     * Runs the writes of one transaction in the order given and answers their results: sent at
     * once on SQLite, one after another on PostgreSQL.
     */
    async together(...writes) {
        if (this.sqlite)
            return (await Promise.all(writes.map((write) => write())));
        const results = [];
        for (const write of writes)
            results.push(await write());
        return results;
    }
    /** A Date as a statement binds it. */
    time(date) {
        return this.sqlite ? date.toISOString().replace('T', ' ').replace('Z', '') : date;
    }
    /** An aggregate that joins `expression` over the group with commas. */
    list(expression) {
        return `${this.sqlite ? 'group_concat' : 'string_agg'}(${expression}, ',')`;
    }
    /** Holds a transaction-scoped lock named by `key` (PostgreSQL: an advisory lock). */
    async lock(manager, key) {
        if (!this.sqlite)
            await manager.query('SELECT pg_advisory_xact_lock($1)', [key]);
    }
    /**
     * Locks the rows a `SELECT ... FROM table WHERE ...` finds, in the order the query gives, to
     * the end of the transaction: concurrent changes of one row then read each other's result.
     */
    async lockRows(manager, select, params) {
        if (!this.sqlite)
            await manager.query(`${this.numbered(select)} FOR UPDATE`, [...params]);
    }
    /** Whether the database still has this table and column (someone with write access may drop them). */
    async hasColumn(table, column) {
        const runner = this.dataSource.createQueryRunner();
        try {
            return (await runner.hasTable(table)) && (await runner.hasColumn(table, column));
        }
        finally {
            await runner.release();
        }
    }
    numbered(sql) {
        let n = 0;
        return sql.replace(/\?/g, () => `$${++n}`);
    }
    prepared(sql) {
        let statement = this.statements.get(sql);
        if (statement === undefined) {
            const connection = this.connection();
            // A failed prepare reaches the first call's callback; forget it so the next call retries.
            statement = connection.prepare(sql, (error) => {
                if (error)
                    this.statements.delete(sql);
            });
            this.statements.set(sql, statement);
        }
        return statement;
    }
    /**
     * TypeORM's connection, made to finalize these statements before it closes: SQLite refuses to
     * close with statements open, whoever closes it (Nest's shutdown, a test, a lost database).
     */
    connection() {
        const connection = this.dataSource.driver
            .databaseConnection;
        if (this.owned !== connection) {
            this.owned = connection;
            const close = connection.close.bind(connection);
            connection.close = (callback) => {
                void this.finalizeAll().then(() => close(callback));
            };
        }
        return connection;
    }
    async finalizeAll() {
        const open = [...this.statements.values()];
        this.statements.clear();
        await Promise.all(open.map((s) => new Promise((resolve) => s.finalize(() => resolve()))));
    }
    beforeApplicationShutdown() {
        return this.finalizeAll();
    }
};
exports.Sql = Sql;
exports.Sql = Sql = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [typeorm_1.DataSource])
], Sql);
//# sourceMappingURL=sql.js.map