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
exports.MfaController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const auth_decorators_1 = require("../common/auth/auth.decorators");
const api_problems_decorator_1 = require("../common/openapi/api-problems.decorator");
const mfa_dto_1 = require("./dto/mfa.dto");
const mfa_service_1 = require("./mfa.service");
let MfaController = class MfaController {
    mfa;
    constructor(mfa) {
        this.mfa = mfa;
    }
    enroll(principal, context) {
        return this.mfa.startEnrollment(principal, context);
    }
    confirm(body, principal, context) {
        return this.mfa.confirmEnrollment(principal, body.code, context);
    }
    status(principal) {
        return this.mfa.status(principal);
    }
};
exports.MfaController = MfaController;
__decorate([
    (0, common_1.Post)('Enroll'),
    (0, common_1.HttpCode)(200),
    (0, auth_decorators_1.AllowTokenKinds)('enroll', 'access'),
    (0, swagger_1.ApiOperation)({
        operationId: 'StartMfaEnrollment',
        summary: 'Starts (or restarts) enrolment of an authenticator app',
    }),
    (0, swagger_1.ApiOkResponse)({ type: mfa_dto_1.EnrollmentResponse }),
    (0, api_problems_decorator_1.ApiProblems)(401, 409),
    __param(0, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(1, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], MfaController.prototype, "enroll", null);
__decorate([
    (0, common_1.Post)('Enroll/Confirm'),
    (0, common_1.HttpCode)(200),
    (0, auth_decorators_1.AllowTokenKinds)('enroll', 'access'),
    (0, swagger_1.ApiOperation)({
        operationId: 'ConfirmMfaEnrollment',
        summary: 'Confirms enrolment with a code; MFA is on from now',
    }),
    (0, swagger_1.ApiOkResponse)({ type: mfa_dto_1.EnrollmentConfirmedResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 409),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(2, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [mfa_dto_1.ConfirmEnrollmentDto, Object, Object]),
    __metadata("design:returntype", Promise)
], MfaController.prototype, "confirm", null);
__decorate([
    (0, common_1.Get)(),
    (0, swagger_1.ApiOperation)({ operationId: 'GetMfaStatus', summary: "The caller's own MFA state" }),
    (0, swagger_1.ApiOkResponse)({ type: mfa_dto_1.MfaStatusResponse }),
    (0, api_problems_decorator_1.ApiProblems)(401),
    __param(0, (0, auth_decorators_1.CurrentPrincipal)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], MfaController.prototype, "status", null);
exports.MfaController = MfaController = __decorate([
    (0, swagger_1.ApiTags)('Mfa'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, common_1.Controller)('api/v1/Mfa'),
    __metadata("design:paramtypes", [mfa_service_1.MfaService])
], MfaController);
//# sourceMappingURL=mfa.controller.js.map