import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { PasswordHasher } from '../src/accounts/password-hasher';
import { enrolledUser, freshCode, uniqueName } from './support/accounts';
import {
  ACCOUNTS,
  accountView,
  allAuditEvents,
  freshAdminToken,
  patchAccount,
  putRole,
  tokenStatus,
  UNKNOWN_ID,
} from './support/api';
import { problemOf, validationProblemOf } from './support/problem';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

const HELP_DESK_DEFAULT = ['edit-other-user-totp', 'view-accounts'];

async function storedStamp(t: TestApp, id: string): Promise<string> {
  const [row] = await t.sql<{ security_stamp: string }>(
    'SELECT security_stamp FROM accounts WHERE id = ?',
    [id],
  );
  assert.ok(row, `account ${id} exists`);
  return row.security_stamp;
}

function createAccount(t: TestApp, token: string, userName: string, roles: string[]) {
  return request(t.http)
    .post(ACCOUNTS)
    .auth(token, { type: 'bearer' })
    .send({
      userName,
      displayName: userName,
      email: `${userName}@example.com`,
      password: `${userName}-Password-1!`,
      roles,
    });
}

/** A fresh app whose HelpDesk role also holds `permission`, with an enrolled HelpDesk account. */
async function appWithHelpDeskAlso(
  permission: string,
): Promise<{ t: TestApp; admin: SignedIn; helpDesk: SignedIn }> {
  const { t, admin } = await startApp();
  const adminToken = await freshAdminToken(t, admin);
  await putRole(t, adminToken, 'HelpDesk', [...HELP_DESK_DEFAULT, permission]).expect(200);
  const helpDesk = await enrolledUser(t, uniqueName('hd'), ['HelpDesk']);
  return { t, admin, helpDesk };
}

