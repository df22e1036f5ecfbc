import assert from 'node:assert/strict';

/** ASP.NET Core's Activity.Id shape: version, 32-hex trace id, 16-hex span id, flags. */
export const TRACE_ID = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export const VALIDATION_TITLE = 'One or more validation errors occurred.';

export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  readonly traceId: string;
  readonly errorType?: string;
  readonly errors?: Record<string, string[]>;
  readonly details?: Record<string, unknown>;
  readonly missingIds?: string[];
}

/** What both supertest and the raw helpers answer. */
export interface AnyResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/**
 * Asserts an RFC 9457 answer as the contract shapes it: the status, the problem+json type, a
 * Content-Length that matches the body (PowerShell 5.1 needs it), and every standard member.
 */
export function assertProblem(res: AnyResponse, status: number, instance?: string): ProblemBody {
  assert.equal(res.status, status, `status ${res.status}: ${res.text.slice(0, 500)}`);
  const contentType = String(res.headers['content-type'] ?? '');
  assert.match(contentType, /^application\/problem\+json/, `content-type ${contentType}`);
  const length = res.headers['content-length'];
  assert.ok(length !== undefined, 'a Content-Length header is present');
  assert.equal(Number(length), Buffer.byteLength(res.text), 'Content-Length matches the body');
  const body = JSON.parse(res.text) as ProblemBody;
  assert.equal(typeof body.type, 'string');
  assert.ok(body.type.length > 0, 'type is not empty');
  assert.equal(typeof body.title, 'string');
  assert.ok(body.title.length > 0, 'title is not empty');
  assert.equal(body.status, status);
  assert.equal(typeof body.detail, 'string');
  assert.ok(body.detail.length > 0, 'detail is not empty');
  assert.equal(typeof body.instance, 'string');
  if (instance !== undefined) assert.equal(body.instance, instance);
  assert.match(body.traceId, TRACE_ID);
  return body;
}

/** A 400 ValidationProblemDetails naming the given fields in `errors`. */
export function assertValidationProblem(
  res: AnyResponse,
  instance: string | undefined,
  ...fields: string[]
): ProblemBody {
  const body = assertProblem(res, 400, instance);
  assert.equal(body.title, VALIDATION_TITLE);
  assert.ok(body.errors !== undefined && typeof body.errors === 'object', 'an errors dictionary');
  for (const [field, messages] of Object.entries(body.errors)) {
    assert.ok(Array.isArray(messages) && messages.length > 0, `errors.${field} lists messages`);
    for (const m of messages) assert.equal(typeof m, 'string');
  }
  for (const field of fields) {
    assert.ok(
      Object.keys(body.errors).includes(field),
      `errors names ${field}: ${JSON.stringify(body.errors)}`,
    );
  }
  return body;
}

/** Polls until the condition holds (log lines are written when a response finishes). */
export async function waitFor<T>(
  probe: () => T | undefined,
  what: string,
  timeoutMs = 2000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A problem body (the name the suites use). */
export type Problem = ProblemBody;

/** Asserts a problem+json answer with this status (assertProblem) and answers its body. */
export function problemOf(res: AnyResponse, status: number): Problem {
  return assertProblem(res, status);
}

/** Asserts a 400 ValidationProblemDetails naming this field in `errors`. */
export function validationProblemOf(res: AnyResponse, field: string): Problem {
  return assertValidationProblem(res, undefined, field);
}
