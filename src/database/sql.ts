import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import sqlite3, { type Database, type Statement } from 'sqlite3';
import { DataSource, EntityManager } from 'typeorm';

/** What raw statements bind; times always as `time()` gives them. */
export type SqlValue = string | number | boolean | Date | null;

/** A timestamp as a raw query answers it: SQLite's UTC text, or PostgreSQL's Date. */
/** A comma-joined list as the database aggregates it (`Sql.list`), empty items dropped. */
export function splitList(list: string | null): string[] {
  return list === null ? [] : list.split(',').filter((item) => item !== '');
}

/** A write refused for a key that exists already, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const code = e.driverError?.code ?? e.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT' ||
    (typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed'))
  );
}

export function fromDbTime(value: string | Date | null): Date | null {
  if (value === null || value instanceof Date) return value;
  return new Date(`${value.replace(' ', 'T')}Z`);
}

/**
 * How many copies of one read statement may run at once on the read-only connection.
 * node-sqlite3 runs one call of a statement at a time, each on a pool thread and back: with a
 * single copy, concurrent requests making the same read (every call's session check) queued
 * behind each other, and each cost two thread wake-ups. Copies keep the pool busy and let one
 * wake-up of the main thread bring back several answers: a fifth less CPU per account GET under
 * 64 concurrent requests (bench/results.md). Each copy is a prepared statement, a few KiB.
 */
export const READ_STATEMENT_COPIES = 16;

/**
 * A statement prepared once and reused (on the read-only connection, one copy of it).
 * node-sqlite3 never answers the calls of a statement whose text failed to prepare (a table or
 * column that is gone): they would wait forever, and on the writing connection every later write
 * behind them. Calls made before SQLite has prepared it are therefore kept in `waiting`, and
 * refused with its error if it fails; the failed statement is forgotten at once, so no call is
 * sent to it afterwards. Calls are still sent at once, so that statements sent together are
 * queued in the order they were sent.
 */
interface Prepared {
  readonly statement: Statement;
  /** Calls sent and not answered yet. */
  running: number;
  /** Until SQLite has prepared it: how to refuse the calls sent so far, if it fails. */
  waiting: ((error: Error) => void)[] | undefined;
}

/** Prepares `sql` on `connection`; `forget` runs if it fails, so that the next call prepares it again. */
function prepareOn(connection: Database, sql: string, forget: () => void): Prepared {
  const waiting: ((error: Error) => void)[] = [];
  const statement = connection.prepare(sql, (error: Error | null) => {
    prepared.waiting = undefined;
    if (error === null) return;
    forget();
    for (const refuse of waiting) refuse(error);
  });
  const prepared: Prepared = { statement, running: 0, waiting };
  return prepared;
}

/**
 * One call of a prepared statement: `start` sends it with the callback node-sqlite3 answers;
 * the answer settles the promise.
 */
function send<R>(
  prepared: Prepared,
  start: (statement: Statement, answer: (error: Error | null, value: R) => void) => void,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    prepared.waiting?.push(reject);
    prepared.running += 1;
    start(prepared.statement, (error, value) => {
      prepared.running -= 1;
      if (error) reject(error);
      else resolve(value);
    });
  });
}

/** The rows one call of a prepared statement answers. */
function allOf<T>(prepared: Prepared, params: readonly SqlValue[]): Promise<T[]> {
  return send<T[]>(prepared, (statement, answer) => statement.all<T>([...params], answer));
}

/** How many rows one call of a prepared statement that writes changed. */
function runOf(prepared: Prepared, params: readonly SqlValue[]): Promise<number> {
  return send<number>(prepared, (statement, answer) =>
    statement.run([...params], function (error) {
      answer(error, this.changes);
    }),
  );
}

