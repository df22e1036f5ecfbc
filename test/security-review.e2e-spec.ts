// Each attack of the outside security review, reproduced as it was made: every test here failed on
// the code before the fix.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sign } from 'jsonwebtoken';
import request from 'supertest';
import { assertProblem, assertValidationProblem } from './support/problem';
import { enrolledUser, freshCode, storedMfa, uniqueName, wrongCode } from './support/accounts';
import {
  ACCOUNTS,
  ALL_PERMISSIONS,
  AUDIT,
  accountView,
  allAuditEvents,
  freshAdminToken,
  jwtPayload,
  patchAccount,
  putRole,
  resetBatch,
  resetById,
  resetByName,
  tokenStatus,
} from './support/api';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

const HELP_DESK_DEFAULT = ['edit-other-user-totp', 'view-accounts'];

function signIn2fa(t: TestApp, preAuth: string, body: string) {
  return request(t.http)
    .post('/signin2fa')
    .auth(preAuth, { type: 'bearer' })
    .set('Content-Type', 'application/json')
    .send(body);
}

function wrongPassword(t: TestApp, login: string) {
  return request(t.http)
    .post('/signinBody')
    .send({ Login: login, Password: 'not-the-password-1!' });
}

async function roleOf(t: TestApp, token: string, name: string): Promise<string[]> {
  const res = await request(t.http).get('/api/v1/Role').auth(token, { type: 'bearer' }).expect(200);
  const role = (res.body as { name: string; permissions: string[] }[]).find((r) => r.name === name);
  assert.ok(role, name);
  return role.permissions;
}

async function failedAttempts(t: TestApp, id: string): Promise<number> {
  const [row] = await t.sql<{ failed_attempts: number }>(
    'SELECT failed_attempts FROM accounts WHERE id = ?',
    [id],
  );
  return Number(row.failed_attempts);
}

/** Locks an enrolled account the only way there is: wrong codes at the second step. */
async function lockWithWrongCodes(t: TestApp, user: SignedIn): Promise<void> {
  const preAuth = await t.preAuth(user.userName, user.password);
  for (let i = 0; i < t.config.lockout.threshold; i++) {
    await signIn2fa(t, preAuth, JSON.stringify(await wrongCode(t, user.secret))).expect(401);
  }
  await wrongPassword(t, user.userName); // a locked account answers like any failed sign-in
  await request(t.http)
    .post('/signinBody')
    .send({ Login: user.userName, Password: user.password })
    .expect(401);
}

