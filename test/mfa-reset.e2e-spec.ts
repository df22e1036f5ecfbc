import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { AuditEntry, AuditService } from '../src/audit/audit.service';
import { AuditAction } from '../src/audit/audit-action';
import { enrolledUser, freshCode, storedMfa, uniqueName } from './support/accounts';
import {
  accountView,
  allAuditEvents,
  freshAdminToken,
  jwtPayload,
  NOT_ADMIN,
  OWN_MFA,
  putRole,
  resetBatch,
  resetById,
  resetByName,
  ResetAnswer,
  resetOwn,
  tokenStatus,
  UNKNOWN_ID,
  USER_NOT_FOUND,
  verifyChain,
} from './support/api';
import { problemOf, validationProblemOf } from './support/problem';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

describe('PUT /api/v1/ManagedAccount/ResetMFA/{id}', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('resets an enrolled user: 200 with its id, user name, mfaWasEnabled true and the sessions it ended', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('carol'));
    await t.signIn(user.userName, user.password, user.secret); // a second open session

    const res = await resetById(t, adminToken, user.id).expect(200);

    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.body, {
      id: user.id,
      userName: user.userName,
      mfaWasEnabled: true,
      sessionsRevoked: 2,
    });
    assert.equal((await accountView(t, adminToken, user.id)).mfaEnabled, false);
  });

  it('clears the secret, the recovery codes and the pending enrolment, and changes the security stamp', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('dora'));
    const before = await storedMfa(t, user.id);
    assert.equal(before.hasSecret, true);
    assert.equal(before.recoveryCodes, 10);

    await resetById(t, adminToken, user.id).expect(200);

    const after = await storedMfa(t, user.id);
    assert.equal(after.hasSecret, false);
    assert.equal(after.hasPending, false);
    assert.equal(after.recoveryCodes, 0);
    assert.notEqual(after.stamp, before.stamp);
  });

  it('clears an enrolment that was started but never confirmed', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const name = uniqueName('pending');
    const created = await t.createAccount(adminToken, name);
    const preAuth = await t.preAuth(name, created.password);
    await request(t.http).post('/api/v1/Mfa/Enroll').auth(preAuth, { type: 'bearer' }).expect(200);
    assert.equal((await storedMfa(t, created.id)).hasPending, true);

    const res = await resetById(t, adminToken, created.id).expect(200);

    assert.equal((res.body as ResetAnswer).mfaWasEnabled, false);
    assert.equal((await storedMfa(t, created.id)).hasPending, false);
  });

  it('accepts the uuid in upper case and answers the id in lower case', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('upper'));

    const res = await resetById(t, adminToken, user.id.toUpperCase()).expect(200);

    assert.equal((res.body as ResetAnswer).id, user.id);
    assert.equal((res.body as ResetAnswer).mfaWasEnabled, true);
  });

  it('answers 400 with errors.id when the id is not a uuid', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const res = await resetById(t, adminToken, 'not-a-uuid');
    validationProblemOf(res, 'id');
  });

  it('answers 401 problem+json with WWW-Authenticate: Bearer without a token', async () => {
    const res = await resetById(t, undefined, admin.id);
    problemOf(res, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  it('answers 403 "User is not an Administrator" to a caller with the User role', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('eve'));
    const res = await resetById(t, user.token, admin.id);
    const problem = problemOf(res, 403);
    assert.equal(problem.detail, NOT_ADMIN);
    assert.equal((await accountView(t, adminToken, admin.id)).mfaEnabled, true);
  });

  it('answers 404 "User not found" for a uuid that names no account', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const res = await resetById(t, adminToken, UNKNOWN_ID);
    const problem = problemOf(res, 404);
    assert.equal(problem.detail, USER_NOT_FOUND);
    assert.equal(problem.instance, `/api/v1/ManagedAccount/ResetMFA/${UNKNOWN_ID}`);
  });

  it('is idempotent: a second reset answers 200 with mfaWasEnabled false', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('fred'));
    const first = await resetById(t, adminToken, user.id).expect(200);
    assert.equal((first.body as ResetAnswer).mfaWasEnabled, true);

    const second = await resetById(t, adminToken, user.id).expect(200);

    assert.deepEqual(second.body, {
      id: user.id,
      userName: user.userName,
      mfaWasEnabled: false,
      sessionsRevoked: 0,
    });
  });

  it('makes the user enrol again: its next sign-in answers a pre-auth token of kind enroll', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('gina'));
    assert.equal(jwtPayload(await t.preAuth(user.userName, user.password)).typ, 'mfa');

    await resetById(t, adminToken, user.id).expect(200);

    const payload = jwtPayload(await t.preAuth(user.userName, user.password));
    assert.equal(payload.typ, 'enroll');
    assert.equal(payload.sub, user.id);
    const again = await t.enroll(user.userName, user.password);
    assert.notEqual(again.secret, user.secret, 'a new secret is issued');
  });

  it("refuses the user's old access token at once, while the admin's token keeps working", async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('hank'));
    assert.equal(await tokenStatus(t, user.token), 200);

    await resetById(t, adminToken, user.id).expect(200);

    const res = await request(t.http).get(OWN_MFA).auth(user.token, { type: 'bearer' });
    problemOf(res, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"');
    assert.equal(await tokenStatus(t, adminToken), 200);
    assert.equal((await accountView(t, adminToken, user.id)).mfaEnabled, false);
  });

  it('counts only sessions that were still open: an expired pre-auth session is not "revoked"', async () => {
    const user = await enrolledUser(t, uniqueName('ivan'));
    await t.signIn(user.userName, user.password, user.secret);
    await t.preAuth(user.userName, user.password); // a pre-auth session, 5 minutes long
    t.clock.advance(6 * 60); // ... now expired: the account has two open sessions

    const res = await resetById(t, await freshAdminToken(t, admin), user.id).expect(200);

    assert.equal((res.body as ResetAnswer).sessionsRevoked, 2);
  });
});

