import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, freshCode, uniqueName, wrongCode } from './support/accounts';
import {
  accountView,
  freshAdminToken,
  OWN_MFA,
  patchAccount,
  Proof,
  putRole,
  resetBatch,
  resetById,
  resetByName,
  ResetAnswer,
  resetOwn,
  tokenStatus,
} from './support/api';
import { problemOf, validationProblemOf } from './support/problem';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

describe('step-up on reset calls (STEP_UP_MAX_AGE=0: every call needs a proof)', () => {
  let t: TestApp;
  let admin: SignedIn;
  let target: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp({ STEP_UP_MAX_AGE: '0' }));
    target = await enrolledUser(t, 'target');
  });
  after(() => t.close());

  it('answers 400 totp-required with details {method, codeGenerated, availableMethods} without x-2fa-code', async () => {
    const adminToken = await freshAdminToken(t, admin);

    const problem = problemOf(await resetById(t, adminToken, target.id), 400);

    assert.equal(problem.errorType, 'totp-required');
    assert.equal(problem.details?.method, 'totp');
    assert.equal(problem.details?.codeGenerated, false);
    const methods = problem.details?.availableMethods;
    assert.ok(Array.isArray(methods) && methods.includes('totp'), JSON.stringify(methods));
    assert.equal((await accountView(t, adminToken, target.id)).mfaEnabled, true);
  });

  it('asks for it on every reset call: by name, batch and Mfa/Reset', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const required = [
      await resetByName(t, adminToken, target.userName),
      await resetBatch(t, adminToken, [target.id]),
      await resetOwn(t, adminToken),
    ];
    for (const res of required) assert.equal(problemOf(res, 400).errorType, 'totp-required');
    assert.equal((await accountView(t, adminToken, target.id)).mfaEnabled, true);
    assert.equal((await accountView(t, adminToken, admin.id)).mfaEnabled, true);
  });

  it('answers 400 totp-invalid to a wrong code', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const code = await wrongCode(t, admin.secret);

    const problem = problemOf(await resetById(t, adminToken, target.id, { code }), 400);

    assert.equal(problem.errorType, 'totp-invalid');
    assert.equal((await accountView(t, adminToken, target.id)).mfaEnabled, true);
  });

  it("accepts the caller's current code, once: the same code again is a replay (totp-invalid)", async () => {
    const adminToken = await freshAdminToken(t, admin);
    const code = await freshCode(t, admin.secret);

    const res = await resetById(t, adminToken, target.id, { code }).expect(200);
    assert.equal((res.body as ResetAnswer).id, target.id);

    const replay = problemOf(await resetById(t, adminToken, target.id, { code }), 400);
    assert.equal(replay.errorType, 'totp-invalid');
  });

  it("refuses the target's code: the proof must be the caller's own", async () => {
    const adminToken = await freshAdminToken(t, admin);
    const other = await enrolledUser(t, uniqueName('own'));
    const code = await freshCode(t, other.secret);

    const problem = problemOf(await resetById(t, adminToken, other.id, { code }), 400);

    assert.equal(problem.errorType, 'totp-invalid');
    assert.equal((await accountView(t, adminToken, other.id)).mfaEnabled, true);
  });

  it('accepts the right password with x-2fa-method: password', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const other = await enrolledUser(t, uniqueName('pw-ok'));

    const res = await resetById(t, adminToken, other.id, {
      code: ADMIN_PASSWORD,
      method: 'password',
    }).expect(200);

    assert.equal((res.body as ResetAnswer).mfaWasEnabled, true);
  });

  it('answers 400 totp-invalid to a wrong password with x-2fa-method: password', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const other = await enrolledUser(t, uniqueName('pw-bad'));

    const problem = problemOf(
      await resetById(t, adminToken, other.id, { code: 'not-the-password!', method: 'password' }),
      400,
    );

    assert.equal(problem.errorType, 'totp-invalid');
    assert.equal((await accountView(t, adminToken, other.id)).mfaEnabled, true);
  });

  it("answers a method it does not offer (Rocket.Chat's email) with a 400 naming the methods offered", async () => {
    const adminToken = await freshAdminToken(t, admin);
    const other = await enrolledUser(t, uniqueName('email-m'));

    const problem = validationProblemOf(
      await resetById(t, adminToken, other.id, { code: '123456', method: 'email' }),
      'x-2fa-method',
    );

    assert.deepEqual(problem.errors?.['x-2fa-method'], [
      'Not a method this account offers; use one of: totp, password.',
    ]);
    assert.equal(problem.errorType, undefined);
    assert.equal((await accountView(t, adminToken, other.id)).mfaEnabled, true);
  });

  it('limits password proofs per account (each is a password hash): 429 past ten a minute', async () => {
    const user = await enrolledUser(t, uniqueName('pw-flood'));
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await request(t.http)
        .get(OWN_MFA)
        .auth(user.token, { type: 'bearer' })
        .set('x-2fa-method', 'password')
        .set('x-2fa-code', user.password);
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [...Array<number>(10).fill(200), 429]);
  });

  it('asks a User without the permission for nothing: 403 comes before step-up', async () => {
    const user = await enrolledUser(t, uniqueName('noperm'));

    const problem = problemOf(await resetById(t, user.token, target.id), 403);

    assert.equal(problem.detail, 'User is not an Administrator');
  });

  it('asks an admin for step-up before validating the id: 400 totp-required for a malformed id', async () => {
    const adminToken = await freshAdminToken(t, admin);

    const problem = problemOf(await resetById(t, adminToken, 'not-a-uuid'), 400);

    assert.equal(problem.errorType, 'totp-required');
    assert.equal(problem.errors, undefined);
    // ... and with the proof, the same call is the validation failure.
    const code = await freshCode(t, admin.secret);
    validationProblemOf(await resetById(t, adminToken, 'not-a-uuid', { code }), 'id');
  });

  it('asks for step-up on a PATCH of roles, password or isActive, not of displayName', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const other = await enrolledUser(t, uniqueName('patch'));

    const renamed = await patchAccount(t, adminToken, other.id, { displayName: 'New Name' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.displayName, 'New Name');

    for (const body of [
      { roles: ['HelpDesk'] },
      { password: 'another-Password-9!' },
      { isActive: false },
      { DisplayName: 'x', IsActive: false },
    ]) {
      const problem = problemOf(await patchAccount(t, adminToken, other.id, body), 400);
      assert.equal(problem.errorType, 'totp-required', JSON.stringify(body));
    }
    const view = await accountView(t, adminToken, other.id);
    assert.deepEqual(view.roles, ['User']);
    assert.equal(view.isActive, true);
    assert.equal(await tokenStatus(t, other.token), 200, 'nothing ended its session');

    const code = await freshCode(t, admin.secret);
    await patchAccount(t, adminToken, other.id, { roles: ['HelpDesk'] }, { code }).expect(200);
    assert.deepEqual((await accountView(t, adminToken, other.id)).roles, ['HelpDesk']);
  });

  it('asks for step-up on PUT /api/v1/Role/{name}', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const problem = problemOf(
      await putRole(t, adminToken, 'HelpDesk', ['edit-other-user-totp', 'view-accounts']),
      400,
    );
    assert.equal(problem.errorType, 'totp-required');
  });
});

