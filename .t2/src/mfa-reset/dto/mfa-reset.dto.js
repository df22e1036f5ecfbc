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
exports.MfaResetBatchRequest = exports.MfaResetBatchResponse = exports.MfaResetResponse = exports.MAX_BATCH_IDS = void 0;
const swagger_1 = require("@nestjs/swagger");
exports.MAX_BATCH_IDS = 1000;
class MfaResetResponse {
    id;
    userName;
    mfaWasEnabled;
    sessionsRevoked;
}
exports.MfaResetResponse = MfaResetResponse;
__decorate([
    (0, swagger_1.ApiProperty)({ format: 'uuid' }),
    __metadata("design:type", String)
], MfaResetResponse.prototype, "id", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", String)
], MfaResetResponse.prototype, "userName", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'false when the account had no MFA (the reset is idempotent)' }),
    __metadata("design:type", Boolean)
], MfaResetResponse.prototype, "mfaWasEnabled", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({
        description: 'Sessions of the account ended by the reset (the caller keeps its own)',
    }),
    __metadata("design:type", Number)
], MfaResetResponse.prototype, "sessionsRevoked", void 0);
class MfaResetBatchResponse {
    userids;
}
exports.MfaResetBatchResponse = MfaResetBatchResponse;
__decorate([
    (0, swagger_1.ApiProperty)({
        type: [String],
        format: 'uuid',
        description: 'The ids reset, as Zabbix user.resettotp answers',
    }),
    __metadata("design:type", Array)
], MfaResetBatchResponse.prototype, "userids", void 0);
/** The OpenAPI shape of the batch body; the body may also be a bare array of ids. */
class MfaResetBatchRequest {
    ids;
}
exports.MfaResetBatchRequest = MfaResetBatchRequest;
__decorate([
    (0, swagger_1.ApiProperty)({ type: [String], format: 'uuid', maxItems: exports.MAX_BATCH_IDS }),
    __metadata("design:type", Array)
], MfaResetBatchRequest.prototype, "ids", void 0);
//# sourceMappingURL=mfa-reset.dto.js.map