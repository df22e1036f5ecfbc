import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

const MAX_ATTEMPTS = 6;

/** PostgreSQL's serialization_failure and deadlock_detected, and a unique clash on a chain head. */
function isRetryable(error: unknown): boolean {
  const code =
    (error as { code?: unknown; driverError?: { code?: unknown } }).driverError?.code ??
    (error as { code?: unknown }).code;
  return code === '40001' || code === '40P01';
}

/**
 * The one way to write. TypeORM's sqlite driver shares a single connection, so concurrent
 * `transaction()` calls would nest as savepoints and lose writes: on SQLite every write
 * transaction waits its turn in an in-process queue. On PostgreSQL transactions run
 * concurrently and are retried on serialization failures and deadlocks.
 */
@Injectable()
export class TransactionRunner {
  private readonly serial: boolean;
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {
    this.serial = dataSource.options.type === 'sqlite';
  }

  get isSqlite(): boolean {
    return this.serial;
  }

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.serial) return this.inTurn(() => this.dataSource.transaction(work));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      }
    }
  }

  private async inTurn<T>(task: () => Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await task();
    } finally {
      release();
    }
  }
}
