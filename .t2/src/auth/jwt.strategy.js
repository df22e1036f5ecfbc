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
exports.JwtStrategy = void 0;
const common_1 = require("@nestjs/common");
const passport_1 = require("@nestjs/passport");
const passport_jwt_1 = require("passport-jwt");
const clock_1 = require("../common/clock");
const app_config_1 = require("../config/app-config");
const permission_1 = require("../common/auth/permission");
const sessions_repository_1 = require("../sessions/sessions.repository");
const token_service_1 = require("../sessions/token.service");
const KINDS = new Set(['mfa', 'enroll', 'access']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** How far a token's `iat` may lie ahead of this instance's clock (another instance's drift). */
const CLOCK_SKEW_SECONDS = 60;
function isClaims(payload) {
    const p = payload;
    return (typeof p === 'object' &&
        p !== null &&
        typeof p.sub === 'string' &&
        typeof p.sid === 'string' &&
        UUID.test(p.sid) &&
        typeof p.typ === 'string' &&
        KINDS.has(p.typ) &&
        Number.isSafeInteger(p.iat) &&
        Number.isSafeInteger(p.exp));
}
/**
 * Bearer JWTs: HS256 only, issuer, audience and expiry checked by jsonwebtoken; then the session
 * is read from the database on every request, so a revoked session, a disabled account or a
 * changed security stamp is refused at once on every instance.
 */
let JwtStrategy = class JwtStrategy extends (0, passport_1.PassportStrategy)(passport_jwt_1.Strategy, 'jwt') {
    sessions;
    clock;
    maxLifetimeSeconds;
    constructor(config, tokens, sessions, clock) {
        const options = {
            jwtFromRequest: passport_jwt_1.ExtractJwt.fromAuthHeaderAsBearerToken(),
            // jsonwebtoken takes a KeyObject; the typings only name string | Buffer.
            secretOrKey: tokens.key,
            algorithms: [token_service_1.JWT_ALGORITHM],
            issuer: config.jwt.issuer,
            audience: config.jwt.audience,
            ignoreExpiration: false,
        };
        super(options);
        this.sessions = sessions;
        this.clock = clock;
        this.maxLifetimeSeconds = Math.max(config.jwt.accessTokenTtlSeconds, config.jwt.preAuthTokenTtlSeconds);
    }
    async validate(payload) {
        // Every token this service issues names when it was issued and when it ends, no later than
        // the longest lifetime after that: one without them, from the future, or living longer was
        // not issued here (whoever holds the key may sign anything, but not that).
        if (!isClaims(payload))
            return false;
        const now = this.clock.now();
        const nowSeconds = Math.floor(now.getTime() / 1000);
        if (payload.iat > nowSeconds + CLOCK_SKEW_SECONDS ||
            payload.exp <= payload.iat ||
            payload.exp - payload.iat > this.maxLifetimeSeconds) {
            return false;
        }
        const session = await this.sessions.findForCheck(payload.sid);
        if (!session ||
            session.accountId !== payload.sub ||
            session.kind !== payload.typ ||
            session.revokedAt !== null ||
            session.expiresAt <= now ||
            !session.isActive ||
            session.sessionStamp !== session.accountStamp) {
            return false;
        }
        return {
            accountId: session.accountId,
            userName: session.userName,
            sessionId: session.sessionId,
            tokenKind: session.kind,
            roles: session.roles,
            permissions: new Set(session.permissions.filter(permission_1.isPermission)),
            mfaEnabled: session.mfaEnabled,
            mfaVerifiedAt: session.mfaVerifiedAt,
            lockedUntil: session.lockedUntil,
        };
    }
};
exports.JwtStrategy = JwtStrategy;
exports.JwtStrategy = JwtStrategy = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [Object, token_service_1.TokenService,
        sessions_repository_1.SessionsRepository,
        clock_1.Clock])
], JwtStrategy);
//# sourceMappingURL=jwt.strategy.js.map