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
exports.AuditController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const auth_decorators_1 = require("../common/auth/auth.decorators");
const api_problems_decorator_1 = require("../common/openapi/api-problems.decorator");
const permission_1 = require("../common/auth/permission");
const audit_reader_service_1 = require("./audit-reader.service");
const audit_event_dto_1 = require("./dto/audit-event.dto");
let AuditController = class AuditController {
    audit;
    constructor(audit) {
        this.audit = audit;
    }
    list(query) {
        return this.audit.list(query);
    }
    async verify() {
        const { valid, count } = await this.audit.verify();
        return { valid, count };
    }
};
exports.AuditController = AuditController;
__decorate([
    (0, common_1.Get)(),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.ViewAudit),
    (0, swagger_1.ApiOperation)({
        operationId: 'ListAuditEvents',
        summary: 'Audit events, newest first, keyset-paged',
    }),
    (0, swagger_1.ApiOkResponse)({ type: audit_event_dto_1.AuditEventPageResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 403),
    __param(0, (0, common_1.Query)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [audit_event_dto_1.ListAuditEventsQuery]),
    __metadata("design:returntype", Promise)
], AuditController.prototype, "list", null);
__decorate([
    (0, common_1.Get)('Verify'),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.ViewAudit),
    (0, swagger_1.ApiOperation)({
        operationId: 'VerifyAuditChain',
        summary: 'Recomputes the keyed hash chain up to its anchored head: detects an edited, deleted or cut-off event',
    }),
    (0, swagger_1.ApiOkResponse)({ type: audit_event_dto_1.AuditVerifyResponse }),
    (0, api_problems_decorator_1.ApiProblems)(401, 403),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Promise)
], AuditController.prototype, "verify", null);
exports.AuditController = AuditController = __decorate([
    (0, swagger_1.ApiTags)('AuditEvent'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, common_1.Controller)('api/v1/AuditEvent'),
    __metadata("design:paramtypes", [audit_reader_service_1.AuditReader])
], AuditController);
//# sourceMappingURL=audit.controller.js.map