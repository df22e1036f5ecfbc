"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.MfaResetModule = void 0;
const common_1 = require("@nestjs/common");
const accounts_module_1 = require("../accounts/accounts.module");
const audit_module_1 = require("../audit/audit.module");
const mfa_module_1 = require("../mfa/mfa.module");
const sessions_module_1 = require("../sessions/sessions.module");
const mfa_reset_controller_1 = require("./mfa-reset.controller");
const mfa_reset_service_1 = require("./mfa-reset.service");
const own_mfa_reset_controller_1 = require("./own-mfa-reset.controller");
const reset_targets_repository_1 = require("./reset-targets.repository");
let MfaResetModule = class MfaResetModule {
};
exports.MfaResetModule = MfaResetModule;
exports.MfaResetModule = MfaResetModule = __decorate([
    (0, common_1.Module)({
        imports: [accounts_module_1.AccountsModule, audit_module_1.AuditModule, mfa_module_1.MfaModule, sessions_module_1.SessionsModule],
        controllers: [mfa_reset_controller_1.MfaResetController, own_mfa_reset_controller_1.OwnMfaResetController],
        providers: [mfa_reset_service_1.MfaResetService, reset_targets_repository_1.ResetTargetsRepository],
    })
], MfaResetModule);
//# sourceMappingURL=mfa-reset.module.js.map