import { Module } from '@nestjs/common';
import { SessionsRepository } from './sessions.repository';
import { TokenService } from './token.service';

@Module({
  providers: [SessionsRepository, TokenService],
  exports: [SessionsRepository, TokenService],
})
export class SessionsModule {}
