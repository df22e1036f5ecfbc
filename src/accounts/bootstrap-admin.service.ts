import { randomInt } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { APP_LOGGER, AppLogger } from '../common/logging/logger';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { WriteQueue } from '../database/write-queue';
import { AccountsService } from './accounts.service';
import { AccountsRepository } from './accounts.repository';

const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%^&*_+=.~-';

export function oneTimePassword(length = 24): string {
  return Array.from({ length }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join(
    '',
  );
}

/** On the first start with an empty database: account `admin` with role Admin. */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(APP_LOGGER) private readonly logger: AppLogger,
    private readonly accountsRepository: AccountsRepository,
    private readonly accounts: AccountsService,
    private readonly writes: WriteQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.accountsRepository.count()) > 0) return;
    const password = this.config.bootstrapAdminPassword ?? oneTimePassword();
    try {
      await this.writes.run(async (m) => {
        if ((await this.accountsRepository.count(m)) > 0)
          throw new DomainError(ErrorCode.UserNameTaken);
        const admin = await this.accounts.createAccount(
          m,
          {
            userName: 'admin',
            displayName: 'Administrator',
            email: 'admin@localhost',
            password,
            roles: ['Admin'],
          },
          this.clock.now(),
        );
        await this.audit.append(m, {
          action: AuditAction.BootstrapAdminCreated,
          outcome: 'success',
          target: { id: admin.id, name: admin.userName },
        });
      });
    } catch (error) {
      // Another instance created it first.
      if (error instanceof DomainError && error.code === ErrorCode.UserNameTaken) return;
      throw error;
    }
    if (this.config.bootstrapAdminPassword === undefined) {
      // Written whatever LOG_LEVEL says: it is the only way into a new database.
      this.logger
        .child({}, { level: 'warn' })
        .warn(
          `Created administrator 'admin' with one-time password: ${password} (sign in, then enrol MFA)`,
        );
    } else {
      this.logger.warn(
        "Created administrator 'admin' with the password from BOOTSTRAP_ADMIN_PASSWORD",
      );
    }
  }
}