describe('PUT /api/v1/ManagedAccount/ResetMFA/ByName/{userName}', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('finds the user name case-insensitively: "BOB" resets "bob"', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const bob = await enrolledUser(t, 'bob');

    const res = await resetByName(t, adminToken, 'BOB').expect(200);

    assert.deepEqual(res.body, {
      id: bob.id,
      userName: 'bob',
      mfaWasEnabled: true,
      sessionsRevoked: 1,
    });
    assert.equal((await accountView(t, adminToken, bob.id)).mfaEnabled, false);
    assert.equal(await tokenStatus(t, bob.token), 401);
  });

  it('answers 404 "User not found" for an unknown user name', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const problem = problemOf(await resetByName(t, adminToken, 'nobody-here'), 404);
    assert.equal(problem.detail, USER_NOT_FOUND);
  });

  it('answers 403 "User is not an Administrator" to a User, whether or not the name exists', async () => {
    const user = await enrolledUser(t, uniqueName('byname-user'));
    for (const name of ['admin', 'nobody-here']) {
      const problem = problemOf(await resetByName(t, user.token, name), 403);
      assert.equal(problem.detail, NOT_ADMIN);
    }
  });
});

describe('PUT /api/v1/ManagedAccount/ResetMFA (batch)', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('takes a bare JSON array of ids and answers 200 {"userids": [...]}', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const a = await enrolledUser(t, uniqueName('arr-a'));
    const b = await enrolledUser(t, uniqueName('arr-b'));

    const res = await resetBatch(t, adminToken, [a.id, b.id]).expect(200);

    assert.deepEqual(res.body, { userids: [a.id, b.id] });
    for (const u of [a, b]) {
      assert.equal((await accountView(t, adminToken, u.id)).mfaEnabled, false);
      assert.equal(await tokenStatus(t, u.token), 401);
    }
  });

  it('takes {"ids": [...]}, the property name in any case ("ids", "IDS")', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const a = await enrolledUser(t, uniqueName('obj-a'));
    const b = await enrolledUser(t, uniqueName('obj-b'));

    const lower = await resetBatch(t, adminToken, { ids: [a.id] }).expect(200);
    const upper = await resetBatch(t, adminToken, { IDS: [b.id] }).expect(200);

    assert.deepEqual(lower.body, { userids: [a.id] });
    assert.deepEqual(upper.body, { userids: [b.id] });
    assert.equal((await accountView(t, adminToken, a.id)).mfaEnabled, false);
    assert.equal((await accountView(t, adminToken, b.id)).mfaEnabled, false);
  });

  it('folds duplicate ids (in any letter case) into one, keeping the first-seen order', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const a = await enrolledUser(t, uniqueName('dup-a'));
    const b = await enrolledUser(t, uniqueName('dup-b'));

    const res = await resetBatch(t, adminToken, [b.id, a.id, b.id, a.id.toUpperCase()]).expect(200);

    assert.deepEqual(res.body, { userids: [b.id, a.id] });
    const events = await allAuditEvents(t, adminToken, { action: 'mfa.reset', targetId: a.id });
    assert.equal(events.length, 1, 'one reset of a, not two');
  });

  it('writes one mfa.reset audit event per account reset', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const users = [
      await enrolledUser(t, uniqueName('aud-a')),
      await enrolledUser(t, uniqueName('aud-b')),
      await enrolledUser(t, uniqueName('aud-c')),
    ];
    const before = await allAuditEvents(t, adminToken, { action: 'mfa.reset' });

    await resetBatch(t, adminToken, { ids: users.map((u) => u.id) }).expect(200);

    const after = await allAuditEvents(t, adminToken, { action: 'mfa.reset' });
    assert.equal(after.length - before.length, 3);
    for (const u of users) {
      const mine = after.filter((e) => e.targetId === u.id);
      assert.equal(mine.length, 1, `one event for ${u.userName}`);
      assert.equal(mine[0].outcome, 'success');
      assert.equal(mine[0].actorId, admin.id);
      assert.equal(mine[0].targetName, u.userName);
      assert.equal(mine[0].details?.mfaWasEnabled, true);
    }
  });

  it('answers 404 with missingIds when an id is unknown, and changes nothing', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('keep'));
    const missing = randomUUID();

    const problem = problemOf(await resetBatch(t, adminToken, [user.id, missing]), 404);

    assert.deepEqual(problem.missingIds, [missing]);
    assert.equal((await accountView(t, adminToken, user.id)).mfaEnabled, true);
    assert.equal(await tokenStatus(t, user.token), 200, "the user's session is still valid");
    assert.equal((await storedMfa(t, user.id)).recoveryCodes, 10);
    const events = await allAuditEvents(t, adminToken, { action: 'mfa.reset', targetId: user.id });
    assert.equal(events.length, 0);
  });

  it('answers 404 with missingIds also when the only id of the batch is unknown', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const missing = randomUUID();

    const problem = problemOf(await resetBatch(t, adminToken, [missing]), 404);

    assert.deepEqual(problem.missingIds, [missing]);
  });

  it('accepts 1000 ids (the limit): every unknown one is listed in missingIds', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const ids = Array.from({ length: 1000 }, () => randomUUID());

    const problem = problemOf(await resetBatch(t, adminToken, ids), 404);

    assert.equal(problem.missingIds?.length, 1000);
  });

  it('answers 400 for 1001 ids', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const ids = Array.from({ length: 1001 }, () => randomUUID());
    validationProblemOf(await resetBatch(t, adminToken, ids), 'ids');
  });

  it('answers 400 for an empty array', async () => {
    const adminToken = await freshAdminToken(t, admin);
    validationProblemOf(await resetBatch(t, adminToken, []), 'ids');
    validationProblemOf(await resetBatch(t, adminToken, { ids: [] }), 'ids');
  });

  it('answers 400 naming the element that is not a uuid, and changes nothing', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('badel'));

    validationProblemOf(await resetBatch(t, adminToken, [user.id, 'not-a-uuid']), 'ids[1]');

    assert.equal((await accountView(t, adminToken, user.id)).mfaEnabled, true);
  });

  it('answers 400 for a body that is neither an array nor {"ids": [...]}', async () => {
    const adminToken = await freshAdminToken(t, admin);
    validationProblemOf(await resetBatch(t, adminToken, { userIds: [UNKNOWN_ID] }), 'ids');
    validationProblemOf(await resetBatch(t, adminToken, UNKNOWN_ID), 'ids');
  });

  it('ends every session of each account reset', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const a = await enrolledUser(t, uniqueName('sess-a'));
    const aSecond = await t.signIn(a.userName, a.password, a.secret);
    const b = await enrolledUser(t, uniqueName('sess-b'));

    await resetBatch(t, adminToken, [a.id, b.id]).expect(200);

    assert.equal(await tokenStatus(t, a.token), 401);
    assert.equal(await tokenStatus(t, aSecond), 401);
    assert.equal(await tokenStatus(t, b.token), 401);
    assert.equal(await tokenStatus(t, adminToken), 200);
  });
});

