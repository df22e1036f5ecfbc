import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, freshCode } from './support/accounts';
import { ALL_PERMISSIONS, API_KEYS, ROLES } from './support/api';
import { startApp } from './support/app-fixture';
import { problemOf } from './support/problem';
import { SignedIn, TestApp } from './support/test-app';

const SESSION = '/api/v1/Session';
const bearer = { type: 'bearer' } as const;

interface SessionView {
  id: string;
  userName: string;
  roles: string[];
  permissions: string[];
  mfaEnabled: boolean;
  credential: string;
}

async function session(t: TestApp, auth: (r: request.Test) => request.Test): Promise<SessionView> {
  const res = await auth(request(t.http).get(SESSION));
  assert.equal(res.status, 200, res.text);
  assert.equal(res.headers['cache-control'], 'no-store');
  return res.body as SessionView;
}

describe('GET /api/v1/Session: the caller', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await startApp()));
  after(() => t.close());

  it("answers an administrator's account, roles and every permission", async () => {
    assert.deepEqual(await session(t, (r) => r.auth(admin.token, bearer)), {
      id: admin.id,
      userName: 'admin',
      roles: ['Admin'],
      permissions: [...ALL_PERMISSIONS].sort(),
      mfaEnabled: true,
      credential: 'session',
    });
  });

  it("answers a HelpDesk account's permissions, and a role change from the next request", async () => {
    const helpDesk = await enrolledUser(t, 'session-hd', ['HelpDesk']);
    const before = await session(t, (r) => r.auth(helpDesk.token, bearer));
    assert.deepEqual(before.permissions, ['edit-other-user-totp', 'view-accounts']);
    assert.deepEqual(before.roles, ['HelpDesk']);

    await request(t.http)
      .put(`${ROLES}/HelpDesk`)
      .auth(admin.token, bearer)
      .set('x-2fa-code', await freshCode(t, admin.secret))
      .send({ permissions: ['view-accounts'] })
      .expect(200);
    const after = await session(t, (r) => r.auth(helpDesk.token, bearer));
    assert.deepEqual(after.permissions, ['view-accounts']);
  });

  it("answers an API key's own permissions, not its owner's", async () => {
    const created = await request(t.http)
      .post(API_KEYS)
      .auth(admin.token, bearer)
      .set('x-2fa-code', await freshCode(t, admin.secret))
      .send({ name: 'session-probe', expiresInDays: 1, permissions: ['view-audit'] });
    assert.equal(created.status, 201, created.text);
    const { key } = created.body as { key: string };
    const view = await session(t, (r) => r.set('X-API-Key', key));
    assert.equal(view.credential, 'api-key');
    assert.equal(view.id, admin.id);
    assert.deepEqual(view.permissions, ['view-audit']);
  });

  it('refuses pre-auth tokens and callers without a token with 401', async () => {
    const account = await t.createAccount(admin.token, 'session-new', ['User']);
    const enroll = await t.preAuth('session-new', account.password);
    problemOf(await request(t.http).get(SESSION).auth(enroll, bearer), 401);
    const mfa = await t.preAuth('admin', admin.password);
    problemOf(await request(t.http).get(SESSION).auth(mfa, bearer), 401);
    problemOf(await request(t.http).get(SESSION), 401);
  });
});
