import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import sqlite3 from 'sqlite3';
import { READ_STATEMENT_COPIES, Sql } from '../../src/database/sql';
import { WriteQueue } from '../../src/database/write-queue';
import { ServiceContext } from '../support/service-context';

/**
 * The raw statements every repository sends (Sql), as requests send them:
 * - many reads at once, each getting its own answer. On SQLite they run on the read-only
 *   connection, where node-sqlite3 runs one call of a prepared statement at a time: copies of a
 *   statement, prepared as calls overlap (up to READ_STATEMENT_COPIES), let them run side by side;
 * - a statement whose text cannot be prepared (a table that is gone) is refused at once, where
 *   node-sqlite3 would leave its calls, and every write queued behind them, waiting for ever.
 */
describe('raw statements', () => {
  let s: ServiceContext;
  let sql: Sql;
  const prepared: string[] = [];
  const { prepare } = sqlite3.Database.prototype;

  before(async () => {
    s = await ServiceContext.start();
    sql = s.get(Sql);
    // Every statement prepared on a SQLite connection, by its text.
    sqlite3.Database.prototype.prepare = function (this: sqlite3.Database, ...args: unknown[]) {
      if (typeof args[0] === 'string') prepared.push(args[0]);
      return (prepare as (...a: unknown[]) => sqlite3.Statement).apply(this, args);
    } as typeof prepare;
  });
  after(async () => {
    sqlite3.Database.prototype.prepare = prepare;
    await s.close();
  });
  afterEach(() => {
    prepared.length = 0;
  });

  const sqlite = () => s.config.database.kind === 'sqlite';
  const copiesOf = (text: string) => prepared.filter((p) => p === text).length;

  it('answers each of 64 reads made at once with its own rows', async () => {
    const text = 'SELECT ? AS n, (SELECT count(*) FROM accounts) AS accounts -- 64 at once';
    const answers = await Promise.all(
      Array.from({ length: 64 }, (_, n) =>
        sql.rows<{ n: number; accounts: number }>(undefined, text, [n]),
      ),
    );
    answers.forEach((rows, n) => {
      assert.equal(rows.length, 1);
      assert.equal(Number(rows[0].n), n);
      assert.equal(Number(rows[0].accounts), 1, 'the administrator');
    });
    // On SQLite, as many copies as the calls needed, up to the limit; none on PostgreSQL.
    assert.equal(copiesOf(text), sqlite() ? READ_STATEMENT_COPIES : 0);
  });

  it('prepares a read made one call after another once', async () => {
    const text = 'SELECT ? AS n -- one after another';
    for (let n = 0; n < 10; n++) {
      const [row] = await sql.rows<{ n: number }>(undefined, text, [n]);
      assert.equal(Number(row.n), n);
    }
    assert.equal(copiesOf(text), sqlite() ? 1 : 0);
  });

  it('prepares two copies for two reads at once, and reuses them', async () => {
    const text = 'SELECT ? AS n -- two at once';
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all([
        sql.rows(undefined, text, [1]),
        sql.rows(undefined, text, [2]),
      ]);
      assert.deepEqual([a.length, b.length], [1, 1]);
    }
    assert.equal(copiesOf(text), sqlite() ? 2 : 0);
  });

  /** The answer, or a failure naming what never answered within two seconds. */
  function within<T>(what: string, answer: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: never answered`)), 2000);
    });
    return Promise.race([answer, late]).finally(() => clearTimeout(timer));
  }

  it('refuses a read of a table that is not there at once, prepared or not, twice', async () => {
    for (const prepare of [true, false, true]) {
      await assert.rejects(
        within('the read', sql.rows(undefined, 'SELECT * FROM no_such_table', [], { prepare })),
        /no_such_table/,
      );
    }
  });

  it('refuses a write of a table that is not there, and the writes after it still commit', async () => {
    const writes = s.get(WriteQueue);
    await assert.rejects(
      within(
        'the write',
        writes.run((m) => sql.run(m, 'UPDATE no_such_table SET x = ?', [1])),
      ),
      /no_such_table/,
    );
    const changed = await within(
      'the next write',
      writes.run((m) =>
        sql.run(m, 'UPDATE accounts SET display_name = ? WHERE user_name = ?', ['After', 'admin']),
      ),
    );
    assert.equal(changed, 1);
    const [row] = await sql.rows<{ display_name: string }>(
      undefined,
      'SELECT display_name FROM accounts WHERE user_name = ?',
      ['admin'],
    );
    assert.equal(row.display_name, 'After');
  });

  it('forgets only a copy that failed to prepare: the copies made before serve the next reads', async () => {
    const writes = s.get(WriteQueue);
    const ddl = (text: string) => writes.run((m) => m.query(text));
    const text = 'SELECT n FROM copies_probe';
    const atOnce = (count: number) =>
      Promise.allSettled(
        Array.from({ length: count }, () => sql.rows<{ n: number }>(undefined, text, [])),
      );
    await ddl('CREATE TABLE copies_probe (n INTEGER)');
    await ddl('INSERT INTO copies_probe (n) VALUES (7)');
    for (const read of await atOnce(2)) assert.equal(read.status, 'fulfilled');
    await ddl('DROP TABLE copies_probe');
    // Two copies fail as they run; a third, prepared for the third read, fails to prepare.
    for (const read of await within('three reads', atOnce(3))) {
      assert.equal(read.status, 'rejected');
      assert.match(String(read.reason), /copies_probe/);
    }
    await ddl('CREATE TABLE copies_probe (n INTEGER)');
    await ddl('INSERT INTO copies_probe (n) VALUES (8)');
    for (const read of await atOnce(2)) {
      assert.equal(read.status, 'fulfilled');
      assert.deepEqual(
        read.value.map((row) => Number(row.n)),
        [8],
      );
    }
    assert.equal(copiesOf(text), sqlite() ? 3 : 0);
  });
});
