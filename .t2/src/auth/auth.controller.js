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
exports.AuthController = void 0;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const auth_decorators_1 = require("../common/auth/auth.decorators");
const api_problems_decorator_1 = require("../common/openapi/api-problems.decorator");
const auth_service_1 = require("./auth.service");
const sign_in_dto_1 = require("./dto/sign-in.dto");
let AuthController = class AuthController {
    auth;
    constructor(auth) {
        this.auth = auth;
    }
    signIn(body, context) {
        return this.auth.signIn(body.login, body.password, context).then((t) => JSON.stringify(t));
    }
    completeSignIn(body, principal, context) {
        return this.auth.completeSignIn(principal, body, context).then((t) => JSON.stringify(t));
    }
    signOut(principal, context) {
        return this.auth.signOut(principal, context);
    }
};
exports.AuthController = AuthController;
__decorate([
    (0, common_1.Post)('signinBody'),
    (0, swagger_1.ApiConsumes)('application/json', 'application/x-www-form-urlencoded', 'text/plain'),
    (0, auth_decorators_1.Public)(),
    (0, auth_decorators_1.SignInRateLimited)(),
    (0, common_1.HttpCode)(200),
    (0, common_1.Header)('Content-Type', 'application/json; charset=utf-8'),
    (0, swagger_1.ApiOperation)({
        operationId: 'SignIn',
        summary: 'First factor: answers a short-lived pre-auth token (kind mfa or enroll)',
    }),
    (0, swagger_1.ApiOkResponse)({
        description: 'The pre-auth token, as a bare JSON string',
        schema: { type: 'string' },
    }),
    (0, api_problems_decorator_1.ApiProblems)(400, 401, 429),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [sign_in_dto_1.SignInDto, Object]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "signIn", null);
__decorate([
    (0, common_1.Post)('signin2fa'),
    (0, auth_decorators_1.AllowTokenKinds)('mfa'),
    (0, auth_decorators_1.SignInRateLimited)(),
    (0, common_1.HttpCode)(200),
    (0, common_1.Header)('Content-Type', 'application/json; charset=utf-8'),
    (0, swagger_1.ApiBearerAuth)(),
    (0, swagger_1.ApiOperation)({
        operationId: 'SignInSecondFactor',
        summary: 'Second factor: a TOTP or recovery code answers the access token',
    }),
    (0, swagger_1.ApiConsumes)('application/json', 'text/plain', 'application/x-www-form-urlencoded'),
    (0, swagger_1.ApiBody)({
        description: 'The code: a JSON string, a JSON number, raw text, or {"code": "..."}',
        schema: {
            oneOf: [
                { type: 'string' },
                { type: 'integer' },
                { type: 'object', properties: { code: { type: 'string' } } },
            ],
        },
    }),
    (0, swagger_1.ApiOkResponse)({
        description: 'The access token, as a bare JSON string',
        schema: { type: 'string' },
    }),
    (0, api_problems_decorator_1.ApiProblems)(401, 429),
    __param(0, (0, common_1.Body)()),
    __param(1, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(2, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object, Object]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "completeSignIn", null);
__decorate([
    (0, common_1.Post)('signout'),
    (0, common_1.HttpCode)(204),
    (0, swagger_1.ApiBearerAuth)(),
    (0, swagger_1.ApiOperation)({ operationId: 'SignOut', summary: 'Ends the session of the token used' }),
    (0, swagger_1.ApiNoContentResponse)({ description: 'The session is ended' }),
    (0, api_problems_decorator_1.ApiProblems)(401),
    __param(0, (0, auth_decorators_1.CurrentPrincipal)()),
    __param(1, (0, auth_decorators_1.CurrentRequest)()),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object, Object]),
    __metadata("design:returntype", Promise)
], AuthController.prototype, "signOut", null);
exports.AuthController = AuthController = __decorate([
    (0, swagger_1.ApiTags)('Sign-in'),
    (0, common_1.Controller)(),
    __metadata("design:paramtypes", [auth_service_1.AuthService])
], AuthController);
//# sourceMappingURL=auth.controller.js.map