describe('security review: roles', () => {
  let t: TestApp;
  let admin: SignedIn;
  let helpDesk: SignedIn;
  const helpDeskToken = () => t.signIn(helpDesk.userName, helpDesk.password, helpDesk.secret);

  before(async () => {
    ({ t, admin } = await startApp());
    const adminToken = await freshAdminToken(t, admin);
    await putRole(t, adminToken, 'HelpDesk', [...HELP_DESK_DEFAULT, 'manage-roles']).expect(200);
    helpDesk = await enrolledUser(t, uniqueName('hd'), ['HelpDesk']);
  });
  after(() => t.close());

  it('refuses a role manager stripping Admin of permissions it lacks: 403, Admin unchanged, audited', async () => {
    const res = await putRole(t, await helpDeskToken(), 'Admin', ['view-accounts']);

    assert.equal(assertProblem(res, 403).errorType, 'error-not-allowed');
    const adminToken = await freshAdminToken(t, admin);
    assert.deepEqual(await roleOf(t, adminToken, 'Admin'), ALL_PERMISSIONS);
    await resetById(t, await helpDeskToken(), admin.id).expect(403);
    const [event] = await allAuditEvents(t, adminToken, {
      action: 'role.updated',
      actorId: helpDesk.id,
    });
    assert.equal(event.outcome, 'denied');
    assert.deepEqual(event.details?.lacking, [
      'manage-accounts',
      'manage-api-keys',
      'view-api-keys',
      'view-audit',
    ]);
  });

  it('refuses removing from any role a permission the caller lacks', async () => {
    const adminToken = await freshAdminToken(t, admin);
    await putRole(t, adminToken, 'User', ['view-audit']).expect(200);

    const res = await putRole(t, await helpDeskToken(), 'User', []);

    assert.equal(assertProblem(res, 403).errorType, 'error-not-allowed');
    assert.deepEqual(await roleOf(t, adminToken, 'User'), ['view-audit']);
    await putRole(t, adminToken, 'User', []).expect(200);
  });

  it('lets a role manager change what it holds itself', async () => {
    const res = await putRole(t, await helpDeskToken(), 'User', ['view-accounts']);
    assert.equal(res.status, 200, res.text);
    await putRole(t, await helpDeskToken(), 'User', []).expect(200);
  });

  it('answers 409 to an Admin taking a permission from the Admin role, and keeps it', async () => {
    const adminToken = await freshAdminToken(t, admin);

    const res = await putRole(
      t,
      adminToken,
      'Admin',
      ALL_PERMISSIONS.filter((p) => p !== 'view-audit'),
    );

    assertProblem(res, 409);
    assert.deepEqual(await roleOf(t, adminToken, 'Admin'), ALL_PERMISSIONS);
    await request(t.http).get(AUDIT).auth(adminToken, { type: 'bearer' }).expect(200);
    const [event] = await allAuditEvents(t, adminToken, {
      action: 'role.updated',
      actorId: admin.id,
    });
    assert.equal(event.outcome, 'denied');
  });

  it('audits the 409 for the last account able to manage roles (thrown inside the transaction)', async () => {
    const adminToken = await freshAdminToken(t, admin);
    await putRole(t, adminToken, 'HelpDesk', HELP_DESK_DEFAULT).expect(200);

    const res = await patchAccount(t, adminToken, admin.id, { roles: ['User'] });

    assertProblem(res, 409);
    const [event] = await allAuditEvents(t, adminToken, {
      action: 'account.updated',
      targetId: admin.id,
    });
    assert.equal(event.outcome, 'denied');
    assert.match(String(event.details?.reason), /manage roles/);
    await putRole(t, adminToken, 'HelpDesk', [...HELP_DESK_DEFAULT, 'manage-roles']).expect(200);
  });
});

