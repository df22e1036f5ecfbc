import type { NextFunction, Request, Response } from 'express';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppLogger } from './logger';

export interface HttpMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;
}

export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    requests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}

/** Answers the template of the route a path belongs to, when the router did not get that far. */
export type RouteTemplateOf = (path: string) => string | undefined;

/**
 * The route template Express matched; for an answer given before (405, 413, 415, malformed JSON),
 * the template of the path's route; else a fixed label (never the raw path: ids are unbounded).
 */
function routeOf(req: Request, templateOf: RouteTemplateOf): string {
  const route = (req as { route?: { path?: unknown } }).route;
  if (route && typeof route.path === 'string') return `${req.baseUrl}${route.path}`;
  return templateOf(req.path) ?? 'unmatched';
}

/**
 * One log line per request when its answer is finished: trace id, method, route, status and
 * duration; info for 2xx/3xx, warn for 4xx, error for 5xx. Also feeds the request metrics.
 */
export function requestLoggingMiddleware(
  logger: AppLogger,
  metrics: HttpMetrics,
  templateOf: RouteTemplateOf,
) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const status = res.statusCode;
      const route = routeOf(req, templateOf);
      metrics.requests.inc({ method: req.method, route, status: String(status) });
      metrics.duration.observe({ method: req.method, route, status: String(status) }, seconds);
      const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      logger[level](
        {
          traceId: req.traceId,
          method: req.method,
          route,
          path: req.path,
          status,
          durationMs: Math.round(seconds * 1e6) / 1e3,
          clientIp: req.ip,
        },
        'request completed',
      );
    });
    next();
  };
}
