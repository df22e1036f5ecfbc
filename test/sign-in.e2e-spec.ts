import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

describe('two-step sign-in', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('answers a bare JSON string pre-auth token of kind mfa for an enrolled account', async () => {
    const res = await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: ADMIN_PASSWORD })
      .expect(200);
    assert.match(res.headers['content-type'], /^application\/json/);
    assert.equal(typeof res.body, 'string');
    const payload = JSON.parse(
      Buffer.from((res.body as string).split('.')[1], 'base64url').toString(),
    ) as Record<string, unknown>;
    assert.equal(payload.typ, 'mfa');
    assert.equal(payload.sub, admin.id);
  });

  it('refuses an unknown user and a wrong password with the same answer', async () => {
    const unknown = await request(t.http)
      .post('/signinBody')
      .send({ Login: 'nobody', Password: 'whatever-password' })
      .expect(401);
    const wrong = await request(t.http)
      .post('/signinBody')
      .send({ Login: 'admin', Password: 'wrong-password!!' })
      .expect(401);
    assert.equal(unknown.body.detail, wrong.body.detail);
    assert.equal(unknown.body.title, wrong.body.title);
    assert.equal(unknown.headers['www-authenticate'], 'Bearer');
    assert.match(unknown.headers['content-type'], /^application\/problem\+json/);
  });

  it('reads the body PowerShell sends: JSON under the form content type, property names in any case', async () => {
    const res = await request(t.http)
      .post('/signinBody')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(JSON.stringify({ LOGIN: 'ADMIN', password: ADMIN_PASSWORD }))
      .expect(200);
    assert.equal(typeof res.body, 'string');
  });

  it('completes with the code and answers an access token that works', async () => {
    const token = await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
    await request(t.http).get('/api/v1/Mfa').auth(token, { type: 'bearer' }).expect(200);
  });
});
