import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AccountsModule } from '../accounts/accounts.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { MfaModule } from '../mfa/mfa.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { ApiKeyGate } from './guards/api-key-gate';
import { JwtStrategy } from './jwt.strategy';
import { PasswordBurstWatch } from './password-burst-watch';

@Module({
  imports: [PassportModule, AccountsModule, ApiKeysModule, AuditModule, MfaModule, SessionsModule],
  controllers: [AuthController],
  providers: [AuthService, JwtStrategy, PasswordBurstWatch, ApiKeyGate],
  exports: [ApiKeyGate, AuthService],
})
export class AuthModule {}
