import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Sql } from '../database/sql';
import { Public } from '../common/auth/auth.decorators';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import { ApiProblems } from '../common/openapi/api-problems.decorator';
import { HTTP_METRICS } from '../common/logging/metrics.provider';
import type { HttpMetrics } from '../common/logging/request-logging';
import { APP_CONFIG, AppConfig } from '../config/app-config';

const READY_TIMEOUT_MS = 2000;

@ApiTags('Operations')
@Controller()
@Public()
export class HealthController {
  constructor(
    private readonly sql: Sql,
    @Inject(HTTP_METRICS) private readonly metrics: HttpMetrics,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('health/live')
  @ApiOperation({ operationId: 'Liveness', summary: 'The process answers', security: [] })
  @ApiOkResponse({
    description: 'The process is up',
    schema: { type: 'object', properties: { status: { type: 'string', example: 'Healthy' } } },
  })
  live(): { status: string } {
    return { status: 'Healthy' };
  }

  @Get('health/ready')
  @ApiOperation({ operationId: 'Readiness', summary: 'The database answers', security: [] })
  @ApiOkResponse({
    description: 'The database answers: the instance can take requests',
    schema: {
      type: 'object',
      properties: {
        status: { type: 'string', example: 'Healthy' },
        checks: {
          type: 'object',
          properties: { database: { type: 'string', example: 'Healthy' } },
        },
      },
    },
  })
  @ApiProblems([503, 'The database does not answer (within 2 s)'])
  async ready(): Promise<{ status: string; checks: { database: string } }> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.sql.ping(),
        new Promise(
          (_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS)),
        ),
      ]);
    } catch {
      throw new DomainError(ErrorCode.DatabaseUnavailable);
    } finally {
      clearTimeout(timer);
    }
    return { status: 'Healthy', checks: { database: 'Healthy' } };
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    operationId: 'Metrics',
    summary: 'Prometheus metrics',
    // Open, or with METRICS_TOKEN set, that token as a bearer token.
    security: [{}, { metricsToken: [] }],
  })
  @ApiOkResponse({
    description: 'Prometheus text format',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiProblems(
    [401, 'METRICS_TOKEN is set and was not sent as the bearer token'],
    [404, 'In production without METRICS_TOKEN the metrics are not served'],
  )
  metricsText(@Headers('authorization') authorization: string | undefined): Promise<string> {
    this.checkMetricsAccess(authorization);
    return this.metrics.registry.metrics();
  }

  /**
   * With METRICS_TOKEN set, a scrape needs it as a bearer token; without it, the metrics are
   * open in development and absent in production (they count sign-in failures).
   */
  private checkMetricsAccess(authorization: string | undefined): void {
    const token = this.config.metricsToken;
    if (token === undefined) {
      if (this.config.production) throw new DomainError(ErrorCode.RouteNotFound);
      return;
    }
    const sent = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
    const expected = createHash('sha256').update(token).digest();
    if (!timingSafeEqual(createHash('sha256').update(sent).digest(), expected)) {
      throw new DomainError(ErrorCode.Unauthenticated);
    }
  }
}
