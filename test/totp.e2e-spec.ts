import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, uniqueName, wrongCode } from './support/accounts';
import { ACCOUNTS, accountView, AUDIT, OWN_MFA, tokenStatus } from './support/api';
import { problemOf } from './support/problem';
import { SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';
import { totpAt } from './support/totp';

/** POST /signin2fa with this pre-auth token and a body written exactly as given. */
function secondStep(t: TestApp, preAuth: string, body: string, contentType?: string) {
  const req = request(t.http).post('/signin2fa').auth(preAuth, { type: 'bearer' });
  if (contentType !== undefined) req.set('Content-Type', contentType);
  return req.send(body);
}

const json = (value: unknown) => JSON.stringify(value);

/** Asserts the 401 totp-invalid answer of a refused second step. */
function assertCodeRefused(res: request.Response, what: string): void {
  assert.equal(res.status, 401, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(problemOf(res, 401).errorType, 'totp-invalid', what);
}

/** Asserts a 200 bare-string access token that opens an endpoint. */
async function assertSignedIn(t: TestApp, res: request.Response, what: string): Promise<string> {
  assert.equal(res.status, 200, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
  assert.equal(typeof res.body, 'string', what);
  const token = res.body as string;
  assert.equal(await tokenStatus(t, token), 200, `${what}: the access token works`);
  return token;
}

async function storedCount(t: TestApp, id: string): Promise<number> {
  const rows = await t.sql<{ failed_attempts: number }>(
    'SELECT failed_attempts FROM accounts WHERE id = ?',
    [id],
  );
  return Number(rows[0].failed_attempts);
}

describe('the second step: the code as clients send it', () => {
  let t: TestApp;
  let user: SignedIn;

  before(async () => {
    t = await TestApp.start({ LOCKOUT_THRESHOLD: '5' });
    user = await enrolledUser(t, uniqueName('forms'));
  });
  after(() => t.close());

  /** Each form: how the code is written into the body, and the content type sent. */
  const forms: readonly (readonly [string, (code: string) => string, string | undefined])[] = [
    ['a JSON string', (c) => json(c), 'application/json'],
    ['a JSON number (leading zeros lost)', (c) => String(Number(c)), 'application/json'],
    ['{"code": "..."}', (c) => json({ code: c }), 'application/json'],
    ['{"Code": "..."} (any case)', (c) => json({ Code: c }), 'application/json'],
    ['{"code": number}', (c) => json({ code: Number(c) }), 'application/json'],
    ['raw text under text/plain', (c) => c, 'text/plain'],
    [
      'raw text under the form type (PowerShell -Body $code)',
      (c) => c,
      'application/x-www-form-urlencoded',
    ],
    ['a JSON string under the form type', (c) => json(c), 'application/x-www-form-urlencoded'],
    ['raw text with a charset parameter', (c) => c, 'text/plain; charset=utf-8'],
  ];
  for (const [name, write, contentType] of forms) {
    it(`accepts ${name}`, async () => {
      const preAuth = await t.preAuth(user.userName, user.password);
      t.nextStep();
      const code = await t.code(user.secret);
      await assertSignedIn(t, await secondStep(t, preAuth, write(code), contentType), name);
    });
  }

  it('accepts a code that starts with zero as raw text and as a JSON string', async () => {
    // Move the clock until the app shows a code with a leading zero (one step in ten, on average).
    let code = '';
    for (let i = 0; i < 500 && !code.startsWith('0'); i++) {
      t.nextStep();
      code = await t.code(user.secret);
    }
    assert.ok(code.startsWith('0'), 'found a step whose code starts with 0');
    const first = await t.preAuth(user.userName, user.password);
    await assertSignedIn(t, await secondStep(t, first, code, 'text/plain'), 'raw');
    t.nextStep();
    const next = await t.code(user.secret);
    const second = await t.preAuth(user.userName, user.password);
    await assertSignedIn(t, await secondStep(t, second, json(next), 'application/json'), 'JSON');
  });

  it('refuses every non-canonical form of the right code: each counted as a failed attempt, none spent', async () => {
    const preAuth = await t.preAuth(user.userName, user.password);
    t.nextStep();
    const code = await t.code(user.secret);
    const fullWidth = [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
    const bodies: readonly (readonly [string, string, string])[] = [
      ['a leading space', json(` ${code}`), 'application/json'],
      ['a trailing space', json(`${code} `), 'application/json'],
      ['a trailing newline', json(`${code}\n`), 'application/json'],
      ['an inner space', json(`${code.slice(0, 3)} ${code.slice(3)}`), 'application/json'],
      ['five digits', json(code.slice(1)), 'application/json'],
      ['seven digits', json(`${code}0`), 'application/json'],
      ['full-width digits', json(fullWidth), 'application/json'],
      ['a 10 KB string', json(`${code}${'0'.repeat(10 * 1024)}`), 'application/json'],
      [
        '10 KB of spaces around it',
        json(`${' '.repeat(5120)}${code}${' '.repeat(5120)}`),
        'application/json',
      ],
      ['raw text with a leading space', ` ${code}`, 'text/plain'],
      ['raw text with a trailing newline', `${code}\n`, 'text/plain'],
      ['raw text with a trailing CRLF', `${code}\r\n`, 'application/x-www-form-urlencoded'],
      ['a JSON number padded with spaces', ` ${Number(code)} `, 'application/json'],
      ['an exponent', `${Number(code) / 10}e1`, 'application/json'],
      ['{"code"} with a padded value', json({ code: ` ${code}` }), 'application/json'],
      ['an array', json([code]), 'application/json'],
      ['no body at all', '', 'application/json'],
    ];
    const threshold = t.config.lockout.threshold;
    for (const [index, [name, body, contentType]] of bodies.entries()) {
      assertCodeRefused(await secondStep(t, preAuth, body, contentType), name);
      if (index < threshold - 1) assert.equal(await storedCount(t, user.id), index + 1, name);
    }
    assert.ok(bodies.length > threshold, 'more refusals than the lock-out allows');
    const [locked] = await t.sql<{ locked_until: unknown }>(
      'SELECT locked_until FROM accounts WHERE id = ?',
      [user.id],
    );
    assert.notEqual(
      locked.locked_until,
      null,
      'malformed codes locked the account like wrong ones',
    );
    // The lock ended by hand: the right code of the same step was never spent by the refusals.
    await t.sql('UPDATE accounts SET failed_attempts = 0, locked_until = NULL WHERE id = ?', [
      user.id,
    ]);
    await assertSignedIn(
      t,
      await secondStep(t, preAuth, json(code), 'application/json'),
      'the canonical code, same step',
    );
  });

  it('answers 400 to a body that names the code twice (member names compared case-insensitively), counted as a failed attempt', async () => {
    const preAuth = await t.preAuth(user.userName, user.password);
    t.nextStep();
    const code = await t.code(user.secret);
    const res = await secondStep(t, preAuth, json({ code, Code: code }), 'application/json');
    assert.equal(problemOf(res, 400).title, 'One or more validation errors occurred.');
    assert.equal(await storedCount(t, user.id), 1);
    await assertSignedIn(
      t,
      await secondStep(t, preAuth, json(code), 'application/json'),
      'then once',
    );
  });

  it('answers 401 totp-invalid for a wrong code and counts it', async () => {
    const preAuth = await t.preAuth(user.userName, user.password);
    t.nextStep();
    assertCodeRefused(
      await secondStep(t, preAuth, json(await wrongCode(t, user.secret)), 'application/json'),
      'wrong',
    );
    assert.equal(await storedCount(t, user.id), 1);
    const ok = await secondStep(t, preAuth, json(await t.code(user.secret)), 'application/json');
    await assertSignedIn(t, ok, 'then the right code');
    assert.equal(await storedCount(t, user.id), 0, 'a success clears the count');
  });

  it('refuses a code two steps old or two steps ahead (one step of drift each way)', async () => {
    const preAuth = await t.preAuth(user.userName, user.password);
    t.nextStep();
    const now = t.clock.now().getTime();
    const stale = await totpAt(user.secret, new Date(now - 60_000));
    const early = await totpAt(user.secret, new Date(now + 60_000));
    const current = await t.code(user.secret);
    if (stale !== current)
      assertCodeRefused(await secondStep(t, preAuth, json(stale), 'application/json'), 'stale');
    if (early !== current)
      assertCodeRefused(await secondStep(t, preAuth, json(early), 'application/json'), 'early');
    const next = await totpAt(user.secret, new Date(now + 30_000));
    await assertSignedIn(
      t,
      await secondStep(t, preAuth, json(next), 'application/json'),
      'the next step',
    );
  });
});

describe('replay: each code is accepted once per account', () => {
  let t: TestApp;
  let user: SignedIn;

  before(async () => {
    t = await TestApp.start();
    user = await enrolledUser(t, uniqueName('replay'));
  });
  after(() => t.close());

  it('refuses the same code on a second sign-in in the same step', async () => {
    const first = await t.preAuth(user.userName, user.password);
    const second = await t.preAuth(user.userName, user.password);
    t.nextStep();
    const code = await t.code(user.secret);
    await assertSignedIn(
      t,
      await secondStep(t, first, json(code), 'application/json'),
      'first use',
    );
    assertCodeRefused(await secondStep(t, second, json(code), 'application/json'), 'replay');
    assertCodeRefused(await secondStep(t, second, code, 'text/plain'), 'replay as raw text');
    assertCodeRefused(
      await secondStep(t, second, json({ code }), 'application/json'),
      'replay as {"code"}',
    );
  });

  it('refuses the previous step once a later one was accepted, though it is inside the drift window', async () => {
    t.nextStep();
    const now = t.clock.now().getTime();
    const previous = await totpAt(user.secret, new Date(now - 30_000));
    const current = await t.code(user.secret);
    const first = await t.preAuth(user.userName, user.password);
    const second = await t.preAuth(user.userName, user.password);
    await assertSignedIn(
      t,
      await secondStep(t, first, json(current), 'application/json'),
      'current',
    );
    if (previous !== current) {
      assertCodeRefused(
        await secondStep(t, second, json(previous), 'application/json'),
        'previous',
      );
    }
  });

  it('lets exactly one of two concurrent sign-ins with one code win, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await t.preAuth(user.userName, user.password);
      const b = await t.preAuth(user.userName, user.password);
      t.nextStep();
      const code = await t.code(user.secret);
      const answers = await Promise.all([
        secondStep(t, a, json(code), 'application/json'),
        secondStep(t, b, json(code), 'application/json'),
      ]);
      const statuses = answers.map((r) => r.status).sort();
      assert.deepEqual(statuses, [200, 401], `round ${round}: ${statuses.join(', ')}`);
    }
  });
});

describe('lock-out (LOCKOUT_THRESHOLD=3, LOCKOUT_MINUTES=15)', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp({ LOCKOUT_THRESHOLD: '3', LOCKOUT_MINUTES: '15' }));
  });
  after(() => t.close());

  async function failCode(preAuth: string, user: SignedIn): Promise<void> {
    const wrong = await wrongCode(t, user.secret);
    assertCodeRefused(await secondStep(t, preAuth, json(wrong), 'application/json'), 'wrong code');
  }

  it('locks after three wrong codes, shows lockedUntil, and refuses even the right code', async () => {
    const user = await enrolledUser(t, uniqueName('locked'));
    const preAuth = await t.preAuth(user.userName, user.password);
    for (let i = 0; i < 3; i++) await failCode(preAuth, user);
    const view = await accountView(t, admin.token, user.id);
    assert.ok(view.lockedUntil !== null, 'lockedUntil is shown');
    assert.equal(Date.parse(view.lockedUntil), t.clock.now().getTime() + 15 * 60_000);

    t.nextStep();
    const right = await t.code(user.secret);
    assertCodeRefused(
      await secondStep(t, preAuth, json(right), 'application/json'),
      'right code while locked',
    );
    assertCodeRefused(
      await secondStep(t, preAuth, json(user.recoveryCodes[0]), 'application/json'),
      'recovery code while locked',
    );
    const password = await request(t.http)
      .post('/signinBody')
      .send({ Login: user.userName, Password: user.password });
    const wrongPassword = await request(t.http)
      .post('/signinBody')
      .send({ Login: user.userName, Password: 'not-the-password-1!' });
    assert.equal(
      problemOf(password, 401).detail,
      problemOf(wrongPassword, 401).detail,
      'a locked account answers as a wrong password',
    );
    assert.equal(await tokenStatus(t, user.token), 200, 'sessions already open stay valid');

    // Once the lock ends: a fresh sign-in, with the recovery code that was refused (it was not spent).
    t.clock.advance(15 * 60 + 1);
    assert.equal((await accountView(t, admin.token, user.id)).lockedUntil, null);
    const again = await t.preAuth(user.userName, user.password);
    const res = await secondStep(t, again, json(user.recoveryCodes[0]), 'application/json');
    await assertSignedIn(t, res, 'the recovery code after the lock');
    const later = await t.preAuth(user.userName, user.password);
    t.nextStep();
    await assertSignedIn(
      t,
      await secondStep(t, later, json(await t.code(user.secret)), 'application/json'),
      'a code after the lock',
    );
  });

  it('does not let a right password clear second-factor failures', async () => {
    const user = await enrolledUser(t, uniqueName('pwnoclear'));
    const first = await t.preAuth(user.userName, user.password);
    await failCode(first, user);
    await failCode(first, user);
    const second = await t.preAuth(user.userName, user.password);
    assert.equal(await storedCount(t, user.id), 2, 'the password success left the count alone');
    await failCode(second, user);
    assert.ok(
      (await accountView(t, admin.token, user.id)).lockedUntil !== null,
      'locked at the third',
    );
  });

  it('never counts wrong passwords: anyone who knows a user name could lock its owner out', async () => {
    const user = await enrolledUser(t, uniqueName('mixed'));
    for (let i = 0; i < t.config.lockout.threshold * 3; i++) {
      await request(t.http)
        .post('/signinBody')
        .send({ Login: user.userName, Password: 'not-the-password-1!' })
        .expect(401);
    }
    assert.equal(await storedCount(t, user.id), 0);
    assert.equal((await accountView(t, admin.token, user.id)).lockedUntil, null);
    const preAuth = await t.preAuth(user.userName, user.password);
    await failCode(preAuth, user);
    assert.equal(await storedCount(t, user.id), 1, 'a wrong code still counts');
  });

  it('starts counting again after a success', async () => {
    const user = await enrolledUser(t, uniqueName('reset-count'));
    const preAuth = await t.preAuth(user.userName, user.password);
    await failCode(preAuth, user);
    await failCode(preAuth, user);
    t.nextStep();
    await assertSignedIn(
      t,
      await secondStep(t, preAuth, json(await t.code(user.secret)), 'application/json'),
      'right',
    );
    const next = await t.preAuth(user.userName, user.password);
    await failCode(next, user);
    await failCode(next, user);
    assert.equal((await accountView(t, admin.token, user.id)).lockedUntil, null, 'two of three');
  });

  it('audits the failures and the lock', async () => {
    const user = await enrolledUser(t, uniqueName('audited'));
    const preAuth = await t.preAuth(user.userName, user.password);
    for (let i = 0; i < 3; i++) await failCode(preAuth, user);
    const res = await request(t.http)
      .get(AUDIT)
      .query({ targetId: user.id, take: 50 })
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    const actions = (res.body as { items: { action: string; outcome: string }[] }).items.map(
      (e) => `${e.action}:${e.outcome}`,
    );
    assert.equal(actions.filter((a) => a.endsWith(':failure')).length, 3, actions.join(', '));
    assert.ok(
      actions.some((a) => /lock/i.test(a)),
      `a lock event: ${actions.join(', ')}`,
    );
  });
});

