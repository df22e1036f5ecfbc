import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from './domain-error';
import { ProblemAnswer, problemFor } from './problem-details';

/** The error shapes of the systems whose calls this service also serves. */
export type ErrorDialect = 'rocket-chat' | 'rocket-chat-login' | 'zabbix';

/** A route's dialect: set in its Fastify route config (`@RouteConfig({ errorDialect })`). */
export function dialectOf(req: FastifyRequest): ErrorDialect | undefined {
  const config = req.routeOptions?.config as { errorDialect?: ErrorDialect } | undefined;
  return config?.errorDialect;
}

/** Rocket.Chat's own wording where its documentation gives one. */
const ROCKET_CHAT_ERRORS: Partial<Record<ErrorCode, string>> = {
  [ErrorCode.AccountNotFound]:
    'The required "userId" or "username" param provided does not match any users [error-invalid-user]',
};

/**
 * A failure as Rocket.Chat answers it: 401 `{"status": "error", "message": "You must be logged in
 * to do this."}`; every other refusal `{"success": false, "error": "<message> [<type>]",
 * "errorType", "details"?}`, with 400 for what the caller can correct (as the seed's examples),
 * and the service's own status for limits and faults (429, 5xx).
 */
function rocketChatAnswer(error: DomainError, problem: ProblemAnswer): ProblemAnswer {
  const headers = { ...problem.headers, 'Content-Type': 'application/json; charset=utf-8' };
  if (problem.status === 401) {
    const body = { status: 'error', message: 'You must be logged in to do this.' };
    return { ...problem, headers, body: JSON.stringify(body) };
  }
  const { body: parsed } = problemFor(error, '', '');
  const firstError = Object.values(parsed.errors ?? {})[0]?.[0];
  const errorType =
    parsed.errorType ?? (parsed.errors !== undefined ? 'error-invalid-params' : 'error');
  const message =
    ROCKET_CHAT_ERRORS[error.code] ??
    (parsed.detail.includes(`[${errorType}]`)
      ? parsed.detail
      : `${firstError ?? parsed.detail} [${errorType}]`);
  const body = {
    success: false,
    error: message,
    errorType,
    ...(parsed.details !== undefined ? { details: parsed.details } : {}),
  };
  const status = problem.status >= 429 ? problem.status : 400;
  return { ...problem, status, headers, body: JSON.stringify(body) };
}

/**
 * Rocket.Chat's login refusals: 401 `{"status": "error", "error": "Unauthorized", "message":
 * "Unauthorized"}` for a wrong login or password; a code asked for or refused is 401 with
 * `error` `totp-required` / `totp-invalid` and the details; the rest as its other calls.
 */
function rocketChatLoginAnswer(error: DomainError, problem: ProblemAnswer): ProblemAnswer {
  const { body: parsed } = problemFor(error, '', '');
  const code = parsed.errorType;
  if (code !== 'totp-required' && code !== 'totp-invalid' && problem.status !== 401)
    return rocketChatAnswer(error, problem);
  const headers = { ...problem.headers, 'Content-Type': 'application/json; charset=utf-8' };
  const body =
    code === 'totp-required' || code === 'totp-invalid'
      ? {
          status: 'error',
          error: code,
          message: code === 'totp-required' ? 'TOTP Required' : 'TOTP Invalid',
          ...(parsed.details !== undefined ? { details: parsed.details } : {}),
          ...(error.detail !== undefined ? { reason: error.detail } : {}),
        }
      : { status: 'error', error: 'Unauthorized', message: 'Unauthorized' };
  return { ...problem, status: 401, headers, body: JSON.stringify(body) };
}

/** The answer in the route's dialect, or the problem details as they are. */
export function inDialect(
  dialect: ErrorDialect | undefined,
  error: DomainError,
  problem: ProblemAnswer,
): ProblemAnswer {
  if (dialect === 'rocket-chat') return rocketChatAnswer(error, problem);
  if (dialect === 'rocket-chat-login') return rocketChatLoginAnswer(error, problem);
  return problem;
}
