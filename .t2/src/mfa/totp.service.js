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
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.TotpService = exports.TOTP_PERIOD_SECONDS = void 0;
exports.parseSecondFactorCode = parseSecondFactorCode;
const node_crypto_1 = require("node:crypto");
const common_1 = require("@nestjs/common");
const otplib_1 = require("otplib");
const qrcode_1 = __importDefault(require("qrcode"));
const app_config_1 = require("../config/app-config");
const ascii_1 = require("../common/ascii");
/** RFC 6238 with what authenticator apps assume: SHA-1, 6 digits, 30 s steps. */
exports.TOTP_PERIOD_SECONDS = 30;
const RECOVERY_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';
const TOTP_FORMAT = /^[0-9]{6}$/;
const RECOVERY_FORMAT = /^[a-z0-9]{5}-[a-z0-9]{5}$/;
/**
 * Reads a code the way clients send it (a JSON string, a JSON number, raw text, or
 * `{"code": ...}`) and refuses anything not exactly in one of the two canonical forms, before any
 * lookup: no trimming, so " 123456" or "123 456" can never reach the replay check as "123456".
 * A JSON number has lost its leading zeros, so it is padded back to six digits.
 */
function parseSecondFactorCode(input) {
    let value = input;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        const entries = Object.entries(value).filter(([k]) => (0, ascii_1.asciiLower)(k) === 'code');
        if (entries.length !== 1)
            return null;
        value = entries[0][1];
    }
    if (typeof value === 'number') {
        if (!Number.isInteger(value) || value < 0 || value > 999_999)
            return null;
        return { kind: 'totp', code: String(value).padStart(6, '0') };
    }
    if (typeof value !== 'string' || value.length > 32)
        return null;
    if (TOTP_FORMAT.test(value))
        return { kind: 'totp', code: value };
    const lowered = (0, ascii_1.asciiLower)(value);
    if (RECOVERY_FORMAT.test(lowered))
        return { kind: 'recovery', code: lowered };
    return null;
}
let TotpService = class TotpService {
    config;
    constructor(config) {
        this.config = config;
    }
    /** 20 random bytes (160 bits, RFC 4226's recommendation), base32. */
    generateSecret() {
        return (0, otplib_1.generateSecret)({ length: 20 });
    }
    otpauthUri(secret, accountName) {
        return (0, otplib_1.generateURI)({ issuer: this.config.mfa.issuer, label: accountName, secret });
    }
    qrCodeSvg(uri) {
        return qrcode_1.default.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    }
    /**
     * The RFC 6238 time step the code belongs to, within one step of drift either way, or null.
     * The caller spends the step (accepts it only if later than the last one accepted).
     */
    async matchStep(secret, code, now) {
        if (!TOTP_FORMAT.test(code))
            return null;
        const epoch = Math.floor(now.getTime() / 1000);
        try {
            const result = await (0, otplib_1.verify)({
                secret,
                token: code,
                epoch,
                epochTolerance: exports.TOTP_PERIOD_SECONDS,
            });
            if (!result.valid)
                return null;
            return Math.floor(epoch / exports.TOTP_PERIOD_SECONDS) + result.delta;
        }
        catch {
            return null;
        }
    }
    generateRecoveryCodes(count = 10) {
        const one = () => Array.from({ length: 10 }, () => RECOVERY_ALPHABET[(0, node_crypto_1.randomInt)(RECOVERY_ALPHABET.length)]).join('');
        return Array.from({ length: count }, () => {
            const raw = one();
            return `${raw.slice(0, 5)}-${raw.slice(5)}`;
        });
    }
};
exports.TotpService = TotpService;
exports.TotpService = TotpService = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [Object])
], TotpService);
//# sourceMappingURL=totp.service.js.map