/**
 * Raw SQL, and every difference between the two databases, in one place: repositories write
 * their statements once, with `?` placeholders, and this class runs them on either.
 *
 * - Statements: on SQLite each distinct statement is prepared once on TypeORM's own connection
 *   (so it runs inside the write queue's transaction) and reused; node-sqlite3 would otherwise
 *   parse and plan it on every call. On PostgreSQL they run through the manager with numbered
 *   placeholders.
 * - Several statements of one transaction are sent with `together()`: SQLite runs them on its one
 *   connection, with one wait instead of one each (in the order sent while libuv's pool has one
 *   thread, its default: the statements sent together must not depend on each other's order); on
 *   PostgreSQL they go one after another, in order (node-postgres deprecates queueing a query
 *   behind another on one client).
 * - Times: SQLite keeps UTC text that compares correctly as text; PostgreSQL takes a Date.
 * - Lists: `group_concat` or `string_agg`.
 * - Locks: SQLite's writes are serialised by the write queue, so row and advisory locks are
 *   PostgreSQL's only.
 * - Isolation: on SQLite every write goes through TypeORM's one connection, so a read on it
 *   outside the write queue would see a write transaction that is still open, and may yet roll
 *   back (a session check reading a security stamp a refused PATCH wrote). Reads outside a
 *   transaction therefore use a second, read-only connection, which sees only what was committed
 *   (the database is in WAL mode). PostgreSQL isolates its pooled connections by itself.
 */
@Injectable()
export class Sql implements BeforeApplicationShutdown {
  private readonly statements = new Map<string, Prepared>();
  /** SQLite: statements prepared on the read-only connection (copies of each), and that connection. */
  private readonly readStatements = new Map<string, Prepared[]>();
  private reader: Database | undefined;
  private readonly sqlite: boolean;
  /** The connection whose close() was made to finalize these statements first. */
  private owned: Database | undefined;

  constructor(private readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type === 'sqlite';
  }

  /**
   * True when this process is the database's only writer, one transaction at a time (SQLite):
   * state read in one write may be kept for the next. Never true for a shared database.
   */
  get singleWriter(): boolean {
    return this.sqlite;
  }

  /**
   * The rows a query answers; `manager` is the transaction's, or none outside one. A statement
   * whose text varies with its input (a list of ids) is not worth preparing: `prepare: false`.
   */
  rows<T>(
    manager: EntityManager | undefined,
    sql: string,
    params: readonly SqlValue[],
    { prepare = true }: { prepare?: boolean } = {},
  ): Promise<T[]> {
    if (!this.sqlite || (!prepare && manager !== undefined)) {
      return (manager ?? this.dataSource.manager).query(this.numbered(sql), [...params]);
    }
    if (manager === undefined) return this.committedRows<T>(sql, params, prepare);
    return allOf<T>(this.prepared(sql), params);
  }

  /** A write inside the transaction of `manager`; answers how many rows it changed. */
  async run(manager: EntityManager, sql: string, params: readonly SqlValue[]): Promise<number> {
    if (!this.sqlite) {
      const result: unknown = await manager.query(this.numbered(sql), [...params]);
      // TypeORM answers [rows, rowCount] for UPDATE and DELETE on PostgreSQL.
      return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
    }
    return runOf(this.prepared(sql), params);
  }

  /**
   * Runs the writes of one transaction in the order given and answers their results: sent at
   * once on SQLite, one after another on PostgreSQL.
   */
  async together<T extends readonly unknown[]>(
    ...writes: { [K in keyof T]: () => Promise<T[K]> }
  ): Promise<T> {
    if (this.sqlite) return (await Promise.all(writes.map((write) => write()))) as unknown as T;
    const results: unknown[] = [];
    for (const write of writes) results.push(await write());
    return results as unknown as T;
  }

  /** A Date as a statement binds it. */
  time(date: Date): Date | string {
    return this.sqlite ? date.toISOString().replace('T', ' ').replace('Z', '') : date;
  }

  /** An aggregate that joins `expression` over the group with commas. */
  list(expression: string): string {
    return `${this.sqlite ? 'group_concat' : 'string_agg'}(${expression}, ',')`;
  }

  /** Holds a transaction-scoped lock named by `key` (PostgreSQL: an advisory lock). */
  async lock(manager: EntityManager, key: number): Promise<void> {
    if (!this.sqlite) await manager.query('SELECT pg_advisory_xact_lock($1)', [key]);
  }