describe('batch reset atomicity (a failure half-way)', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('answers 500 with a generic detail and leaves every account as it was', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const users = [
      await enrolledUser(t, uniqueName('atom-a')),
      await enrolledUser(t, uniqueName('atom-b')),
      await enrolledUser(t, uniqueName('atom-c')),
    ];
    const before = await Promise.all(users.map((u) => storedMfa(t, u.id)));
    const eventsBefore = (await verifyChain(t, adminToken)).count;

    const audit = t.app.get(AuditService);
    const original = audit.append.bind(audit);
    let resets = 0;
    audit.append = (manager, entry: AuditEntry) => {
      if (entry.action === AuditAction.MfaReset && ++resets === 2)
        return Promise.reject(new Error('injected failure: SECRET-INTERNAL-DETAIL'));
      return original(manager, entry);
    };
    let res: request.Response;
    try {
      res = await resetBatch(
        t,
        adminToken,
        users.map((u) => u.id),
      );
    } finally {
      audit.append = original;
    }

    assert.equal(resets, 2, 'the failure came from the second account of the batch');
    const problem = problemOf(res, 500);
    assert.doesNotMatch(res.text, /SECRET-INTERNAL-DETAIL|injected|\bat .+\.js:\d+/);
    assert.ok(!('stack' in problem), 'no stack member');
    assert.match(problem.detail, /unexpected/i);
    for (const [i, u] of users.entries()) {
      const now = await storedMfa(t, u.id);
      assert.deepEqual(now, before[i], `${u.userName} is unchanged`);
      assert.equal(await tokenStatus(t, u.token), 200, `${u.userName}'s session is still valid`);
      assert.equal((await accountView(t, adminToken, u.id)).mfaEnabled, true);
    }
    const chain = await verifyChain(t, adminToken);
    assert.deepEqual(chain, { valid: true, count: eventsBefore }, 'no audit event was left');
  });

  it('works again once the fault is gone', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const a = await enrolledUser(t, uniqueName('after-a'));
    const b = await enrolledUser(t, uniqueName('after-b'));

    const res = await resetBatch(t, adminToken, [a.id, b.id]).expect(200);

    assert.deepEqual(res.body, { userids: [a.id, b.id] });
    assert.equal((await verifyChain(t, adminToken)).valid, true);
  });
});

