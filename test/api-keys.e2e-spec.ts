import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, freshCode, uniqueName } from './support/accounts';
import {
  ACCOUNTS,
  ALL_PERMISSIONS,
  API_KEYS,
  allAuditEvents,
  freshAdminToken,
  patchAccount,
  putRole,
  RESET,
} from './support/api';
import { assertProblem, validationProblemOf } from './support/problem';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';
import { lastingDatabase } from './support/test-database';

interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  name: string;
  permissions: string[];
  grants: string[];
  expiresAt: string;
}

interface ListedKey {
  id: string;
  state: string;
  prefix: string;
  ownerId: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  lastUsedIp: string | null;
}

const bearer = { type: 'bearer' } as const;

/** POST /api/v1/ApiKey as `owner`, with a code sent along when asked. */
function createKeyCall(t: TestApp, token: string, body: Record<string, unknown>, code?: string) {
  const req = request(t.http).post(API_KEYS).auth(token, bearer).send(body);
  return code === undefined ? req : req.set('x-2fa-code', code);
}

async function createKey(
  t: TestApp,
  token: string,
  body: Record<string, unknown>,
  code?: string,
): Promise<CreatedKey> {
  const res = await createKeyCall(t, token, body, code);
  assert.equal(res.status, 201, res.text);
  return res.body as CreatedKey;
}

/** GET accounts with the key in one of its header forms. */
function withKey(t: TestApp, key: string, form: 'plain' | 'bearer' | 'x-api-key' = 'plain') {
  const req = request(t.http).get(ACCOUNTS);
  if (form === 'plain') return req.set('Authorization', key);
  if (form === 'bearer') return req.set('Authorization', `Bearer ${key}`);
  return req.set('X-API-Key', key);
}

const READER = { name: 'reader', expiresInDays: 30, permissions: ['view-accounts'] };
const RESETTER = {
  name: 'resetter',
  expiresInDays: 30,
  permissions: ['edit-other-user-totp', 'view-accounts'],
};