describe('step-up with the default STEP_UP_MAX_AGE (900 s)', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('needs no x-2fa-code right after sign-in', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('fresh'));

    await resetById(t, adminToken, user.id).expect(200);
  });

  it('answers totp-required once the sign-in is more than 900 s old, and a code renews the proof', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('stale'));
    t.clock.advance(901);

    const problem = problemOf(await resetById(t, adminToken, user.id), 400);
    assert.equal(problem.errorType, 'totp-required');
    assert.equal((await accountView(t, adminToken, user.id)).mfaEnabled, true);

    const code = await freshCode(t, admin.secret);
    await resetById(t, adminToken, user.id, { code }).expect(200);
    // The proof just made counts for the next calls too.
    await resetById(t, adminToken, user.id).expect(200);
  });

  it('takes a code sent with any call as a proof: spent there, and counting for the next sensitive call', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('anycall'));
    t.clock.advance(901);
    const code = await freshCode(t, admin.secret);

    await request(t.http)
      .get(OWN_MFA)
      .auth(adminToken, { type: 'bearer' })
      .set('x-2fa-code', code)
      .expect(200);

    await resetById(t, adminToken, user.id).expect(200);
    const replay = await request(t.http)
      .get(OWN_MFA)
      .auth(adminToken, { type: 'bearer' })
      .set('x-2fa-code', code);
    assert.equal(problemOf(replay, 400).errorType, 'totp-invalid');
  });

  it("a User's own reset (Mfa/Reset) offers password only once its MFA is gone", async () => {
    const user = await enrolledUser(t, uniqueName('ownpw'));
    await resetOwn(t, user.token).expect(200);
    t.clock.advance(901);

    const problem = problemOf(await resetOwn(t, user.token), 400);

    assert.equal(problem.errorType, 'totp-required');
    assert.deepEqual(problem.details?.availableMethods, ['password']);
    await resetOwn(t, user.token, { code: user.password, method: 'password' }).expect(200);
  });
});