describe('who may reset (ResetMFA/{id})', () => {
  let t: TestApp;
  let admin: SignedIn;
  let helpDesk: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
    helpDesk = await enrolledUser(t, 'helpdesk', ['HelpDesk']);
  });
  after(() => t.close());

  const helpDeskToken = () => t.signIn(helpDesk.userName, helpDesk.password, helpDesk.secret);

  it('answers 401 to an anonymous caller', async () => {
    problemOf(await resetById(t, undefined, UNKNOWN_ID), 401);
  });

  it('answers 401 to a pre-auth (mfa) token', async () => {
    const preAuth = await t.preAuth(helpDesk.userName, helpDesk.password);
    assert.equal(jwtPayload(preAuth).typ, 'mfa');
    const user = await enrolledUser(t, uniqueName('pre'));

    problemOf(await resetById(t, preAuth, user.id), 401);

    assert.equal((await accountView(t, await freshAdminToken(t, admin), user.id)).mfaEnabled, true);
  });

  it('answers 403 to a User, also for a uuid that names no account (authorization before existence)', async () => {
    const user = await enrolledUser(t, uniqueName('plain'));
    for (const target of [admin.id, UNKNOWN_ID]) {
      const problem = problemOf(await resetById(t, user.token, target), 403);
      assert.equal(problem.detail, NOT_ADMIN);
    }
  });

  it('lets a HelpDesk account reset a User', async () => {
    const user = await enrolledUser(t, uniqueName('hd-target'));

    const res = await resetById(t, await helpDeskToken(), user.id).expect(200);

    assert.equal((res.body as ResetAnswer).mfaWasEnabled, true);
    assert.equal(await tokenStatus(t, user.token), 401);
  });

  it('refuses a HelpDesk account resetting an Admin: 403 error-not-allowed, audited as denied', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const problem = problemOf(await resetById(t, await helpDeskToken(), admin.id), 403);

    assert.equal(problem.errorType, 'error-not-allowed');
    assert.equal((await accountView(t, adminToken, admin.id)).mfaEnabled, true);
    assert.equal(await tokenStatus(t, adminToken), 200, "the admin's session is untouched");
    const events = await allAuditEvents(t, adminToken, { action: 'mfa.reset', targetId: admin.id });
    assert.equal(events.length, 1);
    assert.equal(events[0].outcome, 'denied');
    assert.equal(events[0].actorId, helpDesk.id);
  });

  it('refuses a HelpDesk batch that includes an Admin, and resets none of it', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('hd-batch'));

    const problem = problemOf(await resetBatch(t, await helpDeskToken(), [user.id, admin.id]), 403);

    assert.equal(problem.errorType, 'error-not-allowed');
    assert.equal((await accountView(t, adminToken, user.id)).mfaEnabled, true);
    assert.equal(await tokenStatus(t, user.token), 200);
  });

  it("follows the HelpDesk role's permissions on the very next request, without a new sign-in", async () => {
    const hdToken = await helpDeskToken();
    const adminToken = await freshAdminToken(t, admin);
    const first = await enrolledUser(t, uniqueName('perm-a'));
    const second = await enrolledUser(t, uniqueName('perm-b'));
    try {
      const removed = await putRole(t, adminToken, 'HelpDesk', ['view-accounts']).expect(200);
      assert.deepEqual(removed.body.permissions, ['view-accounts']);

      const refused = problemOf(await resetById(t, hdToken, first.id), 403);
      assert.equal(refused.detail, NOT_ADMIN);
      assert.equal((await accountView(t, adminToken, first.id)).mfaEnabled, true);
      assert.equal(await tokenStatus(t, hdToken), 200, 'the HelpDesk session stays open');

      await putRole(t, adminToken, 'HelpDesk', ['edit-other-user-totp', 'view-accounts']).expect(
        200,
      );

      await resetById(t, hdToken, second.id).expect(200);
      assert.equal((await accountView(t, adminToken, second.id)).mfaEnabled, false);
    } finally {
      await putRole(t, await freshAdminToken(t, admin), 'HelpDesk', [
        'edit-other-user-totp',
        'view-accounts',
      ]);
    }
  });

  it('lets an Admin reset a HelpDesk account', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const other = await enrolledUser(t, uniqueName('hd2'), ['HelpDesk']);

    const res = await resetById(t, adminToken, other.id).expect(200);

    assert.equal((res.body as ResetAnswer).mfaWasEnabled, true);
  });

  it('answers 401 to the token of a session ended by /signout', async () => {
    const hdToken = await helpDeskToken();
    await request(t.http).post('/signout').auth(hdToken, { type: 'bearer' }).expect(204);
    const user = await enrolledUser(t, uniqueName('so'));

    problemOf(await resetById(t, hdToken, user.id), 401);

    assert.equal((await accountView(t, await freshAdminToken(t, admin), user.id)).mfaEnabled, true);
  });
});

