"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DomainError = exports.ErrorCode = void 0;
/** Every failure the service answers on purpose. Mapped to HTTP in problem-details.ts only. */
var ErrorCode;
(function (ErrorCode) {
    ErrorCode["ValidationFailed"] = "validation-failed";
    ErrorCode["StepUpRequired"] = "step-up-required";
    ErrorCode["StepUpInvalid"] = "step-up-invalid";
    ErrorCode["Unauthenticated"] = "unauthenticated";
    ErrorCode["SignInFailed"] = "sign-in-failed";
    ErrorCode["SecondFactorInvalid"] = "second-factor-invalid";
    ErrorCode["PermissionDenied"] = "permission-denied";
    ErrorCode["TargetNotAllowed"] = "target-not-allowed";
    ErrorCode["AccountNotFound"] = "account-not-found";
    ErrorCode["AccountsNotFound"] = "accounts-not-found";
    ErrorCode["RoleNotFound"] = "role-not-found";
    ErrorCode["RouteNotFound"] = "route-not-found";
    ErrorCode["MethodNotAllowed"] = "method-not-allowed";
    ErrorCode["UserNameTaken"] = "user-name-taken";
    ErrorCode["MfaAlreadyEnabled"] = "mfa-already-enabled";
    ErrorCode["NoPendingEnrollment"] = "no-pending-enrollment";
    ErrorCode["LastRoleManager"] = "last-role-manager";
    ErrorCode["AdminRoleFixed"] = "admin-role-fixed";
    ErrorCode["Overloaded"] = "overloaded";
    ErrorCode["PayloadTooLarge"] = "payload-too-large";
    ErrorCode["UnsupportedMediaType"] = "unsupported-media-type";
    ErrorCode["HeadersTooLarge"] = "headers-too-large";
    ErrorCode["RequestTimeout"] = "request-timeout";
    ErrorCode["RateLimited"] = "rate-limited";
    ErrorCode["DatabaseUnavailable"] = "database-unavailable";
    ErrorCode["Unexpected"] = "unexpected";
})(ErrorCode || (exports.ErrorCode = ErrorCode = {}));
class DomainError extends Error {
    code;
    detail;
    extensions;
    /** Set by `audited()`: the refusal is written to the audit log before it is answered. */
    refusal;
    constructor(code, detail, extensions = {}) {
        super(detail ?? code);
        this.code = code;
        this.detail = detail;
        this.extensions = extensions;
        this.name = 'DomainError';
    }
    /** Marks this refusal as one the audit log must record (answers this error). */
    audited(record) {
        this.refusal = record;
        return this;
    }
    static validation(errors) {
        return new DomainError(ErrorCode.ValidationFailed, undefined, { errors });
    }
    /** 405 with the methods the path does serve. */
    static methodNotAllowed(allowed) {
        return new DomainError(ErrorCode.MethodNotAllowed, undefined, {
            headers: { Allow: allowed.join(', ') },
        });
    }
}
exports.DomainError = DomainError;
//# sourceMappingURL=domain-error.js.map