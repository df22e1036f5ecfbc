"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isDatabaseUnavailable = isDatabaseUnavailable;
exports.toDomainError = toDomainError;
const common_1 = require("@nestjs/common");
const domain_error_1 = require("./domain-error");
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
function isDatabaseUnavailable(error) {
    for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
        const { code, message } = e;
        if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08')))
            return true;
        if (typeof message === 'string' &&
            /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client was closed and is not queryable|Connection is not established|SQLITE_BUSY|database is locked|SQLITE_MISUSE: Database is closed/i.test(message)) {
            return true;
        }
        e =
            e.driverError ??
                e.cause;
    }
    return false;
}
const BY_STATUS = {
    401: domain_error_1.ErrorCode.Unauthenticated,
    403: domain_error_1.ErrorCode.PermissionDenied,
    404: domain_error_1.ErrorCode.RouteNotFound,
    405: domain_error_1.ErrorCode.MethodNotAllowed,
    413: domain_error_1.ErrorCode.PayloadTooLarge,
    415: domain_error_1.ErrorCode.UnsupportedMediaType,
    429: domain_error_1.ErrorCode.RateLimited,
    503: domain_error_1.ErrorCode.DatabaseUnavailable,
};
/**
 * Turns whatever was thrown into a domain error. Framework exceptions (Fastify's refusals of a body
 * or URL among them: Nest maps those to HttpException) keep their status but not their message
 * (it may name internals); anything unknown becomes the generic 500.
 */
function toDomainError(error) {
    if (error instanceof domain_error_1.DomainError)
        return error;
    if (error instanceof common_1.HttpException) {
        const status = error.getStatus();
        if (status === 400)
            return domain_error_1.DomainError.validation({ $: ['The request is invalid.'] });
        const code = BY_STATUS[status];
        if (code !== undefined)
            return new domain_error_1.DomainError(code);
        return new domain_error_1.DomainError(domain_error_1.ErrorCode.Unexpected);
    }
    if (isDatabaseUnavailable(error))
        return new domain_error_1.DomainError(domain_error_1.ErrorCode.DatabaseUnavailable);
    return new domain_error_1.DomainError(domain_error_1.ErrorCode.Unexpected);
}
//# sourceMappingURL=to-domain-error.js.map