describe('security review: lock-out', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp({ LOCKOUT_THRESHOLD: '3', PASSWORD_BURST_THRESHOLD: '5' }));
  });
  after(() => t.close());

  it('never locks an account for wrong passwords, admin included', async () => {
    for (let i = 0; i < 10; i++) await wrongPassword(t, 'admin').expect(401);

    assert.equal(await failedAttempts(t, admin.id), 0);
    await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
  });

  it('logs a burst of wrong passwords against one account at warn and counts it in the metrics', async () => {
    const user = await enrolledUser(t, uniqueName('burst'));
    const bursts = async () => {
      const text = (await request(t.http).get('/metrics').expect(200)).text;
      return Number(/^mfa_admin_password_bursts_total (\d+)$/m.exec(text)?.[1]);
    };
    const before = await bursts();
    for (let i = 0; i < 7; i++) await wrongPassword(t, user.userName).expect(401);

    const lines = t.logLines.filter(
      (l) => l.msg === 'burst of wrong passwords against one account' && l.accountId === user.id,
    );
    assert.equal(lines.length, 1, 'one line per account and minute');
    assert.equal(lines[0].level, 'warn');
    assert.equal(lines[0].failures, 5);
    assert.equal(await bursts(), before + 1);
    const metrics = await request(t.http).get('/metrics').expect(200);
    assert.match(metrics.text, /^mfa_admin_sign_in_failures_total\{reason="password"\} \d+$/m);
  });

  it('ends a lock with PATCH lockedUntil: null, audited', async () => {
    const user = await enrolledUser(t, uniqueName('locked'));
    await lockWithWrongCodes(t, user);
    const adminToken = await freshAdminToken(t, admin);
    assert.notEqual((await accountView(t, adminToken, user.id)).lockedUntil, null);

    const res = await patchAccount(t, adminToken, user.id, { lockedUntil: null });

    assert.equal(res.status, 200, res.text);
    assert.equal((res.body as { lockedUntil: unknown }).lockedUntil, null);
    await t.signIn(user.userName, user.password, user.secret);
    const [event] = await allAuditEvents(t, adminToken, {
      action: 'account.updated',
      targetId: user.id,
    });
    assert.deepEqual(event.details?.changed, ['lockedUntil']);
  });

  it('ends a lock when an administrator sets a password', async () => {
    const user = await enrolledUser(t, uniqueName('locked'));
    await lockWithWrongCodes(t, user);
    const password = 'a-new-Password-123';

    await patchAccount(t, await freshAdminToken(t, admin), user.id, { password }).expect(200);

    await t.signIn(user.userName, password, user.secret);
  });

  it('ends a lock when the MFA is reset (the failures were against the old factor)', async () => {
    const user = await enrolledUser(t, uniqueName('locked'));
    await lockWithWrongCodes(t, user);

    await resetById(t, await freshAdminToken(t, admin), user.id).expect(200);

    await t.enroll(user.userName, user.password);
  });

  it('refuses a lockedUntil other than null: 400 naming lockedUntil', async () => {
    const user = await enrolledUser(t, uniqueName('lockset'));
    const res = await patchAccount(t, await freshAdminToken(t, admin), user.id, {
      lockedUntil: '2099-01-01T00:00:00Z',
    });
    assertValidationProblem(res, undefined, 'lockedUntil');
  });
});

describe('security review: step-up (STEP_UP_MAX_AGE=0)', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp({ STEP_UP_MAX_AGE: '0' }));
  });
  after(() => t.close());

  const create = (roles: string[], code?: string) => {
    const name = uniqueName('new');
    const req = request(t.http)
      .post(ACCOUNTS)
      .auth(admin.token, { type: 'bearer' })
      .send({
        userName: name,
        displayName: name,
        email: `${name}@example.com`,
        password: `${name}-Password-1!`,
        roles,
      });
    if (code !== undefined) req.set('x-2fa-code', code);
    return req;
  };

  it('asks for a code before creating an account whose roles grant a permission', async () => {
    const res = await create(['Admin']);
    assert.equal(assertProblem(res, 400).errorType, 'totp-required');
    const [{ n }] = await t.sql<{ n: number }>(
      "SELECT COUNT(*) AS n FROM account_roles WHERE role_name = 'Admin'",
    );
    assert.equal(Number(n), 1, 'no administrator was planted');
    assert.equal(
      assertProblem(await create(['HelpDesk']), 400).errorType,
      'totp-required',
      'HelpDesk too',
    );
  });

  it('creates it with the caller’s current code', async () => {
    const res = await create(['Admin'], await freshCode(t, admin.secret));
    assert.equal(res.status, 201, res.text);
  });

  it('creates an account with permission-less roles without a code', async () => {
    assert.equal((await create(['User'])).status, 201);
    assert.equal((await create([])).status, 201);
  });

  it('asks for a code before ending a lock-out', async () => {
    const res = await patchAccount(t, admin.token, admin.id, { lockedUntil: null });
    assert.equal(assertProblem(res, 400).errorType, 'totp-required');
  });
});

