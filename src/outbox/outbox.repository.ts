import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { fromDbTime, Sql } from '../database/sql';

/** What a message tells the person whose account it is about. */
export type MessageKind = 'mfa.reset' | 'account.locked' | 'mfa.enrolled' | 'account.email-changed';

/** The facts a message is written from: who, when, from where (never a secret in clear). */
export interface MessageFacts {
  readonly at: string;
  readonly clientIp: string | null;
  readonly actorName?: string | null;
  /** The account reset itself (its own MFA). */
  readonly own?: boolean;
  readonly ticket?: string;
  readonly lockedUntil?: string;
  readonly enrollmentCodeExpiresAt?: string;
}

export interface QueuedMessage {
  readonly kind: MessageKind;
  readonly accountId: string;
  readonly facts: MessageFacts;
  /** Encrypted for the account (an enrolment code the message carries); erased once delivered. */
  readonly secret?: string;
  /** Where it goes; default: the account's email now (taken when queued, not when sent). */
  readonly recipient?: string;
}

/** A message claimed for delivery, with its account's address. */
export interface ClaimedMessage {
  readonly id: string;
  readonly kind: MessageKind;
  readonly accountId: string;
  readonly facts: MessageFacts;
  readonly secret: string | null;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly recipient: string | null;
  readonly userName: string | null;
  readonly displayName: string | null;
}

interface ClaimedRow {
  recipient: string | null;
  id: string;
  kind: MessageKind;
  account_id: string;
  details: string;
  secret: string | null;
  attempts: number;
  created_at: string | Date;
}

interface AccountRow {
  id: string;
  user_name: string;
  display_name: string;
}

/** The outcome of one delivery attempt, as the outbox records it. */
export type DeliveryRecord =
  | {
      readonly delivered: true;
      readonly channel: 'smtp' | 'log' | 'none';
      readonly recipient: string | null;
    }
  | { readonly delivered: false; readonly error: string; readonly retryAt: Date | null };

/** A message's state, for the tests and the operators' queries. */
export interface OutboxRow {
  readonly id: string;
  readonly kind: MessageKind;
  readonly accountId: string;
  readonly attempts: number;
  readonly deliveredAt: Date | null;
  readonly failedAt: Date | null;
  readonly channel: string | null;
  readonly recipient: string | null;
  readonly lastError: string | null;
}

/**
 * The outbox: messages to the people concerned, queued in the transaction of the change they
 * tell of (so none is sent for a change that rolled back, and none is lost for one that
 * committed), claimed by one instance at a time for delivery, and their delivery recorded.
 */
@Injectable()
export class OutboxRepository {
  private readonly listeners: (() => void)[] = [];
  private nudging = false;

  constructor(private readonly sql: Sql) {}

