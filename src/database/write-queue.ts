import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

const MAX_ATTEMPTS = 6;

/**
 * Thrown by a unit of work that finds what it read changed by the time it wrote (PostgreSQL reads
 * what was committed at each statement): the transaction is run again, as on a serialization
 * failure (on SQLite too, where it would take another writer on the file).
 */
export class ChangedMeanwhileError extends Error {
  constructor(what: string) {
    super(`changed meanwhile: ${what}`);
    this.name = 'ChangedMeanwhileError';
  }
}

/**
 * PostgreSQL's serialization_failure (40001) and deadlock_detected (40P01), and a change seen
 * meanwhile: safe to run again.
 */
function isRetryable(error: unknown): boolean {
  if (error instanceof ChangedMeanwhileError) return true;
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ??
    (error as { code?: unknown }).code;
  return code === '40001' || code === '40P01';
}

/** The most transactions one SQLite commit carries. */
const MAX_GROUP = 128;

interface QueuedWork {
  readonly work: (manager: EntityManager) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The one way to write: a queue of transactions (group commit on SQLite, retries on PostgreSQL). TypeORM's sqlite driver shares a single connection, so concurrent
 * `transaction()` calls would nest as savepoints and lose writes: on SQLite the queue owns the
 * writing. Work that arrives while a commit is under way waits, and everything that waited is
 * then committed together in one transaction (group commit): one BEGIN/COMMIT and one WAL write
 * for many requests. If one unit of work throws, the group is rolled back and each unit runs
 * again in a transaction of its own, so a failure never takes another request's change with it
 * (units are database work only, and safe to run again after a rollback). On PostgreSQL
 * transactions run concurrently and are retried on serialization failures and deadlocks.
 */
@Injectable()
export class WriteQueue {
  private readonly serial: boolean;
  private readonly queue: QueuedWork[] = [];
  private committing = false;
  private readonly rollbackListeners: (() => void)[] = [];
  private readonly commitListeners: ((manager: EntityManager) => Promise<void>)[] = [];

  constructor(private readonly dataSource: DataSource) {
    this.serial = dataSource.options.type === 'sqlite';
  }

  /** Called after any SQLite rollback: state cached from inside a transaction is stale. */
  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  /**
   * Called inside every transaction, after all of its work and before COMMIT: a write that needs
   * doing once per transaction, whatever its units did (the audit chain's head).
   */
  beforeCommit(listener: (manager: EntityManager) => Promise<void>): void {
    this.commitListeners.push(listener);
  }

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    // A closed connection (shutdown, or the database taken away) answers at once: no write waits
    // behind a transaction that will never end.
    if (!this.dataSource.isInitialized)
      return Promise.reject(new Error('the database connection is closed'));
    if (!this.serial) return this.withRetries(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.drain();
    });
  }

  private async withRetries<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction(work);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      }
    }
  }

  private drain(): void {
    if (this.committing || this.queue.length === 0) return;
    this.committing = true;
    const group = this.queue.splice(0, MAX_GROUP);
    void this.commit(group).finally(() => {
      this.committing = false;
      this.drain();
    });
  }

  private async commit(group: QueuedWork[]): Promise<void> {
    if (group.length > 1) {
      try {
        const results = await this.transaction(async (manager) => {
          const out: unknown[] = [];
          for (const unit of group) out.push(await unit.work(manager));
          return out;
        });
        group.forEach((unit, i) => unit.resolve(results[i]));
        return;
      } catch {
        this.rolledBack();
      }
    }
    for (const unit of group) {
      for (let attempt = 1; ; attempt++) {
        try {
          unit.resolve(await this.transaction(unit.work));
        } catch (error) {
          this.rolledBack();
          if (attempt < MAX_ATTEMPTS && isRetryable(error)) continue;
          unit.reject(error);
        }
        break;
      }
    }
  }

  /** One transaction: the work, then what must be written once before it commits. */
  private transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const result = await work(manager);
      for (const listener of this.commitListeners) await listener(manager);
      return result;
    });
  }

  private rolledBack(): void {
    for (const listener of this.rollbackListeners) listener();
  }
}
