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
exports.AccountsController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const auth_decorators_1 = require("../common/auth/auth.decorators");
const api_problems_decorator_1 = require("../common/openapi/api-problems.decorator");
const uuid_param_pipe_1 = require("../common/validation/uuid-param.pipe");
const permission_1 = require("../common/auth/permission");
const accounts_service_1 = require("./accounts.service");
const grants_any_permission_1 = require("./grants-any-permission");
const account_dto_1 = require("./dto/account.dto");
let AccountsController = class AccountsController {
    accounts;
    constructor(accounts) {
        this.accounts = accounts;
    }
    async create(body, principal, context, reply) {
        const account = await this.accounts.create(body, principal, context);
        reply.header('Location', `/api/v1/ManagedAccount/${account.id}`);
        return account;
    }
    list(query) {
        return this.accounts.list(query);
    }
    get(id) {
        return this.accounts.get(id);
    }
    update(id, body, principal, context) {
        return this.accounts.update(id, body, principal, context);
    }
};
exports.AccountsController = AccountsController;
__decorate([
    (0, common_1.Post)(),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.ManageAccounts),
    (0, auth_decorators_1.RequireStepUp)({ condition: grants_any_permission_1.GrantsAnyPermission }),
    (0, swagger_1.ApiOperation)({ operationId: 'CreateAccount', summary: 'Creates an account' }),
    (0, swagger_1.ApiCreatedResponse)({ type: account_dto_1.AccountResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 403, 409),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(2, (0, auth_decorators_1.CurrentRequest)()),
    __param(3, (0, common_1.Res)({ passthrough: true })),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [account_dto_1.CreateAccountDto, Object, Object, Object]),
    __metadata("design:returntype", Promise)
], AccountsController.prototype, "create", null);
__decorate([
    (0, common_1.Get)(),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.ViewAccounts),
    (0, swagger_1.ApiOperation)({ operationId: 'ListAccounts', summary: 'Accounts, searched and paged' }),
    (0, swagger_1.ApiOkResponse)({ type: account_dto_1.AccountListResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 403),
    __param(0, (0, common_1.Query)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [account_dto_1.ListAccountsQuery]),
    __metadata("design:returntype", Promise)
], AccountsController.prototype, "list", null);
__decorate([
    (0, common_1.Get)(':id'),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.ViewAccounts),
    (0, swagger_1.ApiOperation)({ operationId: 'GetAccount', summary: 'One account' }),
    (0, swagger_1.ApiParam)({ name: 'id', format: 'uuid' }),
    (0, swagger_1.ApiOkResponse)({ type: account_dto_1.AccountResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 403, 404),
    __param(0, (0, common_1.Param)('id', uuid_param_pipe_1.UuidParamPipe)),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String]),
    __metadata("design:returntype", Promise)
], AccountsController.prototype, "get", null);
__decorate([
    (0, common_1.Patch)(':id'),
    (0, auth_decorators_1.RequirePermission)(permission_1.Permission.ManageAccounts),
    (0, auth_decorators_1.RequireStepUp)({ when: (0, auth_decorators_1.bodyHasAny)('roles', 'password', 'isActive', 'lockedUntil') }),
    (0, swagger_1.ApiOperation)({
        operationId: 'UpdateAccount',
        summary: 'Changes an account; disabling, roles or password end its sessions',
    }),
    (0, swagger_1.ApiParam)({ name: 'id', format: 'uuid' }),
    (0, swagger_1.ApiOkResponse)({ type: account_dto_1.AccountResponse }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 403, 404, 409),
    __param(0, (0, common_1.Param)('id', uuid_param_pipe_1.UuidParamPipe)),
    __param(1, (0, common_1.Body)()),
    __param(2, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(3, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [String, account_dto_1.UpdateAccountDto, Object, Object]),
    __metadata("design:returntype", Promise)
], AccountsController.prototype, "update", null);
exports.AccountsController = AccountsController = __decorate([
    (0, swagger_1.ApiTags)('ManagedAccount'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, common_1.Controller)('api/v1/ManagedAccount'),
    __metadata("design:paramtypes", [accounts_service_1.AccountsService])
], AccountsController);
//# sourceMappingURL=accounts.controller.js.map