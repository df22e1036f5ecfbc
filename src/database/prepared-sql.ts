import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import type { Database, Statement } from 'sqlite3';
import { DataSource, EntityManager } from 'typeorm';
import { placeholders } from './db-time';

/** What the hot-path queries bind; times always as `dbTime` gives them (text on SQLite). */
export type SqlValue = string | number | Date | null;

/**
 * Raw SQL for the hot paths (the session check on every request, the reset). On SQLite each
 * distinct statement is prepared once on TypeORM's own connection (so it runs inside the
 * runner's transaction) and reused: node-sqlite3 would otherwise parse and plan it on every
 * call. On PostgreSQL it runs through the manager with numbered placeholders.
 */
@Injectable()
export class PreparedSql implements BeforeApplicationShutdown {
  private readonly statements = new Map<string, Statement>();
  private readonly sqlite: boolean;
  /** The connection whose close() was made to finalize these statements first. */
  private owned: Database | undefined;

  constructor(private readonly dataSource: DataSource) {
    this.sqlite = dataSource.options.type === 'sqlite';
  }

  /** The rows a query answers; `manager` is the transaction's, or none outside one. */
  all<T>(manager: EntityManager | undefined, sql: string, params: SqlValue[]): Promise<T[]> {
    if (!this.sqlite) {
      return (manager ?? this.dataSource.manager).query(placeholders(this.dataSource, sql), params);
    }
    const statement = this.prepared(sql);
    return new Promise<T[]>((resolve, reject) =>
      statement.all<T>(params, (error, rows) => (error ? reject(error) : resolve(rows))),
    );
  }

  /** SQLite only: a write inside the runner's transaction; answers how many rows it changed. */
  run(sql: string, params: SqlValue[]): Promise<number> {
    if (!this.sqlite) throw new Error('PreparedSql.run() is for SQLite');
    const statement = this.prepared(sql);
    return new Promise<number>((resolve, reject) =>
      statement.run(params, function (error) {
        if (error) reject(error);
        else resolve(this.changes);
      }),
    );
  }

  private prepared(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      const connection = this.connection();
      // A failed prepare reaches the first call's callback; forget it so the next call retries.
      statement = connection.prepare(sql, (error: Error | null) => {
        if (error) this.statements.delete(sql);
      });
      this.statements.set(sql, statement);
    }
    return statement;
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
    const open = [...this.statements.values()];
    this.statements.clear();
    await Promise.all(open.map((s) => new Promise<void>((resolve) => s.finalize(() => resolve()))));
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.finalizeAll();
  }
}
