import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { fromDbTime, isUniqueViolation, Sql } from '../database/sql';
import { WriteQueue } from '../database/write-queue';
import { SecretCipher } from '../mfa/secret-cipher';
import { IDEMPOTENCY_TTL_MS, IdempotencyRef } from './idempotency-key';

/** How long a first call holds its key before a retry may take over (when it did nothing). */
const LEASE_MS = 60_000;
/** Expired keys are swept at most this often. */
const SWEEP_EVERY_MS = 10 * 60_000;

/** The first call's answer, to send again. */
export interface StoredAnswer {
  readonly status: number;
  readonly body: unknown;
}

export type IdempotencyStart =
  | { readonly kind: 'proceed'; readonly ref: IdempotencyRef }
  | { readonly kind: 'replay'; readonly answer: StoredAnswer };

interface KeyRow {
  request_hash: string;
  expires_at: string | Date;
  lease_until: string | Date;
  acted: boolean | number;
  status: number | null;
  answer: string | null;
}

/**
 * The answers kept for Idempotency-Key retries, per caller and key, with a hash of the request
 * they answered. An answer is stored encrypted: it may hold one-time enrolment codes.
 */
@Injectable()
export class IdempotencyRepository {
  private lastSweep = 0;

  constructor(
    private readonly sql: Sql,
    private readonly writes: WriteQueue,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
  ) {}

  /**
   * What a retry will meet, read before the step-up check (a retry of a finished call needs no
   * new proof: it changes nothing): the first answer, or nothing yet; 422 for another request
   * under the key, 409 while the first is under way. `begin` decides for good.
   */
  async peek(ref: IdempotencyRef, requestHash: string): Promise<StoredAnswer | undefined> {
    const [row] = await this.sql.rows<KeyRow>(
      undefined,
      `SELECT request_hash, expires_at, lease_until, acted, status, answer FROM idempotency_keys
        WHERE account_id = ? AND idempotency_key = ?`,
      [ref.accountId, ref.key],
    );
    const now = this.clock.now().getTime();
    if (row === undefined || (fromDbTime(row.expires_at)?.getTime() ?? 0) <= now) return undefined;
    return this.judge(row, ref, requestHash, now);
  }

  /** A kept key met again: its answer; or 422, 409; undefined when a new holder may take it. */
  private judge(
    row: KeyRow,
    ref: IdempotencyRef,
    requestHash: string,
    now: number,
  ): StoredAnswer | undefined {
    if (row.request_hash !== requestHash) throw new DomainError(ErrorCode.IdempotencyKeyReused);
    if (row.status !== null && row.answer !== null) {
      const text = this.cipher.decrypt(row.answer, ref.accountId);
      return { status: Number(row.status), body: JSON.parse(text) as unknown };
    }
    if ((fromDbTime(row.lease_until)?.getTime() ?? 0) > now)
      throw new DomainError(ErrorCode.IdempotencyKeyInFlight);
    // The first call's holder is gone. If it acted, its answer is lost: never act twice.
    if (row.acted === true || row.acted === 1)
      throw new DomainError(ErrorCode.IdempotencyOutcomeUnknown);
    return undefined;
  }

  /**
   * Starts a call under its key: a new key is held for this call (committed before the call
   * acts, so a concurrent retry sees it); a finished one answers again; a call under way is 409,
   * another request under the same key 422. A holder that vanished without acting is taken over.
   */
  async begin(ref: IdempotencyRef, requestHash: string): Promise<IdempotencyStart> {
    try {
      return await this.writes.run((m) => this.start(m, ref, requestHash));
    } catch (error) {
      // Two first calls at once on PostgreSQL: the second's insert meets the first's key.
      if (isUniqueViolation(error)) throw new DomainError(ErrorCode.IdempotencyKeyInFlight);
      throw error;
    }
  }

