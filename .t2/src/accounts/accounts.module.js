"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.AccountsModule = void 0;
const common_1 = require("@nestjs/common");
const audit_module_1 = require("../audit/audit.module");
const roles_module_1 = require("../roles/roles.module");
const sessions_module_1 = require("../sessions/sessions.module");
const accounts_controller_1 = require("./accounts.controller");
const accounts_repository_1 = require("./accounts.repository");
const accounts_service_1 = require("./accounts.service");
const bootstrap_admin_service_1 = require("./bootstrap-admin.service");
const grants_any_permission_1 = require("./grants-any-permission");
const password_hasher_1 = require("./password-hasher");
let AccountsModule = class AccountsModule {
};
exports.AccountsModule = AccountsModule;
exports.AccountsModule = AccountsModule = __decorate([
    (0, common_1.Module)({
        imports: [audit_module_1.AuditModule, roles_module_1.RolesModule, sessions_module_1.SessionsModule],
        controllers: [accounts_controller_1.AccountsController],
        providers: [
            accounts_repository_1.AccountsRepository,
            accounts_service_1.AccountsService,
            password_hasher_1.PasswordHasher,
            bootstrap_admin_service_1.BootstrapAdminService,
            grants_any_permission_1.GrantsAnyPermission,
        ],
        exports: [accounts_repository_1.AccountsRepository, password_hasher_1.PasswordHasher],
    })
], AccountsModule);
//# sourceMappingURL=accounts.module.js.map