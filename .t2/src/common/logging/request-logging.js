"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createHttpMetrics = createHttpMetrics;
exports.requestLoggingHook = requestLoggingHook;
const prom_client_1 = require("prom-client");
const request_context_1 = require("../http/request-context");
function createHttpMetrics() {
    const registry = new prom_client_1.Registry();
    (0, prom_client_1.collectDefaultMetrics)({ register: registry });
    return {
        registry,
        requests: new prom_client_1.Counter({
            name: 'http_requests_total',
            help: 'HTTP requests answered, by method, route and status',
            labelNames: ['method', 'route', 'status'],
            registers: [registry],
        }),
        duration: new prom_client_1.Histogram({
            name: 'http_request_duration_seconds',
            help: 'HTTP request duration in seconds, by method, route and status',
            labelNames: ['method', 'route', 'status'],
            buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
            registers: [registry],
        }),
        signInFailures: new prom_client_1.Counter({
            name: 'mfa_admin_sign_in_failures_total',
            help: 'Failed first sign-in steps, by reason',
            labelNames: ['reason'],
            registers: [registry],
        }),
        passwordBursts: new prom_client_1.Counter({
            name: 'mfa_admin_password_bursts_total',
            help: 'Bursts of wrong passwords against one account',
            registers: [registry],
        }),
    };
}
/**
 * The route template the router matched; for an answer given before the route counts (405) or
 * without one (404), the template of the path's route; else a fixed label (never the raw path:
 * ids are unbounded).
 */
function routeOf(req, status, templateOf) {
    const matched = req.is404 || status === 405 ? undefined : req.routeOptions.url;
    return matched ?? templateOf((0, request_context_1.pathOf)(req)) ?? 'unmatched';
}
/**
 * One log line per request when its answer is finished: trace id, method, route, status and
 * duration; info for 2xx/3xx, warn for 4xx, error for 5xx. Also feeds the request metrics.
 */
function requestLoggingHook(logger, metrics, templateOf) {
    // The metric series of each method, route and status, looked up once (prom-client would hash
    // the labels on every call).
    const series = new Map();
    const seriesOf = (method, route, status) => {
        const key = `${method} ${route} ${status}`;
        let found = series.get(key);
        if (found === undefined) {
            const labels = { method, route, status: String(status) };
            const counter = metrics.requests.labels(labels);
            const histogram = metrics.duration.labels(labels);
            found = { count: () => counter.inc(), observe: (seconds) => histogram.observe(seconds) };
            series.set(key, found);
        }
        return found;
    };
    return (req, reply, done) => {
        const status = reply.statusCode;
        const route = routeOf(req, status, templateOf);
        const metric = seriesOf(req.method, route, status);
        metric.count();
        metric.observe(reply.elapsedTime / 1e3);
        const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
        if (!logger.isLevelEnabled(level)) {
            done();
            return;
        }
        logger[level]({
            traceId: req.traceId,
            method: req.method,
            route,
            path: (0, request_context_1.pathOf)(req),
            status,
            durationMs: Math.round(reply.elapsedTime * 1e3) / 1e3,
            clientIp: req.ip,
        }, 'request completed');
        done();
    };
}
//# sourceMappingURL=request-logging.js.map