import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { freshCode } from './support/accounts';
import { ACCOUNTS, allAuditEvents, API_KEYS } from './support/api';
import { startApp } from './support/app-fixture';
import { problemOf, validationProblemOf } from './support/problem';
import { SignedIn, TestApp } from './support/test-app';

const bearer = { type: 'bearer' } as const;

describe("a browser request from another site's page (Fetch Metadata)", () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await startApp({ SIGNIN_RATE_LIMIT: '5' })));
  after(() => t.close());

  it('is refused with 403 before the sign-in limit, the password check and the audit log', async () => {
    const failedBefore = (await allAuditEvents(t, admin.token, { action: 'sign-in.failed' }))
      .length;
    for (let i = 0; i < 8; i++) {
      for (const site of ['cross-site', 'same-site']) {
        const res = await request(t.http)
          .post('/signinBody')
          .set('Content-Type', 'text/plain')
          .set('Sec-Fetch-Site', site)
          .set('Sec-Fetch-Mode', i % 2 === 0 ? 'no-cors' : 'navigate')
          .send('{"Login":"admin","Password":"guess"}');
        const problem = problemOf(res, 403);
        assert.equal(problem.errorType, 'cross-site-request');
      }
    }
    const failedAfter = (await allAuditEvents(t, admin.token, { action: 'sign-in.failed' })).length;
    assert.equal(failedAfter, failedBefore, 'nothing was checked or audited');
    // The address's sign-in limit (5 a minute) was not used up by the 16 refusals.
    await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: admin.password })
      .expect(200);
  });

  it('is refused on every other route too, a token notwithstanding', async () => {
    const res = await request(t.http)
      .get('/api/v1/Session')
      .auth(admin.token, bearer)
      .set('Sec-Fetch-Site', 'cross-site')
      .set('Sec-Fetch-Mode', 'cors');
    assert.equal(problemOf(res, 403).errorType, 'cross-site-request');
  });

  it("lets through a link followed from another site, the console's own calls, and clients without Fetch Metadata", async () => {
    for (const path of ['/console', '/swagger', '/health/live'])
      await request(t.http)
        .get(path)
        .set('Sec-Fetch-Site', 'cross-site')
        .set('Sec-Fetch-Mode', 'navigate')
        .expect(200);
    await request(t.http)
      .get('/api/v1/Session')
      .auth(admin.token, bearer)
      .set('Sec-Fetch-Site', 'same-origin')
      .set('Sec-Fetch-Mode', 'cors')
      .expect(200);
    await request(t.http).get('/api/v1/Session').auth(admin.token, bearer).expect(200);
  });

  it('without Fetch Metadata (plain HTTP to a host name), refuses an Origin that is not this host', async () => {
    for (const origin of ['http://evil.test:4930', 'null', 'https://127.0.0.1.evil.test']) {
      const res = await request(t.http)
        .post('/signinBody')
        .set('Origin', origin)
        .set('Content-Type', 'text/plain')
        .send('{"Login":"admin","Password":"guess"}');
      assert.equal(problemOf(res, 403).errorType, 'cross-site-request', origin);
    }
    // The console's own calls name this host as their origin (any case, default port or not).
    for (const [host, origin] of [
      ['mfa.test:3000', 'http://MFA.test:3000'],
      ['mfa.test', 'http://mfa.test:80'],
      ['mfa.test:443', 'https://mfa.test'],
    ])
      await request(t.http)
        .get('/api/v1/Session')
        .auth(admin.token, bearer)
        .set('Host', host)
        .set('Origin', origin)
        .expect(200);
    await request(t.http)
      .get('/api/v1/Session')
      .auth(admin.token, bearer)
      .set('Host', 'mfa.test:3000')
      .set('Origin', 'http://mfa.test:3001')
      .expect(403);
  });

  it('serves the console with its own headers also under an encoded path', async () => {
    const plain = await request(t.http).get('/console').expect(200);
    for (const path of ['/%63onsole', '/%43ONSOLE/mfa']) {
      const res = await request(t.http).get(path).expect(200);
      assert.equal(
        res.headers['content-security-policy'],
        plain.headers['content-security-policy'],
      );
      assert.equal(res.headers['x-frame-options'], 'DENY');
    }
  });
});

describe('names shown to people hold no invisible or text-direction characters', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await startApp()));
  after(() => t.close());

  for (const [label, value] of [
    ['a right-to-left override', 'Bob\u202eNIMDA'],
    ['a zero-width space', 'Bob\u200b'],
    ['a line break', 'Bob\nAdmin'],
    ['a combining grapheme joiner', 'Administrator\u034f'],
    ['a variation selector', 'Administrator\u{e0100}'],
    ['an unassigned code point', 'Administrator\u2065'],
    ['a lone surrogate', 'Bob\ud800'],
  ] as const) {
    it(`refuses ${label} in a display name and in an API key's name`, async () => {
      const created = await request(t.http).post(ACCOUNTS).auth(admin.token, bearer).send({
        userName: 'bidi',
        displayName: value,
        email: 'b@example.com',
        password: 'bidi-Password-1!',
      });
      validationProblemOf(created, 'displayName');
      const patched = await request(t.http)
        .patch(`${ACCOUNTS}/${admin.id}`)
        .auth(admin.token, bearer)
        .send({ displayName: value });
      validationProblemOf(patched, 'displayName');
      const key = await request(t.http)
        .post(API_KEYS)
        .auth(admin.token, bearer)
        .set('x-2fa-code', await freshCode(t, admin.secret))
        .send({ name: value, expiresInDays: 1, permissions: ['view-accounts'] });
      validationProblemOf(key, 'name');
    });
  }

  it('refuses such characters in an email address, and a lone surrogate there with 400, not 500', async () => {
    for (const email of ['a\u202eb@example.com', 'a\u200bb@example.com', 'a\ud800b@example.com']) {
      const patched = await request(t.http)
        .patch(`${ACCOUNTS}/${admin.id}`)
        .auth(admin.token, bearer)
        .send({ email });
      validationProblemOf(patched, 'email');
    }
  });

  it('still takes names in any script', async () => {
    const res = await request(t.http).post(ACCOUNTS).auth(admin.token, bearer).send({
      userName: 'intl',
      displayName: 'Zoë Ωmega 山田 مرحبا',
      email: 'i@example.com',
      password: 'intl-Password-1!',
    });
    assert.equal(res.status, 201, res.text);
  });
});
