import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, freshCode, uniqueName } from './support/accounts';
import { freshAdminToken, RESET, resetBatch } from './support/api';
import { problemOf, validationProblemOf } from './support/problem';
import { SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

const MALFORMED = '{"ids": [';

/** A batch reset with a body as raw bytes of some content type. */
function rawBatch(t: TestApp, token: string | undefined, contentType: string, body: string) {
  const req = request(t.http).put(RESET).set('Content-Type', contentType);
  if (token !== undefined) req.auth(token, { type: 'bearer' });
  return req.send(body);
}

describe('the order of refusals: 401, 403, step-up, then the body (docs/api.md)', () => {
  let t: TestApp;
  let admin: SignedIn;
  let user: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
    user = await enrolledUser(t, uniqueName('order-user'));
  });
  after(() => t.close());

  it('answers 401, not 400, to malformed JSON without a token', async () => {
    const res = await rawBatch(t, undefined, 'application/json', MALFORMED);
    problemOf(res, 401);
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  it('answers 401, not 415, to an XML body without a token', async () => {
    problemOf(await rawBatch(t, undefined, 'application/xml', '<ids/>'), 401);
  });

  it('answers 401, not 400, to a body that is not UTF-8 with a garbage token', async () => {
    const res = await request(t.http)
      .put(RESET)
      .auth('not-a-token', { type: 'bearer' })
      .set('Content-Type', 'application/json')
      .send(Buffer.from([0x5b, 0xff, 0xfe, 0x5d]));
    problemOf(res, 401);
  });

  it('answers 401, not 415, to a Content-Type that is no media type, without a token', async () => {
    problemOf(await rawBatch(t, undefined, 'json', '[]'), 401);
  });

  it('answers 415 to a Content-Type that is no media type once token, permission and step-up pass', async () => {
    const token = await freshAdminToken(t, admin);
    problemOf(await rawBatch(t, token, 'json', '[]'), 415);
  });

  it('answers 403, not 400, to malformed JSON from an account without the permission', async () => {
    const body = problemOf(await rawBatch(t, user.token, 'application/json', MALFORMED), 403);
    assert.equal(body.errorType, 'error-not-allowed');
  });

  it('answers 400 validation to malformed JSON once token, permission and step-up pass', async () => {
    const token = await freshAdminToken(t, admin);
    validationProblemOf(await rawBatch(t, token, 'application/json', MALFORMED), '$');
  });

  it('answers 415 to an XML body once token, permission and step-up pass', async () => {
    const token = await freshAdminToken(t, admin);
    problemOf(await rawBatch(t, token, 'application/xml', '<ids/>'), 415);
  });
});

describe('step-up before the body (STEP_UP_MAX_AGE=0)', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp({ STEP_UP_MAX_AGE: '0' }));
  });
  after(() => t.close());

  it('answers 400 totp-required, not a validation problem, to malformed JSON without a code', async () => {
    const body = problemOf(await rawBatch(t, admin.token, 'application/json', MALFORMED), 400);
    assert.equal(body.errorType, 'totp-required');
    assert.equal(body.errors, undefined);
  });
});

describe('the batch limit counts accounts, not entries', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('names at most 200 entries that are not uuids, however many there are', async () => {
    const token = await freshAdminToken(t, admin);
    const res = await resetBatch(
      t,
      token,
      Array.from({ length: 5000 }, () => 0),
    );
    const problem = validationProblemOf(res, 'ids[0]');
    assert.equal(Object.keys(problem.errors ?? {}).length, 200);
  });

  it('resets one account named 1001 times (in both letter cases) as one', async () => {
    const token = await freshAdminToken(t, admin);
    const target = await t.createAccount(token, uniqueName('folded'));
    const ids = Array.from({ length: 1001 }, (_, i) =>
      i % 2 === 0 ? target.id : target.id.toUpperCase(),
    );

    const res = await resetBatch(t, token, ids, { code: await freshCode(t, admin.secret) });

    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, { userids: [target.id] });
  });
});
