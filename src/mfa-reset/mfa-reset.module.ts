import { MfaHistoryController } from './mfa-history.controller';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ResetBudgets } from './reset-budget';
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { MfaModule } from '../mfa/mfa.module';
import { SessionsModule } from '../sessions/sessions.module';
import { MfaResetController } from './mfa-reset.controller';
import { MfaResetService } from './mfa-reset.service';
import { OwnMfaResetController } from './own-mfa-reset.controller';
import { ResetTargetsRepository } from './reset-targets.repository';

@Module({
  imports: [
    AccountsModule,
    AuditModule,
    MfaModule,
    SessionsModule,
    OutboxModule,
    IdempotencyModule,
  ],
  controllers: [MfaResetController, OwnMfaResetController, MfaHistoryController],
  providers: [MfaResetService, ResetTargetsRepository, ResetBudgets],
  exports: [MfaResetService],
})
export class MfaResetModule {}
