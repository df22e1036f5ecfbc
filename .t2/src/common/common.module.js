"use strict";
var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var CommonModule_1;
Object.defineProperty(exports, "__esModule", { value: true });
exports.CommonModule = void 0;
const common_1 = require("@nestjs/common");
const core_1 = require("@nestjs/core");
const app_config_1 = require("../config/app-config");
const clock_1 = require("./clock");
const route_catalog_1 = require("./http/route-catalog");
const logger_1 = require("./logging/logger");
const metrics_provider_1 = require("./logging/metrics.provider");
const problem_details_filter_1 = require("./problem/problem-details.filter");
/** Cross-cutting singletons: configuration, logger, metrics, clock, route catalog, problem filter. */
let CommonModule = CommonModule_1 = class CommonModule {
    static forRoot(config, logger, metrics, clock) {
        return {
            module: CommonModule_1,
            imports: [core_1.DiscoveryModule],
            providers: [
                { provide: app_config_1.APP_CONFIG, useValue: config },
                { provide: logger_1.APP_LOGGER, useValue: logger },
                { provide: metrics_provider_1.HTTP_METRICS, useValue: metrics },
                { provide: clock_1.Clock, useValue: clock },
                route_catalog_1.RouteCatalog,
                problem_details_filter_1.ProblemDetailsFilter,
            ],
            exports: [app_config_1.APP_CONFIG, logger_1.APP_LOGGER, metrics_provider_1.HTTP_METRICS, clock_1.Clock, route_catalog_1.RouteCatalog, problem_details_filter_1.ProblemDetailsFilter],
        };
    }
};
exports.CommonModule = CommonModule;
exports.CommonModule = CommonModule = CommonModule_1 = __decorate([
    (0, common_1.Global)(),
    (0, common_1.Module)({})
], CommonModule);
//# sourceMappingURL=common.module.js.map