import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, storedMfa, uniqueName } from '../support/accounts';
import { allAuditEvents, freshAdminToken, resetById, ROLES } from '../support/api';
import { FakeClock } from '../support/fake-clock';
import { problemOf } from '../support/problem';
import { PostgresTestDatabase } from '../support/test-database';
import { SignedIn, TestApp } from '../support/test-app';

/** The burst guard counts in the database: two instances share one budget per caller. */
describe('the reset budget across two instances on one PostgreSQL database', () => {
  let database: PostgresTestDatabase;
  let a: TestApp;
  let b: TestApp;
  let admin: SignedIn;
  let token: string;

  before(async () => {
    database = await PostgresTestDatabase.create();
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    };
    const clock = new FakeClock();
    a = await TestApp.start(env, clock);
    b = await TestApp.start(env, clock);
    admin = await a.enrolledAdmin();
    token = await freshAdminToken(a, admin);
    const permissions = ['edit-other-user-totp', 'view-accounts'];
    await request(a.http)
      .put(`${ROLES}/HelpDesk`)
      .auth(token, { type: 'bearer' })
      .send({ permissions, resetBudget: 4 })
      .expect(200);
  });
  after(async () => {
    await a.close();
    await b.close();
    await database.drop();
  });

  it('lets a HelpDesk caller reset 4 accounts in all, whichever instance it calls, even all at once', async () => {
    const helpDesk = await enrolledUser(a, uniqueName('hd-two'), ['HelpDesk']);
    const users = await Promise.all(
      Array.from({ length: 10 }, () => enrolledUser(a, uniqueName('two-victim'))),
    );
    const answers = await Promise.all(
      users.map((user, i) => resetById(i % 2 === 0 ? a : b, helpDesk.token, user.id)),
    );
    const statuses = answers.map((res) => res.status);
    assert.equal(statuses.filter((s) => s === 200).length, 4, statuses.join());
    for (const res of answers.filter((r) => r.status !== 200))
      assert.equal(problemOf(res, 429).errorType, 'reset-budget-exceeded');
    const stillOn = await Promise.all(users.map((u) => storedMfa(a, u.id)));
    assert.equal(stillOn.filter((m) => m.hasSecret).length, 6);
    const blocked = await allAuditEvents(a, token, { action: 'reset.burst-blocked' });
    assert.equal(blocked.length, 6);
  });
});
