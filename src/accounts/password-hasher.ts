import { randomBytes } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { APP_LOGGER, AppLogger } from '../common/logging/logger';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { HashProcess, HasherUnavailableError, HashWork } from './hash-process';
import type { HashReply } from './hash-protocol';

/** A hash answered later than this means the hashing process is stuck (one takes milliseconds). */
const HASH_DEADLINE_MS = 30_000;

/**
 * Password hashing (argon2id), bounded: at most PASSWORD_HASH_CONCURRENCY hashes run at once, in
 * a process of their own with a libuv pool of that size (hash-worker.ts), so that they never hold
 * the pool threads the sqlite3 driver needs; PASSWORD_HASH_QUEUE more wait their turn in order;
 * past that the call is refused with 503 and Retry-After, as it is while the hashing process is
 * unavailable (it is started again at the next call).
 */
@Injectable()
export class PasswordHasher implements OnApplicationShutdown {
  private dummy: Promise<string> | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly worker: HashProcess;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) logger: AppLogger,
  ) {
    this.worker = new HashProcess({
      threads: config.passwordHashConcurrency,
      deadlineMs: HASH_DEADLINE_MS,
      onFailure: (reason) => logger.error({ reason }, 'password hashing process failed'),
    });
  }

  hash(password: string): Promise<string> {
    return this.inTurn(() => this.compute(password));
  }

  /** False for a wrong password and for a stored hash argon2 cannot read. */
  async verify(hash: string, password: string): Promise<boolean> {
    const reply = await this.inTurn(() => this.call({ op: 'verify', hash, password }));
    return reply.ok && reply.value === true;
  }

  /** Spends the time a real check would, so an unknown user answers as slowly as a wrong password. */
  async verifyDummy(password: string): Promise<false> {
    if (this.dummy === undefined) {
      const dummy = this.compute(randomBytes(16).toString('hex'));
      this.dummy = dummy;
      // A failed attempt is made again by the next call.
      dummy.catch(() => {
        if (this.dummy === dummy) this.dummy = undefined;
      });
    }
    await this.verify(await this.dummy, password);
    return false;
  }

  /** Refuses at once, before any other work, when a hash now would not even get a place in line. */
  assertRoom(): void {
    if (
      this.running >= this.config.passwordHashConcurrency &&
      this.waiting.length >= this.config.passwordHashQueue
    ) {
      throw overloaded();
    }
  }

  onApplicationShutdown(): Promise<void> {
    return this.worker.close();
  }

  private async compute(password: string): Promise<string> {
    const reply = await this.call({ op: 'hash', password });
    if (!reply.ok || typeof reply.value !== 'string') throw new Error('argon2id refused to hash');
    return reply.value;
  }

  private async call(work: HashWork): Promise<HashReply> {
    try {
      return await this.worker.run(work);
    } catch (error) {
      throw error instanceof HasherUnavailableError ? overloaded() : error;
    }
  }

  private async inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.config.passwordHashConcurrency) {
      this.running++;
    } else {
      if (this.waiting.length >= this.config.passwordHashQueue) throw overloaded();
      // The finishing hash hands its turn over: `running` stays as it is.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.running--;
    }
  }
}

function overloaded(): DomainError {
  return new DomainError(ErrorCode.Overloaded, undefined, { headers: { 'Retry-After': '1' } });
}
