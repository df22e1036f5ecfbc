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
exports.GrantsAnyPermission = void 0;
const common_1 = require("@nestjs/common");
const ascii_1 = require("../common/ascii");
const roles_repository_1 = require("../roles/roles.repository");
/**
 * Step-up for creating an account whose roles grant any permission: a stale token must not plant
 * an administrator. Roles as the body names them (`User` when it names none); a body the
 * validation will refuse needs no proof first.
 */
let GrantsAnyPermission = class GrantsAnyPermission {
    roles;
    constructor(roles) {
        this.roles = roles;
    }
    async applies(body) {
        if (typeof body !== 'object' || body === null || Array.isArray(body))
            return false;
        const entry = Object.entries(body).find(([key]) => (0, ascii_1.asciiLower)(key) === 'roles');
        const names = entry === undefined ? ['User'] : entry[1];
        if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
            return false;
        }
        const found = await this.roles.findByNames(names.slice(0, 20));
        return found.some((role) => role.permissions.length > 0);
    }
};
exports.GrantsAnyPermission = GrantsAnyPermission;
exports.GrantsAnyPermission = GrantsAnyPermission = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [roles_repository_1.RolesRepository])
], GrantsAnyPermission);
//# sourceMappingURL=grants-any-permission.js.map