import { OutboxModule } from '../outbox/outbox.module';
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { MfaController } from './mfa.controller';
import { MfaService } from './mfa.service';
import { RecoveryCodesRepository } from './recovery-codes.repository';
import { SecondFactorService } from './second-factor.service';
import { SecretCipher } from './secret-cipher';
import { StepUpService } from './step-up.service';
import { TotpService } from './totp.service';

@Module({
  imports: [AccountsModule, AuditModule, SessionsModule, OutboxModule],
  controllers: [MfaController],
  providers: [
    TotpService,
    SecretCipher,
    RecoveryCodesRepository,
    SecondFactorService,
    StepUpService,
    MfaService,
  ],
  exports: [TotpService, SecretCipher, RecoveryCodesRepository, SecondFactorService, StepUpService],
})
export class MfaModule {}