describe('step-up failures count toward lock-out (LOCKOUT_THRESHOLD=2)', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp({ STEP_UP_MAX_AGE: '0', LOCKOUT_THRESHOLD: '2' }));
  });
  after(() => t.close());

  it('locks the caller after 2 wrong codes; then even the right code is refused with totp-invalid', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('lock-target'));
    assert.equal((await accountView(t, adminToken, admin.id)).lockedUntil, null);

    for (let i = 0; i < 2; i++) {
      t.nextStep();
      const code = await wrongCode(t, admin.secret);
      const problem = problemOf(await resetById(t, adminToken, user.id, { code }), 400);
      assert.equal(problem.errorType, 'totp-invalid');
    }

    const locked = await accountView(t, adminToken, admin.id);
    assert.ok(locked.lockedUntil !== null, 'lockedUntil is shown');
    assert.ok(Date.parse(locked.lockedUntil) > t.clock.now().getTime(), 'in the future');

    const code = await freshCode(t, admin.secret);
    const refused = problemOf(await resetById(t, adminToken, user.id, { code }), 400);
    assert.equal(refused.errorType, 'totp-invalid');
    const byPassword = problemOf(
      await resetById(t, adminToken, user.id, { code: ADMIN_PASSWORD, method: 'password' }),
      400,
    );
    assert.equal(byPassword.errorType, 'totp-invalid');
    assert.equal((await accountView(t, adminToken, user.id)).mfaEnabled, true);
    assert.equal(await tokenStatus(t, adminToken), 200, 'the open session stays valid');
  });
});

// Each in an app of its own: the first one locks the admin.
for (const { between, locks } of [
  { between: 'password', locks: true },
  { between: 'totp', locks: false },
] as const) {
  describe(`a right ${between} step-up between two wrong codes (LOCKOUT_THRESHOLD=2)`, () => {
    let t: TestApp;
    let admin: SignedIn;

    before(async () => {
      ({ t, admin } = await startApp({ STEP_UP_MAX_AGE: '0', LOCKOUT_THRESHOLD: '2' }));
    });
    after(() => t.close());

    it(
      locks
        ? 'locks: a right password clears no code failure'
        : 'does not lock: a right code clears the count, so the failures were not consecutive',
      async () => {
        const adminToken = await freshAdminToken(t, admin);
        const user = await enrolledUser(t, uniqueName('between'));
        const wrong = async () => {
          t.nextStep();
          problemOf(
            await resetById(t, adminToken, user.id, { code: await wrongCode(t, admin.secret) }),
            400,
          );
        };
        const proof = async (): Promise<Proof> =>
          between === 'password'
            ? { code: ADMIN_PASSWORD, method: 'password' }
            : { code: await freshCode(t, admin.secret) };
        await wrong();
        assert.equal((await resetById(t, adminToken, user.id, await proof())).status, 200);
        await wrong();
        const { lockedUntil } = await accountView(t, adminToken, admin.id);
        assert.equal(lockedUntil !== null, locks, `lockedUntil: ${lockedUntil}`);
      },
    );
  });
}
