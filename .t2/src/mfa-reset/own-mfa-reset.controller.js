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
exports.OwnMfaResetController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const auth_decorators_1 = require("../common/auth/auth.decorators");
const api_problems_decorator_1 = require("../common/openapi/api-problems.decorator");
const mfa_reset_dto_1 = require("./dto/mfa-reset.dto");
const mfa_reset_service_1 = require("./mfa-reset.service");
/** The caller's own reset (Rocket.Chat's "no userId given"), beside the caller's other MFA calls. */
let OwnMfaResetController = class OwnMfaResetController {
    resets;
    constructor(resets) {
        this.resets = resets;
    }
    resetOwn(principal, context) {
        return this.resets.resetOwn(principal, context);
    }
};
exports.OwnMfaResetController = OwnMfaResetController;
__decorate([
    (0, common_1.Put)('Reset'),
    (0, auth_decorators_1.RequireStepUp)(),
    (0, swagger_1.ApiOperation)({
        operationId: 'ResetOwnMfa',
        summary: "Resets the caller's own MFA; the caller's session stays open",
    }),
    (0, swagger_1.ApiOkResponse)({ type: mfa_reset_dto_1.MfaResetResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401),
    __param(0, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(1, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], OwnMfaResetController.prototype, "resetOwn", null);
exports.OwnMfaResetController = OwnMfaResetController = __decorate([
    (0, swagger_1.ApiTags)('Mfa'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, common_1.Controller)('api/v1/Mfa'),
    __metadata("design:paramtypes", [mfa_reset_service_1.MfaResetService])
], OwnMfaResetController);
//# sourceMappingURL=own-mfa-reset.controller.js.map