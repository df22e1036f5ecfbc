// `npm run secrets:rewrap`: after a rotation of MFA_ENCRYPTION_KEY, encrypts every TOTP secret
// still under an earlier key (listed in MFA_ENCRYPTION_KEYS_PREVIOUS) under the current one.
import 'reflect-metadata';
import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AccountsRepository } from './accounts/accounts.repository';
import { Clock } from './common/clock';
import { CommonModule } from './common/common.module';
import { AppLogger, createLogger, NestPinoLogger } from './common/logging/logger';
import { createHttpMetrics } from './common/logging/request-logging';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { AuditModule } from './audit/audit.module';
import { DatabaseModule } from './database/database.module';
import { SecretCipher } from './mfa/secret-cipher';
import { SecretRewrapper } from './mfa/secret-rewrapper';

@Module({})
class RewrapModule {
  static forRoot(config: AppConfig, logger: AppLogger): DynamicModule {
    return {
      module: RewrapModule,
      imports: [
        CommonModule.forRoot(config, logger, createHttpMetrics(), new Clock()),
        DatabaseModule,
        AuditModule,
      ],
      providers: [AccountsRepository, SecretCipher, SecretRewrapper],
    };
  }
}

async function main(): Promise<number> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Invalid configuration: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const app = await NestFactory.createApplicationContext(RewrapModule.forRoot(config, logger), {
    logger: new NestPinoLogger(logger),
    abortOnError: false,
  });
  try {
    const report = await app.get(SecretRewrapper).rewrapAll();
    const unknown = Object.keys(report.unknownKeys);
    if (unknown.length > 0) {
      logger.error(
        report,
        `secrets under keys that are not configured (${unknown.join(', ')}): list those keys in MFA_ENCRYPTION_KEYS_PREVIOUS and run again, or reset those accounts' MFA`,
      );
      return 2;
    }
    if (report.unreadable.length > 0) {
      logger.error(
        report,
        "secrets that do not decrypt under their key (damaged values; account ids in 'unreadable'): reset those accounts' MFA",
      );
      return 2;
    }
    if (report.auditHead === 'untrusted') {
      logger.error(
        report,
        'the audit chain head is not genuine: it was not signed again (Verify says more)',
      );
      return 2;
    }
    if (report.remaining > 0) {
      logger.error(report, 'secrets kept changing during the run: run it again');
      return 1;
    }
    logger.info(report, 'every TOTP secret is encrypted under the current key');
    return 0;
  } finally {
    await app.close();
    logger.flush();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `Re-wrap failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
