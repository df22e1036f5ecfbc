import { Module } from '@nestjs/common';
import { MfaModule } from '../mfa/mfa.module';
import { IdempotencyGuard } from './idempotency.guard';
import { IdempotencyRepository } from './idempotency.repository';

/** Idempotency-Key for the reset calls: the guard, and the kept answers (taken by the resets). */
@Module({
  imports: [MfaModule],
  providers: [IdempotencyRepository, IdempotencyGuard],
  exports: [IdempotencyRepository, IdempotencyGuard],
})
export class IdempotencyModule {}
