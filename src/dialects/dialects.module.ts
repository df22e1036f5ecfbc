import { IdempotencyModule } from '../idempotency/idempotency.module';
import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { MfaResetModule } from '../mfa-reset/mfa-reset.module';
import { SessionsModule } from '../sessions/sessions.module';
import { RocketChatController } from './rocket-chat/rocket-chat.controller';
import { RocketChatService } from './rocket-chat/rocket-chat.service';
import { MfaModule } from '../mfa/mfa.module';
import { ZabbixController } from './zabbix/zabbix.controller';
import { ZabbixService } from './zabbix/zabbix.service';

/** Other systems' calls (Rocket.Chat's, Zabbix's), as thin adapters over this service's own. */
@Module({
  imports: [
    MfaResetModule,
    AuthModule,
    AccountsModule,
    SessionsModule,
    MfaModule,
    IdempotencyModule,
  ],
  controllers: [RocketChatController, ZabbixController],
  providers: [RocketChatService, ZabbixService],
})
export class DialectsModule {}
