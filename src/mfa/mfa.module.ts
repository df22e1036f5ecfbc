import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { MfaController } from './mfa.controller';
import { MfaService } from './mfa.service';
import { SecondFactorService } from './second-factor.service';
import { SecretCipher } from './secret-cipher';
import { TotpService } from './totp.service';

@Module({
  imports: [AccountsModule, AuditModule, SessionsModule],
  controllers: [MfaController],
  providers: [TotpService, SecretCipher, SecondFactorService, MfaService],
  exports: [TotpService, SecretCipher, SecondFactorService],
})
export class MfaModule {}
