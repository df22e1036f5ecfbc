import { randomBytes } from 'node:crypto';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { APP_LOGGER, AppLogger } from '../common/logging/logger';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { HashAnswer, HashProcess, HasherUnavailableError, HashWork } from './hash-process';

/**
 * A hash sent to the hashing process and not answered in this time, with no CPU used by the
 * process meanwhile, means it is stuck (a hash takes milliseconds; the calls sent never wait there
 * for a turn). Under the service's shutdown deadline, so that a stuck process cannot hold a stop
 * past it.
 */
const HASH_DEADLINE_MS = 5000;
/** The longest a hash may take while the process keeps working (the cores busy with other work). */
const HASH_LONGEST_MS = 60_000;

/**
 * Password hashing (argon2id), bounded: at most PASSWORD_HASH_CONCURRENCY hashes run at once, in
 * a process of their own with a libuv pool of that size (hash-worker.ts), so that they never hold
 * the pool threads the sqlite3 driver needs; PASSWORD_HASH_QUEUE more wait their turn in order;
 * past that the call is refused with 503 and Retry-After, as it is while the hashing process is
 * unavailable (it is started again after a short wait). An unavailable process is never taken for
 * a wrong password.
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
      longestMs: HASH_LONGEST_MS,
      onFailure: (reason, stderr) =>
        logger.error(
          { reason, ...(stderr === '' ? {} : { stderr }) },
          'password hashing process failed',
        ),
    });
  }

  hash(password: string): Promise<string> {
    return this.inTurn(() => this.compute(password));
  }

  /** False for a wrong password and for a stored hash that is no argon2 hash. */
  verify(hash: string, password: string): Promise<boolean> {
    return this.inTurn(() => this.check(hash, password));
  }

  /**
   * Spends the time a real check would, so an unknown user answers as slowly as a wrong password.
   * In a turn of its own like any check, the dummy hash made (once) included.
   */
  verifyDummy(password: string): Promise<false> {
    return this.inTurn(async (): Promise<false> => {
      await this.check(await this.dummyHash(), password);
      return false;
    });
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

  private dummyHash(): Promise<string> {
    if (this.dummy === undefined) {
      const dummy = this.compute(randomBytes(16).toString('hex'));
      this.dummy = dummy;
      // A failed attempt is made again by the next call.
      dummy.catch(() => {
        if (this.dummy === dummy) this.dummy = undefined;
      });
    }
    return this.dummy;
  }

  private async compute(password: string): Promise<string> {
    const answer = await this.call({ op: 'hash', password });
    if (!answer.ok || typeof answer.value !== 'string') throw new Error('argon2id gave no hash');
    return answer.value;
  }

  private async check(hash: string, password: string): Promise<boolean> {
    const answer = await this.call({ op: 'verify', hash, password });
    return answer.ok && answer.value === true;
  }

  private async call(work: HashWork): Promise<HashAnswer> {
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
