import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { SignedIn, TestApp } from '../support/test-app';
import { startApp } from '../support/app-fixture';

const RESET = '/api/v1/ManagedAccount/ResetMFA';
const QUEUED = /already executing a query/;

// node --test runs each file in a process of its own, so pg's once-per-process deprecation
// warning is still unsaid when this file starts.
describe('PostgreSQL: a transaction sends its statements one after another', () => {
  const queued: string[] = [];
  const onWarning = (warning: Error) => {
    if (QUEUED.test(warning.message)) queued.push(warning.message);
  };
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    process.on('warning', onWarning);
    ({ t, admin } = await startApp());
  });
  after(async () => {
    process.off('warning', onWarning);
    await t.close();
  });

  it('resets by id, in a batch and of oneself without pg queueing a query behind another', async () => {
    const one = await t.createAccount(admin.token, 'order-one');
    const two = await t.createAccount(admin.token, 'order-two');
    const three = await t.createAccount(admin.token, 'order-three');
    await t.signIn('admin', admin.password, admin.secret);
    const auth = { type: 'bearer' } as const;
    await request(t.http).put(`${RESET}/${one.id}`).auth(admin.token, auth).expect(200);
    await request(t.http)
      .put(RESET)
      .auth(admin.token, auth)
      .send({ ids: [two.id, three.id] })
      .expect(200);
    const self = await request(t.http)
      .put(`${RESET}/${admin.id}`)
      .auth(admin.token, auth)
      .expect(200);
    assert.equal(self.body.sessionsRevoked, 1, 'the other session ended, the caller kept its own');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(queued, []);
  });
});
