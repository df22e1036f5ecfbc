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
exports.HealthController = void 0;
const node_crypto_1 = require("node:crypto");
const common_1 = require("@nestjs/common");
const swagger_1 = require("@nestjs/swagger");
const typeorm_1 = require("typeorm");
const auth_decorators_1 = require("../common/auth/auth.decorators");
const domain_error_1 = require("../common/problem/domain-error");
const api_problems_decorator_1 = require("../common/openapi/api-problems.decorator");
const metrics_provider_1 = require("../common/logging/metrics.provider");
const app_config_1 = require("../config/app-config");
const READY_TIMEOUT_MS = 2000;
let HealthController = class HealthController {
    dataSource;
    metrics;
    config;
    constructor(dataSource, metrics, config) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.config = config;
    }
    live() {
        return { status: 'Healthy' };
    }
    async ready() {
        let timer;
        try {
            await Promise.race([
                this.dataSource.query('SELECT 1'),
                new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS))),
            ]);
        }
        catch {
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.DatabaseUnavailable);
        }
        finally {
            clearTimeout(timer);
        }
        return { status: 'Healthy', checks: { database: 'Healthy' } };
    }
    metricsText(authorization) {
        this.checkMetricsAccess(authorization);
        return this.metrics.registry.metrics();
    }
    /**
     * With METRICS_TOKEN set, a scrape needs it as a bearer token; without it, the metrics are
     * open in development and absent in production (they count sign-in failures).
     */
    checkMetricsAccess(authorization) {
        const token = this.config.metricsToken;
        if (token === undefined) {
            if (this.config.production)
                throw new domain_error_1.DomainError(domain_error_1.ErrorCode.RouteNotFound);
            return;
        }
        const sent = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
        const expected = (0, node_crypto_1.createHash)('sha256').update(token).digest();
        if (!(0, node_crypto_1.timingSafeEqual)((0, node_crypto_1.createHash)('sha256').update(sent).digest(), expected)) {
            throw new domain_error_1.DomainError(domain_error_1.ErrorCode.Unauthenticated);
        }
    }
};
exports.HealthController = HealthController;
__decorate([
    (0, common_1.Get)('health/live'),
    (0, swagger_1.ApiOperation)({ operationId: 'Liveness', summary: 'The process answers' }),
    (0, swagger_1.ApiOkResponse)({
        schema: { type: 'object', properties: { status: { type: 'string', example: 'Healthy' } } },
    }),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Object)
], HealthController.prototype, "live", null);
__decorate([
    (0, common_1.Get)('health/ready'),
    (0, swagger_1.ApiOperation)({ operationId: 'Readiness', summary: 'The database answers' }),
    (0, swagger_1.ApiOkResponse)({
        schema: { type: 'object', properties: { status: { type: 'string', example: 'Healthy' } } },
    }),
    (0, api_problems_decorator_1.ApiProblems)(503),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", []),
    __metadata("design:returntype", Promise)
], HealthController.prototype, "ready", null);
__decorate([
    (0, common_1.Get)('metrics'),
    (0, common_1.Header)('Content-Type', 'text/plain; version=0.0.4; charset=utf-8'),
    (0, swagger_1.ApiOperation)({ operationId: 'Metrics', summary: 'Prometheus metrics' }),
    (0, swagger_1.ApiOkResponse)({ content: { 'text/plain': { schema: { type: 'string' } } } }),
    (0, api_problems_decorator_1.ApiProblems)(401, 404),
    __param(0, (0, common_1.Headers)('authorization')),
    __metadata("design:type", Function),
    __metadata("design:paramtypes", [Object]),
    __metadata("design:returntype", Promise)
], HealthController.prototype, "metricsText", null);
exports.HealthController = HealthController = __decorate([
    (0, swagger_1.ApiTags)('Operations'),
    (0, common_1.Controller)(),
    (0, auth_decorators_1.Public)(),
    __param(1, (0, common_1.Inject)(metrics_provider_1.HTTP_METRICS)),
    __param(2, (0, common_1.Inject)(app_config_1.APP_CONFIG)),
    __metadata("design:paramtypes", [typeorm_1.DataSource, Object, Object])
], HealthController);
//# sourceMappingURL=health.controller.js.map