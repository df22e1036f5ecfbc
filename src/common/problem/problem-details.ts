import { DomainError, ErrorCode, ValidationErrors } from './domain-error';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** RFC 9457 problem details as ASP.NET Core shapes them, plus the seeds' extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  traceId: string;
  errorType?: string;
  errors?: ValidationErrors;
  details?: Record<string, unknown>;
  missingIds?: string[];
}

interface StatusInfo {
  readonly type: string;
  readonly title: string;
}

const RFC9110 = 'https://tools.ietf.org/html/rfc9110#section-';
const STATUS: Record<number, StatusInfo> = {
  400: { type: `${RFC9110}15.5.1`, title: 'Bad Request' },
  401: { type: `${RFC9110}15.5.2`, title: 'Unauthorized' },
  403: { type: `${RFC9110}15.5.4`, title: 'Forbidden' },
  404: { type: `${RFC9110}15.5.5`, title: 'Not Found' },
  405: { type: `${RFC9110}15.5.6`, title: 'Method Not Allowed' },
  408: { type: `${RFC9110}15.5.9`, title: 'Request Timeout' },
  409: { type: `${RFC9110}15.5.10`, title: 'Conflict' },
  413: { type: `${RFC9110}15.5.14`, title: 'Content Too Large' },
  415: { type: `${RFC9110}15.5.16`, title: 'Unsupported Media Type' },
  422: { type: `${RFC9110}15.5.21`, title: 'Unprocessable Content' },
  429: { type: 'https://tools.ietf.org/html/rfc6585#section-4', title: 'Too Many Requests' },
  431: {
    type: 'https://tools.ietf.org/html/rfc6585#section-5',
    title: 'Request Header Fields Too Large',
  },
  500: { type: `${RFC9110}15.6.1`, title: 'An error occurred while processing your request.' },
  503: { type: `${RFC9110}15.6.4`, title: 'Service Unavailable' },
};

interface CodeMapping {
  readonly status: number;
  readonly detail: string;
  readonly errorType?: string;
  readonly title?: string;
}

const VALIDATION_TITLE = 'One or more validation errors occurred.';

/** Exhaustive: adding an ErrorCode without a mapping does not compile. */
const MAPPING = {
  [ErrorCode.ValidationFailed]: {
    status: 400,
    detail: 'See the errors property for details.',
    title: VALIDATION_TITLE,
  },
  [ErrorCode.StepUpRequired]: {
    status: 400,
    detail: 'TOTP Required [totp-required]',
    errorType: 'totp-required',
  },
  [ErrorCode.StepUpInvalid]: {
    status: 400,
    detail: 'TOTP Invalid [totp-invalid]',
    errorType: 'totp-invalid',
  },
  [ErrorCode.Unauthenticated]: { status: 401, detail: 'You must be signed in to do this.' },
  [ErrorCode.SignInFailed]: { status: 401, detail: 'Invalid login or password.' },
  [ErrorCode.SecondFactorInvalid]: {
    status: 401,
    detail: 'TOTP Invalid [totp-invalid]',
    errorType: 'totp-invalid',
  },
  [ErrorCode.PermissionDenied]: {
    status: 403,
    detail: 'Not allowed [error-not-allowed]',
    errorType: 'error-not-allowed',
  },
  [ErrorCode.TargetNotAllowed]: {
    status: 403,
    detail: 'Not allowed [error-not-allowed]',
    errorType: 'error-not-allowed',
  },
  [ErrorCode.AccountNotFound]: {
    status: 404,
    detail: 'User not found',
    errorType: 'error-invalid-user',
  },
  [ErrorCode.AccountsNotFound]: {
    status: 404,
    detail: 'User not found',
    errorType: 'error-invalid-user',
  },
  [ErrorCode.RoleNotFound]: { status: 404, detail: 'Role not found' },
  [ErrorCode.ApiKeyNotFound]: { status: 404, detail: 'API key not found' },
  [ErrorCode.RouteNotFound]: { status: 404, detail: 'No resource matches the request path.' },
  [ErrorCode.MethodNotAllowed]: {
    status: 405,
    detail: 'The resource does not support this method.',
  },
  [ErrorCode.CrossSiteRequest]: {
    status: 403,
    detail:
      'A page of another site sent this request from a browser; the service takes calls from scripts and from its own pages only.',
    errorType: 'cross-site-request',
  },
  [ErrorCode.UserNameTaken]: { status: 409, detail: 'The user name is already taken.' },
  [ErrorCode.MfaAlreadyEnabled]: {
    status: 409,
    detail: 'MFA is already enabled for this account.',
  },
  [ErrorCode.NoPendingEnrollment]: {
    status: 409,
    detail: 'No enrolment is pending: call Enroll first.',
  },
  [ErrorCode.LastRoleManager]: {
    status: 409,
    detail: 'The last account able to manage roles cannot lose that permission.',
  },
  [ErrorCode.AdminRoleFixed]: {
    status: 409,
    detail: 'The Admin role always holds every permission.',
  },
  [ErrorCode.Overloaded]: {
    status: 503,
    detail:
      'Too many passwords are being checked at once, or checking them is unavailable; try again shortly.',
  },
  [ErrorCode.PayloadTooLarge]: { status: 413, detail: 'The request body is larger than 64 KiB.' },
  [ErrorCode.UnsupportedMediaType]: { status: 415, detail: 'The request body must be JSON.' },
  [ErrorCode.HeadersTooLarge]: { status: 431, detail: 'The request head is larger than 16 KiB.' },
  [ErrorCode.RequestTimeout]: {
    status: 408,
    detail: 'The request did not arrive in time.',
  },
  [ErrorCode.RateLimited]: {
    status: 429,
    detail: 'Too many sign-in attempts from this address; try again later.',
  },
  [ErrorCode.ResetBudgetExceeded]: {
    status: 429,
    detail:
      'Reset budget exceeded: this caller has reset too many accounts in the last 10 minutes; retry after Retry-After seconds.',
    errorType: 'reset-budget-exceeded',
  },
  [ErrorCode.IdempotencyKeyReused]: {
    status: 422,
    detail: 'This Idempotency-Key was used for a different request.',
    errorType: 'idempotency-key-reused',
  },
  [ErrorCode.IdempotencyKeyInFlight]: {
    status: 409,
    detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
    errorType: 'idempotency-key-in-flight',
  },
  [ErrorCode.IdempotencyOutcomeUnknown]: {
    status: 409,
    detail:
      'The request with this Idempotency-Key was carried out but its answer was lost; the audit log has what it did. It is not carried out again.',
    errorType: 'idempotency-outcome-unknown',
  },
  [ErrorCode.EnrollmentCodeRequired]: {
    status: 401,
    detail:
      "This account's MFA was reset: enrolling again needs the one-time enrolment code (enrollmentCode) from the help desk.",
    errorType: 'enrollment-code-required',
  },
  [ErrorCode.EnrollmentCodeInvalid]: {
    status: 401,
    detail: 'The enrolment code is wrong, used or expired; ask the help desk for a new reset.',
    errorType: 'enrollment-code-invalid',
  },
  [ErrorCode.DatabaseUnavailable]: {
    status: 503,
    detail: 'The database is unavailable; try again shortly.',
  },
  [ErrorCode.SecretKeyUnavailable]: {
    status: 503,
    detail:
      "The key that encrypted this account's TOTP secret is not configured; an administrator can restore it or reset the account's MFA.",
  },
  [ErrorCode.Unexpected]: {
    status: 500,
    detail: 'An unexpected error occurred. Quote the traceId when reporting it.',
  },
} as const satisfies Record<ErrorCode, CodeMapping>;