describe('account management within the caller’s own permissions', () => {
  let t: TestApp;
  let admin: SignedIn;
  let helpDesk: SignedIn;

  /** An access token of the HelpDesk account that has just proved MFA (step-up satisfied). */
  const helpDeskToken = () => t.signIn(helpDesk.userName, helpDesk.password, helpDesk.secret);

  before(async () => {
    ({ t, admin, helpDesk } = await appWithHelpDeskAlso('manage-accounts'));
  });
  after(() => t.close());

  it('refuses a HelpDesk account giving itself the Admin role: 403 error-not-allowed, audited as denied', async () => {
    const problem = problemOf(
      await patchAccount(t, await helpDeskToken(), helpDesk.id, { roles: ['Admin'] }),
      403,
    );

    assert.equal(problem.errorType, 'error-not-allowed');
    const adminToken = await freshAdminToken(t, admin);
    assert.deepEqual((await accountView(t, adminToken, helpDesk.id)).roles, ['HelpDesk']);
    const events = await allAuditEvents(t, adminToken, {
      action: 'account.updated',
      targetId: helpDesk.id,
    });
    assert.equal(events.length, 1);
    assert.equal(events[0].outcome, 'denied');
    assert.equal(events[0].actorId, helpDesk.id);
    assert.deepEqual(events[0].details, {
      reason: 'roles grant a permission the caller lacks',
      lacking: ['manage-api-keys', 'manage-roles', 'view-api-keys', 'view-audit'],
    });
  });

  it('refuses a HelpDesk account setting the password of an Admin, and the Admin keeps it', async () => {
    const stampBefore = await storedStamp(t, admin.id);
    const adminToken = await freshAdminToken(t, admin);

    const problem = problemOf(
      await patchAccount(t, await helpDeskToken(), admin.id, {
        password: 'taken-over-Password-1!',
      }),
      403,
    );

    assert.equal(problem.errorType, 'error-not-allowed');
    assert.equal(await storedStamp(t, admin.id), stampBefore);
    assert.equal(await tokenStatus(t, adminToken), 200, "the admin's session is untouched");
    await t.preAuth('admin', ADMIN_PASSWORD);
    const events = await allAuditEvents(t, adminToken, {
      action: 'account.updated',
      targetId: admin.id,
    });
    assert.equal(events[0].outcome, 'denied');
    assert.equal(events[0].actorId, helpDesk.id);
    assert.equal(
      (events[0].details as { reason: string }).reason,
      'target holds a permission the caller lacks',
    );
  });

  it('refuses a HelpDesk account changing anything of an Admin: roles, isActive, email, displayName', async () => {
    const hdToken = await helpDeskToken();
    for (const body of [
      { roles: ['User'] },
      { isActive: false },
      { email: 'attacker@example.com' },
      { displayName: 'Owned' },
    ]) {
      const problem = problemOf(await patchAccount(t, hdToken, admin.id, body), 403);
      assert.equal(problem.errorType, 'error-not-allowed', JSON.stringify(body));
    }
    const view = await accountView(t, await freshAdminToken(t, admin), admin.id);
    assert.deepEqual(view.roles, ['Admin']);
    assert.equal(view.isActive, true);
  });

  it('refuses a HelpDesk account creating an account with the Admin role, and audits it', async () => {
    const name = uniqueName('rogue');

    const problem = problemOf(await createAccount(t, await helpDeskToken(), name, ['Admin']), 403);

    assert.equal(problem.errorType, 'error-not-allowed');
    assert.equal(await t.accountByName(name), undefined, 'no account was created');
    const events = await allAuditEvents(t, await freshAdminToken(t, admin), {
      action: 'account.created',
      actorId: helpDesk.id,
    });
    assert.equal(events.length, 1);
    assert.equal(events[0].outcome, 'denied');
    assert.equal(events[0].targetId, null);
    assert.equal(events[0].targetName, name);
  });

  it('answers 403 before 400: a role above the caller next to an unknown role, or a password equal to the user name', async () => {
    const hdToken = await helpDeskToken();
    const name = uniqueName('order');

    const unknownRole = problemOf(
      await patchAccount(t, hdToken, helpDesk.id, { roles: ['Admin', 'NoSuchRole'] }),
      403,
    );
    assert.equal(unknownRole.errorType, 'error-not-allowed');
    const samePassword = problemOf(
      await request(t.http)
        .post(ACCOUNTS)
        .auth(hdToken, { type: 'bearer' })
        .send({
          userName: name,
          displayName: name,
          email: `${name}@example.com`,
          password: name,
          roles: ['Admin'],
        }),
      403,
    );
    assert.equal(samePassword.errorType, 'error-not-allowed');
    assert.equal(await t.accountByName(name), undefined);
  });

  it('answers 403 for granting the Admin role to an id that names no account (authorization before existence)', async () => {
    const hdToken = await helpDeskToken();

    const granted = problemOf(
      await patchAccount(t, hdToken, UNKNOWN_ID, { roles: ['Admin'] }),
      403,
    );
    assert.equal(granted.errorType, 'error-not-allowed');
    // Within the caller's reach, validation still comes before existence.
    validationProblemOf(
      await patchAccount(t, hdToken, UNKNOWN_ID, { roles: ['NoSuchRole'] }),
      'roles',
    );
    problemOf(await patchAccount(t, hdToken, UNKNOWN_ID, { displayName: 'x' }), 404);
  });

  it('lets a HelpDesk account create and edit accounts within its own permissions', async () => {
    const hdToken = await helpDeskToken();
    const name = uniqueName('plain');

    const created = await createAccount(t, hdToken, name, ['User']);
    assert.equal(created.status, 201, created.text);
    const id = (created.body as { id: string }).id;

    for (const body of [
      { displayName: 'Renamed' },
      { email: `${name}@example.org` },
      { password: 'a-new-Password-2!' },
      { roles: ['HelpDesk'] },
      { roles: ['User'] },
      { isActive: false },
    ]) {
      const res = await patchAccount(t, hdToken, id, body);
      assert.equal(res.status, 200, `${JSON.stringify(body)}: ${res.text}`);
    }
    const view = await accountView(t, hdToken, id);
    assert.deepEqual(view.roles, ['User']);
    assert.equal(view.isActive, false);
    const helper = await createAccount(t, hdToken, uniqueName('peer'), ['HelpDesk']);
    assert.equal(helper.status, 201, helper.text);
  });

  it('still lets an Admin give and take the Admin role', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('promoted'));

    await patchAccount(t, adminToken, user.id, { roles: ['Admin'] }).expect(200);
    await patchAccount(t, adminToken, user.id, { roles: ['User'] }).expect(200);
    assert.deepEqual((await accountView(t, adminToken, user.id)).roles, ['User']);
  });
});

describe('role changes within the caller’s own permissions', () => {
  let t: TestApp;
  let admin: SignedIn;
  let helpDesk: SignedIn;

  before(async () => {
    ({ t, admin, helpDesk } = await appWithHelpDeskAlso('manage-roles'));
  });
  after(() => t.close());

  it('refuses a manage-roles holder granting a permission it lacks: 403, the role unchanged, audited', async () => {
    const token = await t.signIn(helpDesk.userName, helpDesk.password, helpDesk.secret);
    const all = [...HELP_DESK_DEFAULT, 'manage-roles', 'manage-accounts', 'view-audit'];

    const problem = problemOf(await putRole(t, token, 'HelpDesk', all), 403);

    assert.equal(problem.errorType, 'error-not-allowed');
    const roles = await request(t.http)
      .get('/api/v1/Role')
      .auth(await freshAdminToken(t, admin), { type: 'bearer' })
      .expect(200);
    const helpDeskRole = (roles.body as { name: string; permissions: string[] }[]).find(
      (r) => r.name === 'HelpDesk',
    );
    assert.deepEqual(helpDeskRole?.permissions, [...HELP_DESK_DEFAULT, 'manage-roles'].sort());
    const events = await allAuditEvents(t, await freshAdminToken(t, admin), {
      action: 'role.updated',
      actorId: helpDesk.id,
    });
    assert.equal(events.length, 1);
    assert.equal(events[0].outcome, 'denied');
    assert.deepEqual(events[0].details?.lacking, ['manage-accounts', 'view-audit']);
  });

  it('lets it change a role within its own permissions', async () => {
    const token = await t.signIn(helpDesk.userName, helpDesk.password, helpDesk.secret);
    await putRole(t, token, 'User', ['view-accounts']).expect(200);
  });
});

