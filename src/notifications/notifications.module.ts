import { Module } from '@nestjs/common';
import { MfaModule } from '../mfa/mfa.module';
import { OutboxModule } from '../outbox/outbox.module';
import { Mailer } from './mailer';
import { OutboxWorker } from './outbox-worker';

/** Delivers the outbox's messages: by SMTP (SMTP_URL, MAIL_FROM), or to the log without it. */
@Module({
  imports: [OutboxModule, MfaModule],
  providers: [Mailer, OutboxWorker],
})
export class NotificationsModule {}
