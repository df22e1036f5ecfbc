import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { MfaResetModule } from '../mfa-reset/mfa-reset.module';
import { SessionsModule } from '../sessions/sessions.module';
import { MfaController } from './mfa.controller';
import { MfaService } from './mfa.service';
import { SecondFactorService } from './second-factor.service';
import { SecretCipher } from './secret-cipher';
import { StepUpService } from './step-up.service';
import { TotpService } from './totp.service';

@Module({
  imports: [AccountsModule, AuditModule, MfaResetModule, SessionsModule],
  controllers: [MfaController],
  providers: [TotpService, SecretCipher, SecondFactorService, StepUpService, MfaService],
  exports: [TotpService, SecretCipher, SecondFactorService, StepUpService],
})
export class MfaModule {}
