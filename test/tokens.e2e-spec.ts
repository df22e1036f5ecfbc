import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Reflector } from '@nestjs/core';
import { sign, type Algorithm } from 'jsonwebtoken';
import { Strategy as JwtPassportStrategy } from 'passport-jwt';
import request from 'supertest';
import { ACCOUNTS, ROLES } from './support/api';
import { IS_PUBLIC } from '../src/common/auth/auth.decorators';
import { RouteCatalog, type RouteEntry } from '../src/common/http/route-catalog';
import { assertProblem, type AnyResponse, type ProblemBody } from './support/problem';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

const OWN_MFA = '/api/v1/Mfa';

/** The routes the contract lets anyone call without a token; every other route needs one. */
const ALLOWED_PUBLIC = [
  'POST /api/v1/login',
  'POST /api_jsonrpc.php',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
  'POST /signinBody',
  // The web console's page (one per screen's URL) and its built files: no data, no action.
  'GET /console',
  'GET /console/accounts',
  'GET /console/accounts/:id',
  'GET /console/assets/:file',
  'GET /console/audit',
  'GET /console/enrol',
  'GET /console/mfa',
  'GET /console/sign-in',
];

type Claims = Record<string, unknown>;

/** The decoded (not verified) payload of a JWT. */
function payloadOf(token: string): Claims {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Claims;
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** A 401 as the contract shapes it; the challenge names invalid_token only when a token was sent. */
function assertUnauthorized(res: AnyResponse, tokenSent: boolean): ProblemBody {
  const body = assertProblem(res, 401);
  assert.equal(
    res.headers['www-authenticate'],
    tokenSent ? 'Bearer error="invalid_token"' : 'Bearer',
    'WWW-Authenticate',
  );
  return body;
}

/** Rocket.Chat's routes answer in its shapes: a 401 is `{"status": "error", "message"}`. */
const ROCKET_CHAT_ROUTES = /^\/api\/v1\/(users\.|me$|logout$)/;

/** A route's 401: problem details, or Rocket.Chat's shape on its routes. */
function assertRouteUnauthorized(res: AnyResponse, tokenSent: boolean, path: string): void {
  if (!ROCKET_CHAT_ROUTES.test(path)) {
    assertUnauthorized(res, tokenSent);
    return;
  }
  assert.equal(res.status, 401);
  assert.deepEqual(JSON.parse(res.text), {
    status: 'error',
    message: 'You must be logged in to do this.',
  });
}

interface ForgeOptions {
  readonly key?: Buffer | string;
  readonly algorithm?: Algorithm;
  readonly issuer?: string;
  readonly audience?: string;
  readonly iat?: number;
  readonly exp?: number;
}

/** Signs claims the way the service does (HS256, its secret, issuer and audience) unless told otherwise. */
function forge(t: TestApp, claims: Claims, options: ForgeOptions = {}): string {
  const now = Math.floor(t.clock.now().getTime() / 1000);
  return sign(
    { ...claims, iat: options.iat ?? now, exp: options.exp ?? now + 600 },
    options.key ?? t.config.jwt.secret,
    {
      algorithm: options.algorithm ?? 'HS256',
      issuer: options.issuer ?? t.config.jwt.issuer,
      audience: options.audience ?? t.config.jwt.audience,
    },
  );
}

/** The service's own claims (sub, sid, typ) of a token it issued. */
function claimsOf(token: string): Claims {
  const { sub, sid, typ } = payloadOf(token);
  return { sub, sid, typ };
}

function get(t: TestApp, path: string, token?: string) {
  const req = request(t.http).get(path);
  return token === undefined ? req : req.auth(token, { type: 'bearer' });
}

async function signin2fa(t: TestApp, preAuth: string, code: string) {
  return request(t.http)
    .post('/signin2fa')
    .auth(preAuth, { type: 'bearer' })
    .set('Content-Type', 'application/json')
    .send(JSON.stringify(code));
}

/** An account with the given roles, created by the admin, enrolled and signed in. */
async function newAccount(t: TestApp, admin: SignedIn, userName: string, roles: string[]) {
  const created = await t.createAccount(admin.token, userName, roles);
  return t.enroll(userName, created.password);
}

describe('bearer tokens on protected endpoints', () => {
  let t: TestApp;
  let admin: SignedIn;
  let user: SignedIn;
  /** Two protected endpoints: one any account may call, one that needs view-accounts. */
  let endpoints: string[];

  /** Every protected endpoint refuses the token with 401 invalid_token. */
  async function assertRefusedEverywhere(token: string): Promise<void> {
    for (const path of endpoints) assertUnauthorized(await get(t, path, token), true);
  }

  /** A PATCH by the admin, with its password as the step-up proof; answers the account. */
  async function patchAsAdmin(id: string, body: Record<string, unknown>) {
    const res = await request(t.http)
      .patch(`${ACCOUNTS}/${id}`)
      .auth(admin.token, { type: 'bearer' })
      .set('x-2fa-method', 'password')
      .set('x-2fa-code', ADMIN_PASSWORD)
      .send(body);
    assert.equal(res.status, 200, res.text);
    return res.body as { id: string; isActive: boolean; roles: string[] };
  }

  before(async () => {
    ({ t, admin } = await startApp());
    user = await newAccount(t, admin, 'token-user', ['User']);
    endpoints = [OWN_MFA, `${ACCOUNTS}/${user.id}`];
  });
  after(() => t.close());

  it('answers 401 with WWW-Authenticate: Bearer when no token is sent', async () => {
    for (const path of endpoints) {
      const body = assertUnauthorized(await get(t, path), false);
      assert.equal(body.instance, path);
    }
  });

  it('lets the issued tokens through (control for the refusals below)', async () => {
    await get(t, OWN_MFA, user.token).expect(200);
    const res = await get(t, `${ACCOUNTS}/${user.id}`, admin.token).expect(200);
    assert.equal(res.body.id, user.id);
  });

  it('accepts a token signed as the service signs them that names a live session (control for the forged tokens below)', async () => {
    await get(t, OWN_MFA, forge(t, claimsOf(user.token))).expect(200);
    await get(t, `${ACCOUNTS}/${user.id}`, forge(t, claimsOf(admin.token))).expect(200);
  });

  it('refuses a garbage bearer string', async () => {
    for (const garbage of ['garbage', 'a.b.c', 'eyJhbGciOiJIUzI1NiJ9.e30.', `${user.token}.x`]) {
      await assertRefusedEverywhere(garbage);
    }
  });

  it('refuses an alg "none" token with valid claims', async () => {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const payload = {
      ...claimsOf(admin.token),
      iss: t.config.jwt.issuer,
      aud: t.config.jwt.audience,
      iat: now,
      exp: now + 600,
    };
    for (const alg of ['none', 'None', 'NONE']) {
      const header = base64url({ alg, typ: 'JWT' });
      await assertRefusedEverywhere(`${header}.${base64url(payload)}.`);
      await assertRefusedEverywhere(`${header}.${base64url(payload)}`);
    }
  });

  it('refuses a token signed with another key', async () => {
    const key = randomBytes(48);
    await assertRefusedEverywhere(forge(t, claimsOf(admin.token), { key }));
  });

  it('refuses a token whose payload was edited under the original signature', async () => {
    const [header, , signature] = user.token.split('.');
    const edited = { ...payloadOf(user.token), sub: admin.id, sid: claimsOf(admin.token).sid };
    await assertRefusedEverywhere(`${header}.${base64url(edited)}.${signature}`);
  });

  it('refuses a payload carrying the valid signature of another token', async () => {
    const [header, adminPayload] = admin.token.split('.');
    const userSignature = user.token.split('.')[2];
    await assertRefusedEverywhere(`${header}.${adminPayload}.${userSignature}`);
  });

  it('refuses an expired token signed with the real secret', async () => {
    const past = Math.floor(Math.min(Date.now(), t.clock.now().getTime()) / 1000) - 120;
    await assertRefusedEverywhere(forge(t, claimsOf(admin.token), { iat: past - 3600, exp: past }));
  });

  it('refuses tokens signed with the real secret but another algorithm (HS256 is pinned)', async () => {
    for (const algorithm of ['HS384', 'HS512'] as const) {
      await assertRefusedEverywhere(forge(t, claimsOf(admin.token), { algorithm }));
    }
  });

  it('refuses a token from another issuer', async () => {
    await assertRefusedEverywhere(
      forge(t, claimsOf(admin.token), { issuer: `${t.config.jwt.issuer}-other` }),
    );
  });

  it('refuses a token for another audience', async () => {
    await assertRefusedEverywhere(
      forge(t, claimsOf(admin.token), { audience: `${t.config.jwt.audience}-other` }),
    );
  });

  it('refuses a token whose sub is not the account of the session it names', async () => {
    await assertRefusedEverywhere(forge(t, { ...claimsOf(user.token), sub: admin.id }));
  });

  it('refuses a token naming a session that does not exist', async () => {
    await assertRefusedEverywhere(forge(t, { ...claimsOf(admin.token), sid: randomUUID() }));
  });

  it('refuses a token that claims kind access for a pre-auth session', async () => {
    const preAuth = await t.preAuth('admin', ADMIN_PASSWORD);
    assert.equal(payloadOf(preAuth).typ, 'mfa');
    await assertRefusedEverywhere(forge(t, { ...claimsOf(preAuth), typ: 'access' }));
  });

  it('refuses a token whose session was revoked by sign-out', async () => {
    const token = await t.signIn(user.userName, user.password, user.secret);
    await get(t, OWN_MFA, token).expect(200);
    await request(t.http).post('/signout').auth(token, { type: 'bearer' }).expect(204);
    await assertRefusedEverywhere(token);
    assertUnauthorized(
      await request(t.http).post('/signout').auth(token, { type: 'bearer' }),
      true,
    );
  });

  it("ends only the signed-out session: the account's other sessions keep working", async () => {
    const first = await t.signIn(user.userName, user.password, user.secret);
    const second = await t.signIn(user.userName, user.password, user.secret);
    await request(t.http).post('/signout').auth(first, { type: 'bearer' }).expect(204);
    assertUnauthorized(await get(t, OWN_MFA, first), true);
    await get(t, OWN_MFA, second).expect(200);
  });

  it('refuses the token of an account an administrator disabled', async () => {
    const victim = await newAccount(t, admin, 'token-disabled', ['HelpDesk']);
    await get(t, OWN_MFA, victim.token).expect(200);
    await get(t, `${ACCOUNTS}/${user.id}`, victim.token).expect(200);
    assert.equal((await patchAsAdmin(victim.id, { isActive: false })).isActive, false);
    await assertRefusedEverywhere(victim.token);
  });

  it('keeps refusing the token of a disabled account after the account is enabled again', async () => {
    const victim = await newAccount(t, admin, 'token-reenabled', ['HelpDesk']);
    await get(t, OWN_MFA, victim.token).expect(200);
    assert.equal((await patchAsAdmin(victim.id, { isActive: false })).isActive, false);
    assert.equal((await patchAsAdmin(victim.id, { isActive: true })).isActive, true);
    await assertRefusedEverywhere(victim.token);
  });

  it("refuses a token once an administrator changed the account's roles", async () => {
    const victim = await newAccount(t, admin, 'token-roles', ['HelpDesk']);
    await get(t, OWN_MFA, victim.token).expect(200);
    assert.deepEqual((await patchAsAdmin(victim.id, { roles: ['User'] })).roles, ['User']);
    assertUnauthorized(await get(t, OWN_MFA, victim.token), true);
  });

  it("refuses a token once an administrator changed the account's password", async () => {
    const victim = await newAccount(t, admin, 'token-password', ['User']);
    await get(t, OWN_MFA, victim.token).expect(200);
    await patchAsAdmin(victim.id, { password: 'a-brand-new-Password-2!' });
    assertUnauthorized(await get(t, OWN_MFA, victim.token), true);
  });

  it("refuses a token once the account's security stamp changed", async () => {
    const victim = await newAccount(t, admin, 'token-stamp', ['HelpDesk']);
    await get(t, OWN_MFA, victim.token).expect(200);
    await get(t, `${ACCOUNTS}/${user.id}`, victim.token).expect(200);
    await t.sql('UPDATE accounts SET security_stamp = ? WHERE id = ?', ['x', victim.id]);
    await assertRefusedEverywhere(victim.token);
  });

  it('refuses an mfa pre-auth token on a normal endpoint', async () => {
    const preAuth = await t.preAuth('admin', ADMIN_PASSWORD);
    assert.equal(payloadOf(preAuth).typ, 'mfa');
    await assertRefusedEverywhere(preAuth);
  });

  it('refuses an enroll pre-auth token on a normal endpoint', async () => {
    // An Admin that has not enrolled yet: its permissions would let it read accounts.
    const created = await t.createAccount(admin.token, 'token-enrollee', ['Admin']);
    const preAuth = await t.preAuth(created.userName, created.password);
    assert.equal(payloadOf(preAuth).typ, 'enroll');
    await assertRefusedEverywhere(preAuth);
    // The token itself is sound: the enrolment call takes it.
    await request(t.http).post(`${OWN_MFA}/Enroll`).auth(preAuth, { type: 'bearer' }).expect(200);
  });

  it('accepts an mfa pre-auth token on /signin2fa only once', async () => {
    const preAuth = await t.preAuth(user.userName, user.password);
    t.nextStep();
    const first = await signin2fa(t, preAuth, await t.code(user.secret));
    assert.equal(first.status, 200, first.text);
    const access = first.body as string;
    assert.equal(payloadOf(access).typ, 'access');
    t.nextStep();
    const second = await signin2fa(t, preAuth, await t.code(user.secret));
    const body = assertUnauthorized(second, true);
    assert.notEqual(body.errorType, 'totp-invalid', 'the token is refused, not the code');
    // The promoted session lives on through the access token, never through the pre-auth one.
    await get(t, OWN_MFA, access).expect(200);
    assertUnauthorized(await get(t, OWN_MFA, preAuth), true);
  });

  it('refuses an enroll pre-auth token and an access token on /signin2fa', async () => {
    const created = await t.createAccount(admin.token, 'token-enrollee-2', ['User']);
    const enrollToken = await t.preAuth(created.userName, created.password);
    assert.equal(payloadOf(enrollToken).typ, 'enroll');
    t.nextStep();
    assertUnauthorized(await signin2fa(t, enrollToken, '123456'), true);
    const access = await t.signIn(user.userName, user.password, user.secret);
    t.nextStep();
    assertUnauthorized(await signin2fa(t, access, await t.code(user.secret)), true);
  });

  it('refuses an mfa pre-auth token on the enrolment calls', async () => {
    const preAuth = await t.preAuth(user.userName, user.password);
    assertUnauthorized(
      await request(t.http).post(`${OWN_MFA}/Enroll`).auth(preAuth, { type: 'bearer' }),
      true,
    );
    t.nextStep();
    assertUnauthorized(
      await request(t.http)
        .post(`${OWN_MFA}/Enroll/Confirm`)
        .auth(preAuth, { type: 'bearer' })
        .send({ code: await t.code(user.secret) }),
      true,
    );
  });
});

describe('token lifetime on the service clock', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('refuses a pre-auth token after five minutes, with a right code', async () => {
    const preAuth = await t.preAuth('admin', ADMIN_PASSWORD);
    t.clock.advance(t.config.jwt.preAuthTokenTtlSeconds + 1);
    const res = await signin2fa(t, preAuth, await t.code(admin.secret));
    const body = assertUnauthorized(res, true);
    assert.notEqual(body.errorType, 'totp-invalid', 'the token is refused, not the code');
  });

  it('refuses an access token once its session expired, though its JWT exp is still ahead in real time', async () => {
    t.nextStep();
    const token = await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
    await get(t, OWN_MFA, token).expect(200);
    t.clock.advance(t.config.jwt.accessTokenTtlSeconds + 1);
    assert.ok(
      (payloadOf(token).exp as number) * 1000 > Date.now(),
      'the JWT alone would still pass',
    );
    assertUnauthorized(await get(t, OWN_MFA, token), true);
  });
});