describe('resetting oneself', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('PUT /api/v1/Mfa/Reset by a User resets its own MFA and keeps its session', async () => {
    const user = await enrolledUser(t, uniqueName('self'));
    const other = await t.signIn(user.userName, user.password, user.secret);
    const code = await freshCode(t, user.secret);

    const res = await resetOwn(t, user.token, { code }).expect(200);

    assert.deepEqual(res.body, {
      id: user.id,
      userName: user.userName,
      mfaWasEnabled: true,
      sessionsRevoked: 1,
    });
    const status = await request(t.http).get(OWN_MFA).auth(user.token, { type: 'bearer' });
    assert.equal(status.status, 200, 'the caller keeps its session');
    assert.equal(status.body.enabled, false);
    assert.equal(await tokenStatus(t, other), 401, 'its other session ended');
    assert.equal(jwtPayload(await t.preAuth(user.userName, user.password)).typ, 'enroll');
  });

  it('an Admin resetting itself by id keeps its session and counts only its other sessions', async () => {
    await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
    const caller = await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
    // Open sessions now: the enrolment's (admin.token), the first sign-in's, and the caller's.

    const res = await resetById(t, caller, admin.id).expect(200);

    assert.deepEqual(res.body, {
      id: admin.id,
      userName: 'admin',
      mfaWasEnabled: true,
      sessionsRevoked: 2,
    });
    assert.equal(await tokenStatus(t, caller), 200, 'the caller keeps its session');
    assert.equal((await accountView(t, caller, admin.id)).mfaEnabled, false);
    assert.equal(await tokenStatus(t, admin.token), 401, 'its other sessions ended');
  });
});

