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
exports.JwtAuthGuard = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const passport_1 = require("@nestjs/passport");
const domain_error_1 = require("../../common/problem/domain-error");
const auth_decorators_1 = require("../../common/auth/auth.decorators");
/** Global: every route needs an access token unless it says otherwise. */
let JwtAuthGuard = class JwtAuthGuard extends (0, passport_1.AuthGuard)('jwt') {
    reflector;
    constructor(reflector) {
        super();
        this.reflector = reflector;
    }
    canActivate(context) {
        const targets = [context.getHandler(), context.getClass()];
        if (this.reflector.getAllAndOverride(auth_decorators_1.IS_PUBLIC, targets))
            return true;
        return super.canActivate(context);
    }
    handleRequest(error, user, _info, context) {
        // An error here is not a bad token but a failure to check one (the database is down): not 401.
        if (error)
            throw error instanceof Error ? error : new Error('Token check failed', { cause: error });
        if (!user)
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.Unauthenticated);
        const kinds = this.reflector.getAllAndOverride(auth_decorators_1.TOKEN_KINDS, [
            context.getHandler(),
            context.getClass(),
        ]) ?? ['access'];
        if (!kinds.includes(user.tokenKind))
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.Unauthenticated);
        return user;
    }
};
exports.JwtAuthGuard = JwtAuthGuard;
exports.JwtAuthGuard = JwtAuthGuard = __decorate([
    (0, common_1.Injectable)(),
    __metadata("design:paramtypes", [core_1.Reflector])
], JwtAuthGuard);
//# sourceMappingURL=jwt-auth.guard.js.map