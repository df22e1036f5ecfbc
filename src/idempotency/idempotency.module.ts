import { Module } from '@nestjs/common';
import { MfaModule } from '../mfa/mfa.module';
import { IdempotencyGuard } from './idempotency.guard';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { IdempotencyRepository } from './idempotency.repository';

/** Idempotency-Key for the reset calls: the guard, the interceptor, and the kept answers. */
@Module({
  imports: [MfaModule],
  providers: [IdempotencyRepository, IdempotencyGuard, IdempotencyInterceptor],
  exports: [IdempotencyRepository, IdempotencyGuard, IdempotencyInterceptor],
})
export class IdempotencyModule {}
