import { Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository';

/** The outbox the services queue their messages in; delivery: NotificationsModule. */
@Module({
  providers: [OutboxRepository],
  exports: [OutboxRepository],
})
export class OutboxModule {}