describe('security review: refusals are audited', () => {
  let t: TestApp;
  let admin: SignedIn;
  let user: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
    user = await enrolledUser(t, uniqueName('user'));
  });
  after(() => t.close());

  const eventsOf = async (actorId: string, action: string) =>
    allAuditEvents(t, await freshAdminToken(t, admin), { actorId, action });

  it('audits a 403 at the permission check: ResetMFA, PATCH of own roles, PUT Role', async () => {
    await resetById(t, user.token, admin.id).expect(403);
    await patchAccount(t, user.token, user.id, { roles: ['Admin'] }).expect(403);
    await putRole(t, user.token, 'User', ['view-audit']).expect(403);

    const events = await eventsOf(user.id, 'access.denied');
    assert.deepEqual(
      events.map((e) => [e.outcome, e.details?.method, e.details?.permission]).reverse(),
      [
        ['denied', 'PUT', 'edit-other-user-totp'],
        ['denied', 'PATCH', 'manage-accounts'],
        ['denied', 'PUT', 'manage-roles'],
      ],
    );
    assert.ok(events.every((e) => typeof e.traceId === 'string' && e.traceId !== ''));
  });

  it('audits and counts a malformed step-up code and an unavailable method', async () => {
    const token = await t.signIn(user.userName, user.password, user.secret);
    const before = await failedAttempts(t, user.id);
    const malformed = await request(t.http)
      .put('/api/v1/Mfa/Reset')
      .auth(token, { type: 'bearer' })
      .set('x-2fa-code', 'abc');
    const sms = await request(t.http)
      .put('/api/v1/Mfa/Reset')
      .auth(token, { type: 'bearer' })
      .set('x-2fa-code', '123456')
      .set('x-2fa-method', 'sms');

    assert.equal(assertProblem(malformed, 400).errorType, 'totp-invalid');
    assert.deepEqual(assertValidationProblem(sms, '/api/v1/Mfa/Reset', 'x-2fa-method').errors, {
      'x-2fa-method': ['Not a method this account offers; use one of: totp, password.'],
    });
    assert.equal(await failedAttempts(t, user.id), before + 2);
    const events = await eventsOf(user.id, 'step-up.failed');
    assert.ok(events.length >= 2);
  });

  it('audits and counts a malformed code at the second sign-in step', async () => {
    const preAuth = await t.preAuth(user.userName, user.password);
    const before = await failedAttempts(t, user.id);

    const res = await signIn2fa(t, preAuth, JSON.stringify('not-a-code'));

    assert.equal(assertProblem(res, 401).errorType, 'totp-invalid');
    assert.equal(await failedAttempts(t, user.id), before + 1);
    const [event] = await eventsOf(user.id, 'sign-in.failed');
    assert.deepEqual(event.details, { method: 'malformed' });
  });

  it('counts and audits a body at the second step that is no code at all, and still answers 400', async () => {
    const preAuth = await t.preAuth(user.userName, user.password);
    const before = await failedAttempts(t, user.id);
    for (const body of ['{"code":"123456","Code":"654321"}', '"12345\\u0000"', '{"code":"1']) {
      assertProblem(await signIn2fa(t, preAuth, body), 400);
    }
    assert.equal(await failedAttempts(t, user.id), before + 3);
    const events = await eventsOf(user.id, 'sign-in.failed');
    assert.ok(events.slice(0, 3).every((e) => e.details?.method === 'malformed'));
  });

  it('never stores or echoes an unknown x-2fa-method as sent (it may be a password)', async () => {
    const token = await t.signIn(user.userName, user.password, user.secret);
    const res = await request(t.http)
      .get('/api/v1/Mfa')
      .auth(token, { type: 'bearer' })
      .set('x-2fa-code', 'password')
      .set('x-2fa-method', 'Typed-Password-123');
    assertValidationProblem(res, '/api/v1/Mfa', 'x-2fa-method');
    assert.doesNotMatch(res.text, /typed-password/i);
    const listing = JSON.stringify(await eventsOf(user.id, 'step-up.failed'));
    assert.doesNotMatch(listing, /typed-password/i);
  });

  it('gives a locked account no step-up, not even on a recent proof: it cannot reset its own MFA (and lock)', async () => {
    const locked = await enrolledUser(t, uniqueName('lockedsu'));
    for (let i = 0; i < t.config.lockout.threshold; i++) {
      await request(t.http)
        .get('/api/v1/Mfa')
        .auth(locked.token, { type: 'bearer' })
        .set('x-2fa-code', await wrongCode(t, locked.secret))
        .expect(400);
    }

    const res = await request(t.http)
      .put('/api/v1/Mfa/Reset')
      .auth(locked.token, { type: 'bearer' });

    assert.equal(assertProblem(res, 400).errorType, 'totp-invalid');
    assert.equal((await storedMfa(t, locked.id)).hasSecret, true);
    assert.notEqual(
      (await accountView(t, await freshAdminToken(t, admin), locked.id)).lockedUntil,
      null,
    );
    const [event] = await eventsOf(locked.id, 'step-up.failed');
    assert.equal(event.details?.reason, 'locked');
  });

  it('audits a reset of an account that does not exist', async () => {
    const token = await freshAdminToken(t, admin);
    const missing = '0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a91';
    await resetById(t, token, missing).expect(404);
    const [event] = await allAuditEvents(t, token, { action: 'mfa.reset', targetId: missing });
    assert.equal(event.outcome, 'failure');
  });
});