  private async start(
    m: EntityManager,
    ref: IdempotencyRef,
    requestHash: string,
  ): Promise<IdempotencyStart> {
    const now = this.clock.now();
    await this.sweep(m, now);
    await this.sql.lockRows(
      m,
      'SELECT account_id FROM idempotency_keys WHERE account_id = ? AND idempotency_key = ?',
      [ref.accountId, ref.key],
    );
    const [row] = await this.sql.rows<KeyRow>(
      m,
      `SELECT request_hash, expires_at, lease_until, acted, status, answer FROM idempotency_keys
        WHERE account_id = ? AND idempotency_key = ?`,
      [ref.accountId, ref.key],
    );
    const lease = this.sql.time(new Date(now.getTime() + LEASE_MS));
    if (row === undefined || (fromDbTime(row.expires_at)?.getTime() ?? 0) <= now.getTime()) {
      if (row !== undefined) await this.remove(m, ref);
      await this.sql.run(
        m,
        `INSERT INTO idempotency_keys
          (account_id, idempotency_key, request_hash, created_at, expires_at, lease_until, acted)
          VALUES (?, ?, ?, ?, ?, ?, false)`,
        [
          ref.accountId,
          ref.key,
          requestHash,
          this.sql.time(now),
          this.sql.time(new Date(now.getTime() + IDEMPOTENCY_TTL_MS)),
          lease,
        ],
      );
      return { kind: 'proceed', ref };
    }
    const answer = this.judge(row, ref, requestHash, now.getTime());
    if (answer !== undefined) return { kind: 'replay', answer };
    await this.sql.run(
      m,
      'UPDATE idempotency_keys SET lease_until = ? WHERE account_id = ? AND idempotency_key = ?',
      [lease, ref.accountId, ref.key],
    );
    return { kind: 'proceed', ref };
  }

  /** In the transaction of the change the call makes: from now on a retry must not act again. */
  async markActed(m: EntityManager, ref: IdempotencyRef): Promise<void> {
    await this.sql.run(
      m,
      'UPDATE idempotency_keys SET acted = true WHERE account_id = ? AND idempotency_key = ?',
      [ref.accountId, ref.key],
    );
  }

  /**
   * In the transaction of the change the call makes: the answer is kept with the change, so a
   * retry gets it even if the first caller never does.
   */
  async completeIn(m: EntityManager, ref: IdempotencyRef, body: unknown): Promise<void> {
    await this.keep(m, ref, { status: 200, body });
  }

  /** Keeps the call's answer for its retries (once the call is over). */
  async complete(ref: IdempotencyRef, answer: StoredAnswer): Promise<void> {
    await this.writes.run((m) => this.keep(m, ref, answer));
  }

  /** The answer, encrypted (it may hold enrolment codes), and the key marked as acted on. */
  private async keep(m: EntityManager, ref: IdempotencyRef, answer: StoredAnswer): Promise<void> {
    const sealed = this.cipher.encrypt(JSON.stringify(answer.body ?? null), ref.accountId);
    await this.sql.run(
      m,
      `UPDATE idempotency_keys SET status = ?, answer = ?, acted = true
        WHERE account_id = ? AND idempotency_key = ?`,
      [answer.status, sealed, ref.accountId, ref.key],
    );
  }

  /**
   * A call that failed before acting frees its key: the retry runs afresh (a refusal such as
   * totp-required is not the answer to keep). One that acted keeps it (its retries get 409).
   */
  async release(ref: IdempotencyRef): Promise<void> {
    await this.writes.run((m) =>
      this.sql.run(
        m,
        `DELETE FROM idempotency_keys WHERE account_id = ? AND idempotency_key = ?
          AND acted = false AND status IS NULL`,
        [ref.accountId, ref.key],
      ),
    );
  }

  private async remove(m: EntityManager, ref: IdempotencyRef): Promise<void> {
    await this.sql.run(
      m,
      'DELETE FROM idempotency_keys WHERE account_id = ? AND idempotency_key = ?',
      [ref.accountId, ref.key],
    );
  }

  private async sweep(m: EntityManager, now: Date): Promise<void> {
    if (now.getTime() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now.getTime();
    await this.sql.run(m, 'DELETE FROM idempotency_keys WHERE expires_at <= ?', [
      this.sql.time(now),
    ]);
  }
}
