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
exports.RoleResponse = exports.UpdateRoleDto = void 0;
const swagger_1 = require("@nestjs/swagger");
const class_validator_1 = require("class-validator");
const permission_1 = require("../../common/auth/permission");
class UpdateRoleDto {
    permissions;
}
exports.UpdateRoleDto = UpdateRoleDto;
__decorate([
    (0, swagger_1.ApiProperty)({
        type: [String],
        enum: permission_1.ALL_PERMISSIONS,
        example: ['edit-other-user-totp', 'view-accounts'],
    }),
    (0, class_validator_1.IsIn)(permission_1.ALL_PERMISSIONS, {
        each: true,
        message: `each permission must be one of: ${permission_1.ALL_PERMISSIONS.join(', ')}`,
    }),
    (0, class_validator_1.ArrayMaxSize)(50),
    (0, class_validator_1.IsArray)(),
    __metadata("design:type", Array)
], UpdateRoleDto.prototype, "permissions", void 0);
class RoleResponse {
    name;
    permissions;
    builtIn;
}
exports.RoleResponse = RoleResponse;
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'HelpDesk' }),
    __metadata("design:type", String)
], RoleResponse.prototype, "name", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: [String], enum: permission_1.ALL_PERMISSIONS }),
    __metadata("design:type", Array)
], RoleResponse.prototype, "permissions", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Boolean)
], RoleResponse.prototype, "builtIn", void 0);
//# sourceMappingURL=role.dto.js.map