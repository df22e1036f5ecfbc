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
exports.MfaResetService = void 0;
const common_1 = require("@nestjs/common");
const accounts_repository_1 = require("../accounts/accounts.repository");
const account_dto_1 = require("../accounts/dto/account.dto");
const security_stamp_1 = require("../accounts/security-stamp");
const audit_action_1 = require("../audit/audit-action");
const audit_service_1 = require("../audit/audit.service");
const permission_1 = require("../common/auth/permission");
const principal_1 = require("../common/auth/principal");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/problem/domain-error");
const sql_1 = require("../database/sql");
const write_queue_1 = require("../database/write-queue");
const recovery_codes_repository_1 = require("../mfa/recovery-codes.repository");
const sessions_repository_1 = require("../sessions/sessions.repository");
const reset_targets_repository_1 = require("./reset-targets.repository");
/**
 * Every MFA reset, whichever endpoint asks: by id, by name, in a batch, or of oneself. In one
 * transaction per call it clears the secret, pending enrolment and recovery codes (and a
 * lock-out), rotates the security stamp, ends every session of the account but the caller's
 * own, and audits each account. All or nothing; idempotent for an account without MFA.
 */
let MfaResetService = class MfaResetService {
    targets;
    accounts;
    recoveryCodes;
    sessions;
    writes;
    sql;
    audit;
    clock;
    constructor(targets, accounts, recoveryCodes, sessions, writes, sql, audit, clock) {
        this.targets = targets;
        this.accounts = accounts;
        this.recoveryCodes = recoveryCodes;
        this.sessions = sessions;
        this.writes = writes;
        this.sql = sql;
        this.audit = audit;
        this.clock = clock;
    }
    async resetById(actor, id, context) {
        const [result] = await this.reset(actor, { ids: [id] }, context, 'single');
        return result;
    }
    async resetByName(actor, userName, context) {
        const [result] = await this.reset(actor, { userName }, context, 'single');
        return result;
    }
    async resetMany(actor, ids, context) {
        const results = await this.reset(actor, { ids }, context, 'batch');
        return { userids: results.map((r) => r.id) };
    }
    /** One's own MFA: no permission needed beyond being signed in (and step-up). */
    async resetOwn(actor, context) {
        const [result] = await this.reset(actor, { ids: [actor.accountId] }, context, 'own');
        return result;
    }
    /** Refusals, audited: 404 (some account missing), then 403 (one holds more than the caller). */
    async reset(actor, which, context, mode) {
        return this.writes.run(async (m) => {
            const now = this.clock.now();
            await this.accounts.lockForUpdate(m, which);
            const found = await this.targets.find(m, which);
            const missingIds = 'userName' in which ? [] : which.ids.filter((id) => !found.some((t) => t.id === id));
            if (found.length === 0 || missingIds.length > 0)
                throw notFound(which, missingIds, mode);
            // Nobody resets an account holding a permission they lack (HelpDesk cannot reset an Admin).
            const forbidden = mode === 'own'
                ? []
                : found.filter((t) => (0, permission_1.permissionsLacking)(actor.permissions, t.permissions).length > 0);
            if (forbidden.length > 0) {
                throw new domain_error_1.DomainError(domain_error_1.ErrorCode.TargetNotAllowed).audited({
                    action: audit_action_1.AuditAction.MfaReset,
                    target: { id: forbidden[0].id, name: forbidden[0].userName },
                    details: {
                        reason: 'target holds a permission the caller lacks',
                        ...(forbidden.length > 1 ? { refused: forbidden.map((t) => t.id).slice(0, 100) } : {}),
                    },
                });
            }
            // A fixed lock order keeps concurrent batches from deadlocking on PostgreSQL.
            const ordered = [...found].sort((a, b) => a.id.localeCompare(b.id));
            const results = new Map();
            for (const target of ordered) {
                results.set(target.id, await this.resetOne(m, actor, target, now));
            }
            // The audit chain's lock, which every audited write of every instance waits for, is taken
            // once the accounts are reset, not held through a whole batch.
            for (const target of ordered) {
                await this.audit.append(m, resetEvent(actor, results.get(target.id), context, mode));
            }
            const order = 'userName' in which ? found.map((t) => t.id) : which.ids;
            return order.map((id) => results.get(id));
        });
    }
    /** The writes of one reset, sent together: one wait on SQLite. */
    async resetOne(m, actor, target, now) {
        const stamp = (0, security_stamp_1.newSecurityStamp)();
        // A caller resetting itself keeps its session, which takes the new stamp.
        const keep = target.id === actor.accountId ? actor.sessionId : undefined;
        const [, , sessionsRevoked] = await this.sql.together(() => this.accounts.clearMfa(m, target.id, stamp, now), () => this.recoveryCodes.deleteAllOf(m, target.id), () => this.sessions.endSessions(m, target.id, now, keep), () => (keep === undefined ? Promise.resolve() : this.sessions.restamp(m, keep, stamp)));
        return {
            id: target.id,
            userName: target.userName,
            mfaWasEnabled: target.mfaEnabled,
            sessionsRevoked,
        };
    }
};
exports.MfaResetService = MfaResetService;
exports.MfaResetService = MfaResetService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [reset_targets_repository_1.ResetTargetsRepository,
        accounts_repository_1.AccountsRepository,
        recovery_codes_repository_1.RecoveryCodesRepository,
        sessions_repository_1.SessionsRepository,
        write_queue_1.WriteQueue,
        sql_1.Sql,
        audit_service_1.AuditService,
        clock_1.Clock])
], MfaResetService);
function resetEvent(actor, result, context, mode) {
    return {
        action: audit_action_1.AuditAction.MfaReset,
        outcome: 'success',
        actor: (0, principal_1.partyOf)(actor),
        target: { id: result.id, name: result.userName },
        context,
        details: {
            mfaWasEnabled: result.mfaWasEnabled,
            sessionsRevoked: result.sessionsRevoked,
            batch: mode === 'batch',
        },
    };
}
/** 404, audited: who tried to reset an account that does not exist. */
function notFound(which, missingIds, mode) {
    const error = mode === 'batch'
        ? new domain_error_1.DomainError(domain_error_1.ErrorCode.AccountsNotFound, undefined, { missingIds })
        : new domain_error_1.DomainError(domain_error_1.ErrorCode.AccountNotFound);
    return error.audited({
        action: audit_action_1.AuditAction.MfaReset,
        outcome: 'failure',
        target: 'userName' in which
            ? { id: null, name: account_dto_1.USER_NAME_PATTERN.test(which.userName) ? which.userName : null }
            : { id: missingIds[0] ?? null, name: null },
        details: {
            reason: 'not found',
            ...(mode === 'batch' ? { missingIds: missingIds.slice(0, 100) } : {}),
        },
    });
}
//# sourceMappingURL=mfa-reset.service.js.map