import type { Party } from '../auth/principal';

/** Every failure the service answers on purpose. Mapped to HTTP in problem-details.ts only. */
export enum ErrorCode {
  ValidationFailed = 'validation-failed',
  StepUpRequired = 'step-up-required',
  StepUpInvalid = 'step-up-invalid',
  Unauthenticated = 'unauthenticated',
  SignInFailed = 'sign-in-failed',
  SecondFactorInvalid = 'second-factor-invalid',
  PermissionDenied = 'permission-denied',
  TargetNotAllowed = 'target-not-allowed',
  AccountNotFound = 'account-not-found',
  AccountsNotFound = 'accounts-not-found',
  ApiKeyNotFound = 'api-key-not-found',
  RoleNotFound = 'role-not-found',
  RouteNotFound = 'route-not-found',
  MethodNotAllowed = 'method-not-allowed',
  CrossSiteRequest = 'cross-site-request',
  UserNameTaken = 'user-name-taken',
  MfaAlreadyEnabled = 'mfa-already-enabled',
  NoPendingEnrollment = 'no-pending-enrollment',
  LastRoleManager = 'last-role-manager',
  AdminRoleFixed = 'admin-role-fixed',
  Overloaded = 'overloaded',
  PayloadTooLarge = 'payload-too-large',
  UnsupportedMediaType = 'unsupported-media-type',
  HeadersTooLarge = 'headers-too-large',
  RequestTimeout = 'request-timeout',
  RateLimited = 'rate-limited',
  ResetBudgetExceeded = 'reset-budget-exceeded',
  IdempotencyKeyReused = 'idempotency-key-reused',
  IdempotencyKeyInFlight = 'idempotency-key-in-flight',
  IdempotencyOutcomeUnknown = 'idempotency-outcome-unknown',
  EnrollmentCodeRequired = 'enrollment-code-required',
  EnrollmentCodeInvalid = 'enrollment-code-invalid',
  DatabaseUnavailable = 'database-unavailable',
  SecretKeyUnavailable = 'secret-key-unavailable',
  Unexpected = 'unexpected',
}

/** Field name -> messages, as ASP.NET Core's ValidationProblemDetails carries them. */
export type ValidationErrors = Record<string, string[]>;

export interface ProblemExtensions {
  errors?: ValidationErrors;
  details?: Record<string, unknown>;
  missingIds?: string[];
  /** Response headers that belong to this failure (Allow, Retry-After, WWW-Authenticate). */
  headers?: Record<string, string>;
}

/**
 * What the audit log keeps of a refusal. It travels with the error and is written in a
 * transaction of its own once the refused work has rolled back (see RefusalRecorder), whichever
 * layer refused: a guard, a pipe or a service.
 */
export interface RefusalRecord {
  /** The audit action of the call that was refused. */
  readonly action: string;
  /** Default `denied`: the caller may not; `failure`: the caller tried and failed. */
  readonly outcome?: 'denied' | 'failure';
  /** Default: the signed-in caller. */
  readonly actor?: Party;
  readonly target?: Party;
  readonly details?: Record<string, unknown>;
}

export class DomainError extends Error {
  /** Set by `audited()`: the refusal is written to the audit log before it is answered. */
  refusal: RefusalRecord | undefined;

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extensions: ProblemExtensions = {},
  ) {
    super(detail ?? code);
    this.name = 'DomainError';
  }

  /** Marks this refusal as one the audit log must record (answers this error). */
  audited(record: RefusalRecord): this {
    this.refusal = record;
    return this;
  }

  static validation(errors: ValidationErrors): DomainError {
    return new DomainError(ErrorCode.ValidationFailed, undefined, { errors });
  }

  /** 405 with the methods the path does serve. */
  static methodNotAllowed(allowed: readonly string[]): DomainError {
    return new DomainError(ErrorCode.MethodNotAllowed, undefined, {
      headers: { Allow: allowed.join(', ') },
    });
  }
}
