import { assertProblem, assertValidationProblem, type ProblemBody } from './problem';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './test-app';
import { enrolledAccount } from './factories';
import { totpAt } from './totp';

export const RESET = '/api/v1/ManagedAccount/ResetMFA';
export const ACCOUNTS = '/api/v1/ManagedAccount';
export const AUDIT = '/api/v1/AuditEvent';
export const ROLES = '/api/v1/Role';
export const OWN_MFA = '/api/v1/Mfa';

export const NOT_ADMIN = 'User is not an Administrator';
export const USER_NOT_FOUND = 'User not found';
export const VALIDATION_TITLE = 'One or more validation errors occurred.';

/** A well-formed uuid that names no account. */
export const UNKNOWN_ID = '0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90';

/** A problem body, as test/support/problem.ts describes it. */
export type Problem = ProblemBody;

export interface ResetAnswer {
  readonly id: string;
  readonly userName: string;
  readonly mfaWasEnabled: boolean;
  readonly sessionsRevoked: number;
}

export interface AccountView {
  readonly id: string;
  readonly userName: string;
  readonly roles: string[];
  readonly isActive: boolean;
  readonly mfaEnabled: boolean;
  readonly mfaEnrolledAt: string | null;
  readonly lockedUntil: string | null;
}

export interface AuditItem {
  readonly id: string;
  readonly seq: number;
  readonly occurredAt: string;
  readonly action: string;
  readonly outcome: string;
  readonly actorId: string | null;
  readonly actorName: string | null;
  readonly targetId: string | null;
  readonly targetName: string | null;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
  readonly traceId: string | null;
  readonly details: Record<string, unknown> | null;
  readonly hash: string;
}

export interface AuditPage {
  readonly items: AuditItem[];
  readonly next: string | null;
}

/** The step-up proof a call carries: `x-2fa-code` and, when given, `x-2fa-method`. */
export interface Proof {
  readonly code: string;
  /** totp (the default) or password; any other text is sent as given. */
  readonly method?: string;
}

/** The decoded (not verified) payload of a JWT. */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  assert.ok(part !== undefined, 'a JWT has three parts');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** Asserts a problem+json answer with this status and answers its body (see support/problem.ts). */
export function problemOf(res: request.Response, status: number): Problem {
  return assertProblem(res, status);
}

/** Asserts a 400 ValidationProblemDetails naming this field in `errors`. */
export function validationProblemOf(res: request.Response, field: string): Problem {
  return assertValidationProblem(res, undefined, field);
}

function withAuth(req: request.Test, token: string | undefined, proof?: Proof): request.Test {
  if (token !== undefined) req.auth(token, { type: 'bearer' });
  if (proof !== undefined) {
    req.set('x-2fa-code', proof.code);
    if (proof.method !== undefined) req.set('x-2fa-method', proof.method);
  }
  return req;
}

export function resetById(t: TestApp, token: string | undefined, id: string, proof?: Proof) {
  return withAuth(request(t.http).put(`${RESET}/${id}`), token, proof);
}

export function resetByName(t: TestApp, token: string | undefined, name: string, proof?: Proof) {
  return withAuth(request(t.http).put(`${RESET}/ByName/${encodeURIComponent(name)}`), token, proof);
}

export function resetBatch(t: TestApp, token: string | undefined, body: unknown, proof?: Proof) {
  return withAuth(request(t.http).put(RESET), token, proof)
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(body));
}

export function resetOwn(t: TestApp, token: string | undefined, proof?: Proof) {
  return withAuth(request(t.http).put(`${OWN_MFA}/Reset`), token, proof);
}

export function patchAccount(
  t: TestApp,
  token: string,
  id: string,
  body: Record<string, unknown>,
  proof?: Proof,
) {
  return withAuth(request(t.http).patch(`${ACCOUNTS}/${id}`), token, proof).send(body);
}

export function putRole(t: TestApp, token: string, name: string, permissions: string[]) {
  return withAuth(request(t.http).put(`${ROLES}/${name}`), token).send({ permissions });
}