describe('security review: bad input is a 4xx problem, never a 500', () => {
  let t: TestApp;
  let admin: SignedIn;
  let token: string;

  before(async () => {
    ({ t, admin } = await startApp());
    token = await freshAdminToken(t, admin);
  });
  after(() => t.close());

  const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

  it('refuses JSON nested 10,000 deep, anonymous or not', async () => {
    const anonymous = await request(t.http)
      .post('/signinBody')
      .set('Content-Type', 'application/json')
      .send(deep(10_000));
    assertValidationProblem(anonymous, undefined, '$');
    const signedIn = await request(t.http)
      .post(ACCOUNTS)
      .auth(token, { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send(`{"userName":"deep","roles":[],"displayName":${deep(10_000)}}`);
    assertValidationProblem(signedIn, undefined, '$');
  });

  it('accepts JSON nested as deep as the limit allows', async () => {
    const res = await request(t.http)
      .post('/signinBody')
      .set('Content-Type', 'application/json')
      .send(`{"Login":"admin","Password":"x","extra":${deep(30)}}`);
    assertProblem(res, 401);
  });

  it('refuses numbers and dates out of range', async () => {
    for (const [path, field] of [
      [`${ACCOUNTS}?skip=100000000000000000000`, 'skip'],
      [`${ACCOUNTS}?skip=2147483648`, 'skip'],
      [`${AUDIT}?cursor=2147483648`, 'cursor'],
      [`${AUDIT}?since=-004714-01-01T00:00:00Z`, 'since'],
      [`${AUDIT}?until=0000-01-01T00:00:00Z`, 'until'],
    ]) {
      assertValidationProblem(
        await request(t.http).get(path).auth(token, { type: 'bearer' }),
        undefined,
        field,
      );
    }
    await request(t.http)
      .get(`${AUDIT}?cursor=2147483647`)
      .auth(token, { type: 'bearer' })
      .expect(200);
  });

  it('refuses NUL characters in a body, a query and a path', async () => {
    const body = await patchAccount(t, token, admin.id, { displayName: 'a\u0000b' });
    assertValidationProblem(body, undefined, '$');
    const query = await request(t.http)
      .get(`${ACCOUNTS}?search=a%00b`)
      .auth(token, { type: 'bearer' });
    assertValidationProblem(query, undefined, 'search');
    const path = await resetByName(t, token, 'a\u0000b');
    assertValidationProblem(path, undefined, 'userName');
    const form = await request(t.http).post('/signinBody').send('Login=a%00&Password=b');
    assertValidationProblem(form, undefined, '$');
  });

  it('refuses a JSON object naming a member twice (case-insensitively), on every route', async () => {
    const victim = await enrolledUser(t, uniqueName('dup'));
    const batch = await resetBatch(t, token, { ids: [victim.id], IDS: [admin.id] });
    assertValidationProblem(batch, undefined, '$');
    assert.equal((await storedMfa(t, victim.id)).hasSecret, true, 'nothing was reset');
    assert.equal((await storedMfa(t, admin.id)).hasSecret, true);
    const patch = await request(t.http)
      .patch(`${ACCOUNTS}/${victim.id}`)
      .auth(token, { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send('{"displayName":"a","DisplayName":"b"}');
    assertValidationProblem(patch, undefined, '$');
    const signIn = await request(t.http)
      .post('/signinBody')
      .set('Content-Type', 'application/json')
      .send(`{"Login":"admin","login":"other","Password":"${ADMIN_PASSWORD}"}`);
    assertValidationProblem(signIn, undefined, '$');
  });
});

describe('security review: sign-in', () => {
  let t: TestApp;
  let admin: SignedIn;
  let kate: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
    kate = await enrolledUser(t, `kate-${uniqueName('k')}`);
  });
  after(() => t.close());

  it('never stores an unknown login as typed: a password typed into the login field', async () => {
    await wrongPassword(t, 'AdminPass-123456').expect(401);
    const events = await allAuditEvents(t, await freshAdminToken(t, admin), {
      action: 'sign-in.failed',
    });
    assert.ok(events.length > 0);
    assert.ok(
      events.every(
        (e) => e.actorName !== 'AdminPass-123456' && e.targetName !== 'AdminPass-123456',
      ),
    );
  });

  it('does the same work for an unknown login and a wrong password: one event, no account written', async () => {
    const before = await t.sql<{ id: string; updated_at: unknown; failed_attempts: number }>(
      'SELECT id, updated_at, failed_attempts FROM accounts ORDER BY id',
    );
    const [{ n: eventsBefore }] = await t.sql<{ n: number }>(
      'SELECT COUNT(*) AS n FROM audit_events',
    );
    await wrongPassword(t, 'nobody-at-all').expect(401);
    const [{ n: afterUnknown }] = await t.sql<{ n: number }>(
      'SELECT COUNT(*) AS n FROM audit_events',
    );
    await wrongPassword(t, kate.userName).expect(401);
    const [{ n: afterWrong }] = await t.sql<{ n: number }>(
      'SELECT COUNT(*) AS n FROM audit_events',
    );

    assert.equal(Number(afterUnknown) - Number(eventsBefore), 1);
    assert.equal(Number(afterWrong) - Number(afterUnknown), 1);
    assert.deepEqual(
      await t.sql('SELECT id, updated_at, failed_attempts FROM accounts ORDER BY id'),
      before,
    );
  });

  it('compares user names as ASCII: the Kelvin sign is not a k', async () => {
    const spoofed = `\u212A${kate.userName.slice(1)}`;
    const token = await freshAdminToken(t, admin);

    await resetByName(t, token, spoofed).expect(404);
    assert.equal((await storedMfa(t, kate.id)).hasSecret, true, 'kate keeps her MFA');
    await wrongPassword(t, spoofed).expect(401);
    const res = await request(t.http)
      .post('/signinBody')
      .send({ Login: spoofed, Password: kate.password });
    assertProblem(res, 401);
  });

  it('refuses tokens signed with the key but without exp, issued in the future, or living too long', async () => {
    const token = await t.signIn(kate.userName, kate.password, kate.secret);
    const claims = jwtPayload(token);
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const forge = (payload: Record<string, unknown>) =>
      sign(payload, t.config.jwt.secret, {
        algorithm: 'HS256',
        issuer: t.config.jwt.issuer,
        audience: t.config.jwt.audience,
        // jsonwebtoken keeps a given iat, and adds one only when none is given.
        noTimestamp: payload.iat === undefined,
      });
    const base = { sub: claims.sub, sid: claims.sid, typ: claims.typ };
    assert.equal(await tokenStatus(t, forge({ ...base, iat: now, exp: now + 600 })), 200);
    for (const [what, payload] of [
      ['no exp', { ...base, iat: now }],
      ['no iat', { ...base, exp: now + 600 }],
      ['an iat an hour ahead', { ...base, iat: now + 3600, exp: now + 3700 }],
      ['exp 1e20', { ...base, iat: now, exp: 1e20 }],
      ['a lifetime of a year', { ...base, iat: now, exp: now + 365 * 86_400 }],
    ] as const) {
      assert.equal(await tokenStatus(t, forge(payload)), 401, what);
    }
  });

  it('bounds the password hashes computed at once: past the queue, 503 with Retry-After', async () => {
    const busy = await TestApp.start({ PASSWORD_HASH_CONCURRENCY: '1', PASSWORD_HASH_QUEUE: '1' });
    try {
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => wrongPassword(busy, 'admin')),
      );
      const statuses = answers.map((r) => r.status).sort();
      assert.ok(statuses.includes(401), statuses.join());
      const refused = answers.filter((r) => r.status === 503);
      assert.ok(refused.length >= 1, statuses.join());
      assertProblem(refused[0], 503);
      assert.equal(refused[0].headers['retry-after'], '1');
    } finally {
      await busy.close();
    }
  });
});

