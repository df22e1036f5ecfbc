import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AccountsModule } from './accounts/accounts.module';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { JwtAuthGuard } from './auth/guards/jwt-auth.guard';
import { PermissionGuard } from './auth/guards/permission.guard';
import { SignInThrottlerGuard } from './auth/guards/sign-in-throttler.guard';
import { StepUpGuard } from './auth/guards/step-up.guard';
import { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { ConsoleModule } from './console/console.module';
import { AppLogger } from './common/logging/logger';
import { HttpMetrics } from './common/logging/request-logging';
import { ProblemDetailsFilter } from './common/problem/problem-details.filter';
import { CaseInsensitiveValidationPipe } from './common/validation/case-insensitive-validation.pipe';
import { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import { DialectsModule } from './dialects/dialects.module';
import { HealthModule } from './health/health.module';
import { IdempotencyGuard } from './idempotency/idempotency.guard';
import { IdempotencyModule } from './idempotency/idempotency.module';
import { NotificationsModule } from './notifications/notifications.module';
import { MfaModule } from './mfa/mfa.module';
import { MfaResetModule } from './mfa-reset/mfa-reset.module';
import { RolesModule } from './roles/roles.module';

@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    logger: AppLogger,
    metrics: HttpMetrics,
    clock: Clock,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CommonModule.forRoot(config, logger, metrics, clock),
        DatabaseModule,
        ThrottlerModule.forRoot([
          { name: 'default', ttl: 60_000, limit: Math.max(config.signInRateLimit, 1) },
        ]),
        AuditModule,
        AccountsModule,
        RolesModule,
        MfaModule,
        MfaResetModule,
        ApiKeysModule,
        AuthModule,
        DialectsModule,
        HealthModule,
        IdempotencyModule,
        NotificationsModule,
        ConsoleModule,
      ],
      providers: [
        // Guards run in this order: rate limit, token (401), permission (403), Idempotency-Key
        // (422, 409, or a retry answered as before), step-up (400);
        // the whole order of refusals: src/common/http/request-pipeline.ts.
        { provide: APP_GUARD, useClass: SignInThrottlerGuard },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: PermissionGuard },
        { provide: APP_GUARD, useExisting: IdempotencyGuard },
        { provide: APP_GUARD, useClass: StepUpGuard },
        { provide: APP_PIPE, useClass: CaseInsensitiveValidationPipe },
        { provide: APP_FILTER, useExisting: ProblemDetailsFilter },
      ],
    };
  }
}
