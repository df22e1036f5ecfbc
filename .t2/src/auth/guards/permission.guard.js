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
exports.PermissionGuard = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const audit_action_1 = require("../../audit/audit-action");
const domain_error_1 = require("../../common/problem/domain-error");
const auth_decorators_1 = require("../../common/auth/auth.decorators");
const principal_1 = require("../../common/auth/principal");
/**
 * Decided from the permissions read with the session, before any target is loaded (403 before
 * 404). Each refusal is audited: who tried which route without which permission.
 */
let PermissionGuard = class PermissionGuard {
    reflector;
    constructor(reflector) {
        this.reflector = reflector;
    }
    canActivate(context) {
        const requirement = this.reflector.getAllAndOverride(auth_decorators_1.REQUIRED_PERMISSION, [context.getHandler(), context.getClass()]);
        if (requirement === undefined)
            return true;
        const req = context.switchToHttp().getRequest();
        const principal = (0, principal_1.principalOf)(req);
        if (!principal.permissions.has(requirement.permission)) {
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.PermissionDenied, requirement.detail).audited({
                action: audit_action_1.AuditAction.AccessDenied,
                details: {
                    method: req.method,
                    route: req.routeOptions.url,
                    permission: requirement.permission,
                },
            });
        }
        return true;
    }
};
exports.PermissionGuard = PermissionGuard;
exports.PermissionGuard = PermissionGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [core_1.Reflector])
], PermissionGuard);
//# sourceMappingURL=permission.guard.js.map