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
  [ErrorCode.RouteNotFound]: { status: 404, detail: 'No resource matches the request path.' },
  [ErrorCode.MethodNotAllowed]: {
    status: 405,
    detail: 'The resource does not support this method.',
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
    detail: 'Too many sign-ins are being checked at once; try again shortly.',
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
  [ErrorCode.DatabaseUnavailable]: {
    status: 503,
    detail: 'The database is unavailable; try again shortly.',
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
