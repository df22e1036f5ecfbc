import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { enrolledAccount } from './factories';
import { SignedIn, TestApp } from './test-app';
import { totpAt } from './totp';

/** Accounts for tests: made, named, their codes, and their MFA state as stored. */
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
