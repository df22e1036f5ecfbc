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
exports.MfaResetController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const auth_decorators_1 = require("../common/auth/auth.decorators");
const api_problems_decorator_1 = require("../common/openapi/api-problems.decorator");
const uuid_param_pipe_1 = require("../common/validation/uuid-param.pipe");
const permission_1 = require("../common/auth/permission");
const mfa_reset_dto_1 = require("./dto/mfa-reset.dto");
const mfa_reset_service_1 = require("./mfa-reset.service");
const reset_batch_body_pipe_1 = require("./reset-batch-body.pipe");
const NOT_ADMIN = 'User is not an Administrator';
let MfaResetController = class MfaResetController {
    resets;
    constructor(resets) {
        this.resets = resets;
    }
    resetById(id, principal, context) {
        return this.resets.resetById(principal, id, context);
    }
    resetByName(userName, principal, context) {
        return this.resets.resetByName(principal, userName, context);
    }
    resetMany(ids, principal, context) {
        return this.resets.resetMany(principal, ids, context);
    }
};
exports.MfaResetController = MfaResetController;
__decorate([
    (0, common_1.Put)(':id'),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.EditOtherUserTotp, NOT_ADMIN),
    (0, auth_decorators_1.RequireStepUp)(),
    (0, swagger_1.ApiOperation)({ operationId: 'ResetMfaAsync', summary: 'Reset MFA for a user (by id)' }),
    (0, swagger_1.ApiParam)({ name: 'id', format: 'uuid', description: 'User to reset' }),
    (0, swagger_1.ApiOkResponse)({ type: mfa_reset_dto_1.MfaResetResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 403, 404),
    __param(0, (0, common_1.Param)('id', uuid_param_pipe_1.UuidParamPipe)),
    __param(1, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(2, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object, Object]),
    __metadata("design:returntype", Promise)
], MfaResetController.prototype, "resetById", null);
__decorate([
    (0, common_1.Put)('ByName/:userName'),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.EditOtherUserTotp, NOT_ADMIN),
    (0, auth_decorators_1.RequireStepUp)(),
    (0, swagger_1.ApiOperation)({
        operationId: 'ResetMfaByName',
        summary: 'Reset MFA for a user (by user name, case-insensitive)',
    }),
    (0, swagger_1.ApiOkResponse)({ type: mfa_reset_dto_1.MfaResetResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 403, 404),
    __param(0, (0, common_1.Param)('userName')),
    __param(1, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(2, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, Object, Object]),
    __metadata("design:returntype", Promise)
], MfaResetController.prototype, "resetByName", null);
__decorate([
    (0, common_1.Put)(),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.EditOtherUserTotp, NOT_ADMIN),
    (0, auth_decorators_1.RequireStepUp)(),
    (0, swagger_1.ApiOperation)({
        operationId: 'ResetMfaBatch',
        summary: 'Reset MFA for many users, all or nothing',
    }),
    (0, swagger_1.ApiExtraModels)(mfa_reset_dto_1.MfaResetBatchRequest),
    (0, swagger_1.ApiBody)({
        schema: {
            oneOf: [
                { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 1000 },
                { $ref: (0, swagger_1.getSchemaPath)(mfa_reset_dto_1.MfaResetBatchRequest) },
            ],
        },
    }),
    (0, swagger_1.ApiOkResponse)({ type: mfa_reset_dto_1.MfaResetBatchResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 403, 404),
    __param(0, (0, common_1.Body)(reset_batch_body_pipe_1.ResetBatchBodyPipe)),
    __param(1, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(2, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Array, Object, Object]),
    __metadata("design:returntype", Promise)
], MfaResetController.prototype, "resetMany", null);
exports.MfaResetController = MfaResetController = __decorate([
    (0, swagger_1.ApiTags)('ManagedAccount'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, common_1.Controller)('api/v1/ManagedAccount/ResetMFA'),
    __metadata("design:paramtypes", [mfa_reset_service_1.MfaResetService])
], MfaResetController);
//# sourceMappingURL=mfa-reset.controller.js.map