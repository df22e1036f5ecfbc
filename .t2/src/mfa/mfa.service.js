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
exports.MfaService = void 0;
const common_1 = require("@nestjs/common");
const accounts_repository_1 = require("../accounts/accounts.repository");
const security_stamp_1 = require("../accounts/security-stamp");
const audit_action_1 = require("../audit/audit-action");
const audit_service_1 = require("../audit/audit.service");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/problem/domain-error");
const app_config_1 = require("../config/app-config");
const write_queue_1 = require("../database/write-queue");
const sessions_repository_1 = require("../sessions/sessions.repository");
const token_service_1 = require("../sessions/token.service");
const recovery_codes_repository_1 = require("./recovery-codes.repository");
const second_factor_service_1 = require("./second-factor.service");
const secret_cipher_1 = require("./secret-cipher");
const totp_service_1 = require("./totp.service");
/** Enrolment: PENDING (a secret shown once) -> VERIFIED (a code from it confirmed). */
let MfaService = class MfaService {
    config;
    accounts;
    sessions;
    recoveryCodes;
    totp;
    cipher;
    secondFactor;
    tokens;
    writes;
    audit;
    clock;
    constructor(config, accounts, sessions, recoveryCodes, totp, cipher, secondFactor, tokens, writes, audit, clock) {
        this.config = config;
        this.accounts = accounts;
        this.sessions = sessions;
        this.recoveryCodes = recoveryCodes;
        this.totp = totp;
        this.cipher = cipher;
        this.secondFactor = secondFactor;
        this.tokens = tokens;
        this.writes = writes;
        this.audit = audit;
        this.clock = clock;
    }
    async account(principal) {
        const account = await this.accounts.findById(principal.accountId);
        if (!account)
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.Unauthenticated);
        return account;
    }
    async startEnrollment(principal, context) {
        const account = await this.account(principal);
        if (account.mfaEnrolledAt !== null)
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.MfaAlreadyEnabled);
        const secret = this.totp.generateSecret();
        await this.writes.run(async (m) => {
            await this.accounts.setPendingSecret(m, account.id, this.cipher.encrypt(secret, account.id), this.clock.now());
            await this.audit.append(m, {
                action: audit_action_1.AuditAction.MfaEnrollmentStarted,
                outcome: 'success',
                actor: { id: account.id, name: account.userName },
                target: { id: account.id, name: account.userName },
                context,
            });
        });
        const otpauthUri = this.totp.otpauthUri(secret, account.userName);
        return { secret, otpauthUri, qrCodeSvg: await this.totp.qrCodeSvg(otpauthUri) };
    }
    /**
     * Turns MFA on, issues fresh recovery codes, and rotates the security stamp: every other
     * session (made without MFA) ends; the caller's own becomes an access session that has just
     * proved MFA.
     */
    async confirmEnrollment(principal, code, context) {
        const account = await this.account(principal);
        if (account.mfaEnrolledAt !== null)
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.MfaAlreadyEnabled);
        const secrets = await this.accounts.mfaSecretsOf(account.id);
        const pending = secrets?.mfaPendingSecret;
        if (!pending)
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.NoPendingEnrollment);
        const recoveryCodes = this.totp.generateRecoveryCodes();
        const subject = { id: account.id, name: account.userName };
        const expiresAt = await this.secondFactor.verify({
            subject,
            code: (0, totp_service_1.parseSecondFactorCode)(code),
            context,
            secret: 'pending',
            failure: domain_error_1.ErrorCode.StepUpInvalid,
            failureAction: audit_action_1.AuditAction.MfaEnrollmentFailed,
            onSuccess: async (m, now) => {
                const stamp = (0, security_stamp_1.newSecurityStamp)();
                const enabled = await this.accounts.enableMfa(m, account.id, {
                    secret: pending,
                    stamp,
                    now,
                });
                if (!enabled)
                    throw new domain_error_1.DomainError(domain_error_1.ErrorCode.MfaAlreadyEnabled);
                await this.recoveryCodes.replace(m, account.id, recoveryCodes.map((c) => this.cipher.keyedHashes(c)[0]), now);
                const expires = new Date(now.getTime() + this.config.jwt.accessTokenTtlSeconds * 1000);
                await this.sessions.endSessions(m, account.id, now, principal.sessionId);
                const promoted = await this.sessions.promote(m, principal.sessionId, principal.tokenKind, {
                    expiresAt: expires,
                    securityStamp: stamp,
                    mfaVerifiedAt: now,
                });
                if (!promoted)
                    throw new domain_error_1.DomainError(domain_error_1.ErrorCode.Unauthenticated);
                await this.audit.append(m, {
                    action: audit_action_1.AuditAction.MfaEnrolled,
                    outcome: 'success',
                    actor: { id: account.id, name: account.userName },
                    target: { id: account.id, name: account.userName },
                    context,
                });
                return expires;
            },
        });
        const token = this.tokens.issue({ sub: account.id, sid: principal.sessionId, typ: 'access' }, expiresAt, this.clock.now());
        return { recoveryCodes, token };
    }
    async status(principal) {
        const account = await this.account(principal);
        const recoveryCodesLeft = await this.recoveryCodes.countUnused(account.id);
        return {
            enabled: account.mfaEnrolledAt !== null,
            enrolledAt: account.mfaEnrolledAt?.toISOString() ?? null,
            recoveryCodesLeft: account.mfaEnrolledAt !== null ? recoveryCodesLeft : 0,
        };
    }
};
exports.MfaService = MfaService;
exports.MfaService = MfaService = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [Object, accounts_repository_1.AccountsRepository,
        sessions_repository_1.SessionsRepository,
        recovery_codes_repository_1.RecoveryCodesRepository,
        totp_service_1.TotpService,
        secret_cipher_1.SecretCipher,
        second_factor_service_1.SecondFactorService,
        token_service_1.TokenService,
        write_queue_1.WriteQueue,
        audit_service_1.AuditService,
        clock_1.Clock])
], MfaService);
//# sourceMappingURL=mfa.service.js.map