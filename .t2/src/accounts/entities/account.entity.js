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
exports.Account = void 0;
const typeorm_1 = require("typeorm");
const role_entity_1 = require("../../roles/entities/role.entity");
let Account = class Account {
    id;
    userName;
    /** Lower-cased user name: the unique key, so names are unique case-insensitively on every database. */
    userNameNormalized;
    displayName;
    email;
    passwordHash;
    isActive;
    securityStamp;
    mfaSecret;
    mfaEnrolledAt;
    mfaPendingSecret;
    /** RFC 6238 time step of the last code accepted: a code at or before it is a replay. */
    lastTotpStep;
    failedAttempts;
    lockedUntil;
    createdAt;
    updatedAt;
    roles;
};
exports.Account = Account;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'uuid' }),
    __metadata("design:type", String)
], Account.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'user_name', type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], Account.prototype, "userName", void 0);
__decorate([
    (0, typeorm_1.Index)('UQ_accounts_user_name_normalized', { unique: true }),
    (0, typeorm_1.Column)({ name: 'user_name_normalized', type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], Account.prototype, "userNameNormalized", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'display_name', type: 'varchar', length: 200 }),
    __metadata("design:type", String)
], Account.prototype, "displayName", void 0);
__decorate([
    (0, typeorm_1.Column)({ type: 'varchar', length: 254 }),
    __metadata("design:type", String)
], Account.prototype, "email", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'password_hash', type: 'varchar', length: 255, select: false }),
    __metadata("design:type", String)
], Account.prototype, "passwordHash", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'is_active', type: 'boolean', default: true }),
    __metadata("design:type", Boolean)
], Account.prototype, "isActive", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'security_stamp', type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], Account.prototype, "securityStamp", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'mfa_secret', type: 'text', nullable: true, select: false }),
    __metadata("design:type", Object)
], Account.prototype, "mfaSecret", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'mfa_enrolled_at', type: Date, nullable: true }),
    __metadata("design:type", Object)
], Account.prototype, "mfaEnrolledAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'mfa_pending_secret', type: 'text', nullable: true, select: false }),
    __metadata("design:type", Object)
], Account.prototype, "mfaPendingSecret", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'last_totp_step', type: 'integer', nullable: true }),
    __metadata("design:type", Object)
], Account.prototype, "lastTotpStep", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'failed_attempts', type: 'integer', default: 0 }),
    __metadata("design:type", Number)
], Account.prototype, "failedAttempts", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'locked_until', type: Date, nullable: true }),
    __metadata("design:type", Object)
], Account.prototype, "lockedUntil", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'created_at', type: Date }),
    __metadata("design:type", Date)
], Account.prototype, "createdAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'updated_at', type: Date }),
    __metadata("design:type", Date)
], Account.prototype, "updatedAt", void 0);
__decorate([
    (0, typeorm_1.ManyToMany)(() => role_entity_1.Role),
    (0, typeorm_1.JoinTable)({
        name: 'account_roles',
        joinColumn: { name: 'account_id', referencedColumnName: 'id' },
        inverseJoinColumn: { name: 'role_name', referencedColumnName: 'name' },
    }),
    __metadata("design:type", Array)
], Account.prototype, "roles", void 0);
exports.Account = Account = __decorate([
    (0, typeorm_1.Entity)({ name: 'accounts' })
], Account);
//# sourceMappingURL=account.entity.js.map