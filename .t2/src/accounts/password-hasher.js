"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
var __param = (this && this.__param) || function (paramIndex, decorator) {
    return function (target, key) { decorator(target, key, paramIndex); }
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.PasswordHasher = void 0;
const node_crypto_1 = require("node:crypto");
const common_1 = require("@nestjs/common");
const argon2 = __importStar(require("argon2"));
const domain_error_1 = require("../common/problem/domain-error");
const app_config_1 = require("../config/app-config");
/** argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };
/**
 * Password hashing, bounded: at most PASSWORD_HASH_CONCURRENCY hashes run at once, on libuv's
 * pool threads, which the sqlite3 driver needs too (a burst of anonymous sign-ins must not stall
 * every other request); PASSWORD_HASH_QUEUE more wait their turn in order; past that the call is
 * refused with 503 and Retry-After.
 */
let PasswordHasher = class PasswordHasher {
    config;
    dummy;
    running = 0;
    waiting = [];
    constructor(config) {
        this.config = config;
    }
    hash(password) {
        return this.inTurn(() => argon2.hash(password, OPTIONS));
    }
    async verify(hash, password) {
        try {
            return await this.inTurn(() => argon2.verify(hash, password));
        }
        catch (error) {
            if (error instanceof domain_error_1.DomainError)
                throw error;
            return false;
        }
    }
    /** Spends the time a real check would, so an unknown user answers as slowly as a wrong password. */
    async verifyDummy(password) {
        this.dummy ??= argon2.hash((0, node_crypto_1.randomBytes)(16).toString('hex'), OPTIONS);
        await this.verify(await this.dummy, password);
        return false;
    }
    async inTurn(work) {
        if (this.running < this.config.passwordHashConcurrency) {
            this.running++;
        }
        else {
            if (this.waiting.length >= this.config.passwordHashQueue) {
                throw new domain_error_1.DomainError(domain_error_1.ErrorCode.Overloaded, undefined, { headers: { 'Retry-After': '1' } });
            }
            // The finishing hash hands its turn over: `running` stays as it is.
            await new Promise((resolve) => this.waiting.push(resolve));
        }
        try {
            return await work();
        }
        finally {
            const next = this.waiting.shift();
            if (next !== undefined)
                next();
            else
                this.running--;
        }
    }
};
exports.PasswordHasher = PasswordHasher;
exports.PasswordHasher = PasswordHasher = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [Object])
], PasswordHasher);
//# sourceMappingURL=password-hasher.js.map