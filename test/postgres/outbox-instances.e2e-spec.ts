import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { enrolledUser } from '../support/accounts';
import { freshAdminToken, resetBatch, resetById } from '../support/api';
import { OutboxWorker } from '../../src/notifications/outbox-worker';
import { OutboxRepository } from '../../src/outbox/outbox.repository';
import { FakeClock } from '../support/fake-clock';
import { waitFor } from '../support/problem';
import { eventually, SmtpSink } from '../support/smtp-sink';
import { PostgresTestDatabase } from '../support/test-database';
import { SignedIn, TestApp } from '../support/test-app';

const RESETS = 24;
const SUBJECT = 'Your multi-factor authentication was reset';
const DELIVERED = 'message delivered';

/** Two instances, one PostgreSQL database, one SMTP server: each message goes out once. */
describe('the outbox of two instances on one PostgreSQL database', () => {
  let database: PostgresTestDatabase;
  let sink: SmtpSink;
  let a: TestApp;
  let b: TestApp;
  let admin: SignedIn;

  before(async () => {
    database = await PostgresTestDatabase.create();
    sink = await SmtpSink.start();
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SMTP_URL: sink.url,
    };
    const clock = new FakeClock();
    a = await TestApp.start(env, clock);
    b = await TestApp.start(env, clock);
    admin = await a.enrolledAdmin();
  });
  after(async () => {
    await a.close();
    await b.close();
    await sink.close();
    await database.drop();
  });

  it(`delivers each of ${RESETS} resets made on both instances exactly once`, async () => {
    const users: SignedIn[] = [];
    for (let i = 0; i < RESETS; i++) users.push(await enrolledUser(a, `outbox-twice-${i}`));
    const token = await freshAdminToken(a, admin);

    // At once, alternating: each instance is nudged by its own resets and sees the other's.
    const answers = await Promise.all(
      users.map((user, i) => resetById(i % 2 === 0 ? a : b, token, user.id)),
    );
    for (const res of answers) assert.equal(res.status, 200, res.text);

    const ids = users.map((u) => u.id);
    const rows = await eventually(
      async () => {
        const found = await a.sql<{
          id: string;
          account_id: string;
          attempts: number;
          delivered_at: Date | null;
          channel: string | null;
          recipient: string | null;
        }>(
          `SELECT id, account_id, attempts, delivered_at, channel, recipient FROM outbox
            WHERE kind = 'mfa.reset' AND account_id = ANY(?::uuid[])`,
          [ids],
        );
        return found.length === RESETS && found.every((r) => r.delivered_at !== null)
          ? found
          : undefined;
      },
      `all ${RESETS} reset messages recorded delivered`,
      30_000,
    );

    const messageIds = rows.map((r) => `<${r.id}@mfa-admin>`);
    await waitFor(
      () => (messageIds.every((m) => sink.withMessageId(m).length > 0) ? true : undefined),
      'every message at the SMTP server',
      10_000,
    );
    for (const row of rows) {
      const user = users.find((u) => u.id === row.account_id)!;
      const received = sink.withMessageId(`<${row.id}@mfa-admin>`);
      assert.equal(received.length, 1, `${user.userName}: received ${received.length} times`);
      assert.deepEqual(received[0].rcptTo, [`${user.userName}@example.com`]);
      assert.equal(received[0].headers.get('subject'), SUBJECT);
      assert.equal(row.channel, 'smtp');
      assert.equal(row.recipient, `${user.userName}@example.com`);
      assert.equal(Number(row.attempts), 1, `${user.userName}: claimed once`);
    }
    assert.equal(
      sink.messages.filter((m) => m.headers.get('subject') === SUBJECT).length,
      RESETS,
      'no other reset message',
    );

    // Each message was sent by one instance: no outbox id in both instances' logs.
    const sentBy = (t: TestApp) =>
      new Set(t.logLines.filter((l) => l.msg === DELIVERED).map((l) => String(l.outboxId)));
    const [byA, byB] = [sentBy(a), sentBy(b)];
    for (const row of rows) {
      assert.ok(
        byA.has(row.id) !== byB.has(row.id),
        `${row.id} logged as delivered by exactly one instance`,
      );
    }
  });

  it('gives each due message to one claim at a time, of many at once on both instances; a lapsed claim is taken over', async () => {
    // A backlog due 10 minutes ahead of the clock: the workers leave it alone until then.
    const users: SignedIn[] = [];
    for (let i = 0; i < 8; i++) users.push(await enrolledUser(a, `outbox-backlog-${i}`));
    const due = new Date(a.clock.now().getTime() + 10 * 60_000);
    await a.dataSource.transaction(async (m) => {
      for (const user of users)
        for (let n = 0; n < 5; n++)
          await a.app.get(OutboxRepository).enqueue(
            m,
            {
              kind: 'mfa.enrolled',
              accountId: user.id,
              facts: { at: due.toISOString(), clientIp: null },
            },
            due,
          );
    });
    const backlog = await a.sql<{ id: string }>(
      `SELECT id FROM outbox WHERE account_id = ANY(?::uuid[])`,
      [users.map((u) => u.id)],
    );
    assert.equal(backlog.length, 40);

    // Twelve claims of five at once, half on each instance, each as an instance of its own.
    const lease = new Date(due.getTime() + 2 * 60_000);
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) => {
        const t = i % 2 === 0 ? a : b;
        return t.dataSource.transaction((m) =>
          t.app.get(OutboxRepository).claim(m, `claimer-${i}`, due, lease, 5),
        );
      }),
    );
    const claimed = claims.flat().map((c) => c.id);
    assert.equal(
      new Set(claimed).size,
      claimed.length,
      `no message in two claims: ${claimed.length}`,
    );
    assert.ok(claimed.length > 0);
    const [{ n }] = await a.sql<{ n: string | number }>(
      `SELECT COUNT(*) AS n FROM outbox WHERE account_id = ANY(?::uuid[]) AND claimed_by IS NOT NULL`,
      [users.map((u) => u.id)],
    );
    assert.equal(
      Number(n),
      claimed.length,
      'every row claimed is claimed by the claim that got it',
    );

    // The claimers never record anything (as if their instance died): past the lease, the
    // workers take the messages over and deliver each once.
    a.clock.advance(13 * 60);
    const rows = await eventually(
      async () => {
        const found = await a.sql<{ id: string; attempts: number; delivered_at: Date | null }>(
          `SELECT id, attempts, delivered_at FROM outbox WHERE account_id = ANY(?::uuid[])`,
          [users.map((u) => u.id)],
        );
        return found.every((r) => r.delivered_at !== null) ? found : undefined;
      },
      'the backlog delivered',
      30_000,
    );
    for (const row of rows) {
      assert.equal(Number(row.attempts), claimed.includes(row.id) ? 2 : 1, row.id);
      assert.equal(sink.withMessageId(`<${row.id}@mfa-admin>`).length, 1, `${row.id} sent once`);
    }
  });
});