describe('API keys', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await startApp()));
  after(() => t.close());

  describe('lifecycle', () => {
    it('creates a key shown once, lists it without the key, revokes it, and audits each step', async () => {
      const created = await createKey(t, admin.token, READER);
      assert.match(created.key, /^mfak_[0-9A-Za-z]{49}$/);
      assert.equal(created.prefix, created.key.slice(0, 13));
      assert.deepEqual(created.permissions, ['view-accounts']);
      assert.deepEqual(created.grants, []);
      await withKey(t, created.key).expect(200);

      const list = await request(t.http).get(API_KEYS).auth(admin.token, bearer).expect(200);
      assert.ok(!list.text.includes(created.key), 'the key is never listed');
      const listed = (list.body as ListedKey[]).find((k) => k.id === created.id);
      assert.equal(listed?.prefix, created.prefix);
      assert.equal(listed?.state, 'active');
      assert.ok(listed?.lastUsedAt, 'last use recorded');
      assert.match(String(listed?.lastUsedIp), /127\.0\.0\.1/);

      await request(t.http)
        .delete(`${API_KEYS}/${created.id}`)
        .auth(admin.token, bearer)
        .expect(204);
      assertProblem(await withKey(t, created.key), 401);
      const after = (await request(t.http).get(API_KEYS).auth(admin.token, bearer).expect(200))
        .body as ListedKey[];
      assert.equal(after.find((k) => k.id === created.id)?.state, 'revoked');
      await request(t.http)
        .delete(`${API_KEYS}/${created.id}`)
        .auth(admin.token, bearer)
        .expect(204);
      const missing = await request(t.http)
        .delete(`${API_KEYS}/0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90`)
        .auth(admin.token, bearer);
      assertProblem(missing, 404);

      const events = await allAuditEvents(t, admin.token, { actorId: admin.id });
      const made = events.find((e) => e.action === 'api-key.created');
      const revoked = events.filter((e) => e.action === 'api-key.revoked');
      assert.equal(made?.details?.apiKeyId, created.id);
      assert.equal(made?.details?.prefix, created.prefix);
      assert.equal(revoked.length, 1, 'revoking twice is audited once');
      const refused = (await allAuditEvents(t, admin.token, { action: 'api-key.refused' })).find(
        (e) => e.details?.apiKeyId === created.id,
      );
      assert.equal(refused?.details?.reason, 'revoked');
      const everything = JSON.stringify(await allAuditEvents(t, admin.token));
      assert.ok(!everything.includes(created.key), 'no audit event holds the key');
    });

    it('needs an expiry within the maximum, known permissions and grants', async () => {
      const token = admin.token;
      validationProblemOf(
        await createKeyCall(t, token, { ...READER, expiresInDays: 366 }),
        'expiresInDays',
      );
      validationProblemOf(
        await createKeyCall(t, token, { name: 'x', permissions: [] }),
        'expiresInDays',
      );
      validationProblemOf(
        await createKeyCall(t, token, { ...READER, permissions: ['root'] }),
        'permissions',
      );
      validationProblemOf(await createKeyCall(t, token, { ...READER, grants: ['sudo'] }), 'grants');
      validationProblemOf(await createKeyCall(t, token, { ...READER, name: '' }), 'name');
    });

    it('gives a key no permission its owner lacks (403, audited)', async () => {
      await putRole(t, admin.token, 'HelpDesk', [
        'edit-other-user-totp',
        'view-accounts',
        'manage-api-keys',
      ]).expect(200);
      const helpdesk = await enrolledUser(t, uniqueName('hd-over'), ['HelpDesk']);
      const res = await createKeyCall(t, helpdesk.token, {
        ...READER,
        permissions: ['view-audit'],
      });
      assert.equal(assertProblem(res, 403).errorType, 'error-not-allowed');
      const [event] = await allAuditEvents(t, admin.token, {
        actorId: helpdesk.id,
        action: 'api-key.created',
      });
      assert.equal(event?.outcome, 'denied');
    });

    it("lists every account's keys only for view-api-keys", async () => {
      const helpdesk = await enrolledUser(t, uniqueName('hd-list'), ['HelpDesk']);
      const own = await createKey(t, helpdesk.token, READER);
      assertProblem(
        await request(t.http).get(`${API_KEYS}?all=true`).auth(helpdesk.token, bearer),
        403,
      );
      const mine = (await request(t.http).get(API_KEYS).auth(helpdesk.token, bearer).expect(200))
        .body as ListedKey[];
      assert.deepEqual(
        mine.map((k) => k.id),
        [own.id],
      );
      const all = (
        await request(t.http).get(`${API_KEYS}?all=true`).auth(admin.token, bearer).expect(200)
      ).body as ListedKey[];
      assert.ok(all.some((k) => k.id === own.id && k.ownerId === helpdesk.id));
      // Another owner's key is not found by someone who cannot see it.
      const adminKey = await createKey(t, admin.token, READER);
      assertProblem(
        await request(t.http).delete(`${API_KEYS}/${adminKey.id}`).auth(helpdesk.token, bearer),
        404,
      );
    });
  });

  describe('use', () => {
    let key: CreatedKey;

    before(async () => {
      key = await createKey(t, admin.token, RESETTER);
    });

    it('is accepted as Authorization: <key>, Bearer <key>, X-API-Key and X-Auth-Token + X-User-Id', async () => {
      await withKey(t, key.key, 'plain').expect(200);
      await withKey(t, key.key, 'bearer').expect(200);
      await withKey(t, key.key, 'x-api-key').expect(200);
      await request(t.http)
        .get(ACCOUNTS)
        .set('X-Auth-Token', key.key)
        .set('X-User-Id', admin.id)
        .expect(200);
    });

    it('refuses a wrong X-User-Id, two credentials at once, a malformed or checksum-broken key', async () => {
      const wrongUser = await request(t.http)
        .get(ACCOUNTS)
        .set('X-Auth-Token', key.key)
        .set('X-User-Id', '0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90');
      assertProblem(wrongUser, 401);
      const both = await request(t.http)
        .get(ACCOUNTS)
        .auth(admin.token, bearer)
        .set('X-API-Key', key.key);
      assertProblem(both, 401);
      const flipped = key.key.slice(0, 20) + (key.key[20] === 'a' ? 'b' : 'a') + key.key.slice(21);
      for (const bad of [flipped, 'mfak_short', `${key.key}x`])
        assertProblem(await withKey(t, bad), 401);
    });

    it("takes no password as a proof: only the owner's TOTP code (a key holder may know the password)", async () => {
      const user = await enrolledUser(t, uniqueName('k-pw'));
      const res = await request(t.http)
        .put(`${RESET}/${user.id}`)
        .set('Authorization', key.key)
        .set('x-2fa-method', 'password')
        .set('x-2fa-code', ADMIN_PASSWORD);
      assert.deepEqual(validationProblemOf(res, 'x-2fa-method').errors?.['x-2fa-method'], [
        'Not a method this account offers; use one of: totp.',
      ]);
    });

    it("cannot switch its owner's MFA off (PUT Mfa/Reset takes no key)", async () => {
      const grant = await createKey(
        t,
        admin.token,
        { ...RESETTER, grants: ['step-up'] },
        await freshCode(t, admin.secret),
      );
      assertProblem(
        await request(t.http).put('/api/v1/Mfa/Reset').set('Authorization', grant.key),
        401,
      );
      const mfa = await request(t.http).get('/api/v1/Mfa').auth(admin.token, bearer).expect(200);
      assert.equal((mfa.body as { enabled: boolean }).enabled, true);
    });

    it("never resets its owner's MFA or changes its owner's credentials, whichever way in", async () => {
      const adminToken = await freshAdminToken(t, admin);
      const owner = await enrolledUser(t, uniqueName('k-self'), ['Admin']);
      const all = ['edit-other-user-totp', 'view-accounts', 'manage-accounts', 'manage-roles'];
      const self = await createKey(
        t,
        owner.token,
        { name: 'self', expiresInDays: 30, permissions: all, grants: ['step-up'] },
        await freshCode(t, owner.secret),
      );
      const calls = [
        request(t.http).put(`${RESET}/${owner.id}`),
        request(t.http).put(`${RESET}/ByName/${owner.userName}`),
        request(t.http)
          .put(RESET)
          .type('json')
          .send(JSON.stringify([owner.id])),
        request(t.http)
          .patch(`${ACCOUNTS}/${owner.id}`)
          .send({ password: 'Attacker-Chosen-Pw-1!' }),
        request(t.http)
          .patch(`${ACCOUNTS}/${owner.id}`)
          .send({ roles: ['User'] }),
        request(t.http).patch(`${ACCOUNTS}/${owner.id}`).send({ isActive: false }),
      ];
      for (const call of calls) {
        const res = await call.set('Authorization', self.key);
        assert.equal(assertProblem(res, 403).errorType, 'error-not-allowed', res.text);
      }
      const view = await request(t.http)
        .get(`${ACCOUNTS}/${owner.id}`)
        .auth(adminToken, bearer)
        .expect(200);
      assert.equal((view.body as { mfaEnabled: boolean }).mfaEnabled, true);
      await withKey(t, self.key).expect(200);
    });

    it('refuses two Authorization headers, and X-Auth-Token without X-User-Id', async () => {
      await t.app.listen(0, '127.0.0.1');
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const res = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(
          {
            port,
            path: ACCOUNTS,
            headers: [
              'Host',
              '127.0.0.1',
              'Authorization',
              key.key,
              'Authorization',
              'Bearer x.y.z',
            ],
          },
          (answer) => {
            answer.resume();
            resolve(answer.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end();
      });
      assert.equal(res, 401);
      assertProblem(await request(t.http).get(ACCOUNTS).set('X-Auth-Token', key.key), 401);
    });

    it('is refused by sign-in, enrolment, sign-out and key management', async () => {
      const calls = [
        request(t.http)
          .post('/signin2fa')
          .set('Authorization', key.key)
          .type('json')
          .send('"123456"'),
        request(t.http).post('/api/v1/Mfa/Enroll').set('Authorization', key.key),
        request(t.http)
          .post('/api/v1/Mfa/Enroll/Confirm')
          .set('Authorization', key.key)
          .send({ code: '123456' }),
        request(t.http).post('/signout').set('Authorization', key.key),
        request(t.http).get(API_KEYS).set('Authorization', key.key),
        request(t.http).post(API_KEYS).set('Authorization', key.key).send(READER),
        request(t.http).delete(`${API_KEYS}/${key.id}`).set('Authorization', key.key),
      ];
      for (const call of calls) assertProblem(await call, 401);
    });

    it('may do no more than it was given: a view-accounts key cannot reset', async () => {
      const reader = await createKey(t, admin.token, READER);
      const user = await enrolledUser(t, uniqueName('k-noreset'));
      const res = await request(t.http).put(`${RESET}/${user.id}`).set('Authorization', reader.key);
      assertProblem(res, 403);
    });

    it("needs step-up to reset (totp-required), and takes the owner's code in x-2fa-code", async () => {
      const user = await enrolledUser(t, uniqueName('k-reset'));
      const required = await request(t.http)
        .put(`${RESET}/${user.id}`)
        .set('Authorization', key.key);
      assert.equal(assertProblem(required, 400).errorType, 'totp-required');
      const done = await request(t.http)
        .put(`${RESET}/${user.id}`)
        .set('Authorization', key.key)
        .set('x-2fa-code', await freshCode(t, admin.secret))
        .expect(200);
      assert.equal((done.body as { mfaWasEnabled: boolean }).mfaWasEnabled, true);
      // The audit event names the owner as the actor, and the key.
      const [event] = await allAuditEvents(t, admin.token, {
        action: 'mfa.reset',
        targetId: user.id,
      });
      assert.equal(event.actorId, admin.id);
      assert.deepEqual(event.details?.apiKey, { id: key.id, prefix: key.prefix });
    });
  });

  describe('the step-up grant', () => {
    it('needs a code sent with the creating call, and a shorter expiry', async () => {
      const body = { ...RESETTER, name: 'nightly', grants: ['step-up'] };
      // The admin's sign-in is a recent proof, but not enough for this grant.
      const required = await createKeyCall(t, admin.token, body);
      assert.equal(assertProblem(required, 400).errorType, 'totp-required');
      const byPassword = await createKeyCall(t, admin.token, body)
        .set('x-2fa-method', 'password')
        .set('x-2fa-code', ADMIN_PASSWORD);
      validationProblemOf(byPassword, 'x-2fa-method');
      const tooLong = await createKeyCall(
        t,
        admin.token,
        { ...body, expiresInDays: 31 },
        await freshCode(t, admin.secret),
      );
      validationProblemOf(tooLong, 'expiresInDays');
      const created = await createKey(t, admin.token, body, await freshCode(t, admin.secret));
      assert.deepEqual(created.grants, ['step-up']);
    });

    it("makes the key a proof: the NPS seed's curl sample resets with the key alone", async () => {
      const key = await createKey(
        t,
        admin.token,
        { ...RESETTER, grants: ['step-up'] },
        await freshCode(t, admin.secret),
      );
      const user = await enrolledUser(t, uniqueName('k-nps'));
      // curl -X PUT /api/v1/ManagedAccount/ResetMFA/{id} -H 'Accept: application/json' -H 'Authorization: API_KEY'
      const res = await request(t.http)
        .put(`${RESET}/${user.id}`)
        .set('Accept', 'application/json')
        .set('Authorization', key.key)
        .expect(200);
      assert.equal((res.body as { userName: string }).userName, user.userName);
    });
  });

  describe('checked live against the owner', () => {
    it("follows the owner's role: a permission taken away is refused on the next call", async () => {
      const adminToken = await freshAdminToken(t, admin);
      const helpDesk = ['edit-other-user-totp', 'view-accounts', 'manage-api-keys'];
      await putRole(t, adminToken, 'HelpDesk', helpDesk).expect(200);
      const owner = await enrolledUser(t, uniqueName('k-role'), ['HelpDesk']);
      const key = await createKey(t, owner.token, READER);
      await withKey(t, key.key).expect(200);
      await putRole(t, adminToken, 'HelpDesk', ['edit-other-user-totp', 'manage-api-keys']).expect(
        200,
      );
      assertProblem(await withKey(t, key.key), 403);
      await putRole(t, adminToken, 'HelpDesk', helpDesk).expect(200);
      await withKey(t, key.key).expect(200);
    });

    it("ends, as the owner's sessions do, when the owner is disabled, gets a password, or is reset", async () => {
      const adminToken = await freshAdminToken(t, admin);
      const owner = await enrolledUser(t, uniqueName('k-stamp'), ['HelpDesk']);
      const [disabled, password, reset] = [
        await createKey(t, owner.token, READER),
        await createKey(t, owner.token, READER),
        await createKey(t, owner.token, READER),
      ];
      await patchAccount(t, adminToken, owner.id, { isActive: false }).expect(200);
      assertProblem(await withKey(t, disabled.key), 401);
      await patchAccount(t, adminToken, owner.id, { isActive: true }).expect(200);
      // Enabled again: the keys made before stay ended (a cleaned-up account keeps no key).
      assertProblem(await withKey(t, disabled.key), 401);

      const again = await enrolledUser(t, uniqueName('k-stamp2'), ['HelpDesk']);
      const byPassword = await createKey(t, again.token, READER);
      await patchAccount(t, adminToken, again.id, { password: 'a-New-Passw0rd-123' }).expect(200);
      assertProblem(await withKey(t, byPassword.key), 401);

      const third = await enrolledUser(t, uniqueName('k-stamp3'), ['HelpDesk']);
      const byReset = await createKey(t, third.token, READER);
      await request(t.http).put(`${RESET}/${third.id}`).auth(adminToken, bearer).expect(200);
      assertProblem(await withKey(t, byReset.key), 401);
      const all = (
        await request(t.http).get(`${API_KEYS}?all=true`).auth(adminToken, bearer).expect(200)
      ).body as ListedKey[];
      const stateOf = (id: string) => all.find((k) => k.id === id)?.state;
      assert.equal(stateOf(disabled.id), 'credentials-changed', 'ended for good, shown so');
      assert.equal(stateOf(byPassword.id), 'credentials-changed');
      assert.equal(stateOf(byReset.id), 'credentials-changed');
      void password;
      void reset;
      const reasons = (await allAuditEvents(t, adminToken, { action: 'api-key.refused' }))
        .filter((e) =>
          [disabled.id, byPassword.id, byReset.id].includes(String(e.details?.apiKeyId)),
        )
        .map((e) => e.details?.reason)
        .sort();
      assert.deepEqual(reasons, [
        'credentials-changed',
        'credentials-changed',
        'credentials-changed',
        'owner-disabled',
      ]);
    });

    it('stops when the key expires', async () => {
      const key = await createKey(t, admin.token, { ...READER, expiresInDays: 2 });
      await withKey(t, key.key).expect(200);
      t.clock.advance(2 * 24 * 3600 + 1);
      assertProblem(await withKey(t, key.key), 401);
      const [event] = (
        await allAuditEvents(t, await freshAdminToken(t, admin), { action: 'api-key.refused' })
      ).filter((e) => e.details?.apiKeyId === key.id);
      assert.equal(event?.details?.reason, 'expired');
    });
  });
});

