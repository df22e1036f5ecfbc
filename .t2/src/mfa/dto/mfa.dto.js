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
exports.MfaStatusResponse = exports.EnrollmentConfirmedResponse = exports.EnrollmentResponse = exports.ConfirmEnrollmentDto = void 0;
const swagger_1 = require("@nestjs/swagger");
const class_validator_1 = require("class-validator");
class ConfirmEnrollmentDto {
    code;
}
exports.ConfirmEnrollmentDto = ConfirmEnrollmentDto;
__decorate([
    (0, swagger_1.ApiProperty)({ example: '123456', description: 'The current code from the authenticator app' }),
    (0, class_validator_1.IsDefined)(),
    __metadata("design:type", Object)
], ConfirmEnrollmentDto.prototype, "code", void 0);
class EnrollmentResponse {
    secret;
    otpauthUri;
    qrCodeSvg;
}
exports.EnrollmentResponse = EnrollmentResponse;
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'Base32 secret, for manual entry' }),
    __metadata("design:type", String)
], EnrollmentResponse.prototype, "secret", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'otpauth://totp/MFA%20Admin:alice?secret=...&issuer=MFA%20Admin' }),
    __metadata("design:type", String)
], EnrollmentResponse.prototype, "otpauthUri", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'The otpauth URI as a QR code, SVG markup' }),
    __metadata("design:type", String)
], EnrollmentResponse.prototype, "qrCodeSvg", void 0);
class EnrollmentConfirmedResponse {
    recoveryCodes;
    token;
}
exports.EnrollmentConfirmedResponse = EnrollmentConfirmedResponse;
__decorate([
    (0, swagger_1.ApiProperty)({ type: [String], description: 'Ten single-use recovery codes, shown once' }),
    __metadata("design:type", Array)
], EnrollmentConfirmedResponse.prototype, "recoveryCodes", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ description: 'A new access token (the session has just proved MFA)' }),
    __metadata("design:type", String)
], EnrollmentConfirmedResponse.prototype, "token", void 0);
class MfaStatusResponse {
    enabled;
    enrolledAt;
    recoveryCodesLeft;
}
exports.MfaStatusResponse = MfaStatusResponse;
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Boolean)
], MfaStatusResponse.prototype, "enabled", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ type: String, format: 'date-time', nullable: true }),
    __metadata("design:type", Object)
], MfaStatusResponse.prototype, "enrolledAt", void 0);
__decorate([
    (0, swagger_1.ApiProperty)(),
    __metadata("design:type", Number)
], MfaStatusResponse.prototype, "recoveryCodesLeft", void 0);
//# sourceMappingURL=mfa.dto.js.map