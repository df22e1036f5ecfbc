"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AuditAction = void 0;
exports.isAuditAction = isAuditAction;
/** Every security-relevant action that leaves an audit event. */
var AuditAction;
(function (AuditAction) {
    AuditAction["SignInFailed"] = "sign-in.failed";
    AuditAction["SignInSucceeded"] = "sign-in.succeeded";
    AuditAction["SignedOut"] = "sign-out";
    AuditAction["AccountLocked"] = "account.locked";
    AuditAction["MfaEnrollmentStarted"] = "mfa.enrollment-started";
    AuditAction["MfaEnrolled"] = "mfa.enrolled";
    AuditAction["MfaEnrollmentFailed"] = "mfa.enrollment-failed";
    AuditAction["RecoveryCodeUsed"] = "mfa.recovery-code-used";
    AuditAction["MfaReset"] = "mfa.reset";
    AuditAction["StepUpFailed"] = "step-up.failed";
    AuditAction["StepUpSucceeded"] = "step-up.succeeded";
    AuditAction["AccountCreated"] = "account.created";
    AuditAction["AccountUpdated"] = "account.updated";
    AuditAction["RoleUpdated"] = "role.updated";
    AuditAction["BootstrapAdminCreated"] = "account.bootstrap-admin-created";
    /** A call refused at the permission check, before any target is read. */
    AuditAction["AccessDenied"] = "access.denied";
})(AuditAction || (exports.AuditAction = AuditAction = {}));
const ACTIONS = new Set(Object.values(AuditAction));
function isAuditAction(value) {
    return ACTIONS.has(value);
}
//# sourceMappingURL=audit-action.js.map