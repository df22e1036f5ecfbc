"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CurrentRequest = exports.CurrentPrincipal = exports.SignInRateLimited = exports.RequireStepUp = exports.RequirePermission = exports.AllowTokenKinds = exports.Public = exports.STEP_UP = exports.SIGN_IN_RATE_LIMITED = exports.REQUIRED_PERMISSION = exports.TOKEN_KINDS = exports.IS_PUBLIC = void 0;
exports.bodyHasAny = bodyHasAny;
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const principal_1 = require("./principal");
const request_context_1 = require("../http/request-context");
const ascii_1 = require("../ascii");
exports.IS_PUBLIC = 'auth:public';
exports.TOKEN_KINDS = 'auth:token-kinds';
exports.REQUIRED_PERMISSION = 'auth:permission';
exports.SIGN_IN_RATE_LIMITED = 'auth:sign-in-rate-limited';
exports.STEP_UP = 'auth:step-up';
/** Opts a route out of authentication (deny by default otherwise). */
const Public = () => (0, common_1.SetMetadata)(exports.IS_PUBLIC, true);
exports.Public = Public;
/** The token kinds a route accepts; without it only access tokens pass. */
const AllowTokenKinds = (...kinds) => (0, common_1.SetMetadata)(exports.TOKEN_KINDS, kinds);
exports.AllowTokenKinds = AllowTokenKinds;
const RequirePermission = (permission, detail) => (0, common_1.SetMetadata)(exports.REQUIRED_PERMISSION, { permission, detail });
exports.RequirePermission = RequirePermission;
/** "Sudo mode": the route needs a recent MFA proof of the caller, or one in `x-2fa-code`. */
const RequireStepUp = (requirement = {}) => (0, common_1.applyDecorators)((0, common_1.SetMetadata)(exports.STEP_UP, requirement), (0, swagger_1.ApiHeader)({
    name: 'x-2fa-code',
    required: false,
    description: "The caller's current TOTP code (or password): needed when no MFA proof is recent",
}), (0, swagger_1.ApiHeader)({
    name: 'x-2fa-method',
    required: false,
    enum: ['totp', 'password'],
    description: 'Default totp',
}));
exports.RequireStepUp = RequireStepUp;
/** True when a JSON object body has one of these properties (names compared case-insensitively). */
function bodyHasAny(...names) {
    const wanted = new Set(names.map(ascii_1.asciiLower));
    return (body) => typeof body === 'object' &&
        body !== null &&
        Object.keys(body).some((k) => wanted.has((0, ascii_1.asciiLower)(k)));
}
/** Counts the route in the per-address sign-in limit (SIGNIN_RATE_LIMIT). */
const SignInRateLimited = () => (0, common_1.SetMetadata)(exports.SIGN_IN_RATE_LIMITED, true);
exports.SignInRateLimited = SignInRateLimited;
exports.CurrentPrincipal = (0, common_1.createParamDecorator)((_data, ctx) => (0, principal_1.principalOf)(ctx.switchToHttp().getRequest()));
exports.CurrentRequest = (0, common_1.createParamDecorator)((_data, ctx) => (0, request_context_1.requestContext)(ctx.switchToHttp().getRequest()));
//# sourceMappingURL=auth.decorators.js.map