import { OutboxModule } from '../outbox/outbox.module';
import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { RolesModule } from '../roles/roles.module';
import { SessionsModule } from '../sessions/sessions.module';
import { AccountsController } from './accounts.controller';
import { AccountsRepository } from './accounts.repository';
import { AccountsService } from './accounts.service';
import { BootstrapAdminService } from './bootstrap-admin.service';
import { GrantsAnyPermission } from './grants-any-permission';
import { PasswordHasher } from './password-hasher';

@Module({
  imports: [AuditModule, RolesModule, SessionsModule, OutboxModule],
  controllers: [AccountsController],
  providers: [
    AccountsRepository,
    AccountsService,
    PasswordHasher,
    BootstrapAdminService,
    GrantsAnyPermission,
  ],
  exports: [AccountsRepository, PasswordHasher],
})
export class AccountsModule {}
