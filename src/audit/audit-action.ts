/** Every security-relevant action that leaves an audit event. */
export enum AuditAction {
  SignInFailed = 'sign-in.failed',
  SignInSucceeded = 'sign-in.succeeded',
  SignedOut = 'sign-out',
  AccountLocked = 'account.locked',
  MfaEnrollmentStarted = 'mfa.enrollment-started',
  MfaEnrolled = 'mfa.enrolled',
  MfaEnrollmentFailed = 'mfa.enrollment-failed',
  RecoveryCodeUsed = 'mfa.recovery-code-used',
  MfaReset = 'mfa.reset',
  /** A reset refused by the caller's reset budget (the burst guard). */
  ResetBurstBlocked = 'reset.burst-blocked',
  /** A one-time enrolment code accepted at sign-in, or refused. */
  EnrollmentCodeUsed = 'mfa.enrollment-code-used',
  StepUpFailed = 'step-up.failed',
  StepUpSucceeded = 'step-up.succeeded',
  AccountCreated = 'account.created',
  AccountUpdated = 'account.updated',
  RoleUpdated = 'role.updated',
  BootstrapAdminCreated = 'account.bootstrap-admin-created',
  ApiKeyCreated = 'api-key.created',
  ApiKeyRevoked = 'api-key.revoked',
  /** A call made with a known API key that is revoked, expired, or whose owner cannot use it. */
  ApiKeyRefused = 'api-key.refused',
  /** A call refused at the permission check, before any target is read. */
  AccessDenied = 'access.denied',
}

const ACTIONS: ReadonlySet<string> = new Set(Object.values(AuditAction));

export function isAuditAction(value: string): value is AuditAction {
  return ACTIONS.has(value);
}