describe('recovery codes', () => {
  let t: TestApp;
  let admin: SignedIn;
  let user: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
    user = await enrolledUser(t, uniqueName('recovery'));
  });
  after(() => t.close());

  async function codesLeft(token: string): Promise<number> {
    const res = await request(t.http).get(OWN_MFA).auth(token, { type: 'bearer' }).expect(200);
    return (res.body as { recoveryCodesLeft: number }).recoveryCodesLeft;
  }

  it('issues ten distinct codes at enrolment', async () => {
    assert.equal(user.recoveryCodes.length, 10);
    assert.equal(new Set(user.recoveryCodes).size, 10);
    assert.equal(await codesLeft(user.token), 10);
  });

  it('accepts a recovery code once, in place of a TOTP code', async () => {
    const code = user.recoveryCodes[1];
    const first = await t.preAuth(user.userName, user.password);
    const token = await assertSignedIn(
      t,
      await secondStep(t, first, json(code), 'application/json'),
      'first use',
    );
    assert.equal(await codesLeft(token), 9);
    const second = await t.preAuth(user.userName, user.password);
    assertCodeRefused(await secondStep(t, second, json(code), 'application/json'), 'second use');
    assertCodeRefused(
      await secondStep(t, second, code.toUpperCase(), 'text/plain'),
      'second use, upper case',
    );
    assert.equal(await codesLeft(token), 9);
  });

  it('reads a code in upper case and as raw text the way PowerShell sends it', async () => {
    const preAuth = await t.preAuth(user.userName, user.password);
    const res = await secondStep(
      t,
      preAuth,
      user.recoveryCodes[2].toUpperCase(),
      'application/x-www-form-urlencoded',
    );
    const token = await assertSignedIn(t, res, 'upper case, raw');
    assert.equal(await codesLeft(token), 8);
  });

  it('refuses a code of another account and a padded code', async () => {
    const preAuth = await t.preAuth(user.userName, user.password);
    assertCodeRefused(
      await secondStep(t, preAuth, json('abcde-23456'), 'application/json'),
      'unknown',
    );
    assertCodeRefused(
      await secondStep(t, preAuth, json(` ${user.recoveryCodes[3]}`), 'application/json'),
      'padded',
    );
  });

  it('audits the use of a recovery code, without the code', async () => {
    const res = await request(t.http)
      .get(AUDIT)
      .query({ targetId: user.id, action: 'mfa.recovery-code-used', take: 50 })
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    const items = (res.body as { items: { action: string }[] }).items;
    assert.ok(items.length >= 2, `recovery-code events: ${items.length}`);
    for (const code of user.recoveryCodes) assert.ok(!res.text.includes(code));
  });
});