/**
 * A slow SMTP server: the instance that claimed messages is still sending the first when their
 * 2-minute lease runs out, and the other instance takes them over. The first must not then send
 * the ones it has not yet attempted: they are the other's now.
 */
describe('the outbox of two instances when a send outlasts the claim', () => {
  let database: PostgresTestDatabase;
  let sink: SmtpSink;
  let a: TestApp;
  let b: TestApp;
  let admin: SignedIn;

  before(async () => {
    database = await PostgresTestDatabase.create();
    sink = await SmtpSink.start();
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SMTP_URL: sink.url,
    };
    const clock = new FakeClock();
    a = await TestApp.start(env, clock);
    b = await TestApp.start(env, clock);
    admin = await a.enrolledAdmin();
  });
  after(async () => {
    await a.close();
    await b.close();
    await sink.close();
    await database.drop();
  });

  it('sends no message whose claim lapsed before its attempt began', async () => {
    const users: SignedIn[] = [];
    for (let i = 0; i < 3; i++) users.push(await enrolledUser(a, `outbox-slow-${i}`));
    const emails = users.map((u) => `${u.userName}@example.com`);
    const held = sink.hold(emails);
    const token = await freshAdminToken(a, admin);

    // One transaction queues the three messages (a claim may take them all at once).
    await resetBatch(
      a,
      token,
      users.map((u) => u.id),
    ).expect(200);
    const first = await held.arrived;
    const rows = await a.sql<{ id: string; account_id: string }>(
      `SELECT id, account_id FROM outbox WHERE kind = 'mfa.reset' AND account_id = ANY(?::uuid[])`,
      [users.map((u) => u.id)],
    );
    assert.equal(rows.length, 3);
    const heldId = rows.find((r) => first.headers.get('message-id') === `<${r.id}@mfa-admin>`)?.id;
    assert.ok(heldId, first.headers.get('message-id'));
    const others = rows.filter((r) => r.id !== heldId).map((r) => r.id);

    // The first send takes three minutes: every claim made with it has lapsed.
    a.clock.advance(3 * 60);
    await eventually(async () => {
      const found = await a.sql<{ delivered_at: Date | null }>(
        `SELECT delivered_at FROM outbox WHERE id = ANY(?::uuid[])`,
        [others],
      );
      return found.every((r) => r.delivered_at !== null) ? true : undefined;
    }, 'the other messages delivered after their claim lapsed');
    held.release();

    // Both workers stopped, each once its round is over: whatever they were to send is sent.
    await a.app.get(OutboxWorker).beforeApplicationShutdown();
    await b.app.get(OutboxWorker).beforeApplicationShutdown();
    for (const id of others) {
      assert.equal(
        sink.withMessageId(`<${id}@mfa-admin>`).length,
        1,
        `${id}: sent once, by the instance that claimed it last`,
      );
    }
  });
});
