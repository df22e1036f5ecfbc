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
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.SecondFactorService = void 0;
const common_1 = require("@nestjs/common");
const accounts_repository_1 = require("../accounts/accounts.repository");
const audit_action_1 = require("../audit/audit-action");
const audit_service_1 = require("../audit/audit.service");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/problem/domain-error");
const app_config_1 = require("../config/app-config");
const write_queue_1 = require("../database/write-queue");
const recovery_codes_repository_1 = require("./recovery-codes.repository");
const secret_cipher_1 = require("./secret-cipher");
const totp_service_1 = require("./totp.service");
/**
 * Second factors, in one place: a code is checked, spent (once: the time step or the recovery
 * code) and followed by the caller's change in one transaction; a failure is counted toward the
 * lock-out and audited, in its own transaction, before the refusal is thrown.
 */
let SecondFactorService = class SecondFactorService {
    config;
    accounts;
    recoveryCodes;
    totp;
    cipher;
    writes;
    audit;
    clock;
    constructor(config, accounts, recoveryCodes, totp, cipher, writes, audit, clock) {
        this.config = config;
        this.accounts = accounts;
        this.recoveryCodes = recoveryCodes;
        this.totp = totp;
        this.cipher = cipher;
        this.writes = writes;
        this.audit = audit;
        this.clock = clock;
    }
    async verify(check) {
        const { subject, code } = check;
        const now = this.clock.now();
        // A malformed code (or a recovery code where only the app's code will do) is a failed
        // attempt like a wrong one: counted toward the lock-out and audited.
        if (code === null || (code.kind === 'recovery' && check.secret === 'pending')) {
            await this.writes.run((m) => this.countFailure(m, subject, check.context, check.failureAction, now, {
                method: code?.kind ?? 'malformed',
            }));
            throw new domain_error_1.DomainError(check.failure);
        }
        let step = null;
        if (code.kind === 'totp') {
            const secrets = await this.accounts.mfaSecretsOf(subject.id);
            const stored = check.secret === 'enrolled' ? secrets?.mfaSecret : secrets?.mfaPendingSecret;
            if (stored)
                step = await this.totp.matchStep(this.cipher.decrypt(stored, subject.id), code.code, now);
        }
        const outcome = await this.writes.run(async (manager) => {
            const spent = code.kind === 'totp'
                ? step !== null && (await this.accounts.spendTotpStep(manager, subject.id, step, now))
                : await this.spendRecoveryCode(manager, subject.id, code.code, now);
            if (spent) {
                if (code.kind === 'recovery') {
                    await this.audit.append(manager, {
                        action: audit_action_1.AuditAction.RecoveryCodeUsed,
                        outcome: 'success',
                        actor: subject,
                        target: subject,
                        context: check.context,
                    });
                }
                return { ok: true, value: await check.onSuccess(manager, now) };
            }
            await this.countFailure(manager, subject, check.context, check.failureAction, now, {
                method: code.kind,
            });
            return { ok: false };
        });
        if (!outcome.ok)
            throw new domain_error_1.DomainError(check.failure);
        return outcome.value;
    }
    /** One failed attempt of any kind (password, code, step-up): counted, audited, maybe locking. */
    async countFailure(manager, subject, context, action, now, details) {
        const lockUntil = new Date(now.getTime() + this.config.lockout.minutes * 60_000);
        const locked = await this.accounts.registerFailure(manager, subject.id, this.config.lockout.threshold, lockUntil);
        await this.audit.append(manager, {
            action,
            outcome: 'failure',
            actor: subject,
            target: subject,
            context,
            details,
        });
        if (locked) {
            await this.audit.append(manager, {
                action: audit_action_1.AuditAction.AccountLocked,
                outcome: 'success',
                target: subject,
                context,
                details: { lockedUntil: lockUntil.toISOString() },
            });
        }
    }
    isLocked(account, now = this.clock.now()) {
        return account.lockedUntil !== null && account.lockedUntil > now;
    }
    async spendRecoveryCode(manager, accountId, code, now) {
        if (await this.accounts.isLocked(manager, accountId, now))
            return false;
        const spent = await this.recoveryCodes.spend(manager, accountId, this.cipher.keyedHashes(code), now);
        if (spent)
            await this.accounts.clearFailures(manager, accountId);
        return spent;
    }
};
exports.SecondFactorService = SecondFactorService;
exports.SecondFactorService = SecondFactorService = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [Object, accounts_repository_1.AccountsRepository,
        recovery_codes_repository_1.RecoveryCodesRepository,
        totp_service_1.TotpService,
        secret_cipher_1.SecretCipher,
        write_queue_1.WriteQueue,
        audit_service_1.AuditService,
        clock_1.Clock])
], SecondFactorService);
//# sourceMappingURL=second-factor.service.js.map