/** passport-jwt's verification (jsonwebtoken), which the library lets tests replace. */
type JwtVerifier = (
  token: string,
  key: unknown,
  options: unknown,
  done: (error: unknown, payload?: unknown) => void,
) => void;
const verifierHost = JwtPassportStrategy as unknown as { JwtVerifier: JwtVerifier };

describe('a token accepted once is not verified again, but its expiry and session are', () => {
  let t: TestApp;
  let admin: SignedIn;
  const original = verifierHost.JwtVerifier;
  const verified: string[] = [];

  before(async () => {
    ({ t, admin } = await startApp());
    verifierHost.JwtVerifier = (token, key, options, done) => {
      verified.push(token);
      original(token, key, options, done);
    };
  });
  after(async () => {
    verifierHost.JwtVerifier = original;
    await t.close();
  });

  const timesVerified = (token: string) => verified.filter((v) => v === token).length;

  it('verifies a new token once, then answers it from memory', async () => {
    t.nextStep();
    const token = await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
    for (let i = 0; i < 3; i++) await get(t, OWN_MFA, token).expect(200);
    assert.equal(timesVerified(token), 1);
  });

  it('refuses a remembered token once its exp passes in real time', async () => {
    const realNow = Math.floor(Date.now() / 1000);
    const token = forge(t, claimsOf(admin.token), { iat: realNow, exp: realNow + 2 });
    await get(t, OWN_MFA, token).expect(200);
    await get(t, OWN_MFA, token).expect(200);
    assert.equal(timesVerified(token), 1, 'remembered');
    await new Promise((resolve) => setTimeout(resolve, (realNow + 2) * 1000 - Date.now() + 50));
    assertUnauthorized(await get(t, OWN_MFA, token), true);
    assert.equal(timesVerified(token), 2, 'verified afresh, and refused as expired');
  });

  it('refuses a remembered token at once when its session is signed out', async () => {
    t.nextStep();
    const token = await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
    await get(t, OWN_MFA, token).expect(200);
    await request(t.http).post('/signout').auth(token, { type: 'bearer' }).expect(204);
    assertUnauthorized(await get(t, OWN_MFA, token), true);
    assert.equal(timesVerified(token), 1, 'answered from memory, refused by its session');
  });

  it('remembers no pre-auth token: each call verifies it again', async () => {
    const preAuth = await t.preAuth('admin', ADMIN_PASSWORD);
    const wrong = (await t.code(admin.secret)) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 2; i++) {
      const res = await signin2fa(t, preAuth, wrong);
      assert.notEqual(res.status, 500);
    }
    assert.equal(timesVerified(preAuth), 2);
  });

  it('remembers no refused token: each call verifies it again', async () => {
    const token = forge(t, { ...claimsOf(admin.token), sid: randomUUID() });
    assertUnauthorized(await get(t, OWN_MFA, token), true);
    assertUnauthorized(await get(t, OWN_MFA, token), true);
    assert.equal(timesVerified(token), 2);
  });

  it('refuses a remembered token with one character of its signature changed', async () => {
    await get(t, OWN_MFA, admin.token).expect(200);
    const last = admin.token.at(-2) === 'A' ? 'B' : 'A';
    const edited = `${admin.token.slice(0, -2)}${last}${admin.token.at(-1)}`;
    assertUnauthorized(await get(t, OWN_MFA, edited), true);
  });
});

