import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { pathOf } from '../http/request-context';
import { AppLogger } from './logger';

export interface HttpMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route' | 'status'>;
  /** First-factor failures, by reason (password, unknown-user, disabled, locked). */
  readonly signInFailures: Counter<'reason'>;
  /** Bursts of wrong passwords against one account (PASSWORD_BURST_THRESHOLD within a minute). */
  readonly passwordBursts: Counter;
  /** Failed second steps (a code or recovery code at /signin2fa or the enrolment's confirmation). */
  readonly secondFactorFailures: Counter<'step'>;
  /** Accounts reset (outcome success) and reset calls refused by the reset service, by way in. */
  readonly resets: Counter<'way' | 'outcome'>;
  /** Accounts locked by failed second-factor attempts. */
  readonly lockouts: Counter;
  /** Step-up refusals, by reason (required, invalid, method). */
  readonly stepUpRefusals: Counter<'reason'>;
  /** Audit chain verifications, by result (valid, invalid). */
  readonly auditChainVerifications: Counter<'result'>;
  /** Calls refused for their API key, by reason (malformed, unknown, revoked, expired, ...). */
  readonly apiKeyRefusals: Counter<'reason'>;
  /** Accounts reset, and reset calls refused by the burst guard, by the caller's budget role. */
  readonly resetsByRole: Counter<'role' | 'outcome'>;
  /** Messages of the outbox, by kind and outcome (smtp, log, none, retry, failed). */
  readonly messages: Counter<'kind' | 'outcome'>;
  /** Idempotency-Key answers, by outcome (stored, replayed, conflict, in-flight). */
  readonly idempotency: Counter<'outcome'>;
}

/** Every label value a domain counter takes, so that each series exists (at 0) from the start. */
const DOMAIN_LABELS = {
  way: ['id', 'name', 'batch', 'own'],
  outcome: ['success', 'not-found', 'not-allowed', 'burst-blocked'],
  messageKind: ['mfa.reset', 'account.locked', 'mfa.enrolled', 'account.email-changed'],
  messageOutcome: ['smtp', 'log', 'none', 'retry', 'failed'],
  idempotency: ['stored', 'replayed', 'reused', 'in-flight'],
  step: ['sign-in', 'enrolment'],
  stepUpReason: ['required', 'invalid', 'method'],
  result: ['valid', 'invalid'],
  apiKeyReason: [
    'malformed',
    'unknown',
    'revoked',
    'expired',
    'owner-disabled',
    'credentials-changed',
    'user-id-mismatch',
  ],
};

function zeroed(metrics: HttpMetrics): HttpMetrics {
  const { way, outcome, step, stepUpReason, result, apiKeyReason } = DOMAIN_LABELS;
  for (const k of DOMAIN_LABELS.messageKind)
    for (const o of DOMAIN_LABELS.messageOutcome)
      metrics.messages.labels({ kind: k, outcome: o }).inc(0);
  for (const o of DOMAIN_LABELS.idempotency) metrics.idempotency.labels({ outcome: o }).inc(0);
  for (const w of way)
    for (const o of outcome) metrics.resets.labels({ way: w, outcome: o }).inc(0);
  for (const s of step) metrics.secondFactorFailures.labels({ step: s }).inc(0);
  for (const r of stepUpReason) metrics.stepUpRefusals.labels({ reason: r }).inc(0);
  for (const r of result) metrics.auditChainVerifications.labels({ result: r }).inc(0);
  for (const r of apiKeyReason) metrics.apiKeyRefusals.labels({ reason: r }).inc(0);
  return metrics;
}

export function createHttpMetrics(): HttpMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return zeroed({
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
    signInFailures: new Counter({
      name: 'mfa_admin_sign_in_failures_total',
      help: 'Failed first sign-in steps, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    passwordBursts: new Counter({
      name: 'mfa_admin_password_bursts_total',
      help: 'Bursts of wrong passwords against one account',
      registers: [registry],
    }),
    secondFactorFailures: new Counter({
      name: 'mfa_admin_second_factor_failures_total',
      help: 'Failed second steps (wrong, replayed or malformed codes), by step',
      labelNames: ['step'],
      registers: [registry],
    }),
    resets: new Counter({
      name: 'mfa_admin_resets_total',
      help: 'Accounts whose MFA was reset (outcome success), and reset calls refused (not-found, not-allowed), by way in (id, name, batch, own)',
      labelNames: ['way', 'outcome'],
      registers: [registry],
    }),
    lockouts: new Counter({
      name: 'mfa_admin_lockouts_total',
      help: 'Accounts locked after consecutive failed second-factor attempts',
      registers: [registry],
    }),
    stepUpRefusals: new Counter({
      name: 'mfa_admin_step_up_refusals_total',
      help: 'Sensitive calls refused for want of a valid step-up proof, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    apiKeyRefusals: new Counter({
      name: 'mfa_admin_api_key_refusals_total',
      help: 'Calls refused for their API key, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
    auditChainVerifications: new Counter({
      name: 'mfa_admin_audit_chain_verifications_total',
      help: 'Audit chain verifications, by result',
      labelNames: ['result'],
      registers: [registry],
    }),
    resetsByRole: new Counter({
      name: 'mfa_admin_resets_by_role_total',
      help: 'Accounts reset (outcome reset) and reset calls refused by the burst guard (outcome burst-blocked), by the role whose reset budget applied',
      labelNames: ['role', 'outcome'],
      registers: [registry],
    }),
    messages: new Counter({
      name: 'mfa_admin_messages_total',
      help: 'Messages to account holders (reset, lock-out, enrolment), by kind and delivery outcome (smtp, log, none, retry, failed)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    idempotency: new Counter({
      name: 'mfa_admin_idempotency_total',
      help: 'Calls with an Idempotency-Key, by outcome (stored, replayed, reused: 422, in-flight: 409)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  });
}

/** Answers the template of the route a path belongs to, when the router did not get that far. */
export type RouteTemplateOf = (path: string) => string | undefined;

/**
 * The route template the router matched; for an answer given before the route counts (405) or
 * without one (404), the template of the path's route; else a fixed label (never the raw path:
 * ids are unbounded).
 */
function routeOf(req: FastifyRequest, status: number, templateOf: RouteTemplateOf): string {
  const matched = req.is404 || status === 405 ? undefined : req.routeOptions.url;
  return matched ?? templateOf(pathOf(req)) ?? 'unmatched';
}

/**
 * One log line per request when its answer is finished: trace id, method, route, status and
 * duration; info for 2xx/3xx, warn for 4xx, error for 5xx. Also feeds the request metrics.
 */
export function requestLoggingHook(
  logger: AppLogger,
  metrics: HttpMetrics,
  templateOf: RouteTemplateOf,
) {
  // The metric series of each method, route and status, looked up once (prom-client would hash
  // the labels on every call).
  const series = new Map<string, { count: () => void; observe: (seconds: number) => void }>();
  const seriesOf = (method: string, route: string, status: number) => {
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
  return (req: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
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
    logger[level](
      {
        traceId: req.traceId,
        method: req.method,
        route,
        path: pathOf(req),
        status,
        durationMs: Math.round(reply.elapsedTime * 1e3) / 1e3,
        clientIp: req.ip,
      },
      'request completed',
    );
    done();
  };
}