/** GET /api/v1/ManagedAccount/{id}, as someone allowed to view accounts. */
export async function accountView(t: TestApp, token: string, id: string): Promise<AccountView> {
  const res = await withAuth(request(t.http).get(`${ACCOUNTS}/${id}`), token);
  assert.equal(res.status, 200, res.text);
  return res.body as AccountView;
}

/** The status GET /api/v1/Mfa answers this token: 200 while its session is valid, else 401. */
export async function tokenStatus(t: TestApp, token: string): Promise<number> {
  const res = await withAuth(request(t.http).get(OWN_MFA), token);
  return res.status;
}

export async function auditPage(
  t: TestApp,
  token: string,
  query: Record<string, string | number> = {},
): Promise<AuditPage> {
  const res = await withAuth(request(t.http).get(AUDIT).query(query), token);
  assert.equal(res.status, 200, res.text);
  return res.body as AuditPage;
}

/** Every audit event matching the filters, following `next` to the end (newest first). */
export async function allAuditEvents(
  t: TestApp,
  token: string,
  query: Record<string, string> = {},
): Promise<AuditItem[]> {
  const items: AuditItem[] = [];
  let cursor: string | null = null;
  do {
    const page: AuditPage = await auditPage(t, token, {
      ...query,
      take: 200,
      ...(cursor === null ? {} : { cursor }),
    });
    items.push(...page.items);
    cursor = page.next;
  } while (cursor !== null);
  return items;
}

export async function verifyChain(
  t: TestApp,
  token: string,
): Promise<{ valid: boolean; count: number }> {
  const res = await withAuth(request(t.http).get(`${AUDIT}/Verify`), token);
  assert.equal(res.status, 200, res.text);
  return res.body as { valid: boolean; count: number };
}

/** A fresh access token of the bootstrap admin: a sign-in is a step-up proof made just now. */
export function freshAdminToken(t: TestApp, admin: SignedIn): Promise<string> {
  return t.signIn('admin', ADMIN_PASSWORD, admin.secret);
}

/**
 * An enrolled account with these roles, put straight into the database (see factories.ts), with
 * an access token that has just proved MFA. Tests of creating or enrolling accounts use the API.
 */
export function enrolledUser(
  t: TestApp,
  userName: string,
  roles: string[] = ['User'],
): Promise<SignedIn> {
  return enrolledAccount(t, { userName, roles });
}

/** The caller's current code, in a fresh time step (so it is not a replay of the last one). */
export async function freshCode(t: TestApp, secret: string): Promise<string> {
  t.nextStep();
  return t.code(secret);
}

/** Six digits that match no step inside the drift window (one step each way) right now. */
export async function wrongCode(t: TestApp, secret: string): Promise<string> {
  const now = t.clock.now().getTime();
  const valid = new Set(
    await Promise.all([-30_000, 0, 30_000].map((d) => totpAt(secret, new Date(now + d)))),
  );
  for (let n = 123456; ; n = (n + 111111) % 1_000_000) {
    const candidate = String(n).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

/** Unique user names per test, valid for the service (letters, digits, ._@-). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** Raw state of an account's MFA, as stored. */
export async function storedMfa(
  t: TestApp,
  id: string,
): Promise<{ hasSecret: boolean; hasPending: boolean; recoveryCodes: number; stamp: string }> {
  const [row] = await t.sql<{
    mfa_secret: string | null;
    mfa_pending_secret: string | null;
    security_stamp: string;
  }>('SELECT mfa_secret, mfa_pending_secret, security_stamp FROM accounts WHERE id = ?', [id]);
  assert.ok(row, `account ${id} exists`);
  const [codes] = await t.sql<{ n: number | string }>(
    'SELECT COUNT(*) AS n FROM recovery_codes WHERE account_id = ?',
    [id],
  );
  return {
    hasSecret: row.mfa_secret !== null,
    hasPending: row.mfa_pending_secret !== null,
    recoveryCodes: Number(codes.n),
    stamp: row.security_stamp,
  };
}
