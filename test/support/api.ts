import assert from 'node:assert/strict';
import request from 'supertest';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './test-app';

// The API's paths and the calls the tests make of it, with a token and a step-up proof.

export const RESET = '/api/v1/ManagedAccount/ResetMFA';
export const ACCOUNTS = '/api/v1/ManagedAccount';
export const AUDIT = '/api/v1/AuditEvent';
export const ROLES = '/api/v1/Role';
export const API_KEYS = '/api/v1/ApiKey';
export const OWN_MFA = '/api/v1/Mfa';

export const NOT_ADMIN = 'User is not an Administrator';
export const USER_NOT_FOUND = 'User not found';
/** A well-formed uuid that names no account. */
export const UNKNOWN_ID = '0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90';

export interface ResetAnswer {
  readonly id: string;
  readonly userName: string;
  readonly mfaWasEnabled: boolean;
  readonly sessionsRevoked: number;
}

/** Every permission there is, sorted (the Admin role's). */
export const ALL_PERMISSIONS = [
  'edit-other-user-totp',
  'manage-accounts',
  'manage-api-keys',
  'manage-roles',
  'view-accounts',
  'view-api-keys',
  'view-audit',
];

/** An account as the API answers it. */
export interface AccountView {
  readonly id: string;
  readonly userName: string;
  readonly displayName: string;
  readonly email: string;
  readonly roles: string[];
  readonly isActive: boolean;
  readonly mfaEnabled: boolean;
  readonly mfaEnrolledAt: string | null;
  readonly lockedUntil: string | null;
  readonly createdAt: string;
}

/** A role as the API answers it. */
export interface RoleView {
  readonly name: string;
  readonly permissions: string[];
  readonly builtIn: boolean;
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
): Promise<{ valid: boolean; count: number; brokenAt?: number }> {
  const res = await withAuth(request(t.http).get(`${AUDIT}/Verify`), token);
  assert.equal(res.status, 200, res.text);
  return res.body as { valid: boolean; count: number; brokenAt?: number };
}

/** A fresh access token of the bootstrap admin: a sign-in is a step-up proof made just now. */
export function freshAdminToken(t: TestApp, admin: SignedIn): Promise<string> {
  return t.signIn('admin', ADMIN_PASSWORD, admin.secret);
}
