import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditAction } from '../audit/audit-action';
import { AuditService, partyOf } from '../audit/audit.service';
import { Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { TransactionRunner } from '../database/transaction-runner';
import { Permission } from '../roles/permission';
import { RolesRepository } from '../roles/roles.repository';
import { Role } from '../roles/entities/role.entity';
import { SessionsRepository } from '../sessions/sessions.repository';
import { toAccountResponse } from './account-response';
import { AccountsRepository } from './accounts.repository';
import {
  AccountListResponse,
  AccountResponse,
  CreateAccountDto,
  ListAccountsQuery,
  UpdateAccountDto,
} from './dto/account.dto';
import { Account } from './entities/account.entity';
import { PasswordHasher } from './password-hasher';
import { newSecurityStamp } from './security-stamp';

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const code = e.driverError?.code ?? e.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT' ||
    (typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed'))
  );
}

@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: AccountsRepository,
    private readonly roles: RolesRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly runner: TransactionRunner,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  private checkPassword(password: string, userName: string): void {
    if (password.toLowerCase() === userName.toLowerCase()) {
      throw DomainError.validation({ password: ['password must not equal the user name'] });
    }
  }

  private async resolveRoles(manager: EntityManager, names: readonly string[]): Promise<Role[]> {
    const unique = [...new Set(names)];
    const found = await this.roles.findByNames(unique, manager);
    const missing = unique.filter((n) => !found.some((r) => r.name === n));
    if (missing.length > 0)
      throw DomainError.validation({ roles: missing.map((n) => `Unknown role '${n}'.`) });
    return found;
  }

  /** Used for new accounts and for the bootstrap administrator. */
  async createAccount(
    manager: EntityManager,
    values: {
      userName: string;
      displayName: string;
      email: string;
      password: string;
      roles: readonly string[];
    },
    now: Date,
  ): Promise<Account> {
    const roles = await this.resolveRoles(manager, values.roles);
    const account = manager.create(Account, {
      id: randomUUID(),
      userName: values.userName,
      userNameNormalized: values.userName.toLowerCase(),
      displayName: values.displayName,
      email: values.email,
      passwordHash: await this.hasher.hash(values.password),
      isActive: true,
      securityStamp: newSecurityStamp(),
      mfaSecret: null,
      mfaEnrolledAt: null,
      mfaPendingSecret: null,
      lastTotpStep: null,
      failedAttempts: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
      roles,
    });
    try {
      await manager.save(Account, account);
    } catch (error) {
      if (isUniqueViolation(error)) throw new DomainError(ErrorCode.UserNameTaken);
      throw error;
    }
    return account;
  }

  async create(
    dto: CreateAccountDto,
    actor: Principal,
    context: RequestContext,
  ): Promise<AccountResponse> {
    this.checkPassword(dto.password, dto.userName);
    const existing = await this.accounts.findByUserName(dto.userName);
    if (existing) throw new DomainError(ErrorCode.UserNameTaken);
    const account = await this.runner.run(async (m) => {
      const now = this.clock.now();
      const created = await this.createAccount(m, { ...dto, roles: dto.roles ?? ['User'] }, now);
      await this.audit.append(m, {
        action: AuditAction.AccountCreated,
        outcome: 'success',
        actor: partyOf(actor),
        target: { id: created.id, name: created.userName },
        context,
        details: { roles: created.roles.map((r) => r.name) },
      });
      return created;
    });
    return toAccountResponse(account, this.clock.now());
  }

  async list(query: ListAccountsQuery): Promise<AccountListResponse> {
    const builder = this.dataSource
      .getRepository(Account)
      .createQueryBuilder('a')
      .leftJoinAndSelect('a.roles', 'r')
      .orderBy('a.userNameNormalized', 'ASC')
      .skip(query.skip ?? 0)
      .take(query.take ?? 50);
    if (query.search !== undefined && query.search !== '') {
      const pattern = `%${query.search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      builder.where(
        "(a.user_name_normalized LIKE :p ESCAPE '\\' OR LOWER(a.display_name) LIKE :p ESCAPE '\\' OR LOWER(a.email) LIKE :p ESCAPE '\\')",
        { p: pattern },
      );
    }
    const [items, totalCount] = await builder.getManyAndCount();
    const now = this.clock.now();
    return { items: items.map((a) => toAccountResponse(a, now)), totalCount };
  }

  async get(id: string): Promise<AccountResponse> {
    const account = await this.accounts.findView(id);
    if (!account) throw new DomainError(ErrorCode.AccountNotFound);
    return toAccountResponse(account, this.clock.now());
  }

  /**
   * Disabling, a role change or a new password ends the account's sessions (but the caller's
   * own). Nobody can leave the service without an active account able to manage roles.
   */
  async update(
    id: string,
    dto: UpdateAccountDto,
    actor: Principal,
    context: RequestContext,
  ): Promise<AccountResponse> {
    const passwordHash =
      dto.password === undefined ? undefined : await this.hasher.hash(dto.password);
    const account = await this.runner.run(async (m) => {
      const now = this.clock.now();
      if (dto.roles !== undefined || dto.isActive !== undefined)
        await this.roles.lockPermissionChanges(m);
      // Validation (400) comes before existence (404).
      const roles = dto.roles === undefined ? undefined : await this.resolveRoles(m, dto.roles);
      await this.accounts.lockForUpdate(m, { ids: [id] });
      const current = await this.accounts.findById(id, m);
      if (!current) throw new DomainError(ErrorCode.AccountNotFound);
      if (dto.password !== undefined) this.checkPassword(dto.password, current.userName);
      const changes: Partial<Account> = { updatedAt: now };
      const changed: string[] = [];
      if (dto.displayName !== undefined && dto.displayName !== current.displayName) {
        changes.displayName = dto.displayName;
        changed.push('displayName');
      }
      if (dto.email !== undefined && dto.email !== current.email) {
        changes.email = dto.email;
        changed.push('email');
      }
      let endSessions = false;
      if (dto.isActive !== undefined && dto.isActive !== current.isActive) {
        changes.isActive = dto.isActive;
        changed.push('isActive');
        endSessions ||= !dto.isActive;
      }
      if (passwordHash !== undefined) {
        changes.passwordHash = passwordHash;
        changed.push('password');
        endSessions = true;
      }
      await m.update(Account, { id }, changes);
      if (roles !== undefined) {
        const before = current.roles
          .map((r) => r.name)
          .sort()
          .join(',');
        const after = roles
          .map((r) => r.name)
          .sort()
          .join(',');
        if (before !== after) {
          await m
            .createQueryBuilder()
            .relation(Account, 'roles')
            .of(id)
            .addAndRemove(roles, current.roles);
          changed.push('roles');
          endSessions = true;
        }
      }
      if (
        (changed.includes('roles') || changed.includes('isActive')) &&
        (await this.roles.countActiveHolders(m, Permission.ManageRoles)) === 0
      ) {
        throw new DomainError(ErrorCode.LastRoleManager);
      }
      const sessionsRevoked = endSessions
        ? await this.sessions.revokeAllOf(m, id, now, actor.sessionId)
        : 0;
      await this.audit.append(m, {
        action: AuditAction.AccountUpdated,
        outcome: 'success',
        actor: partyOf(actor),
        target: { id: current.id, name: current.userName },
        context,
        details: { changed, sessionsRevoked },
      });
      return this.accounts.findById(id, m);
    });
    if (!account) throw new DomainError(ErrorCode.AccountNotFound);
    return toAccountResponse(account, this.clock.now());
  }
}
