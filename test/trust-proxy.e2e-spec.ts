import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { TestApp } from './support/test-app';

/** The client address the audit log kept for the newest failed sign-in. */
async function lastSignInFailureIp(t: TestApp): Promise<string | null> {
  const rows = await t.sql<{ client_ip: string | null }>(
    "SELECT client_ip FROM audit_events WHERE action = 'sign-in.failed' ORDER BY seq DESC LIMIT 1",
  );
  assert.equal(rows.length, 1, 'a failed sign-in is audited');
  return rows[0].client_ip;
}

function failedSignIn(t: TestApp, forwardedFor: string) {
  return request(t.http)
    .post('/signinBody')
    .set('X-Forwarded-For', forwardedFor)
    .send({ Login: 'admin', Password: 'wrong-password-123' })
    .expect(401);
}

for (const [trustProxy, believed] of [
  ['loopback', true],
  ['10.9.8.7', false],
  ['off', false],
] as const) {
  describe(`X-Forwarded-For with TRUST_PROXY=${trustProxy}`, () => {
    let t: TestApp;

    before(async () => {
      t = await TestApp.start({ TRUST_PROXY: trustProxy });
    });
    after(() => t.close());

    it(
      believed
        ? 'is believed from a trusted proxy: the audit log keeps the forwarded address'
        : 'is not believed from an address that is not a trusted proxy',
      async () => {
        await failedSignIn(t, '203.0.113.7');
        const ip = await lastSignInFailureIp(t);
        if (believed) assert.equal(ip, '203.0.113.7');
        else assert.match(String(ip), /^(::ffff:)?127\.0\.0\.1$|^::1$/);
      },
    );
  });
}
