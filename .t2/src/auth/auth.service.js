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
exports.AuthService = void 0;
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
const second_factor_service_1 = require("../mfa/second-factor.service");
const totp_service_1 = require("../mfa/totp.service");
const sessions_repository_1 = require("../sessions/sessions.repository");
const token_service_1 = require("../sessions/token.service");
const metrics_provider_1 = require("../common/logging/metrics.provider");
const password_burst_watch_1 = require("./password-burst-watch");
let AuthService = class AuthService {
    config;
    accounts;
    sessions;
    hasher;
    secondFactor;
    tokens;
    writes;
    audit;
    clock;
    bursts;
    metrics;
    constructor(config, accounts, sessions, hasher, secondFactor, tokens, writes, audit, clock, bursts, metrics) {
        this.config = config;
        this.accounts = accounts;
        this.sessions = sessions;
        this.hasher = hasher;
        this.secondFactor = secondFactor;
        this.tokens = tokens;
        this.writes = writes;
        this.audit = audit;
        this.clock = clock;
        this.bursts = bursts;
        this.metrics = metrics;
    }
    /**
     * First factor. Unknown user, wrong password, disabled or locked account: one answer, after the
     * same work (a password hash checked, one audit event appended), so neither the answer nor its
     * time tells whether the account exists. Wrong passwords never count toward the lock-out:
     * whoever knows a user name could otherwise lock its owner out; they are audited, limited per
     * address, and a burst against one account is reported. A right password clears no
     * second-factor failures.
     */
    async signIn(login, password, context) {
        const account = await this.accounts.findForPasswordCheck(login);
        const valid = account
            ? await this.hasher.verify(account.passwordHash, password)
            : await this.hasher.verifyDummy(password);
        const now = this.clock.now();
        const reason = !account
            ? 'unknown-user'
            : !valid
                ? 'password'
                : !account.isActive
                    ? 'disabled'
                    : this.secondFactor.isLocked(account, now)
                        ? 'locked'
                        : undefined;
        if (!account || reason !== undefined) {
            // An unknown login is never stored as typed: people type their password into that field.
            const subject = account ? { id: account.id, name: account.userName } : undefined;
            await this.writes.run((m) => this.audit.append(m, {
                action: audit_action_1.AuditAction.SignInFailed,
                outcome: 'failure',
                actor: subject ?? { id: null, name: null },
                target: subject,
                context,
                details: { reason },
            }));
            this.metrics.signInFailures.labels({ reason: reason ?? 'unknown-user' }).inc();
            if (subject !== undefined && reason === 'password')
                this.bursts.wrongPassword(subject, context);
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.SignInFailed);
        }
        const kind = account.mfaEnrolledAt !== null ? 'mfa' : 'enroll';
        const expiresAt = new Date(now.getTime() + this.config.jwt.preAuthTokenTtlSeconds * 1000);
        const session = await this.writes.run((m) => this.sessions.create(m, {
            accountId: account.id,
            kind,
            securityStamp: account.securityStamp,
            expiresAt,
            mfaVerifiedAt: null,
            clientIp: context.clientIp,
            userAgent: context.userAgent,
        }, now));
        return this.tokens.issue({ sub: account.id, sid: session.id, typ: kind }, expiresAt, now);
    }
    /** Second factor: a TOTP or recovery code turns the pre-auth session into an access session. */
    async completeSignIn(principal, body, context) {
        const subject = (0, principal_1.partyOf)(principal);
        const account = await this.accounts.findById(principal.accountId);
        if (!account)
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.Unauthenticated);
        const expiresAt = await this.secondFactor.verify({
            subject,
            code: (0, totp_service_1.parseSecondFactorCode)(body),
            context,
            secret: 'enrolled',
            failure: domain_error_1.ErrorCode.SecondFactorInvalid,
            failureAction: audit_action_1.AuditAction.SignInFailed,
            onSuccess: async (manager, now) => {
                const expires = new Date(now.getTime() + this.config.jwt.accessTokenTtlSeconds * 1000);
                const promoted = await this.sessions.promote(manager, principal.sessionId, 'mfa', {
                    expiresAt: expires,
                    securityStamp: account.securityStamp,
                    mfaVerifiedAt: now,
                });
                if (!promoted)
                    throw new domain_error_1.DomainError(domain_error_1.ErrorCode.Unauthenticated);
                await this.audit.append(manager, {
                    action: audit_action_1.AuditAction.SignInSucceeded,
                    outcome: 'success',
                    actor: { id: account.id, name: account.userName },
                    target: { id: account.id, name: account.userName },
                    context,
                });
                return expires;
            },
        });
        return this.tokens.issue({ sub: principal.accountId, sid: principal.sessionId, typ: 'access' }, expiresAt, this.clock.now());
    }
    async signOut(principal, context) {
        await this.writes.run(async (m) => {
            await this.sessions.revoke(m, principal.sessionId, this.clock.now());
            await this.audit.append(m, {
                action: audit_action_1.AuditAction.SignedOut,
                outcome: 'success',
                actor: (0, principal_1.partyOf)(principal),
                target: (0, principal_1.partyOf)(principal),
                context,
            });
        });
    }
};
exports.AuthService = AuthService;
exports.AuthService = AuthService = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __param(10, (0, common_1.Inject)(metrics_provider_1.HTTP_METRICS)),
    __metadata("design:paramtypes", [Object, accounts_repository_1.AccountsRepository,
        sessions_repository_1.SessionsRepository,
        password_hasher_1.PasswordHasher,
        second_factor_service_1.SecondFactorService,
        token_service_1.TokenService,
        write_queue_1.WriteQueue,
        audit_service_1.AuditService,
        clock_1.Clock,
        password_burst_watch_1.PasswordBurstWatch, Object])
], AuthService);
//# sourceMappingURL=auth.service.js.map