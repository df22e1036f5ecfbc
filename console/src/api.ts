// The console's one way to the service's public API: JSON in, JSON or problem details out.

import { forgetToken, readToken, type TokenKind } from './session';

/** An RFC 9457 problem the service answered, or a failure to reach it (status 0). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly traceId: string | undefined,
    readonly errorType: string | undefined,
    readonly errors: Readonly<Record<string, readonly string[]>> | undefined,
    readonly details: Readonly<Record<string, unknown>> | undefined,
    /** Seconds, from Retry-After. */
    readonly retryAfter: number | undefined,
  ) {
    super(detail ?? title);
  }
}

type Listener = (kind: TokenKind) => void;
const sessionEndListeners = new Set<Listener>();

/** Called when the service refuses the stored access token: the session ended elsewhere. */
export function onSessionEnd(listener: Listener): () => void {
  sessionEndListeners.add(listener);
  return () => sessionEndListeners.delete(listener);
}

export interface CallOptions {
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** A token other than the stored one (a pre-auth token before it is stored). */
  readonly token?: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problemOf(status: number, body: unknown, retryAfter: string | null): ApiProblem {
  const b = isRecord(body) ? body : {};
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const seconds = retryAfter !== null && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return new ApiProblem(
    status,
    text(b.title) ?? `HTTP ${status}`,
    text(b.detail),
    text(b.traceId),
    text(b.errorType),
    isRecord(b.errors) ? (b.errors as Record<string, readonly string[]>) : undefined,
    isRecord(b.details) ? b.details : undefined,
    seconds,
  );
}

export async function call<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  const stored = readToken();
  const token = options.token === undefined ? stored?.token : options.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiProblem(
      0,
      'Network error',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    );
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) {
    const problem = problemOf(response.status, parsed, response.headers.get('Retry-After'));
    // The stored access token was refused: signed out elsewhere, reset, expired, disabled.
    // Only if it is still the stored token: a late answer to a call made before a new sign-in
    // must not end the new session.
    if (
      response.status === 401 &&
      options.token === undefined &&
      stored &&
      readToken()?.token === stored.token
    ) {
      forgetToken();
      for (const listener of sessionEndListeners) listener(stored.kind);
    }
    throw problem;
  }
  return parsed as T;
}

/** A fresh Idempotency-Key for one reset (see useResetKey: the same reset asked again reuses it). */
export function newIdempotencyKey(): string {
  // crypto.randomUUID exists only on HTTPS and localhost; getRandomValues everywhere.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

// The shapes the console reads.

export interface Caller {
  readonly id: string;
  readonly userName: string;
  readonly displayName: string | null;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
  readonly mfaEnabled: boolean;
}

export interface Account {
  readonly id: string;
  readonly userName: string;
  readonly displayName: string | null;
  readonly email: string | null;
  readonly roles: readonly string[];
  readonly isActive: boolean;
  readonly mfaEnabled: boolean;
  readonly mfaEnrolledAt: string | null;
  readonly lockedUntil: string | null;
  readonly createdAt: string;
}

export interface AccountPage {
  readonly items: readonly Account[];
  readonly totalCount: number;
}

export interface ResetResult {
  readonly id: string;
  readonly userName: string;
  readonly mfaWasEnabled: boolean;
  readonly sessionsRevoked: number;
  readonly enrollmentCode?: string;
  readonly enrollmentCodeExpiresAt?: string;
}

export interface HistoryItem {
  readonly at: string;
  readonly event: string;
  readonly byId: string | null;
  readonly byName: string | null;
  readonly reason?: string;
  readonly ticket?: string;
  readonly lockedUntil?: string;
  readonly clientIp: string | null;
  readonly traceId: string | null;
  readonly auditEventId: string;
}

export interface AuditEvent {
  readonly id: string;
  readonly seq: number;
  readonly occurredAt: string;
  readonly action: string;
  readonly outcome: 'success' | 'failure' | 'denied';
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly targetId: string | null;
  readonly targetName: string | null;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
  readonly traceId: string | null;
  readonly details: Readonly<Record<string, unknown>> | null;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}
