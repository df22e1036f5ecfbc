"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AccountsService = void 0;
const node_crypto_1 = require("node:crypto");
const common_1 = require("@nestjs/common");
const audit_action_1 = require("../audit/audit-action");
const audit_service_1 = require("../audit/audit.service");
const principal_1 = require("../common/auth/principal");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/problem/domain-error");
const write_queue_1 = require("../database/write-queue");
const permission_1 = require("../common/auth/permission");
const roles_repository_1 = require("../roles/roles.repository");
const sessions_repository_1 = require("../sessions/sessions.repository");
const account_response_1 = require("./account-response");
const accounts_repository_1 = require("./accounts.repository");
const account_entity_1 = require("./entities/account.entity");
const password_hasher_1 = require("./password-hasher");
const security_stamp_1 = require("./security-stamp");
const ascii_1 = require("../common/ascii");
function isUniqueViolation(error) {
    const e = error;
    const code = e.driverError?.code ?? e.code;
    return (code === '23505' ||
        code === 'SQLITE_CONSTRAINT' ||
        (typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed')));
}
/**
 * Why a change reaches above the caller, if it does: it grants roles, or touches an account whose
 * roles hold, a permission the caller lacks. Someone who may manage accounts is not an
 * administrator for that (the rule MfaResetService applies to resets).
 */
function reachAbove(actor, roles) {
    const check = (list, reason) => {
        if (list === undefined)
            return undefined;
        const lacking = (0, permission_1.permissionsLacking)(actor.permissions, list.flatMap((r) => r.permissions));
        return lacking.length > 0 ? { reason, lacking } : undefined;
    };
    return (check(roles.granted, 'roles grant a permission the caller lacks') ??
        check(roles.held, 'target holds a permission the caller lacks'));
}
let AccountsService = class AccountsService {
    accounts;
    roles;
    sessions;
    hasher;
    writes;
    audit;
    clock;
    constructor(accounts, roles, sessions, hasher, writes, audit, clock) {
        this.accounts = accounts;
        this.roles = roles;
        this.sessions = sessions;
        this.hasher = hasher;
        this.writes = writes;
        this.audit = audit;
        this.clock = clock;
    }
    checkPassword(password, userName) {
        if ((0, ascii_1.asciiLower)(password) === (0, ascii_1.asciiLower)(userName)) {
            throw domain_error_1.DomainError.validation({ password: ['password must not equal the user name'] });
        }
    }
    async lookUpRoles(manager, names) {
        const unique = [...new Set(names)];
        const found = await this.roles.findByNames(unique, manager);
        return { found, unknown: unique.filter((n) => !found.some((r) => r.name === n)) };
    }
    refuseUnknownRoles(lookup) {
        if (lookup.unknown.length > 0)
            throw domain_error_1.DomainError.validation({ roles: lookup.unknown.map((n) => `Unknown role '${n}'.`) });
        return lookup.found;
    }
    /** Used for new accounts and for the bootstrap administrator. */
    async createAccount(manager, values, now) {
        const roles = this.refuseUnknownRoles(await this.lookUpRoles(manager, values.roles));
        return this.insertAccount(manager, values, roles, now);
    }
    async insertAccount(manager, values, roles, now) {
        const account = manager.create(account_entity_1.Account, {
            id: (0, node_crypto_1.randomUUID)(),
            userName: values.userName,
            userNameNormalized: (0, ascii_1.asciiLower)(values.userName),
            displayName: values.displayName,
            email: values.email,
            passwordHash: await this.hasher.hash(values.password),
            isActive: true,
            securityStamp: (0, security_stamp_1.newSecurityStamp)(),
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
            await this.accounts.insert(manager, account);
        }
        catch (error) {
            if (isUniqueViolation(error))
                throw userNameTaken(values.userName);
            throw error;
        }
        return account;
    }
    /** Refusals in the contract's order: 403 (roles above the caller's), then 400, then 409. */
    async create(dto, actor, context) {
        const created = await this.writes.run(async (m) => {
            const now = this.clock.now();
            const lookup = await this.lookUpRoles(m, dto.roles ?? ['User']);
            const refusal = reachAbove(actor, { granted: lookup.found });
            if (refusal) {
                throw new domain_error_1.DomainError(domain_error_1.ErrorCode.TargetNotAllowed).audited({
                    action: audit_action_1.AuditAction.AccountCreated,
                    target: { id: null, name: dto.userName },
                    details: refusal,
                });
            }
            this.checkPassword(dto.password, dto.userName);
            if (await this.accounts.findByUserName(dto.userName, m))
                throw userNameTaken(dto.userName);
            const roles = this.refuseUnknownRoles(lookup);
            const account = await this.insertAccount(m, dto, roles, now);
            await this.audit.append(m, {
                action: audit_action_1.AuditAction.AccountCreated,
                outcome: 'success',
                actor: (0, principal_1.partyOf)(actor),
                target: { id: account.id, name: account.userName },
                context,
                details: { roles: account.roles.map((r) => r.name) },
            });
            return account;
        });
        return (0, account_response_1.toAccountResponse)(created, this.clock.now());
    }
    async list(query) {
        const search = query.search === undefined ? undefined : (0, ascii_1.asciiLower)(query.search);
        const [items, totalCount] = await this.accounts.page(search, query.skip ?? 0, query.take ?? 50);
        const now = this.clock.now();
        return { items: items.map((a) => (0, account_response_1.toAccountResponse)(a, now)), totalCount };
    }
    async get(id) {
        const account = await this.accounts.findView(id);
        if (!account)
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.AccountNotFound);
        return (0, account_response_1.toAccountResponse)(account, this.clock.now());
    }
    /**
     * Disabling, a role change or a new password ends the account's sessions (but the caller's
     * own) and rotates its security stamp, so a sign-in already past its password check when the
     * change commits gets no usable session. A password set here, or `lockedUntil: null`, ends a
     * lock-out. Nobody can leave the service without an active account able to manage roles, nor
     * change an account or grant a role above their own permissions.
     */
    async update(id, dto, actor, context) {
        const passwordHash = dto.password === undefined ? undefined : await this.hasher.hash(dto.password);
        const refused = (error, name, details) => error.audited({ action: audit_action_1.AuditAction.AccountUpdated, target: { id, name }, details });
        const updated = await this.writes.run(async (m) => {
            const now = this.clock.now();
            // Every change checks role permissions; none may change under it.
            await this.roles.lockPermissionChanges(m);
            const lookup = dto.roles === undefined ? undefined : await this.lookUpRoles(m, dto.roles);
            await this.accounts.lockForUpdate(m, { ids: [id] });
            const current = await this.accounts.findById(id, m);
            // 403 comes before validation (400), and validation before existence (404).
            const refusal = reachAbove(actor, { granted: lookup?.found, held: current?.roles });
            if (refusal) {
                throw refused(new domain_error_1.DomainError(domain_error_1.ErrorCode.TargetNotAllowed), current?.userName ?? null, refusal);
            }
            const roles = lookup && this.refuseUnknownRoles(lookup);
            if (!current) {
                throw refused(new domain_error_1.DomainError(domain_error_1.ErrorCode.AccountNotFound), null, { reason: 'not found' });
            }
            if (dto.password !== undefined)
                this.checkPassword(dto.password, current.userName);
            const changes = { updatedAt: now };
            const changed = [];
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
            // An administrator ends a lock-out: explicitly, or by setting a new password.
            if (dto.lockedUntil === null || passwordHash !== undefined) {
                const wasLocked = current.lockedUntil !== null && current.lockedUntil > now;
                changes.lockedUntil = null;
                changes.failedAttempts = 0;
                if (wasLocked || current.failedAttempts > 0)
                    changed.push('lockedUntil');
            }
            const rolesChanged = roles !== undefined && namesOf(roles) !== namesOf(current.roles) ? roles : undefined;
            if (rolesChanged) {
                changed.push('roles');
                endSessions = true;
            }
            const stamp = changed.includes('password') || changed.includes('roles') || changed.includes('isActive')
                ? (0, security_stamp_1.newSecurityStamp)()
                : undefined;
            if (stamp !== undefined)
                changes.securityStamp = stamp;
            await this.accounts.update(m, id, changes);
            if (rolesChanged)
                await this.accounts.replaceRoles(m, id, rolesChanged, current.roles);
            if ((changed.includes('roles') || changed.includes('isActive')) &&
                (await this.roles.countActiveHolders(m, permission_1.Permission.ManageRoles)) === 0) {
                throw refused(new domain_error_1.DomainError(domain_error_1.ErrorCode.LastRoleManager), current.userName, {
                    reason: 'nobody would be left able to manage roles',
                    changed,
                });
            }
            const sessionsRevoked = endSessions
                ? await this.sessions.endSessions(m, id, now, actor.sessionId)
                : 0;
            // A caller changing itself keeps its session, which takes the new stamp.
            if (stamp !== undefined && id === actor.accountId)
                await this.sessions.restamp(m, actor.sessionId, stamp);
            await this.audit.append(m, {
                action: audit_action_1.AuditAction.AccountUpdated,
                outcome: 'success',
                actor: (0, principal_1.partyOf)(actor),
                target: { id: current.id, name: current.userName },
                context,
                details: { changed, sessionsRevoked },
            });
            return this.accounts.findById(id, m);
        });
        if (!updated)
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.AccountNotFound);
        return (0, account_response_1.toAccountResponse)(updated, this.clock.now());
    }
};
exports.AccountsService = AccountsService;
exports.AccountsService = AccountsService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [accounts_repository_1.AccountsRepository,
        roles_repository_1.RolesRepository,
        sessions_repository_1.SessionsRepository,
        password_hasher_1.PasswordHasher,
        write_queue_1.WriteQueue,
        audit_service_1.AuditService,
        clock_1.Clock])
], AccountsService);
/** 409, audited: the name is validated (letters, digits, `._@-`), so it is stored as given. */
function userNameTaken(userName) {
    return new domain_error_1.DomainError(domain_error_1.ErrorCode.UserNameTaken).audited({
        action: audit_action_1.AuditAction.AccountCreated,
        outcome: 'failure',
        target: { id: null, name: userName },
        details: { reason: 'user name taken' },
    });
}
/** A set of roles as one comparable text. */
function namesOf(roles) {
    return roles
        .map((r) => r.name)
        .sort()
        .join(',');
}
//# sourceMappingURL=accounts.service.js.map