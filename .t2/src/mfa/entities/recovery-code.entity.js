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
exports.RecoveryCode = void 0;
const typeorm_1 = require("typeorm");
let RecoveryCode = class RecoveryCode {
    id;
    accountId;
    /** HMAC-SHA-256 of the normalised code under a key derived from the MFA key. */
    codeHash;
    usedAt;
    createdAt;
};
exports.RecoveryCode = RecoveryCode;
__decorate([
    (0, typeorm_1.PrimaryColumn)({ type: 'uuid' }),
    __metadata("design:type", String)
], RecoveryCode.prototype, "id", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'account_id', type: 'uuid' }),
    __metadata("design:type", String)
], RecoveryCode.prototype, "accountId", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'code_hash', type: 'varchar', length: 64 }),
    __metadata("design:type", String)
], RecoveryCode.prototype, "codeHash", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'used_at', type: Date, nullable: true }),
    __metadata("design:type", Object)
], RecoveryCode.prototype, "usedAt", void 0);
__decorate([
    (0, typeorm_1.Column)({ name: 'created_at', type: Date }),
    __metadata("design:type", Date)
], RecoveryCode.prototype, "createdAt", void 0);
exports.RecoveryCode = RecoveryCode = __decorate([
    (0, typeorm_1.Entity)({ name: 'recovery_codes' }),
    (0, typeorm_1.Index)('IX_recovery_codes_account_id', ['accountId'])
], RecoveryCode);
//# sourceMappingURL=recovery-code.entity.js.map