import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { ComposedMessage } from './message-templates';

/** What a sent message is known by: the SMTP server's answer to it. */
export interface SentMessage {
  readonly messageId: string;
}

/**
 * The SMTP client (nodemailer), built from SMTP_URL and MAIL_FROM; absent without SMTP_URL (the
 * worker then logs each message). Bounded waits, so a server that stops answering holds a
 * message only until its claim runs out.
 */
@Injectable()
export class Mailer implements OnApplicationShutdown {
  private readonly transport: Transporter | undefined;
  private readonly from: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.from = config.mail.from;
    this.transport =
      config.mail.smtpUrl === undefined
        ? undefined
        : createTransport({
            url: config.mail.smtpUrl,
            connectionTimeout: 10_000,
            greetingTimeout: 10_000,
            // A server slow to acknowledge a message is waited for (up to 90 s, within the
            // 2-minute claim), not sent the message again.
            socketTimeout: 90_000,
            // One connection per delivery round: nothing held open between messages.
            pool: false,
          });
  }

  get configured(): boolean {
    return this.transport !== undefined;
  }

  async send(to: string, message: ComposedMessage, messageId: string): Promise<SentMessage> {
    if (this.transport === undefined) throw new Error('SMTP_URL is not set');
    const info = (await this.transport.sendMail({
      from: this.from,
      to,
      subject: message.subject,
      text: message.text,
      messageId,
      headers: { 'Auto-Submitted': 'auto-generated' },
    })) as { messageId?: string };
    return { messageId: info.messageId ?? messageId };
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }
}
