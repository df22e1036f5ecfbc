"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.MfaModule = void 0;
const common_1 = require("@nestjs/common");
const accounts_module_1 = require("../accounts/accounts.module");
const audit_module_1 = require("../audit/audit.module");
const sessions_module_1 = require("../sessions/sessions.module");
const mfa_controller_1 = require("./mfa.controller");
const mfa_service_1 = require("./mfa.service");
const recovery_codes_repository_1 = require("./recovery-codes.repository");
const second_factor_service_1 = require("./second-factor.service");
const secret_cipher_1 = require("./secret-cipher");
const step_up_service_1 = require("./step-up.service");
const totp_service_1 = require("./totp.service");
let MfaModule = class MfaModule {
};
exports.MfaModule = MfaModule;
exports.MfaModule = MfaModule = __decorate([
    (0, common_1.Module)({
        imports: [accounts_module_1.AccountsModule, audit_module_1.AuditModule, sessions_module_1.SessionsModule],
        controllers: [mfa_controller_1.MfaController],
        providers: [
            totp_service_1.TotpService,
            secret_cipher_1.SecretCipher,
            recovery_codes_repository_1.RecoveryCodesRepository,
            second_factor_service_1.SecondFactorService,
            step_up_service_1.StepUpService,
            mfa_service_1.MfaService,
        ],
        exports: [totp_service_1.TotpService, secret_cipher_1.SecretCipher, recovery_codes_repository_1.RecoveryCodesRepository, second_factor_service_1.SecondFactorService, step_up_service_1.StepUpService],
    })
], MfaModule);
//# sourceMappingURL=mfa.module.js.map