describe('the TOTP secret at rest and after enrolment', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  async function storedSecrets(id: string) {
    const rows = await t.sql<{ mfa_secret: string | null; mfa_pending_secret: string | null }>(
      'SELECT mfa_secret, mfa_pending_secret FROM accounts WHERE id = ?',
      [id],
    );
    return rows[0];
  }

  /** Every byte of the SQLite files in the data folder (database, WAL, shared memory). */
  function databaseBytes(): Buffer {
    const files = readdirSync(t.dataDir).filter((f) => f.includes('.sqlite'));
    assert.ok(files.length > 0, 'the SQLite files are in the data folder');
    return Buffer.concat(files.map((f) => readFileSync(join(t.dataDir, f))));
  }

  it('stores the pending and the enrolled secret encrypted (v1:<key id>:...), never as given', async () => {
    const name = uniqueName('atrest');
    const created = await t.createAccount(admin.token, name);
    const preAuth = await t.preAuth(name, created.password);
    const enrolment = await request(t.http)
      .post('/api/v1/Mfa/Enroll')
      .auth(preAuth, { type: 'bearer' })
      .expect(200);
    const secret = (enrolment.body as { secret: string }).secret;
    const pending = await storedSecrets(created.id);
    assert.equal(pending.mfa_secret, null);
    assert.ok(pending.mfa_pending_secret?.startsWith(`v1:${t.config.mfa.currentKey.id}:`));
    assert.ok(!pending.mfa_pending_secret?.includes(secret));

    t.nextStep();
    await request(t.http)
      .post('/api/v1/Mfa/Enroll/Confirm')
      .auth(preAuth, { type: 'bearer' })
      .send({ code: await t.code(secret) })
      .expect(200);
    const enrolled = await storedSecrets(created.id);
    assert.equal(enrolled.mfa_pending_secret, null);
    assert.ok(enrolled.mfa_secret?.startsWith('v1:'));
    assert.ok(!enrolled.mfa_secret?.includes(secret));

    if (!t.isPostgres) {
      const bytes = databaseBytes();
      assert.equal(bytes.indexOf(secret), -1, 'the base32 secret is nowhere in the database files');
      assert.equal(bytes.indexOf(secret.toLowerCase()), -1);
      // And the files are owner-only (0600), like the keys.
      const files = readdirSync(t.dataDir).filter((f) => f.includes('.sqlite'));
      assert.ok(
        files.some((f) => f.endsWith('-wal')),
        `the WAL too: ${files.join(', ')}`,
      );
      for (const file of files)
        assert.equal(statSync(join(t.dataDir, file)).mode & 0o777, 0o600, file);
    }
  });

  it('answers the secret, the recovery codes and the tokens with Cache-Control: no-store', async () => {
    const name = uniqueName('nostore');
    const created = await t.createAccount(admin.token, name);
    const signIn = await request(t.http)
      .post('/signinBody')
      .send({ Login: name, Password: created.password })
      .expect(200);
    const preAuth = signIn.body as string;
    const enrolment = await request(t.http)
      .post('/api/v1/Mfa/Enroll')
      .auth(preAuth, { type: 'bearer' })
      .expect(200);
    t.nextStep();
    const confirm = await request(t.http)
      .post('/api/v1/Mfa/Enroll/Confirm')
      .auth(preAuth, { type: 'bearer' })
      .send({ code: await t.code((enrolment.body as { secret: string }).secret) })
      .expect(200);
    for (const res of [signIn, enrolment, confirm])
      assert.equal(res.headers['cache-control'], 'no-store', res.text);
  });

  it('never answers the secret again: not in the account, the MFA state, the audit log or a second Enroll', async () => {
    const user = await enrolledUser(t, uniqueName('noecho'));
    const answers = await Promise.all([
      request(t.http).get(OWN_MFA).auth(user.token, { type: 'bearer' }),
      request(t.http).get(`${ACCOUNTS}/${user.id}`).auth(admin.token, { type: 'bearer' }),
      request(t.http).get(ACCOUNTS).query({ take: 200 }).auth(admin.token, { type: 'bearer' }),
      request(t.http).get(AUDIT).query({ take: 200 }).auth(admin.token, { type: 'bearer' }),
      request(t.http).post('/api/v1/Mfa/Enroll').auth(user.token, { type: 'bearer' }),
    ]);
    for (const [index, res] of answers.entries()) {
      assert.ok(
        res.status === 200 || res.status === 409,
        `answer ${index}: ${res.status} ${res.text.slice(0, 200)}`,
      );
      assert.ok(!res.text.includes(user.secret), `answer ${index}`);
      for (const code of user.recoveryCodes) assert.ok(!res.text.includes(code), `answer ${index}`);
    }
    assert.equal(problemOf(answers[4], 409).status, 409, 'Enroll with MFA on is 409');
    const state = answers[0].body as Record<string, unknown>;
    assert.deepEqual(Object.keys(state).sort(), ['enabled', 'enrolledAt', 'recoveryCodesLeft']);
    assert.equal(state.enabled, true);
  });

  it('stores recovery codes as keyed hashes only', async () => {
    const user = await enrolledUser(t, uniqueName('hashed'));
    const rows = await t.sql<{ code_hash: string }>(
      'SELECT code_hash FROM recovery_codes WHERE account_id = ?',
      [user.id],
    );
    assert.equal(rows.length, 10);
    for (const row of rows) {
      assert.match(row.code_hash, /^[0-9a-f]{64}$/);
      for (const code of user.recoveryCodes) assert.ok(!row.code_hash.includes(code));
    }
  });
});