describe('API keys: failed checks are limited per address', () => {
  let t: TestApp;

  before(async () => ({ t } = await startApp({ SIGNIN_RATE_LIMIT: '3' })));
  after(() => t.close());

  it('answers 429 with Retry-After once an address has failed SIGNIN_RATE_LIMIT key checks', async () => {
    for (let i = 0; i < 3; i++) assertProblem(await withKey(t, `mfak_${'x'.repeat(49)}`), 401);
    const limited = await withKey(t, `mfak_${'y'.repeat(49)}`);
    assertProblem(limited, 429);
    assert.match(String(limited.headers['retry-after']), /^\d+$/);
  });
});

describe('API keys: failed checks sent in parallel are limited too', () => {
  let t: TestApp;

  before(async () => ({ t } = await startApp({ SIGNIN_RATE_LIMIT: '3' })));
  after(() => t.close());

  it('counts checks sent in parallel: at most SIGNIN_RATE_LIMIT reach the database', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        withKey(t, `mfak_${String(i).padStart(49, 'z')}`).then((r) => r.status),
      ),
    );
    assert.ok(statuses.filter((s) => s === 401).length <= 3, statuses.join(','));
    assert.ok(statuses.filter((s) => s === 429).length >= 27, statuses.join(','));
  });
});

describe('API keys: a malformed key is refused without a database read', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await startApp()));
  after(() => t.close());

  it('answers 401 to a checksum-broken key with the database gone, while a well-formed one needs it', async () => {
    const key = await createKey(t, admin.token, READER);
    const broken = key.key.slice(0, -1) + (key.key.endsWith('a') ? 'b' : 'a');
    await t.loseDatabase();
    assertProblem(await withKey(t, broken), 401);
    const wellFormed = await withKey(t, key.key);
    assert.ok(wellFormed.status >= 500, `a real key needs the database: ${wellFormed.status}`);
  });
});