describe('security review: operations', () => {
  it('asks for METRICS_TOKEN on /metrics when it is set', async () => {
    const metricsToken = randomBytes(24).toString('hex');
    const t = await TestApp.start({ METRICS_TOKEN: metricsToken });
    try {
      const missing = await request(t.http).get('/metrics');
      assertProblem(missing, 401);
      assert.equal(missing.headers['www-authenticate'], 'Bearer');
      assertProblem(
        await request(t.http).get('/metrics').auth('wrong-token-123456', { type: 'bearer' }),
        401,
      );
      const ok = await request(t.http).get('/metrics').auth(metricsToken, { type: 'bearer' });
      assert.equal(ok.status, 200);
      assert.match(ok.text, /http_requests_total/);
    } finally {
      await t.close();
    }
  });

  it('answers /metrics 404 in production without METRICS_TOKEN', async () => {
    const t = await TestApp.start({
      NODE_ENV: 'production',
      SIGNIN_RATE_LIMIT: '60',
      JWT_SECRET: randomBytes(48).toString('base64url'),
      MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    });
    try {
      assertProblem(await request(t.http).get('/metrics'), 404);
    } finally {
      await t.close();
    }
  });

  it('writes the one-time password line at LOG_LEVEL=error too', async () => {
    const t = await TestApp.start({ LOG_LEVEL: 'error', BOOTSTRAP_ADMIN_PASSWORD: '' });
    try {
      const lines = t.logLines.filter((l) => /one-time password: \S{16,}/.test(String(l.msg)));
      assert.equal(lines.length, 1);
      assert.equal(lines[0].level, 'warn');
      assert.ok(!t.logLines.some((l) => l.level === 'info'), 'the level holds for everything else');
    } finally {
      await t.close();
    }
  });

  it('counts an IPv6 client by its /64 in the per-address sign-in limit', async () => {
    const t = await TestApp.start({ SIGNIN_RATE_LIMIT: '3', TRUST_PROXY: 'loopback' });
    try {
      const from = (address: string) => wrongPassword(t, 'admin').set('X-Forwarded-For', address);
      for (let i = 1; i <= 3; i++) await from(`2001:db8:5:6::${i}`).expect(401);
      const limited = await from('2001:db8:5:6:ffff::9');
      assertProblem(limited, 429);
      await from('2001:db8:5:7::1').expect(401);
    } finally {
      await t.close();
    }
  });
});
