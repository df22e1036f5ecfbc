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
exports.BootstrapAdminService = void 0;
exports.oneTimePassword = oneTimePassword;
const node_crypto_1 = require("node:crypto");
const common_1 = require("@nestjs/common");
const audit_action_1 = require("../audit/audit-action");
const audit_service_1 = require("../audit/audit.service");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/problem/domain-error");
const logger_1 = require("../common/logging/logger");
const app_config_1 = require("../config/app-config");
const write_queue_1 = require("../database/write-queue");
const accounts_service_1 = require("./accounts.service");
const accounts_repository_1 = require("./accounts.repository");
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!@#$%^&*_+=.~-';
function oneTimePassword(length = 24) {
    return Array.from({ length }, () => PASSWORD_ALPHABET[(0, node_crypto_1.randomInt)(PASSWORD_ALPHABET.length)]).join('');
}
/** On the first start with an empty database: account `admin` with role Admin. */
let BootstrapAdminService = class BootstrapAdminService {
    config;
    logger;
    accountsRepository;
    accounts;
    writes;
    audit;
    clock;
    constructor(config, logger, accountsRepository, accounts, writes, audit, clock) {
        this.config = config;
        this.logger = logger;
        this.accountsRepository = accountsRepository;
        this.accounts = accounts;
        this.writes = writes;
        this.audit = audit;
        this.clock = clock;
    }
    async onApplicationBootstrap() {
        if ((await this.accountsRepository.count()) > 0)
            return;
        const password = this.config.bootstrapAdminPassword ?? oneTimePassword();
        try {
            await this.writes.run(async (m) => {
                if ((await this.accountsRepository.count(m)) > 0)
                    throw new domain_error_1.DomainError(domain_error_1.ErrorCode.UserNameTaken);
                const admin = await this.accounts.createAccount(m, {
                    userName: 'admin',
                    displayName: 'Administrator',
                    email: 'admin@localhost',
                    password,
                    roles: ['Admin'],
                }, this.clock.now());
                await this.audit.append(m, {
                    action: audit_action_1.AuditAction.BootstrapAdminCreated,
                    outcome: 'success',
                    target: { id: admin.id, name: admin.userName },
                });
            });
        }
        catch (error) {
            // Another instance created it first.
            if (error instanceof domain_error_1.DomainError && error.code === domain_error_1.ErrorCode.UserNameTaken)
                return;
            throw error;
        }
        if (this.config.bootstrapAdminPassword === undefined) {
            // Written whatever LOG_LEVEL says: it is the only way into a new database.
            this.logger
                .child({}, { level: 'warn' })
                .warn(`Created administrator 'admin' with one-time password: ${password} (sign in, then enrol MFA)`);
        }
        else {
            this.logger.warn("Created administrator 'admin' with the password from BOOTSTRAP_ADMIN_PASSWORD");
        }
    }
};
exports.BootstrapAdminService = BootstrapAdminService;
exports.BootstrapAdminService = BootstrapAdminService = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __param(1, (0, common_1.Inject)(logger_1.APP_LOGGER)),
    __metadata("design:paramtypes", [Object, Object, accounts_repository_1.AccountsRepository,
        accounts_service_1.AccountsService,
        write_queue_1.WriteQueue,
        audit_service_1.AuditService,
        clock_1.Clock])
], BootstrapAdminService);
//# sourceMappingURL=bootstrap-admin.service.js.map