import type { HttpMetrics } from '../common/logging/request-logging';
import { DomainError, ErrorCode } from '../common/problem/domain-error';

/** Counts the refusals of a key under its outcome label. */
export function countIdempotency(metrics: HttpMetrics, error: unknown): void {
  if (!(error instanceof DomainError)) return;
  if (error.code === ErrorCode.IdempotencyKeyReused)
    metrics.idempotency.labels({ outcome: 'reused' }).inc();
  else if (
    error.code === ErrorCode.IdempotencyKeyInFlight ||
    error.code === ErrorCode.IdempotencyOutcomeUnknown
  )
    metrics.idempotency.labels({ outcome: 'in-flight' }).inc();
}
