import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ACCOUNTS, ALL_PERMISSIONS, AccountView, ROLES, RoleView, UNKNOWN_ID } from './support/api';
import { assertProblem, assertValidationProblem } from './support/problem';
import { SignedIn, TestApp } from './support/test-app';
import { startContractApp } from './support/app-fixture';

describe('accounts and roles', () => {
  let t: TestApp;
  let admin: SignedIn;
  let plainUser: SignedIn;

  before(async () => ({ t, admin, plainUser } = await startContractApp()));
  after(() => t.close());

  const auth = () => ({ Authorization: `Bearer ${admin.token}` });
  let alice: AccountView;

  before(async () => {
    const res = await request(t.http).post(ACCOUNTS).set(auth()).send({
      userName: 'Alice',
      displayName: 'Alice Liddell',
      email: 'alice@wonder.example',
      password: 'Alice-Password-1!',
    });
    assert.equal(res.status, 201, res.text);
    alice = res.body as AccountView;
    for (const [userName, displayName, email, roles] of [
      ['bob.builder', 'Robert Builder', 'bob@site.example', ['HelpDesk']],
      ['carol_x', 'Carol', 'CAROL@Example.org', ['User']],
    ] as const) {
      await request(t.http)
        .post(ACCOUNTS)
        .set(auth())
        .send({ userName, displayName, email, password: `${userName}-Password-1!`, roles })
        .expect(201);
    }
  });

  it('POST answers 201 with Location and the account', async () => {
    const res = await request(t.http)
      .post(ACCOUNTS)
      .set(auth())
      .send({
        userName: 'dave',
        displayName: 'Dave',
        email: 'dave@example.com',
        password: 'Dave-Password-1!',
        roles: ['HelpDesk'],
      });
    assert.equal(res.status, 201, res.text);
    const body = res.body as AccountView;
    assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(res.headers.location, `${ACCOUNTS}/${body.id}`);
    assert.equal(body.userName, 'dave');
    assert.equal(body.displayName, 'Dave');
    assert.equal(body.email, 'dave@example.com');
    assert.deepEqual(body.roles, ['HelpDesk']);
    assert.equal(body.isActive, true);
    assert.equal(body.mfaEnabled, false);
    assert.equal(body.mfaEnrolledAt, null);
    assert.equal(body.lockedUntil, null);
    assert.ok(!Number.isNaN(Date.parse(body.createdAt)));
    assert.ok(!('password' in body) && !('passwordHash' in body));
    const fetched = await request(t.http).get(res.headers.location).set(auth()).expect(200);
    assert.deepEqual(fetched.body, body);
  });

  it('POST gives an account without roles the role User', () => {
    assert.deepEqual(alice.roles, ['User']);
    assert.equal(alice.userName, 'Alice');
  });

  it('POST answers 409 for a name taken in another case ("Alice" vs "alice")', async () => {
    const res = await request(t.http).post(ACCOUNTS).set(auth()).send({
      userName: 'alice',
      displayName: 'Another Alice',
      email: 'alice2@example.com',
      password: 'Alice-Password-2!',
    });
    assertProblem(res, 409, ACCOUNTS);
  });

  it('POST answers 400 for an unknown role', async () => {
    const res = await request(t.http)
      .post(ACCOUNTS)
      .set(auth())
      .send({
        userName: 'erin',
        displayName: 'Erin',
        email: 'erin@example.com',
        password: 'Erin-Password-1!',
        roles: ['SuperUser'],
      });
    assertValidationProblem(res, ACCOUNTS, 'roles');
  });

  describe('GET list', () => {
    const list = async (query: Record<string, string | number>) => {
      const res = await request(t.http).get(ACCOUNTS).query(query).set(auth());
      assert.equal(res.status, 200, res.text);
      const body = res.body as { items: AccountView[]; totalCount: number };
      return { names: body.items.map((a) => a.userName), body };
    };

    it('answers items and totalCount', async () => {
      const { body, names } = await list({});
      assert.equal(body.totalCount, names.length);
      for (const n of ['admin', 'plain-user', 'Alice', 'bob.builder', 'carol_x'])
        assert.ok(names.includes(n), `${n} is listed`);
      assert.ok(body.items.every((a) => Array.isArray(a.roles) && 'mfaEnabled' in a));
    });

    it('searches the user name case-insensitively, as a substring', async () => {
      assert.deepEqual((await list({ search: 'ALIC' })).names, ['Alice']);
      assert.deepEqual((await list({ search: 'ob.bui' })).names, ['bob.builder']);
    });

    it('searches the display name', async () => {
      assert.deepEqual((await list({ search: 'liddell' })).names, ['Alice']);
      assert.deepEqual((await list({ search: 'ROBERT' })).names, ['bob.builder']);
    });

    it('searches the email', async () => {
      assert.deepEqual((await list({ search: 'wonder.EXAMPLE' })).names, ['Alice']);
      assert.deepEqual((await list({ search: 'carol@example.org' })).names, ['carol_x']);
    });

    it('takes % and _ in a search literally', async () => {
      assert.deepEqual((await list({ search: '_' })).names, ['carol_x']);
      assert.deepEqual((await list({ search: '%' })).names, []);
    });

    it('answers an empty page, not an error, for no match', async () => {
      const { body } = await list({ search: 'no-such-account-anywhere' });
      assert.deepEqual(body, { items: [], totalCount: 0 });
    });

    it('pages with skip and take; totalCount counts every match', async () => {
      const all = await list({});
      const first = await list({ take: 2 });
      assert.equal(first.names.length, 2);
      assert.equal(first.body.totalCount, all.body.totalCount);
      const second = await list({ skip: 1, take: 2 });
      assert.deepEqual(second.names, all.names.slice(1, 3));
      const beyond = await list({ skip: 1000 });
      assert.deepEqual(beyond.names, []);
      assert.equal(beyond.body.totalCount, all.body.totalCount);
    });

    it('refuses take above 200, take 0, a negative skip and a non-number', async () => {
      for (const [query, field] of [
        [{ take: 201 }, 'take'],
        [{ take: 0 }, 'take'],
        [{ skip: -1 }, 'skip'],
        [{ take: 'ten' }, 'take'],
      ] as const) {
        const res = await request(t.http).get(ACCOUNTS).query(query).set(auth());
        assertValidationProblem(res, ACCOUNTS, field);
      }
      await request(t.http).get(ACCOUNTS).query({ take: 200 }).set(auth()).expect(200);
    });

    it('names one broken rule a field: skip=abc is "must be an integer", nothing more', async () => {
      for (const field of ['skip', 'take']) {
        const res = await request(t.http).get(`${ACCOUNTS}?${field}=abc`).set(auth());
        const body = assertValidationProblem(res, ACCOUNTS, field);
        assert.equal(body.errors?.[field].length, 1, JSON.stringify(body.errors));
        assert.match(body.errors?.[field][0] ?? '', /integer/);
      }
    });

    it('binds the first value of a repeated parameter, as ASP.NET Core does', async () => {
      const res = await request(t.http)
        .get(`${ACCOUNTS}?search=Alice&search=nobody-matches&take=1&take=2`)
        .set(auth())
        .expect(200);
      const body = res.body as { items: AccountView[]; totalCount: number };
      assert.deepEqual(
        body.items.map((a) => a.userName),
        ['Alice'],
      );
    });
  });

  it('GET one answers the account with every contract field', async () => {
    const res = await request(t.http).get(`${ACCOUNTS}/${alice.id}`).set(auth()).expect(200);
    const body = res.body as AccountView;
    assert.deepEqual(Object.keys(body).sort(), [
      'createdAt',
      'displayName',
      'email',
      'id',
      'isActive',
      'lockedUntil',
      'mfaEnabled',
      'mfaEnrolledAt',
      'roles',
      'userName',
    ]);
    assert.equal(body.id, alice.id);
    assert.equal(body.userName, 'Alice');
  });

  // With a bearer token the account is read in the session check's statement: the same answers.
  it('GET one answers the account for its id in upper case too, and 404 for an unknown id', async () => {
    const upper = await request(t.http)
      .get(`${ACCOUNTS}/${alice.id.toUpperCase()}`)
      .set(auth())
      .expect(200);
    assert.equal((upper.body as AccountView).id, alice.id);
    assert.equal((upper.body as AccountView).userName, 'Alice');
    const res = await request(t.http).get(`${ACCOUNTS}/${UNKNOWN_ID}`).set(auth());
    assertProblem(res, 404, `${ACCOUNTS}/${UNKNOWN_ID}`);
  });

  it('GET one is 403 to a caller without view-accounts, for an account that exists or not', async () => {
    for (const id of [alice.id, UNKNOWN_ID]) {
      const res = await request(t.http)
        .get(`${ACCOUNTS}/${id}`)
        .auth(plainUser.token, { type: 'bearer' });
      assertProblem(res, 403, `${ACCOUNTS}/${id}`);
    }
  });

  it('GET one is 401 once the session has ended, for an account that exists or not', async () => {
    const token = await t.signIn(admin.userName, admin.password, admin.secret);
    await request(t.http)
      .get(`${ACCOUNTS}/${alice.id}`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    await request(t.http).post('/signout').auth(token, { type: 'bearer' }).expect(204);
    for (const id of [alice.id, UNKNOWN_ID]) {
      const res = await request(t.http).get(`${ACCOUNTS}/${id}`).auth(token, { type: 'bearer' });
      assertProblem(res, 401);
    }
  });

  it('GET one answers 400 errors.id for an id that is not a uuid', async () => {
    const res = await request(t.http).get(`${ACCOUNTS}/not-a-uuid`).set(auth());
    assertValidationProblem(res, `${ACCOUNTS}/not-a-uuid`, 'id');
  });

  it('PATCH displayName answers 200 with the account', async () => {
    const res = await request(t.http)
      .patch(`${ACCOUNTS}/${alice.id}`)
      .set(auth())
      .send({ displayName: 'Alice P. Liddell' });
    assert.equal(res.status, 200, res.text);
    const body = res.body as AccountView;
    assert.equal(body.displayName, 'Alice P. Liddell');
    assert.equal(body.userName, 'Alice');
    const again = await request(t.http).get(`${ACCOUNTS}/${alice.id}`).set(auth()).expect(200);
    assert.equal((again.body as AccountView).displayName, 'Alice P. Liddell');
  });

  it('PATCH answers 400 errors.password for a password equal to the user name', async () => {
    const { id } = await t.createAccount(admin.token, 'long.user.name');
    const res = await request(t.http)
      .patch(`${ACCOUNTS}/${id}`)
      .set(auth())
      .send({ password: 'long.user.name' });
    assertValidationProblem(res, `${ACCOUNTS}/${id}`, 'password');
  });

  it('PATCH checks the body before existence: an unknown role for an unknown account is 400', async () => {
    // The contract's order of refusals: ... then 400 validation, then 404 (existence).
    const res = await request(t.http)
      .patch(`${ACCOUNTS}/${UNKNOWN_ID}`)
      .set(auth())
      .send({ roles: ['NoSuchRole'] });
    assertValidationProblem(res, `${ACCOUNTS}/${UNKNOWN_ID}`, 'roles');
  });

  it('PATCH answers 404 for an unknown account', async () => {
    const res = await request(t.http)
      .patch(`${ACCOUNTS}/${UNKNOWN_ID}`)
      .set(auth())
      .send({ displayName: 'Nobody' });
    assertProblem(res, 404, `${ACCOUNTS}/${UNKNOWN_ID}`);
  });

  describe('roles', () => {
    const roles = async () => {
      const res = await request(t.http).get(ROLES).set(auth()).expect(200);
      return res.body as RoleView[];
    };

    it('GET lists Admin, HelpDesk and User, built in', async () => {
      const all = await roles();
      const byName = new Map(all.map((r) => [r.name, r]));
      assert.deepEqual([...byName.keys()].sort(), ['Admin', 'HelpDesk', 'User']);
      for (const role of all) assert.equal(role.builtIn, true, role.name);
      assert.deepEqual([...byName.get('Admin')!.permissions].sort(), ALL_PERMISSIONS);
      assert.deepEqual([...byName.get('HelpDesk')!.permissions].sort(), [
        'edit-other-user-totp',
        'view-accounts',
      ]);
      assert.deepEqual(byName.get('User')!.permissions, []);
    });

    it('GET is refused (403) to an account without manage-roles', async () => {
      const res = await request(t.http).get(ROLES).auth(plainUser.token, { type: 'bearer' });
      assertProblem(res, 403, ROLES);
    });

    it("PUT replaces a role's permissions and answers the role", async () => {
      const res = await request(t.http)
        .put(`${ROLES}/HelpDesk`)
        .set(auth())
        .send({ permissions: ['view-audit', 'view-accounts', 'edit-other-user-totp'] });
      assert.equal(res.status, 200, res.text);
      const body = res.body as RoleView;
      assert.equal(body.name, 'HelpDesk');
      assert.equal(body.builtIn, true);
      assert.deepEqual([...body.permissions].sort(), [
        'edit-other-user-totp',
        'view-accounts',
        'view-audit',
      ]);
      const now = (await roles()).find((r) => r.name === 'HelpDesk');
      assert.deepEqual([...(now?.permissions ?? [])].sort(), [
        'edit-other-user-totp',
        'view-accounts',
        'view-audit',
      ]);
      await request(t.http)
        .put(`${ROLES}/HelpDesk`)
        .set(auth())
        .send({ permissions: ['edit-other-user-totp', 'view-accounts'] })
        .expect(200);
    });

    it('PUT answers 400 for an unknown permission, and changes nothing', async () => {
      const res = await request(t.http)
        .put(`${ROLES}/HelpDesk`)
        .set(auth())
        .send({ permissions: ['view-accounts', 'launch-missiles'] });
      assertValidationProblem(res, `${ROLES}/HelpDesk`, 'permissions');
      const now = (await roles()).find((r) => r.name === 'HelpDesk');
      assert.deepEqual([...(now?.permissions ?? [])].sort(), [
        'edit-other-user-totp',
        'view-accounts',
      ]);
    });

    it('PUT answers 404 for an unknown role', async () => {
      const res = await request(t.http)
        .put(`${ROLES}/NoSuchRole`)
        .set(auth())
        .send({ permissions: ['view-accounts'] });
      assertProblem(res, 404, `${ROLES}/NoSuchRole`);
    });

    it('PUT answers 409 when it would take manage-roles from the only Admin, and changes nothing', async () => {
      const res = await request(t.http)
        .put(`${ROLES}/Admin`)
        .set(auth())
        .send({ permissions: ALL_PERMISSIONS.filter((p) => p !== 'manage-roles') });
      assertProblem(res, 409, `${ROLES}/Admin`);
      const now = (await roles()).find((r) => r.name === 'Admin');
      assert.deepEqual([...(now?.permissions ?? [])].sort(), ALL_PERMISSIONS);
      // The administrator can still manage roles.
      await request(t.http).get(ROLES).set(auth()).expect(200);
    });

    it('PATCH of the only Admin\'s own roles to ["User"] answers 409, and changes nothing', async () => {
      const res = await request(t.http)
        .patch(`${ACCOUNTS}/${admin.id}`)
        .set(auth())
        .send({ roles: ['User'] });
      assertProblem(res, 409, `${ACCOUNTS}/${admin.id}`);
      const me = await request(t.http).get(`${ACCOUNTS}/${admin.id}`).set(auth()).expect(200);
      assert.deepEqual((me.body as AccountView).roles, ['Admin']);
      await request(t.http).get(ROLES).set(auth()).expect(200);
    });

    it('PATCH disabling the only Admin answers 409, and changes nothing', async () => {
      const res = await request(t.http)
        .patch(`${ACCOUNTS}/${admin.id}`)
        .set(auth())
        .send({ isActive: false });
      assertProblem(res, 409, `${ACCOUNTS}/${admin.id}`);
      const me = await request(t.http).get(`${ACCOUNTS}/${admin.id}`).set(auth()).expect(200);
      assert.equal((me.body as AccountView).isActive, true);
    });
  });
});
