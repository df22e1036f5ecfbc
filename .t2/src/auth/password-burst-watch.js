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
exports.PasswordBurstWatch = void 0;
const common_1 = require("@nestjs/common");
const clock_1 = require("../common/clock");
const logger_1 = require("../common/logging/logger");
const metrics_provider_1 = require("../common/logging/metrics.provider");
const app_config_1 = require("../config/app-config");
const WINDOW_MS = 60_000;
/** Accounts watched at once; the oldest window is dropped past that (memory stays bounded). */
const MAX_WATCHED = 10_000;
/**
 * Wrong passwords never lock an account (anyone could lock anyone out that way); a burst of them
 * against one account is made visible instead: one warn line and one count in the metrics per
 * account and minute once PASSWORD_BURST_THRESHOLD is reached. Per instance, in memory.
 */
let PasswordBurstWatch = class PasswordBurstWatch {
    config;
    logger;
    metrics;
    clock;
    windows = new Map();
    constructor(config, logger, metrics, clock) {
        this.config = config;
        this.logger = logger;
        this.metrics = metrics;
        this.clock = clock;
    }
    wrongPassword(account, context) {
        const now = this.clock.now().getTime();
        let window = this.windows.get(account.id);
        if (window === undefined || now - window.since > WINDOW_MS) {
            this.windows.delete(account.id);
            if (this.windows.size >= MAX_WATCHED) {
                const oldest = this.windows.keys().next().value;
                if (oldest !== undefined)
                    this.windows.delete(oldest);
            }
            window = { since: now, failures: 0, reported: false };
            this.windows.set(account.id, window);
        }
        window.failures++;
        if (window.reported || window.failures < this.config.passwordBurstThreshold)
            return;
        window.reported = true;
        this.metrics.passwordBursts.inc();
        this.logger.warn({
            traceId: context.traceId,
            accountId: account.id,
            userName: account.name,
            failures: window.failures,
            windowSeconds: WINDOW_MS / 1000,
            clientIp: context.clientIp,
        }, 'burst of wrong passwords against one account');
    }
};
exports.PasswordBurstWatch = PasswordBurstWatch;
exports.PasswordBurstWatch = PasswordBurstWatch = __decorate([
    (0, common_1.Injectable)(),
    __param(0, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __param(1, (0, common_1.Inject)(logger_1.APP_LOGGER)),
    __param(2, (0, common_1.Inject)(metrics_provider_1.HTTP_METRICS)),
    __metadata("design:paramtypes", [Object, Object, Object, clock_1.Clock])
], PasswordBurstWatch);
//# sourceMappingURL=password-burst-watch.js.map