export interface ProblemResponse {
  readonly status: number;
  readonly body: ProblemDetails;
  readonly headers: Record<string, string>;
}

export function problemFor(error: DomainError, instance: string, traceId: string): ProblemResponse {
  const mapping: CodeMapping = MAPPING[error.code];
  const info = STATUS[mapping.status] ?? STATUS[500];
  const ext = error.extensions;
  const body: ProblemDetails = {
    type: info.type,
    title: mapping.title ?? info.title,
    status: mapping.status,
    detail: error.detail ?? mapping.detail,
    instance,
    traceId,
  };
  if (mapping.errorType !== undefined) body.errorType = mapping.errorType;
  if (ext.errors !== undefined) body.errors = ext.errors;
  if (ext.details !== undefined) body.details = ext.details;
  if (ext.missingIds !== undefined) body.missingIds = ext.missingIds;
  return { status: mapping.status, body, headers: { ...ext.headers } };
}

export function statusOf(code: ErrorCode): number {
  return MAPPING[code].status;
}

/** A problem answer ready to send: status, every header it needs, and the body text. */
export interface ProblemAnswer {
  readonly status: number;
  readonly title: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The one way a failure becomes an answer, whoever sends it: the exception filter, a refusal
 * before routing, or the socket-level refusal of a request that never became one.
 * `authorization` is the request's header (a 401 names an invalid token only when one was sent);
 * `retryAfter`, what a rate limit already said.
 */
export function problemAnswer(
  error: DomainError,
  instance: string,
  traceId: string,
  request: { readonly authorization?: string; readonly retryAfter?: string } = {},
): ProblemAnswer {
  const { authorization, retryAfter } = request;
  const problem = problemFor(error, instance, traceId);
  const headers: Record<string, string> = {
    ...problem.headers,
    'Content-Type': PROBLEM_CONTENT_TYPE,
    // No cache keeps an error about a token or an account.
    'Cache-Control': 'no-store',
  };
  if (problem.status === 401) {
    // RFC 6750 section 3: error="invalid_token" only when a bearer token was sent.
    headers['WWW-Authenticate'] = /^bearer\s+\S/i.test(authorization ?? '')
      ? 'Bearer error="invalid_token"'
      : 'Bearer';
  }
  if (problem.status === 429) headers['Retry-After'] ??= retryAfter ?? '60';
  return {
    status: problem.status,
    title: problem.body.title,
    headers,
    body: JSON.stringify(problem.body),
  };
}

/**
 * A problem answer as raw HTTP/1.1, for a socket whose request never reached the router: with
 * its length (PowerShell 5.1 shows an error body only then), nosniff, and the connection closed.
 */
export function rawHttpProblem(answer: ProblemAnswer): string {
  const headers = {
    ...answer.headers,
    'Content-Length': String(Buffer.byteLength(answer.body)),
    'X-Content-Type-Options': 'nosniff',
    Connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${answer.status} ${answer.title}\r\n${lines.join('')}\r\n${answer.body}`;
}
