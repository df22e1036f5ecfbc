"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PROBLEM_CONTENT_TYPE = void 0;
exports.problemFor = problemFor;
exports.statusOf = statusOf;
const domain_error_1 = require("./domain-error");
exports.PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
const RFC9110 = 'https://tools.ietf.org/html/rfc9110#section-';
const STATUS = {
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
const VALIDATION_TITLE = 'One or more validation errors occurred.';
/** Exhaustive: adding an ErrorCode without a mapping does not compile. */
const MAPPING = {
    [domain_error_1.ErrorCode.ValidationFailed]: {
        status: 400,
        detail: 'See the errors property for details.',
        title: VALIDATION_TITLE,
    },
    [domain_error_1.ErrorCode.StepUpRequired]: {
        status: 400,
        detail: 'TOTP Required [totp-required]',
        errorType: 'totp-required',
    },
    [domain_error_1.ErrorCode.StepUpInvalid]: {
        status: 400,
        detail: 'TOTP Invalid [totp-invalid]',
        errorType: 'totp-invalid',
    },
    [domain_error_1.ErrorCode.Unauthenticated]: { status: 401, detail: 'You must be signed in to do this.' },
    [domain_error_1.ErrorCode.SignInFailed]: { status: 401, detail: 'Invalid login or password.' },
    [domain_error_1.ErrorCode.SecondFactorInvalid]: {
        status: 401,
        detail: 'TOTP Invalid [totp-invalid]',
        errorType: 'totp-invalid',
    },
    [domain_error_1.ErrorCode.PermissionDenied]: {
        status: 403,
        detail: 'Not allowed [error-not-allowed]',
        errorType: 'error-not-allowed',
    },
    [domain_error_1.ErrorCode.TargetNotAllowed]: {
        status: 403,
        detail: 'Not allowed [error-not-allowed]',
        errorType: 'error-not-allowed',
    },
    [domain_error_1.ErrorCode.AccountNotFound]: {
        status: 404,
        detail: 'User not found',
        errorType: 'error-invalid-user',
    },
    [domain_error_1.ErrorCode.AccountsNotFound]: {
        status: 404,
        detail: 'User not found',
        errorType: 'error-invalid-user',
    },
    [domain_error_1.ErrorCode.RoleNotFound]: { status: 404, detail: 'Role not found' },
    [domain_error_1.ErrorCode.RouteNotFound]: { status: 404, detail: 'No resource matches the request path.' },
    [domain_error_1.ErrorCode.MethodNotAllowed]: {
        status: 405,
        detail: 'The resource does not support this method.',
    },
    [domain_error_1.ErrorCode.UserNameTaken]: { status: 409, detail: 'The user name is already taken.' },
    [domain_error_1.ErrorCode.MfaAlreadyEnabled]: {
        status: 409,
        detail: 'MFA is already enabled for this account.',
    },
    [domain_error_1.ErrorCode.NoPendingEnrollment]: {
        status: 409,
        detail: 'No enrolment is pending: call Enroll first.',
    },
    [domain_error_1.ErrorCode.LastRoleManager]: {
        status: 409,
        detail: 'The last account able to manage roles cannot lose that permission.',
    },
    [domain_error_1.ErrorCode.AdminRoleFixed]: {
        status: 409,
        detail: 'The Admin role always holds every permission.',
    },
    [domain_error_1.ErrorCode.Overloaded]: {
        status: 503,
        detail: 'Too many sign-ins are being checked at once; try again shortly.',
    },
    [domain_error_1.ErrorCode.PayloadTooLarge]: { status: 413, detail: 'The request body is larger than 64 KiB.' },
    [domain_error_1.ErrorCode.UnsupportedMediaType]: { status: 415, detail: 'The request body must be JSON.' },
    [domain_error_1.ErrorCode.HeadersTooLarge]: { status: 431, detail: 'The request head is larger than 16 KiB.' },
    [domain_error_1.ErrorCode.RequestTimeout]: {
        status: 408,
        detail: 'The request did not arrive in time.',
    },
    [domain_error_1.ErrorCode.RateLimited]: {
        status: 429,
        detail: 'Too many sign-in attempts from this address; try again later.',
    },
    [domain_error_1.ErrorCode.DatabaseUnavailable]: {
        status: 503,
        detail: 'The database is unavailable; try again shortly.',
    },
    [domain_error_1.ErrorCode.Unexpected]: {
        status: 500,
        detail: 'An unexpected error occurred. Quote the traceId when reporting it.',
    },
};
function problemFor(error, instance, traceId) {
    const mapping = MAPPING[error.code];
    const info = STATUS[mapping.status] ?? STATUS[500];
    const ext = error.extensions;
    const body = {
        type: info.type,
        title: mapping.title ?? info.title,
        status: mapping.status,
        detail: error.detail ?? mapping.detail,
        instance,
        traceId,
    };
    if (mapping.errorType !== undefined)
        body.errorType = mapping.errorType;
    if (ext.errors !== undefined)
        body.errors = ext.errors;
    if (ext.details !== undefined)
        body.details = ext.details;
    if (ext.missingIds !== undefined)
        body.missingIds = ext.missingIds;
    return { status: mapping.status, body, headers: { ...ext.headers } };
}
function statusOf(code) {
    return MAPPING[code].status;
}
//# sourceMappingURL=problem-details.js.map