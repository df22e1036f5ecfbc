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
exports.RolesController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const auth_decorators_1 = require("../common/auth/auth.decorators");
const api_problems_decorator_1 = require("../common/openapi/api-problems.decorator");
const role_dto_1 = require("./dto/role.dto");
const permission_1 = require("../common/auth/permission");
const roles_service_1 = require("./roles.service");
let RolesController = class RolesController {
    roles;
    constructor(roles) {
        this.roles = roles;
    }
    list() {
        return this.roles.list();
    }
    update(name, body, principal, context) {
        return this.roles.update(name, body.permissions, principal, context);
    }
};
exports.RolesController = RolesController;
__decorate([
    (0, common_1.Get)(),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.ManageRoles),
    (0, swagger_1.ApiOperation)({ operationId: 'ListRoles', summary: 'Roles and their permissions' }),
    (0, swagger_1.ApiOkResponse)({ type: [role_dto_1.RoleResponse] }),
    (0, api_problems_decorator_1.ApiProblems)(401, 403),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Promise)
], RolesController.prototype, "list", null);
__decorate([
    (0, common_1.Put)(':name'),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.ManageRoles),
    (0, auth_decorators_1.RequireStepUp)(),
    (0, swagger_1.ApiOperation)({ operationId: 'UpdateRole', summary: "Replaces a role's permissions" }),
    (0, swagger_1.ApiOkResponse)({ type: role_dto_1.RoleResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 403, 404, 409),
    __param(0, (0, common_1.Param)('name')),
    __param(1, (0, common_1.Body)()),
    __param(2, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(3, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, role_dto_1.UpdateRoleDto, Object, Object]),
    __metadata("design:returntype", Promise)
], RolesController.prototype, "update", null);
exports.RolesController = RolesController = __decorate([
    (0, swagger_1.ApiTags)('Role'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, common_1.Controller)('api/v1/Role'),
    __metadata("design:paramtypes", [roles_service_1.RolesService])
], RolesController);
//# sourceMappingURL=roles.controller.js.map