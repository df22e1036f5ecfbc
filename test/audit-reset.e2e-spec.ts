import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, uniqueName } from './support/accounts';
import {
  AUDIT,
  allAuditEvents,
  AuditItem,
  auditPage,
  freshAdminToken,
  resetBatch,
  resetById,
  verifyChain,
} from './support/api';
import { problemOf, validationProblemOf } from './support/problem';
import { SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

async function rowCount(t: TestApp): Promise<number> {
  const [row] = await t.sql<{ n: number | string }>('SELECT COUNT(*) AS n FROM audit_events');
  return Number(row.n);
}

describe('audit events of resets: listing, paging, filters', () => {
  let t: TestApp;
  let admin: SignedIn;
  let helpDesk: SignedIn;
  let users: SignedIn[];

  before(async () => {
    ({ t, admin } = await startApp());
    // Made through the API: their creation and enrolment are in the chain too.
    const viaApi = async (name: string, roles: string[] = ['User']) => {
      const created = await t.createAccount(admin.token, name, roles);
      return t.enroll(name, created.password);
    };
    helpDesk = await viaApi('helpdesk', ['HelpDesk']);
    users = [];
    for (const name of ['u1', 'u2', 'u3']) users.push(await viaApi(name));
    await resetById(t, admin.token, users[0].id).expect(200);
    await resetById(t, helpDesk.token, users[1].id).expect(200);
    await resetBatch(t, admin.token, [users[2].id, users[0].id]).expect(200);
  });
  after(() => t.close());

  it('records who reset whom, when, from where, the outcome and the trace id', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('traced'));

    await resetById(t, adminToken, user.id)
      .set('traceparent', `00-${TRACE}-00f067aa0ba902b7-01`)
      .set('User-Agent', 'reset-test/1.0')
      .expect(200);

    const [event] = (await auditPage(t, adminToken, { action: 'mfa.reset', targetId: user.id }))
      .items;
    assert.ok(event, 'an mfa.reset event for the user');
    assert.equal(event.outcome, 'success');
    assert.equal(event.actorId, admin.id);
    assert.equal(event.actorName, 'admin');
    assert.equal(event.targetId, user.id);
    assert.equal(event.targetName, user.userName);
    assert.equal(event.occurredAt, t.clock.now().toISOString());
    assert.ok(event.clientIp !== null && event.clientIp.length > 0, 'the client address');
    assert.equal(event.userAgent, 'reset-test/1.0');
    assert.match(event.traceId ?? '', new RegExp(`^00-${TRACE}-[0-9a-f]{16}-[0-9a-f]{2}$`));
    assert.deepEqual(event.details, { mfaWasEnabled: true, sessionsRevoked: 1, batch: false });
  });

  it('GET /api/v1/AuditEvent/Verify answers {valid: true, count} with every event counted', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const chain = await verifyChain(t, adminToken);
    assert.deepEqual(chain, { valid: true, count: await rowCount(t) });
    assert.ok(chain.count > 10);
  });

  it('pages newest first: take=2 answers 2 items in descending seq and a next cursor', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const newest = await rowCount(t);

    const page = await auditPage(t, adminToken, { take: 2 });

    assert.equal(page.items.length, 2);
    assert.deepEqual(
      page.items.map((e) => e.seq),
      [newest, newest - 1],
    );
    assert.equal(typeof page.next, 'string');
  });

  it('following next answers the following older items, without overlap or gap, to the end', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const total = await rowCount(t);

    const first = await auditPage(t, adminToken, { take: 2 });
    const second = await auditPage(t, adminToken, { take: 2, cursor: first.next! });
    assert.deepEqual(
      second.items.map((e) => e.seq),
      [first.items[1].seq - 1, first.items[1].seq - 2],
    );

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await auditPage(t, adminToken, {
        take: 7,
        ...(cursor === null ? {} : { cursor }),
      });
      seen.push(...page.items.map((e) => e.seq));
      cursor = page.next;
      pages++;
    } while (cursor !== null && pages < 1000);
    assert.deepEqual(
      seen,
      Array.from({ length: total }, (_, i) => total - i),
    );
    assert.equal(pages, Math.ceil(total / 7));
  });

  it('filters by action', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const events = await allAuditEvents(t, adminToken, { action: 'mfa.reset' });
    assert.ok(events.length >= 4, `${events.length} resets`);
    assert.ok(events.every((e) => e.action === 'mfa.reset'));
    const [row] = await t.sql<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'",
    );
    assert.equal(events.length, Number(row.n));
  });

  it('filters by actorId', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const events = await allAuditEvents(t, adminToken, { actorId: helpDesk.id });
    assert.ok(events.length > 0);
    assert.ok(events.every((e) => e.actorId === helpDesk.id));
    assert.ok(
      events.some((e) => e.action === 'mfa.reset' && e.targetId === users[1].id),
      "the HelpDesk's reset of u2 is listed",
    );
  });

  it('filters by targetId, combined with action', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const events = await allAuditEvents(t, adminToken, {
      targetId: users[0].id,
      action: 'mfa.reset',
    });
    // u1 was reset by id, then in the batch.
    assert.equal(events.length, 2);
    assert.ok(events.every((e) => e.targetId === users[0].id && e.action === 'mfa.reset'));
    assert.deepEqual(
      events.map((e: AuditItem) => e.details?.batch),
      [true, false],
    );
    assert.ok(events[0].seq > events[1].seq);
  });

  it('records a batch call of one id as a batch, by the endpoint called', async () => {
    const adminToken = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('batch-of-one'));
    const res = await resetBatch(t, adminToken, [user.id]);
    assert.equal(res.status, 200);
    const events = await allAuditEvents(t, adminToken, { targetId: user.id, action: 'mfa.reset' });
    assert.equal(events.length, 1);
    assert.equal(events[0].details?.batch, true);
  });

  it('answers 403 to a User', async () => {
    const user = await enrolledUser(t, uniqueName('nosee'));
    problemOf(await request(t.http).get(AUDIT).auth(user.token, { type: 'bearer' }), 403);
    problemOf(
      await request(t.http).get(`${AUDIT}/Verify`).auth(user.token, { type: 'bearer' }),
      403,
    );
    problemOf(await request(t.http).get(AUDIT).auth(helpDesk.token, { type: 'bearer' }), 403);
  });

  it('answers 400 to a bad cursor', async () => {
    const adminToken = await freshAdminToken(t, admin);
    for (const cursor of ['abc', '0', '-1']) {
      const res = await request(t.http)
        .get(AUDIT)
        .query({ cursor })
        .auth(adminToken, { type: 'bearer' });
      validationProblemOf(res, 'cursor');
    }
  });

  it('answers 400 to take=0 and to take over 200', async () => {
    const adminToken = await freshAdminToken(t, admin);
    for (const take of ['0', '201', 'x']) {
      const res = await request(t.http)
        .get(AUDIT)
        .query({ take })
        .auth(adminToken, { type: 'bearer' });
      validationProblemOf(res, 'take');
    }
  });
});

describe('audit chain: an edited row', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
    const user = await enrolledUser(t, 'edited');
    await resetById(t, admin.token, user.id).expect(200);
  });
  after(() => t.close());

  it('Verify answers valid false once one row was edited in the database', async () => {
    assert.equal((await verifyChain(t, admin.token)).valid, true);

    await t.dataSource.query("UPDATE audit_events SET target_name = 'x' WHERE seq = 2");

    const chain = await verifyChain(t, admin.token);
    assert.equal(chain.valid, false);
  });
});

describe('audit chain: a deleted row', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
    const user = await enrolledUser(t, 'deleted');
    await resetById(t, admin.token, user.id).expect(200);
  });
  after(() => t.close());

  it('Verify answers valid false once a middle row was deleted', async () => {
    const total = await rowCount(t);
    assert.ok(total >= 4, `${total} events`);
    assert.deepEqual(await verifyChain(t, admin.token), { valid: true, count: total });

    await t.dataSource.query('DELETE FROM audit_events WHERE seq = 2');

    assert.equal((await verifyChain(t, admin.token)).valid, false);
  });
});