describe('permission before existence', () => {
  let t: TestApp;
  let admin: SignedIn;
  let plain: SignedIn;
  let helpDesk: SignedIn;

  function assertNotAllowed(res: AnyResponse): void {
    const body = assertProblem(res, 403);
    assert.equal(body.errorType, 'error-not-allowed');
  }

  before(async () => {
    ({ t, admin } = await startApp());
    plain = await newAccount(t, admin, 'perm-user', ['User']);
    helpDesk = await newAccount(t, admin, 'perm-helpdesk', ['HelpDesk']);
  });
  after(() => t.close());

  it('refuses a User-role account 403 on a random uuid, before looking it up', async () => {
    const path = `${ACCOUNTS}/${randomUUID()}`;
    const res = await get(t, path, plain.token);
    assertNotAllowed(res);
    assert.equal((res.body as ProblemBody).instance, path);
  });

  it('refuses a User-role account 403 on an existing account', async () => {
    assertNotAllowed(await get(t, `${ACCOUNTS}/${admin.id}`, plain.token));
    assertNotAllowed(await get(t, `${ACCOUNTS}/${plain.id}`, plain.token));
  });

  it('refuses a User-role account 403 before validating a malformed id', async () => {
    assertNotAllowed(await get(t, `${ACCOUNTS}/not-a-uuid`, plain.token));
  });

  it('shows the admin an existing account', async () => {
    const res = await get(t, `${ACCOUNTS}/${plain.id}`, admin.token).expect(200);
    assert.equal(res.body.id, plain.id);
    assert.equal(res.body.userName, 'perm-user');
  });

  it('answers the admin 404 "User not found" for an unknown uuid', async () => {
    const path = `${ACCOUNTS}/${randomUUID()}`;
    const body = assertProblem(await get(t, path, admin.token), 404, path);
    assert.equal(body.detail, 'User not found');
  });

  it('answers the admin 400 naming errors.id for an id that is not a uuid', async () => {
    const path = `${ACCOUNTS}/not-a-uuid`;
    const body = assertProblem(await get(t, path, admin.token), 400, path);
    assert.equal(body.title, 'One or more validation errors occurred.');
    assert.ok(body.errors !== undefined, 'an errors dictionary');
    assert.ok(Array.isArray(body.errors.id) && body.errors.id.length > 0, JSON.stringify(body));
  });

  it('lets a HelpDesk account list and read accounts', async () => {
    const list = await get(t, `${ACCOUNTS}?search=perm-user`, helpDesk.token).expect(200);
    assert.deepEqual(
      (list.body.items as { id: string }[]).map((a) => a.id),
      [plain.id],
    );
    const one = await get(t, `${ACCOUNTS}/${plain.id}`, helpDesk.token).expect(200);
    assert.equal(one.body.id, plain.id);
  });

  it('refuses a HelpDesk account 403 on creating an account, and creates nothing', async () => {
    const res = await request(t.http)
      .post(ACCOUNTS)
      .auth(helpDesk.token, { type: 'bearer' })
      .send({
        userName: 'perm-created',
        displayName: 'perm-created',
        email: 'perm-created@example.com',
        password: 'perm-created-Password-1!',
        roles: ['User'],
      });
    assertNotAllowed(res);
    const list = await get(t, `${ACCOUNTS}?search=perm-created`, admin.token).expect(200);
    assert.equal(list.body.totalCount, 0);
  });

  it('refuses a HelpDesk account 403 on the role list', async () => {
    assertNotAllowed(await get(t, ROLES, helpDesk.token));
    await get(t, ROLES, admin.token).expect(200);
  });
});