describe('PATCH of password, roles or isActive rotates the security stamp', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  for (const body of [
    { password: 'another-Password-9!' },
    { roles: ['HelpDesk'] },
    { isActive: false },
  ]) {
    it(`changes the stamp and refuses old tokens after ${JSON.stringify(body)}`, async () => {
      const adminToken = await freshAdminToken(t, admin);
      const user = await enrolledUser(t, uniqueName('stamp'));
      const before = await storedStamp(t, user.id);

      await patchAccount(t, adminToken, user.id, body).expect(200);

      assert.notEqual(await storedStamp(t, user.id), before);
      assert.equal(await tokenStatus(t, user.token), 401);
      assert.equal(await tokenStatus(t, adminToken), 200);
    });
  }

  it('keeps the stamp for a change of display name or email', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('same'));
    const before = await storedStamp(t, user.id);

    await patchAccount(t, adminToken, user.id, {
      displayName: 'Other',
      email: 'other@example.com',
    }).expect(200);

    assert.equal(await storedStamp(t, user.id), before);
    assert.equal(await tokenStatus(t, user.token), 200);
  });

  it('keeps the session of a caller changing its own password: it takes the new stamp', async () => {
    const other = await enrolledUser(t, uniqueName('self'), ['Admin']);
    const before = await storedStamp(t, other.id);

    await patchAccount(t, other.token, other.id, { password: 'my-own-new-Password-3!' }).expect(
      200,
    );

    assert.notEqual(await storedStamp(t, other.id), before);
    assert.equal(await tokenStatus(t, other.token), 200);
  });

  it('gives no usable session to a sign-in that checked the old password while the change committed', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('inflight'));
    const hasher = t.app.get(PasswordHasher);
    const verify = hasher.verify.bind(hasher);
    let entered!: () => void;
    let release!: () => void;
    const inVerify = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    hasher.verify = async (hash: string, password: string) => {
      const valid = await verify(hash, password);
      if (password === user.password) {
        entered();
        await gate;
      }
      return valid;
    };
    try {
      const signingIn = Promise.resolve(
        request(t.http).post('/signinBody').send({ Login: user.userName, Password: user.password }),
      );
      await inVerify;
      await patchAccount(t, adminToken, user.id, { password: 'changed-meanwhile-Pw-4!' }).expect(
        200,
      );
      release();
      const res = await signingIn;
      assert.equal(res.status, 200, res.text);

      const second = await request(t.http)
        .post('/signin2fa')
        .auth(res.body as string, { type: 'bearer' })
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(await freshCode(t, user.secret)));
      problemOf(second, 401);
    } finally {
      release();
      hasher.verify = verify;
    }
  });
});

describe('audit of a failed sign-in for an unknown login', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  async function failedSignInEvent(login: string) {
    const res = await request(t.http)
      .post('/signinBody')
      .send({ Login: login, Password: 'whatever-it-was-1!' });
    const { traceId } = problemOf(res, 401);
    const events = await allAuditEvents(t, await freshAdminToken(t, admin), {
      action: 'sign-in.failed',
    });
    const event = events.find((e) => e.traceId === traceId);
    assert.ok(event, `an audit event with trace id ${traceId}`);
    return { event, listing: JSON.stringify(events) };
  }

  it('does not store a login that is no user name (a password typed into the wrong field)', async () => {
    const typed = 'correct horse battery staple!';

    const { event, listing } = await failedSignInEvent(typed);

    assert.equal(event.actorId, null);
    assert.equal(event.actorName, null);
    assert.deepEqual(event.details, { reason: 'unknown-user' });
    assert.ok(!listing.includes('correct horse'), 'the typed text is nowhere in the audit log');
  });

  it('does not store a login longer than 64 characters, not even cut short', async () => {
    const { event } = await failedSignInEvent('a'.repeat(65));

    assert.equal(event.actorName, null);
  });

  it('does not store a login shaped like a user name either (it may be a password)', async () => {
    const { event } = await failedSignInEvent('AdminPass-123456');

    assert.equal(event.actorName, null);
    assert.deepEqual(event.details, { reason: 'unknown-user' });
  });
});
