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
exports.RolesService = void 0;
exports.toRoleResponse = toRoleResponse;
const common_1 = require("@nestjs/common");
const audit_action_1 = require("../audit/audit-action");
const audit_service_1 = require("../audit/audit.service");
const principal_1 = require("../common/auth/principal");
const clock_1 = require("../common/clock");
const domain_error_1 = require("../common/problem/domain-error");
const write_queue_1 = require("../database/write-queue");
const permission_1 = require("../common/auth/permission");
const roles_repository_1 = require("./roles.repository");
function toRoleResponse(role) {
    return { name: role.name, permissions: [...role.permissions].sort(), builtIn: role.builtIn };
}
/** The role that always grants every permission, so that someone can always manage the rest. */
const ADMIN_ROLE = 'Admin';
let RolesService = class RolesService {
    roles;
    writes;
    audit;
    clock;
    constructor(roles, writes, audit, clock) {
        this.roles = roles;
        this.writes = writes;
        this.audit = audit;
        this.clock = clock;
    }
    async list() {
        return (await this.roles.all()).map(toRoleResponse);
    }
    /**
     * Takes effect on the next request of every holder: permissions are read with each session.
     * Refusals, in order: 404 unknown role; 403 when the change adds or removes a permission the
     * caller lacks (nobody strips what they could not grant back); 409 when it would take a
     * permission from Admin, or leave nobody able to manage roles. Each is audited.
     */
    async update(name, permissions, actor, context) {
        const wanted = permission_1.ALL_PERMISSIONS.filter((p) => permissions.includes(p));
        const refused = (error, details) => error.audited({
            action: audit_action_1.AuditAction.RoleUpdated,
            details: { role: name.slice(0, 64), ...details },
        });
        return this.writes.run(async (m) => {
            await this.roles.lockPermissionChanges(m);
            const [role] = await this.roles.findByNames([name], m);
            if (!role)
                throw refused(new domain_error_1.DomainError(domain_error_1.ErrorCode.RoleNotFound), { reason: 'unknown role' });
            const before = [...role.permissions].sort();
            const changed = permission_1.ALL_PERMISSIONS.filter((p) => before.includes(p) !== wanted.includes(p));
            const lacking = (0, permission_1.permissionsLacking)(actor.permissions, changed);
            if (lacking.length > 0) {
                throw refused(new domain_error_1.DomainError(domain_error_1.ErrorCode.TargetNotAllowed), {
                    reason: 'changes a permission the caller lacks',
                    lacking,
                });
            }
            if (role.name === ADMIN_ROLE && wanted.length !== permission_1.ALL_PERMISSIONS.length) {
                throw refused(new domain_error_1.DomainError(domain_error_1.ErrorCode.AdminRoleFixed), {
                    reason: 'Admin keeps every permission',
                    removed: permission_1.ALL_PERMISSIONS.filter((p) => !wanted.includes(p)),
                });
            }
            await this.roles.setPermissions(m, role.name, wanted, this.clock.now());
            if ((await this.roles.countActiveHolders(m, permission_1.Permission.ManageRoles)) === 0) {
                throw refused(new domain_error_1.DomainError(domain_error_1.ErrorCode.LastRoleManager), {
                    reason: 'nobody would be left able to manage roles',
                });
            }
            await this.audit.append(m, {
                action: audit_action_1.AuditAction.RoleUpdated,
                outcome: 'success',
                actor: (0, principal_1.partyOf)(actor),
                context,
                details: { role: role.name, before, after: [...wanted].sort() },
            });
            return toRoleResponse({ ...role, permissions: wanted });
        });
    }
};
exports.RolesService = RolesService;
exports.RolesService = RolesService = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [roles_repository_1.RolesRepository,
        write_queue_1.WriteQueue,
        audit_service_1.AuditService,
        clock_1.Clock])
], RolesService);
//# sourceMappingURL=roles.service.js.map