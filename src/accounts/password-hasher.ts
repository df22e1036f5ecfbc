import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * Password hashing, bounded: at most PASSWORD_HASH_CONCURRENCY hashes run at once, on libuv's
 * pool threads, which the sqlite3 driver needs too (a burst of anonymous sign-ins must not stall
 * every other request); PASSWORD_HASH_QUEUE more wait their turn in order; past that the call is
 * refused with 503 and Retry-After.
 */
@Injectable()
export class PasswordHasher {
  private dummy: Promise<string> | undefined;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  hash(password: string): Promise<string> {
    return this.inTurn(() => argon2.hash(password, OPTIONS));
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await this.inTurn(() => argon2.verify(hash, password));
    } catch (error) {
      if (error instanceof DomainError) throw error;
      return false;
    }
  }

  /** Spends the time a real check would, so an unknown user answers as slowly as a wrong password. */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= argon2.hash(randomBytes(16).toString('hex'), OPTIONS);
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