  /** Called soon after each message is queued (the delivery worker looks then). */
  onQueued(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Queues a message inside the caller's transaction. */
  async enqueue(manager: EntityManager, message: QueuedMessage, now: Date): Promise<void> {
    // After the transaction has (most likely) committed; the worker's poll covers the rest. One
    // timer for however many messages are queued meanwhile (a burst of resets sets one).
    if (!this.nudging) {
      this.nudging = true;
      setTimeout(() => {
        this.nudging = false;
        this.listeners.forEach((listener) => listener());
      }, 20).unref();
    }
    await this.sql.run(
      manager,
      `INSERT INTO outbox (id, kind, account_id, details, secret, created_at, attempts, next_attempt_at, recipient)
        VALUES (?, ?, ?, ?, ?, ?, 0, ?, COALESCE(?, (SELECT email FROM accounts WHERE id = ?)))`,
      [
        randomUUID(),
        message.kind,
        message.accountId,
        JSON.stringify(message.facts),
        message.secret ?? null,
        this.sql.time(now),
        this.sql.time(now),
        message.recipient ?? null,
        message.accountId,
      ],
    );
  }

  /**
   * Claims up to `limit` messages that are due and not held by a live claim: each goes to one
   * instance (PostgreSQL skips rows another instance is claiming) until `leaseUntil`.
   */
  async claim(
    manager: EntityManager,
    owner: string,
    now: Date,
    leaseUntil: Date,
    limit: number,
  ): Promise<ClaimedMessage[]> {
    const lock = this.sql.singleWriter ? '' : 'FOR UPDATE SKIP LOCKED';
    const rows = await this.sql.returning<ClaimedRow>(
      manager,
      `UPDATE outbox SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1
        WHERE id IN (SELECT id FROM outbox
          WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?
            AND (claimed_until IS NULL OR claimed_until < ?)
          ORDER BY next_attempt_at LIMIT ${Math.trunc(limit)} ${lock})
        RETURNING id, kind, account_id, details, secret, attempts, created_at, recipient`,
      [owner, this.sql.time(leaseUntil), this.sql.time(now), this.sql.time(now)],
    );
    if (rows.length === 0) return [];
    const ids = [...new Set(rows.map((r) => r.account_id))];
    const accounts = await this.sql.rows<AccountRow>(
      manager,
      `SELECT id, user_name, display_name FROM accounts WHERE id IN (${ids.map(() => '?').join(', ')})`,
      ids,
      { prepare: false },
    );
    const byId = new Map(accounts.map((a) => [a.id, a]));
    return rows.map((row) => {
      const account = byId.get(row.account_id);
      return {
        id: row.id,
        kind: row.kind,
        accountId: row.account_id,
        facts: JSON.parse(row.details) as MessageFacts,
        secret: row.secret,
        attempts: Number(row.attempts),
        createdAt: fromDbTime(row.created_at) ?? new Date(0),
        // The address as it was when the message was queued: a later change does not redirect it.
        recipient: row.recipient,
        userName: account?.user_name ?? null,
        displayName: account?.display_name ?? null,
      };
    });
  }

  /** Records an attempt's outcome; only the claim's owner may (a lapsed claim records nothing). */
  async record(
    manager: EntityManager,
    id: string,
    owner: string,
    outcome: DeliveryRecord,
    now: Date,
  ): Promise<boolean> {
    const changed = outcome.delivered
      ? await this.sql.run(
          manager,
          `UPDATE outbox SET delivered_at = ?, channel = ?, recipient = ?, secret = NULL,
            claimed_by = NULL, claimed_until = NULL, last_error = NULL
            WHERE id = ? AND claimed_by = ?`,
          [this.sql.time(now), outcome.channel, outcome.recipient, id, owner],
        )
      : await this.sql.run(
          manager,
          `UPDATE outbox SET claimed_by = NULL, claimed_until = NULL, last_error = ?,
            next_attempt_at = ?, failed_at = ?, secret = CASE WHEN ? THEN NULL ELSE secret END
            WHERE id = ? AND claimed_by = ?`,
          [
            outcome.error.slice(0, 500),
            this.sql.time(outcome.retryAt ?? now),
            outcome.retryAt === null ? this.sql.time(now) : null,
            outcome.retryAt === null,
            id,
            owner,
          ],
        );
    return changed === 1;
  }

  /** Records claimed messages as written to the log (no SMTP server), in one statement. */
  async recordLogged(
    manager: EntityManager,
    ids: readonly string[],
    owner: string,
    now: Date,
  ): Promise<void> {
    await this.sql.run(
      manager,
      `UPDATE outbox SET delivered_at = ?, channel = 'log', secret = NULL, claimed_by = NULL,
        claimed_until = NULL, last_error = NULL
        WHERE claimed_by = ? AND id IN (${ids.map(() => '?').join(', ')})`,
      [this.sql.time(now), owner, ...ids],
    );
  }

  /** The messages about an account, oldest first. */
  async ofAccount(accountId: string): Promise<OutboxRow[]> {
    const rows = await this.sql.rows<{
      id: string;
      kind: MessageKind;
      account_id: string;
      attempts: number;
      delivered_at: string | Date | null;
      failed_at: string | Date | null;
      channel: string | null;
      recipient: string | null;
      last_error: string | null;
    }>(
      undefined,
      `SELECT id, kind, account_id, attempts, delivered_at, failed_at, channel, recipient, last_error
        FROM outbox WHERE account_id = ? ORDER BY created_at, id`,
      [accountId],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      accountId: r.account_id,
      attempts: Number(r.attempts),
      deliveredAt: fromDbTime(r.delivered_at),
      failedAt: fromDbTime(r.failed_at),
      channel: r.channel,
      recipient: r.recipient,
      lastError: r.last_error,
    }));
  }
}
