import { OutboxRepository } from '../outbox/outbox.repository';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditAction } from '../audit/audit-action';
import { AuditService } from '../audit/audit.service';
import { partyOf, Principal } from '../common/auth/principal';
import { Clock } from '../common/clock';
import { RequestContext } from '../common/http/request-context';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { WriteQueue } from '../database/write-queue';
import { Permission, permissionsLacking } from '../common/auth/permission';
import { RolesRepository } from '../roles/roles.repository';
import { Role } from '../roles/entities/role.entity';
import { SessionsRepository } from '../sessions/sessions.repository';
import { AccountFields, toAccountResponse } from './account-response';
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
import { newAccount } from './new-account';
import { newSecurityStamp } from './security-stamp';
import { asciiLower } from '../common/ascii';
import { isUniqueViolation } from '../database/sql';

/** Roles asked for by name: those that exist, and the names that do not. */
interface RolesLookup {
  readonly found: Role[];
  readonly unknown: string[];
}

/**
 * Why a change reaches above the caller, if it does: it grants roles, or touches an account whose
 * roles hold, a permission the caller lacks. Someone who may manage accounts is not an
 * administrator for that (the rule MfaResetService applies to resets).
 */
function reachAbove(
  actor: Principal,
  roles: { readonly granted?: readonly Role[]; readonly held?: readonly Role[] },
): { reason: string; lacking: Permission[] } | undefined {
  const check = (list: readonly Role[] | undefined, reason: string) => {
    if (list === undefined) return undefined;
    const lacking = permissionsLacking(
      actor.permissions,
      list.flatMap((r) => r.permissions),
    );
    return lacking.length > 0 ? { reason, lacking } : undefined;
  };
  return (
    check(roles.granted, 'roles grant a permission the caller lacks') ??
    check(roles.held, 'target holds a permission the caller lacks')
  );
}

@Injectable()
export class AccountsService {
  constructor(
    private readonly accounts: AccountsRepository,
    private readonly roles: RolesRepository,
    private readonly sessions: SessionsRepository,
    private readonly hasher: PasswordHasher,
    private readonly writes: WriteQueue,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxRepository,
  ) {}

  private checkPassword(password: string, userName: string): void {
    if (asciiLower(password) === asciiLower(userName)) {
      throw DomainError.validation({ password: ['password must not equal the user name'] });
    }
  }

  private async lookUpRoles(
    manager: EntityManager,
    names: readonly string[],
  ): Promise<RolesLookup> {
    const unique = [...new Set(names)];
    const found = await this.roles.findByNames(unique, manager);
    return { found, unknown: unique.filter((n) => !found.some((r) => r.name === n)) };
  }

  private refuseUnknownRoles(lookup: RolesLookup): Role[] {
    if (lookup.unknown.length > 0)
      throw DomainError.validation({ roles: lookup.unknown.map((n) => `Unknown role '${n}'.`) });
    return lookup.found;
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
    const roles = this.refuseUnknownRoles(await this.lookUpRoles(manager, values.roles));
    return this.insertAccount(manager, values, roles, now);
  }

  private async insertAccount(
    manager: EntityManager,
    values: { userName: string; displayName: string; email: string; password: string },
    roles: Role[],
    now: Date,
  ): Promise<Account> {
    const passwordHash = await this.hasher.hash(values.password);
    const account = newAccount({ ...values, passwordHash, roles }, now);
    try {
      await this.accounts.insert(manager, account);
    } catch (error) {
      if (isUniqueViolation(error)) throw userNameTaken(values.userName);
      throw error;
    }
    return account;
  }

  /** Refusals in the contract's order: 403 (roles above the caller's), then 400, then 409. */
  async create(
    dto: CreateAccountDto,
    actor: Principal,
    context: RequestContext,
  ): Promise<AccountResponse> {
    const created = await this.writes.run(async (m): Promise<Account> => {
      const now = this.clock.now();
      const lookup = await this.lookUpRoles(m, dto.roles ?? ['User']);
      const refusal = reachAbove(actor, { granted: lookup.found });
      if (refusal) {
        throw new DomainError(ErrorCode.TargetNotAllowed).audited({
          action: AuditAction.AccountCreated,
          target: { id: null, name: dto.userName },
          details: refusal,
        });
      }
      this.checkPassword(dto.password, dto.userName);
      if (await this.accounts.findByUserName(dto.userName, m)) throw userNameTaken(dto.userName);
      const roles = this.refuseUnknownRoles(lookup);
      const account = await this.insertAccount(m, dto, roles, now);
      await this.audit.append(m, {
        action: AuditAction.AccountCreated,
        outcome: 'success',
        actor: partyOf(actor),
        target: { id: account.id, name: account.userName },
        context,
        details: { roles: account.roles.map((r) => r.name) },
      });
      return account;
    });
    return toAccountResponse(created, this.clock.now());
  }

  async list(query: ListAccountsQuery): Promise<AccountListResponse> {
    const search = query.search === undefined ? undefined : asciiLower(query.search);
    const [items, totalCount] = await this.accounts.page(search, query.skip ?? 0, query.take ?? 50);
    const now = this.clock.now();
    return { items: items.map((a) => toAccountResponse(a, now)), totalCount };
  }

  /** `read`: the account as the session check read it (null: none), when it did. */
  async get(id: string, read?: AccountFields | null): Promise<AccountResponse> {
    const account = read === undefined ? await this.accounts.findView(id) : read;
    if (!account) throw new DomainError(ErrorCode.AccountNotFound);
    return toAccountResponse(account, this.clock.now());
  }

