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
exports.SignInThrottlerGuard = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const throttler_1 = require("@nestjs/throttler");
const app_config_1 = require("../../config/app-config");
const client_address_1 = require("../../common/http/client-address");
const auth_decorators_1 = require("../../common/auth/auth.decorators");
/**
 * Per-address limit on the sign-in routes only, checked before authentication so failed calls
 * count too. In memory: a first line per instance; the lock-out counted in the database is the
 * real brute-force defence.
 */
let SignInThrottlerGuard = class SignInThrottlerGuard extends throttler_1.ThrottlerGuard {
    config;
    constructor(options, storage, reflector, config) {
        super(options, storage, reflector);
        this.config = config;
    }
    shouldSkip(context) {
        const limited = this.reflector.getAllAndOverride(auth_decorators_1.SIGN_IN_RATE_LIMITED, [
            context.getHandler(),
            context.getClass(),
        ]);
        return Promise.resolve(!limited || this.config.signInRateLimit === 0);
    }
    /** One budget per address for both sign-in routes together, not one per route. */
    generateKey(_context, tracker, name) {
        return `sign-in:${name}:${tracker}`;
    }
    /** An IPv6 client is counted by its /64. */
    getTracker(req) {
        return Promise.resolve((0, client_address_1.rateLimitKey)(req.ip ?? 'unknown'));
    }
};
exports.SignInThrottlerGuard = SignInThrottlerGuard;
exports.SignInThrottlerGuard = SignInThrottlerGuard = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)((0, throttler_1.getOptionsToken)())),
    __param(1, (0, common_1.Inject)((0, throttler_1.getStorageToken)())),
    __param(3, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [Object, Object, core_1.Reflector, Object])
], SignInThrottlerGuard);
//# sourceMappingURL=sign-in-throttler.guard.js.map