  /** A transaction-scoped lock on one name within a space (PostgreSQL: a two-key advisory lock). */
  async lockName(manager: EntityManager, space: number, name: string): Promise<void> {
    if (!this.sqlite)
      await manager.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [space, name]);
  }

  /**
   * A write that answers rows (`... RETURNING`), inside the transaction of `manager`. TypeORM
   * answers [rows, count] for an UPDATE or DELETE on PostgreSQL; this answers the rows.
   */
  async returning<T>(
    manager: EntityManager,
    sql: string,
    params: readonly SqlValue[],
  ): Promise<T[]> {
    if (this.sqlite) return allOf<T>(this.prepared(sql), params);
    const result: unknown = await manager.query(this.numbered(sql), [...params]);
    const [rows, count] = Array.isArray(result) ? (result as unknown[]) : [];
    return (Array.isArray(rows) && typeof count === 'number' ? rows : result) as T[];
  }

  /**
   * Locks the rows a `SELECT ... FROM table WHERE ...` finds, in the order the query gives, to
   * the end of the transaction: concurrent changes of one row then read each other's result.
   */
  async lockRows(
    manager: EntityManager,
    select: string,
    params: readonly SqlValue[],
  ): Promise<void> {
    if (!this.sqlite) await manager.query(`${this.numbered(select)} FOR UPDATE`, [...params]);
  }

  /** Answers when the database does (readiness). */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }

  /** Whether the database still has this table and column (someone with write access may drop them). */
  async hasColumn(table: string, column: string): Promise<boolean> {
    const runner = this.dataSource.createQueryRunner();
    try {
      return (await runner.hasTable(table)) && (await runner.hasColumn(table, column));
    } finally {
      await runner.release();
    }
  }

  /** SQLite, outside any transaction: what is committed, read on the read-only connection. */
  private committedRows<T>(
    sql: string,
    params: readonly SqlValue[],
    prepare: boolean,
  ): Promise<T[]> {
    const reader = this.readConnection();
    if (reader === undefined) return this.dataSource.manager.query(sql, [...params]);
    if (!prepare) {
      const once = prepareOn(reader, sql, () => undefined);
      const answer = allOf<T>(once, params);
      const finalize = () => once.statement.finalize();
      answer.then(finalize, finalize);
      return answer;
    }
    return allOf<T>(this.readCopy(reader, sql), params);
  }

  /**
   * A copy of a read statement that is not running, prepared when every copy is (up to
   * READ_STATEMENT_COPIES); past that, the copy with the fewest calls waiting.
   */
  private readCopy(reader: Database, sql: string): Prepared {
    const copies = this.readStatements.get(sql) ?? [];
    if (copies.length === 0) this.readStatements.set(sql, copies);
    let least: Prepared | undefined;
    for (const copy of copies) {
      if (copy.running === 0) return copy;
      if (least === undefined || copy.running < least.running) least = copy;
    }
    if (least !== undefined && copies.length >= READ_STATEMENT_COPIES) return least;
    // Only the copy that failed is forgotten: the others stay, to be finalized at shutdown.
    const made = prepareOn(reader, sql, () => {
      const at = copies.indexOf(made);
      if (at >= 0) copies.splice(at, 1);
    });
    copies.push(made);
    return made;
  }

  /** A read-only connection to the same file; none for an in-memory database (nothing to share). */
  private readConnection(): Database | undefined {
    const file = (this.dataSource.options as { database?: unknown }).database;
    if (typeof file !== 'string' || file === ':memory:') return undefined;
    if (this.reader === undefined) {
      this.reader = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
      this.reader.configure('busyTimeout', 5000);
    }
    return this.reader;
  }

  private numbered(sql: string): string {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  }

  private prepared(sql: string): Prepared {
    let prepared = this.statements.get(sql);
    if (prepared === undefined) {
      prepared = prepareOn(this.connection(), sql, () => this.statements.delete(sql));
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  /**
   * TypeORM's connection, made to finalize these statements before it closes: SQLite refuses to
   * close with statements open, whoever closes it (Nest's shutdown, a test, a lost database).
   */
  private connection(): Database {
    const connection = (this.dataSource.driver as unknown as { databaseConnection: Database })
      .databaseConnection;
    if (this.owned !== connection) {
      this.owned = connection;
      const close = connection.close.bind(connection);
      connection.close = (callback?: (error: Error | null) => void) => {
        void this.finalizeAll().then(() => close(callback));
      };
    }
    return connection;
  }

  private async finalizeAll(): Promise<void> {
    const open = [...this.statements.values(), ...[...this.readStatements.values()].flat()].map(
      (prepared) => prepared.statement,
    );
    this.statements.clear();
    this.readStatements.clear();
    await Promise.all(open.map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))));
    const reader = this.reader;
    this.reader = undefined;
    if (reader !== undefined) await new Promise<void>((resolve) => reader.close(() => resolve()));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.finalizeAll();
  }
}
