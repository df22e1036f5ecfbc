import { Module } from '@nestjs/common';
import { MfaResetModule } from '../mfa-reset/mfa-reset.module';
import { RocketChatController } from './rocket-chat/rocket-chat.controller';

/** Other systems' calls (Rocket.Chat's), as thin adapters over this service's own. */
@Module({
  imports: [MfaResetModule],
  controllers: [RocketChatController],
})
export class DialectsModule {}
