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
exports.ValidationProblemDetails = exports.ProblemDetails = void 0;
const swagger_1 = require("@nestjs/swagger");
/** RFC 9457 problem details (the OpenAPI schema of every error answer). */
class ProblemDetails {
    type;
    title;
    status;
    detail;
    instance;
    traceId;
    errorType;
    details;
    missingIds;
}
exports.ProblemDetails = ProblemDetails;
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'https://tools.ietf.org/html/rfc9110#section-15.5.5' }),
    __metadata("design:type", String)
], ProblemDetails.prototype, "type", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'Not Found' }),
    __metadata("design:type", String)
], ProblemDetails.prototype, "title", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 404 }),
    __metadata("design:type", Number)
], ProblemDetails.prototype, "status", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: 'User not found' }),
    __metadata("design:type", String)
], ProblemDetails.prototype, "detail", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: '/api/v1/ManagedAccount/ResetMFA/0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90' }),
    __metadata("design:type", String)
], ProblemDetails.prototype, "instance", void 0);
__decorate([
    (0, swagger_1.ApiProperty)({ example: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' }),
    __metadata("design:type", String)
], ProblemDetails.prototype, "traceId", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({
        enum: ['totp-required', 'totp-invalid', 'error-not-allowed', 'error-invalid-user'],
        description: 'Machine-readable reason, as Rocket.Chat names them',
    }),
    __metadata("design:type", String)
], ProblemDetails.prototype, "errorType", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({
        type: 'object',
        additionalProperties: true,
        description: 'Step-up facts: method, codeGenerated, availableMethods',
    }),
    __metadata("design:type", Object)
], ProblemDetails.prototype, "details", void 0);
__decorate([
    (0, swagger_1.ApiPropertyOptional)({
        type: [String],
        format: 'uuid',
        description: 'Ids of a batch that do not exist',
    }),
    __metadata("design:type", Array)
], ProblemDetails.prototype, "missingIds", void 0);
/** ASP.NET Core's ValidationProblemDetails: problem details with an errors dictionary. */
class ValidationProblemDetails extends ProblemDetails {
    errors;
}
exports.ValidationProblemDetails = ValidationProblemDetails;
__decorate([
    (0, swagger_1.ApiProperty)({
        type: 'object',
        additionalProperties: { type: 'array', items: { type: 'string' } },
        example: { id: ["The value 'abc' is not valid."] },
    }),
    __metadata("design:type", Object)
], ValidationProblemDetails.prototype, "errors", void 0);
//# sourceMappingURL=problem-details.schema.js.map