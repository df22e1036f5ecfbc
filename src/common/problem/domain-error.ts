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
  RoleNotFound = 'role-not-found',
  RouteNotFound = 'route-not-found',
  MethodNotAllowed = 'method-not-allowed',
  UserNameTaken = 'user-name-taken',
  MfaAlreadyEnabled = 'mfa-already-enabled',
  NoPendingEnrollment = 'no-pending-enrollment',
  LastRoleManager = 'last-role-manager',
  PayloadTooLarge = 'payload-too-large',
  UnsupportedMediaType = 'unsupported-media-type',
  HeadersTooLarge = 'headers-too-large',
  RequestTimeout = 'request-timeout',
  RateLimited = 'rate-limited',
  DatabaseUnavailable = 'database-unavailable',
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

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extensions: ProblemExtensions = {},
  ) {
    super(detail ?? code);
    this.name = 'DomainError';
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
