import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, freshCode, storedMfa, uniqueName } from './support/accounts';
import { allAuditEvents, API_KEYS, freshAdminToken, RESET } from './support/api';
import { SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

const RESET_TOTP = '/api/v1/users.resetTOTP';
const bearer = { type: 'bearer' } as const;

/** Rocket.Chat's users.resetTOTP, served as Rocket.Chat serves it (seeds 001-003). */
describe('Rocket.Chat: POST /api/v1/users.resetTOTP', () => {
  let t: TestApp;
  let admin: SignedIn;
  let key: { id: string; key: string; prefix: string };

  before(async () => {
    ({ t, admin } = await startApp());
    const res = await request(t.http)
      .post(API_KEYS)
      .auth(admin.token, bearer)
      .send({
        name: 'rocket',
        expiresInDays: 30,
        permissions: ['edit-other-user-totp', 'view-accounts'],
      })
      .expect(201);
    key = res.body as typeof key;
  });
  after(() => t.close());

  /** The seed's curl call: --header x-auth-token, x-user-id, x-2fa-code, --data '{"userId": ...}'. */
  async function curlSample(userId: string, code?: string) {
    const req = request(t.http)
      .post(RESET_TOTP)
      .set('x-auth-token', key.key)
      .set('x-user-id', admin.id)
      // curl's --data without a content type: application/x-www-form-urlencoded.
      .type('form')
      .send(JSON.stringify({ userId }));
    return code === undefined ? req : req.set('x-2fa-code', code);
  }

  it('replays the seed\'s curl example: 200 {"success": true}, the user\'s TOTP reset, audited with the dialect', async () => {
    const user = await enrolledUser(t, uniqueName('rc-curl'));
    const res = await curlSample(user.id, await freshCode(t, admin.secret));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { success: true });
    assert.equal((await storedMfa(t, user.id)).hasSecret, false);
    const [event] = await allAuditEvents(t, admin.token, {
      action: 'mfa.reset',
      targetId: user.id,
    });
    assert.equal(event.actorId, admin.id);
    assert.equal(event.details?.dialect, 'rocket-chat');
    assert.deepEqual(event.details?.apiKey, { id: key.id, prefix: key.prefix });
  });

  it('resets with a key that has the step-up grant and no code, as an unattended script does', async () => {
    const granted = await request(t.http)
      .post(API_KEYS)
      .auth(admin.token, bearer)
      .set('x-2fa-code', await freshCode(t, admin.secret))
      .send({
        name: 'rocket-grant',
        expiresInDays: 30,
        permissions: ['edit-other-user-totp'],
        grants: ['step-up'],
      })
      .expect(201);
    const user = await enrolledUser(t, uniqueName('rc-grant'));
    const res = await request(t.http)
      .post(RESET_TOTP)
      .set('x-auth-token', (granted.body as { key: string }).key)
      .set('x-user-id', admin.id)
      .send({ userId: user.id });
    assert.deepEqual([res.status, res.body], [200, { success: true }]);
  });

  it('takes a user name in userId, as Rocket.Chat does', async () => {
    const user = await enrolledUser(t, uniqueName('rc-name'));
    const res = await curlSample(user.userName, await freshCode(t, admin.secret));
    assert.deepEqual([res.status, res.body], [200, { success: true }]);
    assert.equal((await storedMfa(t, user.id)).hasSecret, false);
  });

  it("answers each of the seed's error examples in its shape", async () => {
    const user = await enrolledUser(t, uniqueName('rc-err'));
    const required = await curlSample(user.id);
    assert.equal(required.status, 400);
    assert.deepEqual(required.body, {
      success: false,
      error: 'TOTP Required [totp-required]',
      errorType: 'totp-required',
      details: { method: 'totp', codeGenerated: false, availableMethods: ['totp'] },
    });
    const invalid = await curlSample(user.id, '000000');
    assert.equal(invalid.status, 400);
    assert.equal((invalid.body as { errorType: string }).errorType, 'totp-invalid');

    const plain = await enrolledUser(t, uniqueName('rc-plain'));
    const notAllowed = await request(t.http)
      .post(RESET_TOTP)
      .auth(plain.token, bearer)
      .send({ userId: user.id });
    assert.equal(notAllowed.status, 400);
    assert.deepEqual(notAllowed.body, {
      success: false,
      error: 'Not allowed [error-not-allowed]',
      errorType: 'error-not-allowed',
    });

    const unknown = await request(t.http)
      .post(RESET_TOTP)
      .auth(admin.token, bearer)
      .send({ userId: 'nobody-by-that-name' });
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body, {
      success: false,
      error:
        'The required "userId" or "username" param provided does not match any users [error-invalid-user]',
      errorType: 'error-invalid-user',
    });

    const anonymous = await request(t.http).post(RESET_TOTP).send({ userId: user.id });
    assert.equal(anonymous.status, 401);
    assert.deepEqual(anonymous.body, {
      status: 'error',
      message: 'You must be logged in to do this.',
    });
    const wrongUser = await request(t.http)
      .post(RESET_TOTP)
      .set('x-auth-token', key.key)
      .set('x-user-id', user.id)
      .send({ userId: user.id });
    assert.equal(wrongUser.status, 401);
    assert.equal((await storedMfa(t, user.id)).hasSecret, true, 'nothing was reset');
  });

  it("resets the caller's own TOTP without a userId (a session), never a key's owner", async () => {
    const self = await enrolledUser(t, uniqueName('rc-self'), ['HelpDesk']);
    const own = await request(t.http).post(RESET_TOTP).auth(self.token, bearer).send({});
    assert.deepEqual([own.status, own.body], [200, { success: true }]);
    assert.equal((await storedMfa(t, self.id)).hasSecret, false);

    const byKey = await curlSample(admin.id, await freshCode(t, admin.secret));
    assert.equal(byKey.status, 400);
    assert.equal((byKey.body as { errorType: string }).errorType, 'error-not-allowed');
    assert.equal((await storedMfa(t, admin.id)).hasSecret, true);
  });

  it('leaves the same state and audit trail as the NPS endpoint', async () => {
    const [viaNps, viaRc] = [
      await enrolledUser(t, uniqueName('same-nps')),
      await enrolledUser(t, uniqueName('same-rc')),
    ];
    await request(t.http).put(`${RESET}/${viaNps.id}`).auth(admin.token, bearer).expect(200);
    await request(t.http)
      .post(RESET_TOTP)
      .auth(admin.token, bearer)
      .send({ userId: viaRc.id })
      .expect(200);
    for (const user of [viaNps, viaRc]) {
      assert.deepEqual(await storedMfa(t, user.id), {
        ...(await storedMfa(t, user.id)),
        hasSecret: false,
        hasPending: false,
        recoveryCodes: 0,
      });
      await request(t.http).get('/api/v1/Mfa').auth(user.token, bearer).expect(401);
    }
    const events = await allAuditEvents(t, admin.token, { action: 'mfa.reset' });
    const nps = events.find((e) => e.targetId === viaNps.id);
    const rc = events.find((e) => e.targetId === viaRc.id);
    const { dialect, ...rcDetails } = rc?.details ?? {};
    assert.equal(dialect, 'rocket-chat');
    assert.deepEqual(rcDetails, nps?.details);
    assert.equal(rc?.actorId, nps?.actorId);
  });
});