describe('concurrent resets', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('two concurrent resets of one account both answer 200 and leave one consistent state', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('race'));
    await t.signIn(user.userName, user.password, user.secret);

    const answers = await Promise.all([
      resetById(t, adminToken, user.id),
      resetById(t, adminToken, user.id),
    ]);

    for (const a of answers) assert.equal(a.status, 200, a.text);
    const bodies = answers.map((a) => a.body as ResetAnswer);
    assert.deepEqual(bodies.map((b) => b.mfaWasEnabled).sort(), [false, true]);
    assert.equal(bodies[0].sessionsRevoked + bodies[1].sessionsRevoked, 2);
    assert.equal((await accountView(t, adminToken, user.id)).mfaEnabled, false);
    const stored = await storedMfa(t, user.id);
    assert.equal(stored.hasSecret, false);
    assert.equal(stored.recoveryCodes, 0);
    const events = await allAuditEvents(t, adminToken, { action: 'mfa.reset', targetId: user.id });
    assert.equal(events.length, 2);
    assert.deepEqual(events.map((e) => e.details?.mfaWasEnabled).sort(), [false, true]);
    assert.equal((await verifyChain(t, adminToken)).valid, true);
  });

  it('overlapping batches in opposite orders both answer 200', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const a = await enrolledUser(t, uniqueName('ov-a'));
    const b = await enrolledUser(t, uniqueName('ov-b'));

    const answers = await Promise.all([
      resetBatch(t, adminToken, [a.id, b.id]),
      resetBatch(t, adminToken, [b.id, a.id]),
      resetByName(t, adminToken, a.userName),
    ]);

    for (const r of answers) assert.equal(r.status, 200, r.text);
    assert.deepEqual(answers[0].body, { userids: [a.id, b.id] });
    assert.deepEqual(answers[1].body, { userids: [b.id, a.id] });
    const events = await allAuditEvents(t, adminToken, { action: 'mfa.reset' });
    assert.equal(events.filter((e) => e.targetId === a.id).length, 3);
    assert.equal(events.filter((e) => e.targetId === b.id).length, 2);
    for (const id of [a.id, b.id]) {
      const enabled = events.filter((e) => e.targetId === id && e.details?.mfaWasEnabled === true);
      assert.equal(enabled.length, 1, 'exactly one of the resets found MFA on');
    }
    assert.equal((await verifyChain(t, adminToken)).valid, true);
  });
});
