import { HttpException } from '@nestjs/common';
import { DomainError, ErrorCode } from './domain-error';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  // query_canceled: the server's statement_timeout cut a statement short (the database too slow).
  '57014',
  'SQLITE_BUSY',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);

/** True for failures that mean "the database is not reachable now", not "the query is wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e: unknown = error, depth = 0;
    e !== null && typeof e === 'object' && depth < 4;
    depth++
  ) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08')))
      return true;
    if (
      typeof message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client was closed and is not queryable|Connection is not established|SQLITE_BUSY|database is locked|SQLITE_MISUSE: Database is closed/i.test(
        message,
      )
    ) {
      return true;
    }
    e =
      (e as { driverError?: unknown; cause?: unknown }).driverError ??
      (e as { cause?: unknown }).cause;
  }
  return false;
}

const BY_STATUS: Record<number, ErrorCode> = {
  401: ErrorCode.Unauthenticated,
  403: ErrorCode.PermissionDenied,
  404: ErrorCode.RouteNotFound,
  405: ErrorCode.MethodNotAllowed,
  413: ErrorCode.PayloadTooLarge,
  415: ErrorCode.UnsupportedMediaType,
  429: ErrorCode.RateLimited,
  503: ErrorCode.DatabaseUnavailable,
};

/**
 * Turns whatever was thrown into a domain error. Framework exceptions (Fastify's refusals of a body
 * or URL among them: Nest maps those to HttpException) keep their status but not their message
 * (it may name internals); anything unknown becomes the generic 500.
 */
export function toDomainError(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 400) return DomainError.validation({ $: ['The request is invalid.'] });
    const code = BY_STATUS[status];
    if (code !== undefined) return new DomainError(code);
    return new DomainError(ErrorCode.Unexpected);
  }
  if (isDatabaseUnavailable(error)) return new DomainError(ErrorCode.DatabaseUnavailable);
  return new DomainError(ErrorCode.Unexpected);
}