describe('API keys: a database made before them', () => {
  it('gets the table, and Admin gets manage-api-keys and view-api-keys, at the next start', async () => {
    const database = await lastingDatabase();
    const env = { DATABASE_URL: database.url, MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex') };
    try {
      let t = await TestApp.start(env);
      try {
        // As the previous version left it: no api_keys table, no migration row, Admin's five.
        await t.sql('DROP TABLE api_keys');
        await t.sql("DELETE FROM schema_migrations WHERE name = 'ApiKeys1765000000000'");
        await t.sql("UPDATE roles SET permissions = ? WHERE name = 'Admin'", [
          'edit-other-user-totp,view-accounts,manage-accounts,manage-roles,view-audit',
        ]);
      } finally {
        await t.close();
      }
      t = await TestApp.start(env);
      try {
        const [admin] = await t.sql<{ permissions: string }>(
          "SELECT permissions FROM roles WHERE name = 'Admin'",
        );
        assert.deepEqual(admin.permissions.split(',').sort(), ALL_PERMISSIONS);
        const [count] = await t.sql<{ n: number | string }>('SELECT COUNT(*) AS n FROM api_keys');
        assert.equal(Number(count.n), 0);
      } finally {
        await t.close();
      }
    } finally {
      await database.drop();
    }
  });
});