describe('Rocket.Chat: login, me, users.info, logout', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await startApp()));
  after(() => t.close());

  const login = (body: Record<string, unknown>) => request(t.http).post('/api/v1/login').send(body);

  it('asks for the code as Rocket.Chat does, refuses a wrong one, and signs in with the right one', async () => {
    const user = await enrolledUser(t, uniqueName('rc-login'), ['HelpDesk']);
    const noCode = await login({ user: user.userName, password: user.password });
    assert.equal(noCode.status, 401);
    assert.deepEqual(noCode.body, {
      status: 'error',
      error: 'totp-required',
      message: 'TOTP Required',
      details: { method: 'totp', codeGenerated: false, availableMethods: ['totp'] },
    });
    const wrong = await login({ username: user.userName, password: user.password, code: '000000' });
    assert.equal(wrong.status, 401);
    assert.equal((wrong.body as { error: string }).error, 'totp-invalid');
    const badPassword = await login({ user: user.userName, password: 'not-the-password' });
    assert.deepEqual(
      [badPassword.status, badPassword.body],
      [401, { status: 'error', error: 'Unauthorized', message: 'Unauthorized' }],
    );

    const ok = await login({
      user: { username: user.userName },
      password: user.password,
      code: await freshCode(t, user.secret),
    });
    assert.equal(ok.status, 200, ok.text);
    const { status, data } = ok.body as {
      status: string;
      data: { authToken: string; userId: string; me: { _id: string; username: string } };
    };
    assert.equal(status, 'success');
    assert.equal(data.userId, user.id);
    assert.deepEqual([data.me._id, data.me.username], [user.id, user.userName]);

    // authToken + userId authenticate every call, as X-Auth-Token + X-User-Id.
    const as = (req: request.Test) =>
      req.set('X-Auth-Token', data.authToken).set('X-User-Id', data.userId);
    const me = await as(request(t.http).get('/api/v1/me')).expect(200);
    assert.equal((me.body as { _id: string; success: boolean }).success, true);
    const info = await as(
      request(t.http).get('/api/v1/users.info').query({ username: admin.userName }),
    ).expect(200);
    assert.equal((info.body as { user: { _id: string } }).user._id, admin.id);
    const wrongUser = await request(t.http)
      .get('/api/v1/me')
      .set('X-Auth-Token', data.authToken)
      .set('X-User-Id', admin.id);
    assert.deepEqual(
      [wrongUser.status, wrongUser.body],
      [401, { status: 'error', message: 'You must be logged in to do this.' }],
    );

    // The sign-in just proved MFA: the seed's reset goes through without a code, then logout.
    const target = await enrolledUser(t, uniqueName('rc-target'));
    const reset = await as(request(t.http).post('/api/v1/users.resetTOTP')).send({
      userId: target.userName,
    });
    assert.deepEqual([reset.status, reset.body], [200, { success: true }]);
    const out = await as(request(t.http).post('/api/v1/logout')).expect(200);
    assert.deepEqual(out.body, { status: 'success', data: { message: "You've been logged out!" } });
    assert.equal((await as(request(t.http).get('/api/v1/me'))).status, 401);
  });

  it('takes the code as a JSON number (a lost leading zero padded back), and refuses a key beside a session token', async () => {
    const user = await enrolledUser(t, uniqueName('rc-num'), ['HelpDesk']);
    // A step whose code starts with 0, as about one in ten do: find one near now.
    let code = await freshCode(t, user.secret);
    for (let i = 0; i < 200 && !code.startsWith('0'); i++) code = await freshCode(t, user.secret);
    assert.ok(code.startsWith('0'), 'a code with a leading zero within 200 steps');
    const ok = await login({ user: user.userName, password: user.password, code: Number(code) });
    assert.equal(ok.status, 200, ok.text);
    const { authToken } = (ok.body as { data: { authToken: string } }).data;
    // The steps walked above may have outlived the admin's first token.
    const adminToken = await freshAdminToken(t, admin);
    const key = await request(t.http)
      .post('/api/v1/ApiKey')
      .auth(adminToken, bearer)
      .send({ name: 'rc-two', expiresInDays: 1, permissions: ['view-accounts'] })
      .expect(201);
    const both = await request(t.http)
      .get('/api/v1/me')
      .set('X-API-Key', (key.body as { key: string }).key)
      .set('X-Auth-Token', authToken)
      .set('X-User-Id', admin.id);
    assert.equal(both.status, 401);
  });

  it('signs nobody in without an authenticator app, and names an unknown user as Rocket.Chat does', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const created = await t.createAccount(adminToken, uniqueName('rc-nomfa'));
    const res = await login({ user: created.userName, password: created.password });
    assert.equal(res.status, 401);
    assert.equal((res.body as { error: string }).error, 'totp-required');
    const unknown = await request(t.http)
      .get('/api/v1/users.info')
      .auth(adminToken, bearer)
      .query({ username: 'nobody-at-all' });
    assert.equal(unknown.status, 400);
    assert.equal((unknown.body as { errorType: string }).errorType, 'error-invalid-user');
    const missing = await login({ password: 'x' });
    assert.equal(missing.status, 400);
    assert.equal((missing.body as { errorType: string }).errorType, 'error-invalid-params');
  });
});