describe('route audit: deny by default', () => {
  let t: TestApp;
  let admin: SignedIn;
  let routes: readonly RouteEntry[];
  let protectedRoutes: RouteEntry[];

  const key = (r: RouteEntry) => `${r.method} ${r.path}`;

  function isPublic(reflector: Reflector, route: RouteEntry): boolean {
    return (
      reflector.get<boolean | undefined>(IS_PUBLIC, route.handler) === true ||
      reflector.get<boolean | undefined>(IS_PUBLIC, route.controllerClass) === true
    );
  }

  /** The route called with a random uuid for each path parameter and, unless a GET, a `{}` body. */
  function call(route: RouteEntry, token?: string) {
    const path = route.path.replace(/:[^/]+/g, () => randomUUID());
    const agent = request(t.http);
    let req;
    switch (route.method) {
      case 'GET':
        req = agent.get(path);
        break;
      case 'POST':
        req = agent.post(path).send({});
        break;
      case 'PUT':
        req = agent.put(path).send({});
        break;
      case 'PATCH':
        req = agent.patch(path).send({});
        break;
      case 'DELETE':
        req = agent.delete(path).send({});
        break;
      default:
        assert.fail(`unexpected method ${key(route)}`);
    }
    return token === undefined ? req : req.auth(token, { type: 'bearer' });
  }

  before(async () => {
    ({ t, admin } = await startApp());
    const reflector = t.app.get(Reflector);
    routes = t.app.get(RouteCatalog).all();
    protectedRoutes = routes.filter((r) => !isPublic(reflector, r));
  });
  after(() => t.close());

  it('sees every controller route of the app', () => {
    const keys = routes.map(key);
    for (const expected of [
      'POST /signinBody',
      'POST /signin2fa',
      'POST /signout',
      'GET /api/v1/Mfa',
      'POST /api/v1/Mfa/Enroll',
      'GET /api/v1/ManagedAccount/:id',
      'PATCH /api/v1/ManagedAccount/:id',
      'PUT /api/v1/ManagedAccount/ResetMFA/:id',
      'PUT /api/v1/ManagedAccount/ResetMFA',
      'GET /api/v1/Role',
      'PUT /api/v1/Role/:name',
      'GET /api/v1/AuditEvent',
      'GET /health/ready',
    ]) {
      assert.ok(keys.includes(expected), `${expected} in ${keys.join(', ')}`);
    }
  });

  it("makes public exactly the sign-in, health and metrics routes and the console's files", () => {
    const reflector = t.app.get(Reflector);
    const publicRoutes = routes
      .filter((r) => isPublic(reflector, r))
      .map(key)
      .sort();
    assert.deepEqual(publicRoutes, [...ALLOWED_PUBLIC].sort());
  });

  it('does not make POST /signin2fa public (it needs an mfa pre-auth token)', () => {
    assert.ok(
      protectedRoutes.some((r) => key(r) === 'POST /signin2fa'),
      protectedRoutes.map(key).join(', '),
    );
  });

  it('answers 401 with WWW-Authenticate: Bearer on every non-public route called without a token', async () => {
    assert.ok(protectedRoutes.length >= 15, `${protectedRoutes.length} protected routes`);
    for (const route of protectedRoutes) {
      const res = await call(route);
      assert.equal(res.status, 401, `${key(route)}: ${res.status} ${res.text.slice(0, 300)}`);
      assertRouteUnauthorized(res, false, route.path);
    }
  });

  it('answers 401 invalid_token on every non-public route called with a token signed by another key', async () => {
    const token = forge(
      t,
      { sub: randomUUID(), sid: randomUUID(), typ: 'access' },
      {
        key: randomBytes(48),
      },
    );
    for (const route of protectedRoutes) {
      const res = await call(route, token);
      assert.equal(res.status, 401, `${key(route)}: ${res.status} ${res.text.slice(0, 300)}`);
      assertRouteUnauthorized(res, true, route.path);
    }
  });

  it('answers 401 on every non-public route but /signin2fa to an mfa pre-auth token', async () => {
    const preAuth = await t.preAuth('admin', ADMIN_PASSWORD);
    assert.equal(payloadOf(preAuth).typ, 'mfa');
    for (const route of protectedRoutes.filter((r) => key(r) !== 'POST /signin2fa')) {
      const res = await call(route, preAuth);
      assert.equal(res.status, 401, `${key(route)}: ${res.status} ${res.text.slice(0, 300)}`);
      assertRouteUnauthorized(res, true, route.path);
    }
  });

  it('answers 401 on every non-public route but the enrolment calls to an enroll pre-auth token', async () => {
    const created = await t.createAccount(admin.token, 'audit-enrollee', ['Admin']);
    const preAuth = await t.preAuth(created.userName, created.password);
    assert.equal(payloadOf(preAuth).typ, 'enroll');
    const enrolment = new Set(['POST /api/v1/Mfa/Enroll', 'POST /api/v1/Mfa/Enroll/Confirm']);
    for (const route of protectedRoutes.filter((r) => !enrolment.has(key(r)))) {
      const res = await call(route, preAuth);
      assert.equal(res.status, 401, `${key(route)}: ${res.status} ${res.text.slice(0, 300)}`);
      assertRouteUnauthorized(res, true, route.path);
    }
  });
});

describe('the challenge for another authorization scheme', () => {
  let t: TestApp;

  before(async () => {
    t = await TestApp.start();
  });
  after(() => t.close());

  it('answers a Basic authorization with a plain Bearer challenge (no bearer token was sent)', async () => {
    const res = await request(t.http)
      .get('/api/v1/Mfa')
      .set('Authorization', 'Basic YWRtaW46cGFzc3dvcmQ=')
      .expect(401);
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });
});
