"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var AppModule_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.AppModule = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const throttler_1 = require("@nestjs/throttler");
const accounts_module_1 = require("./accounts/accounts.module");
const audit_module_1 = require("./audit/audit.module");
const auth_module_1 = require("./auth/auth.module");
const jwt_auth_guard_1 = require("./auth/guards/jwt-auth.guard");
const permission_guard_1 = require("./auth/guards/permission.guard");
const sign_in_throttler_guard_1 = require("./auth/guards/sign-in-throttler.guard");
const step_up_guard_1 = require("./auth/guards/step-up.guard");
const common_module_1 = require("./common/common.module");
const problem_details_filter_1 = require("./common/problem/problem-details.filter");
const case_insensitive_validation_pipe_1 = require("./common/validation/case-insensitive-validation.pipe");
const database_module_1 = require("./database/database.module");
const health_module_1 = require("./health/health.module");
const mfa_module_1 = require("./mfa/mfa.module");
const mfa_reset_module_1 = require("./mfa-reset/mfa-reset.module");
const roles_module_1 = require("./roles/roles.module");
let AppModule = AppModule_1 = class AppModule {
    static forRoot(config, logger, metrics, clock) {
        return {
            module: AppModule_1,
            imports: [
                common_module_1.CommonModule.forRoot(config, logger, metrics, clock),
                database_module_1.DatabaseModule,
                throttler_1.ThrottlerModule.forRoot([
                    { name: 'default', ttl: 60_000, limit: Math.max(config.signInRateLimit, 1) },
                ]),
                audit_module_1.AuditModule,
                accounts_module_1.AccountsModule,
                roles_module_1.RolesModule,
                mfa_module_1.MfaModule,
                mfa_reset_module_1.MfaResetModule,
                auth_module_1.AuthModule,
                health_module_1.HealthModule,
            ],
            providers: [
                // Guards run in this order: rate limit, token (401), permission (403), step-up (400).
                { provide: core_1.APP_GUARD, useClass: sign_in_throttler_guard_1.SignInThrottlerGuard },
                { provide: core_1.APP_GUARD, useClass: jwt_auth_guard_1.JwtAuthGuard },
                { provide: core_1.APP_GUARD, useClass: permission_guard_1.PermissionGuard },
                { provide: core_1.APP_GUARD, useClass: step_up_guard_1.StepUpGuard },
                { provide: core_1.APP_PIPE, useClass: case_insensitive_validation_pipe_1.CaseInsensitiveValidationPipe },
                { provide: core_1.APP_FILTER, useExisting: problem_details_filter_1.ProblemDetailsFilter },
            ],
        };
    }
};
exports.AppModule = AppModule;
exports.AppModule = AppModule = AppModule_1 = __decorate([
    (0, common_1.Module)({})
], AppModule);
//# sourceMappingURL=app.module.js.map