import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AuthModule } from '../auth/auth.module';
import { MfaResetModule } from '../mfa-reset/mfa-reset.module';
import { SessionsModule } from '../sessions/sessions.module';
import { RocketChatController } from './rocket-chat/rocket-chat.controller';
import { RocketChatService } from './rocket-chat/rocket-chat.service';

/** Other systems' calls (Rocket.Chat's), as thin adapters over this service's own. */
@Module({
  imports: [MfaResetModule, AuthModule, AccountsModule, SessionsModule],
  controllers: [RocketChatController],
  providers: [RocketChatService],
})
export class DialectsModule {}
