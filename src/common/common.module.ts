import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from './clock';
import { RouteCatalog } from './http/route-catalog';
import { APP_LOGGER, AppLogger } from './logging/logger';
import { HTTP_METRICS } from './logging/metrics.provider';
import { HttpMetrics } from './logging/request-logging';
import { ProblemDetailsFilter } from './problem/problem-details.filter';

/** Cross-cutting singletons: configuration, logger, metrics, clock, route catalog, problem filter. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(
    config: AppConfig,
    logger: AppLogger,
    metrics: HttpMetrics,
    clock: Clock,
  ): DynamicModule {
    return {
      module: CommonModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: APP_LOGGER, useValue: logger },
        { provide: HTTP_METRICS, useValue: metrics },
        { provide: Clock, useValue: clock },
        RouteCatalog,
        ProblemDetailsFilter,
      ],
      exports: [APP_CONFIG, APP_LOGGER, HTTP_METRICS, Clock, RouteCatalog, ProblemDetailsFilter],
    };
  }
}
