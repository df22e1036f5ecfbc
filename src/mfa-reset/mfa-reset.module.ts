import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { MfaResetController } from './mfa-reset.controller';
import { MfaResetService } from './mfa-reset.service';

@Module({
  imports: [AccountsModule, AuditModule, SessionsModule],
  controllers: [MfaResetController],
  providers: [MfaResetService],
  exports: [MfaResetService],
})
export class MfaResetModule {}