describe('enrolment refusals', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  const enroll = (token: string) =>
    request(t.http).post('/api/v1/Mfa/Enroll').auth(token, { type: 'bearer' });
  const confirm = (token: string, body: unknown) =>
    request(t.http)
      .post('/api/v1/Mfa/Enroll/Confirm')
      .auth(token, { type: 'bearer' })
      .send(body as object);

  async function newAccount(): Promise<{ id: string; name: string; preAuth: string }> {
    const name = uniqueName('enrol');
    const created = await t.createAccount(admin.token, name);
    return { id: created.id, name, preAuth: await t.preAuth(name, created.password) };
  }

  it('answers 409 to a confirmation without Enroll', async () => {
    const { preAuth } = await newAccount();
    const body = problemOf(await confirm(preAuth, { code: '123456' }), 409);
    assert.match(body.detail, /Enroll/);
  });

  it('answers 400 totp-invalid to a wrong code, a recovery-code shape and a padded code, and keeps the enrolment pending', async () => {
    const { id, preAuth } = await newAccount();
    const secret = ((await enroll(preAuth).expect(200)).body as { secret: string }).secret;
    t.nextStep();
    const right = await t.code(secret);
    for (const code of [await wrongCode(t, secret), 'abcde-23456', ` ${right}`]) {
      assert.equal(
        problemOf(await confirm(preAuth, { code }), 400).errorType,
        'totp-invalid',
        code,
      );
    }
    assert.equal(await storedCount(t, id), 3, 'each refusal counted, malformed ones too');
    const ok = await confirm(preAuth, { code: right }).expect(200);
    assert.equal((ok.body as { recoveryCodes: string[] }).recoveryCodes.length, 10);
  });

  it('answers 400 naming code when the body has none, counted as a failed attempt', async () => {
    const { id, preAuth } = await newAccount();
    await enroll(preAuth).expect(200);
    const body = problemOf(await confirm(preAuth, {}), 400);
    assert.ok(
      body.errors && Object.keys(body.errors).some((k) => k.toLowerCase() === 'code'),
      JSON.stringify(body),
    );
    assert.equal(await storedCount(t, id), 1);
  });

  it('replaces a pending enrolment when Enroll is called again: the first secret no longer confirms', async () => {
    const { preAuth } = await newAccount();
    const first = ((await enroll(preAuth).expect(200)).body as { secret: string }).secret;
    const second = ((await enroll(preAuth).expect(200)).body as { secret: string }).secret;
    assert.notEqual(first, second);
    t.nextStep();
    const stale = await t.code(first);
    const fresh = await t.code(second);
    if (stale !== fresh)
      assert.equal(
        problemOf(await confirm(preAuth, { code: stale }), 400).errorType,
        'totp-invalid',
      );
    await confirm(preAuth, { code: fresh }).expect(200);
  });

  it('answers 409 to Enroll and to a confirmation once MFA is on', async () => {
    const user = await enrolledUser(t, uniqueName('on'));
    problemOf(await enroll(user.token), 409);
    t.nextStep();
    problemOf(await confirm(user.token, { code: await t.code(user.secret) }), 409);
  });

  it('refuses an mfa pre-auth token on the enrolment calls (401)', async () => {
    const user = await enrolledUser(t, uniqueName('mfa-kind'));
    const preAuth = await t.preAuth(user.userName, user.password);
    problemOf(await enroll(preAuth), 401);
    problemOf(await confirm(preAuth, { code: '123456' }), 401);
  });

  it('answers an otpauth URI with the issuer and the account name, and an SVG QR code', async () => {
    const { name, preAuth } = await newAccount();
    const body = (await enroll(preAuth).expect(200)).body as {
      secret: string;
      otpauthUri: string;
      qrCodeSvg: string;
    };
    const uri = new URL(body.otpauthUri);
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(decodeURIComponent(uri.pathname), `/${t.config.mfa.issuer}:${name}`);
    assert.equal(uri.searchParams.get('secret'), body.secret);
    assert.equal(uri.searchParams.get('issuer'), t.config.mfa.issuer);
    assert.match(body.qrCodeSvg, /^<svg[\s\S]*<\/svg>\s*$/);
  });
});
