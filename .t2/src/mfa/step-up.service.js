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
exports.StepUpService = void 0;
const common_1 = require("@nestjs/common");
const accounts_repository_1 = require("../accounts/accounts.repository");
const password_hasher_1 = require("../accounts/password-hasher");
const audit_action_1 = require("../audit/audit-action");
const audit_service_1 = require("../audit/audit.service");
const principal_1 = require("../common/auth/principal");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/problem/domain-error");
const app_config_1 = require("../config/app-config");
const write_queue_1 = require("../database/write-queue");
const sessions_repository_1 = require("../sessions/sessions.repository");
const second_factor_service_1 = require("./second-factor.service");
const totp_service_1 = require("./totp.service");
const ascii_1 = require("../common/ascii");
/**
 * Step-up ("sudo mode", as GitHub and Rocket.Chat do it): a sensitive call needs an MFA proof of
 * the caller's session no older than STEP_UP_MAX_AGE, or a fresh one sent with the call. A fresh
 * proof is spent like any code and renews the session's proof; a failure counts toward lock-out.
 */
let StepUpService = class StepUpService {
    config;
    accounts;
    hasher;
    secondFactor;
    sessions;
    writes;
    audit;
    clock;
    constructor(config, accounts, hasher, secondFactor, sessions, writes, audit, clock) {
        this.config = config;
        this.accounts = accounts;
        this.hasher = hasher;
        this.secondFactor = secondFactor;
        this.sessions = sessions;
        this.writes = writes;
        this.audit = audit;
        this.clock = clock;
    }
    availableMethods(principal) {
        return principal.mfaEnabled ? ['totp', 'password'] : ['password'];
    }
    defaultMethod(principal) {
        return principal.mfaEnabled ? 'totp' : 'password';
    }
    async demand(principal, proof, context) {
        if (proof.code === undefined) {
            const maxAge = this.config.stepUpMaxAgeSeconds * 1000;
            const provedAt = principal.mfaVerifiedAt?.getTime();
            if (maxAge > 0 && provedAt !== undefined && this.clock.now().getTime() - provedAt <= maxAge)
                return;
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.StepUpRequired, undefined, {
                details: {
                    method: this.defaultMethod(principal),
                    codeGenerated: false,
                    availableMethods: this.availableMethods(principal),
                },
            }).audited({
                action: audit_action_1.AuditAction.StepUpFailed,
                target: (0, principal_1.partyOf)(principal),
                details: { reason: 'no recent proof' },
            });
        }
        const method = (0, ascii_1.asciiLower)(proof.method ?? this.defaultMethod(principal));
        const invalid = () => new domain_error_1.DomainError(domain_error_1.ErrorCode.StepUpInvalid, undefined, {
            details: { method: method.slice(0, 32), codeGenerated: false },
        });
        const subject = (0, principal_1.partyOf)(principal);
        if (!this.availableMethods(principal).includes(method)) {
            // A proof in a method this account cannot use is a failed attempt too.
            const now = this.clock.now();
            await this.writes.run((m) => this.secondFactor.countFailure(m, subject, context, audit_action_1.AuditAction.StepUpFailed, now, {
                method: method.slice(0, 32),
                reason: 'unavailable method',
            }));
            throw invalid();
        }
        const renew = async (manager, now) => {
            await this.sessions.markMfaVerified(manager, principal.sessionId, now);
            await this.audit.append(manager, {
                action: audit_action_1.AuditAction.StepUpSucceeded,
                outcome: 'success',
                actor: subject,
                target: subject,
                context,
                details: { method },
            });
        };
        if (method === 'totp') {
            try {
                await this.secondFactor.verify({
                    subject,
                    code: (0, totp_service_1.parseSecondFactorCode)(proof.code),
                    context,
                    secret: 'enrolled',
                    failure: domain_error_1.ErrorCode.StepUpInvalid,
                    failureAction: audit_action_1.AuditAction.StepUpFailed,
                    onSuccess: renew,
                });
            }
            catch (error) {
                if (error instanceof domain_error_1.DomainError && error.code === domain_error_1.ErrorCode.StepUpInvalid)
                    throw invalid();
                throw error;
            }
            return;
        }
        const hash = await this.accounts.passwordHashOf(principal.accountId);
        const matches = hash !== null && proof.code.length <= 1024 && (await this.hasher.verify(hash, proof.code));
        const now = this.clock.now();
        const account = await this.accounts.findById(principal.accountId);
        const locked = account === null || this.secondFactor.isLocked(account, now);
        await this.writes.run(async (m) => {
            // As at sign-in, a right password clears no failure count: only a right code does, so
            // wrong codes between right passwords still add up to a lock-out.
            if (matches && !locked)
                await renew(m, now);
            else
                await this.secondFactor.countFailure(m, subject, context, audit_action_1.AuditAction.StepUpFailed, now, {
                    method,
                    locked,
                });
        });
        if (!matches || locked)
            throw invalid();
    }
};
exports.StepUpService = StepUpService;
exports.StepUpService = StepUpService = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [Object, accounts_repository_1.AccountsRepository,
        password_hasher_1.PasswordHasher,
        second_factor_service_1.SecondFactorService,
        sessions_repository_1.SessionsRepository,
        write_queue_1.WriteQueue,
        audit_service_1.AuditService,
        clock_1.Clock])
], StepUpService);
//# sourceMappingURL=step-up.service.js.map