  /**
   * Disabling, a role change or a new password ends the account's sessions (but the caller's
   * own) and rotates its security stamp, so a sign-in already past its password check when the
   * change commits gets no usable session. A password set here, or `lockedUntil: null`, ends a
   * lock-out. Nobody can leave the service without an active account able to manage roles, nor
   * change an account or grant a role above their own permissions.
   */
  async update(
    id: string,
    dto: UpdateAccountDto,
    actor: Principal,
    context: RequestContext,
  ): Promise<AccountResponse> {
    const passwordHash =
      dto.password === undefined ? undefined : await this.hasher.hash(dto.password);
    const refused = (error: DomainError, name: string | null, details: Record<string, unknown>) =>
      error.audited({ action: AuditAction.AccountUpdated, target: { id, name }, details });
    const updated = await this.writes.run(async (m): Promise<Account | null> => {
      const now = this.clock.now();
      // Every change checks role permissions; none may change under it.
      await this.roles.lockPermissionChanges(m);
      const lookup = dto.roles === undefined ? undefined : await this.lookUpRoles(m, dto.roles);
      await this.accounts.lockForUpdate(m, { ids: [id] });
      const current = await this.accounts.findById(id, m);
      // 403 comes before validation (400), and validation before existence (404).
      const refusal = reachAbove(actor, { granted: lookup?.found, held: current?.roles });
      if (refusal) {
        throw refused(
          new DomainError(ErrorCode.TargetNotAllowed),
          current?.userName ?? null,
          refusal,
        );
      }
      // A key never changes its own owner's credentials or standing (a stolen key must not
      // take the account over): password, roles, isActive and lock are for sessions.
      const credentials = ['password', 'roles', 'isActive', 'lockedUntil'] as const;
      if (
        actor.apiKey !== undefined &&
        id === actor.accountId &&
        credentials.some((field) => dto[field] !== undefined)
      ) {
        throw refused(new DomainError(ErrorCode.TargetNotAllowed), actor.userName, {
          reason: "an API key cannot change its owner's credentials",
        });
      }
      const roles = lookup && this.refuseUnknownRoles(lookup);
      if (!current) {
        throw refused(new DomainError(ErrorCode.AccountNotFound), null, { reason: 'not found' });
      }
      if (dto.password !== undefined) this.checkPassword(dto.password, current.userName);
      const changes: Partial<Account> = { updatedAt: now };
      const changed: string[] = [];
      if (dto.displayName !== undefined && dto.displayName !== current.displayName) {
        changes.displayName = dto.displayName;
        changed.push('displayName');
      }
      const emailChanged = dto.email !== undefined && dto.email !== current.email;
      if (emailChanged) {
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
      // An administrator ends a lock-out: explicitly, or by setting a new password.
      if (dto.lockedUntil === null || passwordHash !== undefined) {
        const wasLocked = current.lockedUntil !== null && current.lockedUntil > now;
        changes.lockedUntil = null;
        changes.failedAttempts = 0;
        if (wasLocked || current.failedAttempts > 0) changed.push('lockedUntil');
      }
      const rolesChanged =
        roles !== undefined && namesOf(roles) !== namesOf(current.roles) ? roles : undefined;
      if (rolesChanged) {
        changed.push('roles');
        endSessions = true;
      }
      const stamp =
        changed.includes('password') || changed.includes('roles') || changed.includes('isActive')
          ? newSecurityStamp()
          : undefined;
      if (stamp !== undefined) changes.securityStamp = stamp;
      await this.accounts.update(m, id, changes);
      if (rolesChanged) await this.accounts.replaceRoles(m, id, rolesChanged, current.roles);
      if (
        (changed.includes('roles') || changed.includes('isActive')) &&
        (await this.roles.countActiveHolders(m, Permission.ManageRoles)) === 0
      ) {
        throw refused(new DomainError(ErrorCode.LastRoleManager), current.userName, {
          reason: 'nobody would be left able to manage roles',
          changed,
        });
      }
      const sessionsRevoked = endSessions
        ? await this.sessions.endSessions(m, id, now, actor.sessionId ?? undefined)
        : 0;
      // A caller changing itself keeps its session, which takes the new stamp (an API key has none).
      if (stamp !== undefined && id === actor.accountId && actor.sessionId !== null)
        await this.sessions.restamp(m, actor.sessionId, stamp);
      await this.audit.append(m, {
        action: AuditAction.AccountUpdated,
        outcome: 'success',
        actor: partyOf(actor),
        target: { id: current.id, name: current.userName },
        context,
        details: { changed, sessionsRevoked },
      });
      // The address the service writes to is a way into the account: its old holder is told.
      if (emailChanged) {
        await this.outbox.enqueue(
          m,
          {
            kind: 'account.email-changed',
            accountId: id,
            recipient: current.email,
            facts: { at: now.toISOString(), clientIp: context.clientIp, actorName: actor.userName },
          },
          now,
        );
      }
      return this.accounts.findById(id, m);
    });
    if (!updated) throw new DomainError(ErrorCode.AccountNotFound);
    return toAccountResponse(updated, this.clock.now());
  }
}

/** 409, audited: the name is validated (letters, digits, `._@-`), so it is stored as given. */
function userNameTaken(userName: string): DomainError {
  return new DomainError(ErrorCode.UserNameTaken).audited({
    action: AuditAction.AccountCreated,
    outcome: 'failure',
    target: { id: null, name: userName },
    details: { reason: 'user name taken' },
  });
}

/** A set of roles as one comparable text. */
function namesOf(roles: readonly Role[]): string {
  return roles
    .map((r) => r.name)
    .sort()
    .join(',');
}
