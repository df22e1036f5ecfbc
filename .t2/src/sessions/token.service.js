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
exports.TokenService = exports.JWT_ALGORITHM = void 0;
const node_crypto_1 = require("node:crypto");
const common_1 = require("@nestjs/common");
const jsonwebtoken_1 = require("jsonwebtoken");
const app_config_1 = require("../config/app-config");
exports.JWT_ALGORITHM = 'HS256';
let TokenService = class TokenService {
    config;
    /** Made once: jsonwebtoken would otherwise turn a string secret into a key on every call. */
    key;
    constructor(config) {
        this.config = config;
        this.key = (0, node_crypto_1.createSecretKey)(config.jwt.secret);
    }
    issue(claims, expiresAt, now) {
        const iat = Math.floor(now.getTime() / 1000);
        return (0, jsonwebtoken_1.sign)({ ...claims, iat, exp: Math.floor(expiresAt.getTime() / 1000) }, this.key, {
            algorithm: exports.JWT_ALGORITHM,
            issuer: this.config.jwt.issuer,
            audience: this.config.jwt.audience,
        });
    }
};
exports.TokenService = TokenService;
exports.TokenService = TokenService = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [Object])
], TokenService);
//# sourceMappingURL=token.service.js.map