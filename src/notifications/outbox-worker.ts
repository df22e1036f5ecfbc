import { randomUUID } from 'node:crypto';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock } from '../common/clock';
import { APP_LOGGER, AppLogger } from '../common/logging/logger';
import { HTTP_METRICS } from '../common/logging/metrics.provider';
import type { HttpMetrics } from '../common/logging/request-logging';
import { WriteQueue } from '../database/write-queue';
import { SecretCipher } from '../mfa/secret-cipher';
import { ClaimedMessage, DeliveryRecord, OutboxRepository } from '../outbox/outbox.repository';
import { Mailer } from './mailer';
import { compose } from './message-templates';

/** How often the outbox is looked at when nothing nudges the worker. */
const POLL_MS = 1000;
/**
 * Messages claimed at once by SMTP: one. A claim's lease covers one send; messages claimed
 * together are sent one after another, so with a slow server the later ones would be sent after
 * their lease had run out and another instance had taken them over (and sent them too).
 */
const SMTP_BATCH = 1;
/** Messages claimed at once without SMTP: writing a log line takes no time, the claims do. */
const LOG_BATCH = 100;
/** How long a claim holds: longer than the SMTP client's longest wait for one message. */
const LEASE_MS = 2 * 60_000;
/** Attempts before a message is given up (about four hours of back-off). */
export const MAX_ATTEMPTS = 15;
const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 60 * 60_000;

/** The wait after the n-th failed attempt: 1 s, doubling, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
}

/**
 * Delivers the outbox: claims due messages (each by one instance), sends each by SMTP, or logs it
 * when no SMTP server is configured, and records the outcome; a failure is retried with back-off,
 * and given up (logged at error) after MAX_ATTEMPTS. Nudged when a message is queued, and polls
 * once a second for the rest (retries, messages queued by another instance, a restart's backlog).
 */
@Injectable()
export class OutboxWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxRepository,
    private readonly writes: WriteQueue,
    private readonly mailer: Mailer,
    private readonly cipher: SecretCipher,
    private readonly clock: Clock,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
  ) {}

  onApplicationBootstrap(): void {
    this.outbox.onQueued(() => this.nudge());
    this.timer = setInterval(() => this.nudge(), POLL_MS);
    this.timer.unref();
    this.nudge();
  }

  /** Looks at the outbox now (or once more after the round under way). */
  nudge(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.running = this.rounds().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.nudge();
      }
    });
  }

  /** Stops claiming, and lets the message being sent finish. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    await this.running;
  }

  private async rounds(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const now = this.clock.now();
        const batch = this.mailer.configured ? SMTP_BATCH : LOG_BATCH;
        const claimed = await this.writes.run((m) =>
          this.outbox.claim(m, this.owner, now, new Date(now.getTime() + LEASE_MS), batch),
        );
        if (this.mailer.configured) for (const message of claimed) await this.deliver(message);
        else await this.logAll(claimed);
        if (claimed.length < batch) return;
      }
    } catch (error) {
      // The database may be away for a moment; the next poll tries again.
      this.logger.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'the outbox could not be read',
      );
    }
  }

  /** Without SMTP: each message to the log, and their delivery recorded in one statement. */
  private async logAll(messages: readonly ClaimedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const verbose = this.logger.isLevelEnabled('info');
    for (const message of messages) {
      const fields = { outboxId: message.id, kind: message.kind, accountId: message.accountId };
      // Logged, not lost; never with the enrolment code (logs are read by more people).
      if (verbose) {
        const { subject, text } = compose(message);
        this.logger.info(
          { ...fields, to: message.recipient, subject, text },
          'message not sent by email (SMTP_URL is not set): logged instead',
        );
      }
      this.metrics.messages.labels({ kind: message.kind, outcome: 'log' }).inc();
    }
    const now = this.clock.now();
    await this.writes.run((m) =>
      this.outbox.recordLogged(
        m,
        messages.map((message) => message.id),
        this.owner,
        now,
      ),
    );
  }

  private async deliver(message: ClaimedMessage): Promise<void> {
    const outcome = await this.attempt(message);
    const now = this.clock.now();
    await this.writes.run((m) => this.outbox.record(m, message.id, this.owner, outcome, now));
    this.metrics.messages
      .labels({
        kind: message.kind,
        outcome: outcome.delivered
          ? outcome.channel
          : outcome.retryAt === null
            ? 'failed'
            : 'retry',
      })
      .inc();
  }

  private async attempt(message: ClaimedMessage): Promise<DeliveryRecord> {
    const fields = { outboxId: message.id, kind: message.kind, accountId: message.accountId };
    if (message.recipient === null || message.recipient === '') {
      this.logger.warn(fields, 'message not sent: the account has no email address');
      return { delivered: true, channel: 'none', recipient: null };
    }
    try {
      const sent = await this.mailer.send(
        message.recipient,
        compose(message, this.enrollmentCode(message)),
        `<${message.id}@mfa-admin>`,
      );
      this.logger.info({ ...fields, messageId: sent.messageId }, 'message delivered');
      return { delivered: true, channel: 'smtp', recipient: message.recipient };
    } catch (error) {
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 300);
      if (message.attempts >= MAX_ATTEMPTS) {
        this.logger.error(
          { ...fields, attempts: message.attempts, err: reason },
          'message given up after repeated delivery failures',
        );
        return { delivered: false, error: reason, retryAt: null };
      }
      const retryAt = new Date(this.clock.now().getTime() + retryDelayMs(message.attempts));
      this.logger.warn(
        { ...fields, attempts: message.attempts, retryAt: retryAt.toISOString(), err: reason },
        'message delivery failed: will retry',
      );
      return { delivered: false, error: reason, retryAt };
    }
  }

  private enrollmentCode(message: ClaimedMessage): string | undefined {
    if (message.secret === null) return undefined;
    try {
      return this.cipher.decrypt(message.secret, message.accountId);
    } catch {
      this.logger.warn(
        { outboxId: message.id },
        'the enrolment code of a message cannot be decrypted: sent without it',
      );
      return undefined;
    }
  }
}
