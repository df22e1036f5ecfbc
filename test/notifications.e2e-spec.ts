import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { enrolledUser, uniqueName, wrongCode } from './support/accounts';
import { accountView, auditPage, freshAdminToken, resetById, UNKNOWN_ID } from './support/api';
import { startApp } from './support/app-fixture';
import { problemOf, waitFor } from './support/problem';
import { addressOf, eventually, type ReceivedMail, SmtpSink } from './support/smtp-sink';
import { SignedIn, TestApp } from './support/test-app';

const MAIL_FROM = 'Help Desk Notices <notices@help.example.org>';
const SUBJECTS = {
  reset: 'Your multi-factor authentication was reset',
  locked: 'Your account was locked after failed sign-in codes',
  enrolled: 'A new authenticator app was enrolled',
};
const IF_NOT_YOU = /^If you did not expect this, contact your help desk/m;
const LOGGED = 'message not sent by email (SMTP_URL is not set): logged instead';
/** Long enough for a message queued on PostgreSQL just after the nudge (the 1 s poll). */
const DELIVERY_MS = 10_000;

interface OutboxRow {
  id: string;
  kind: string;
  attempts: number | string;
  next_attempt_at: string | Date;
  claimed_by: string | null;
  delivered_at: string | Date | null;
  failed_at: string | Date | null;
  channel: string | null;
  recipient: string | null;
  secret: string | null;
  last_error: string | null;
}

/** A time as a raw query answers it: SQLite's UTC text, or PostgreSQL's Date. */
function dbTime(value: string | Date): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}

async function outboxOf(t: TestApp, accountId: string, kind?: string): Promise<OutboxRow[]> {
  const rows = await t.sql<OutboxRow>(
    `SELECT id, kind, attempts, next_attempt_at, claimed_by, delivered_at, failed_at, channel,
        recipient, secret, last_error
      FROM outbox WHERE account_id = ? ORDER BY created_at, id`,
    [accountId],
  );
  return kind === undefined ? rows : rows.filter((r) => r.kind === kind);
}

/** The one message of this kind about the account, once its delivery is recorded. */
function delivered(t: TestApp, accountId: string, kind: string): Promise<OutboxRow> {
  return eventually(async () => {
    const rows = await outboxOf(t, accountId, kind);
    assert.ok(rows.length <= 1, `one ${kind} message: ${rows.length}`);
    return rows[0]?.delivered_at ? rows[0] : undefined;
  }, `the ${kind} message of ${accountId} recorded delivered`);
}

/** The one message of this kind about the account, once a failed attempt is recorded. */
function failedOnce(t: TestApp, accountId: string, kind: string): Promise<OutboxRow> {
  return eventually(async () => {
    const [row] = await outboxOf(t, accountId, kind);
    return row?.last_error !== null && row?.claimed_by === null ? row : undefined;
  }, `a failed attempt recorded for the ${kind} message of ${accountId}`);
}

function mailTo(sink: SmtpSink, address: string, subject: string): Promise<ReceivedMail> {
  return waitFor(
    () => sink.to(address).find((m) => m.headers.get('subject') === subject),
    `"${subject}" to ${address}`,
    DELIVERY_MS,
  );
}

/** The "When:" line of a message, read back as a time. */
function whenOf(text: string): Date {
  const match = /^When: (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) UTC$/m.exec(text);
  assert.ok(match, `a "When: YYYY-MM-DD HH:MM:SS UTC" line in:\n${text}`);
  return new Date(`${match[1].replace(' ', 'T')}Z`);
}

function toTheSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

const refuseOnce =
  (sink: SmtpSink, address: string) =>
  (recipient: string): { code: number; message: string } | undefined =>
    recipient === address && !sink.refused.includes(address)
      ? { code: 451, message: '4.3.0 Mailbox busy, try again later' }
      : undefined;

describe('messages about an account, delivered by SMTP', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    sink = await SmtpSink.start();
    ({ t, admin } = await startApp({
      SMTP_URL: sink.url,
      MAIL_FROM,
      LOCKOUT_THRESHOLD: '3',
      LOCKOUT_MINUTES: '15',
    }));
  });
  after(async () => {
    await t.close();
    await sink.close();
  });

  it("tells the account's email of a reset: who, when, from where, the ticket, and what to do", async () => {
    const token = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('reset-mail'));
    const email = `${user.userName}@example.com`;
    const at = t.clock.now();

    await resetById(t, token, user.id)
      .send({ reason: 'lost phone', ticket: 'INC-4711' })
      .expect(200);

    const mail = await mailTo(sink, email, SUBJECTS.reset);
    const row = await delivered(t, user.id, 'mfa.reset');
    assert.deepEqual(mail.rcptTo, [email], 'the envelope names the account only');
    assert.equal(addressOf(mail.headers.get('to')), email);
    assert.equal(mail.headers.get('from'), MAIL_FROM);
    assert.equal(mail.mailFrom, 'notices@help.example.org', 'the envelope sender is MAIL_FROM');
    assert.equal(mail.headers.get('message-id'), `<${row.id}@mfa-admin>`);

    const [event] = (await auditPage(t, token, { action: 'mfa.reset', targetId: user.id })).items;
    assert.ok(event?.clientIp, 'the audit event has the client address');
    assert.match(mail.text, /^Reset by: admin$/m);
    assert.equal(whenOf(mail.text).getTime(), toTheSecond(at).getTime());
    assert.ok(
      mail.text.split('\n').includes(`From address: ${event.clientIp}`),
      `"From address: ${event.clientIp}" in:\n${mail.text}`,
    );
    assert.match(mail.text, /^Ticket: INC-4711$/m);
    assert.match(mail.text, IF_NOT_YOU);

    assert.equal(row.channel, 'smtp');
    assert.equal(row.recipient, email);
    assert.equal(Number(row.attempts), 1);
    assert.equal(row.last_error, null);
    assert.equal(row.failed_at, null);
    assert.equal(sink.withMessageId(`<${row.id}@mfa-admin>`).length, 1, 'sent once');
  });

  it('tells the account of a lock-out after wrong codes at /signin2fa', async () => {
    const user = await enrolledUser(t, uniqueName('locked-mail'));
    const email = `${user.userName}@example.com`;
    const preAuth = await t.preAuth(user.userName, user.password);
    for (let i = 0; i < 3; i++) {
      await request(t.http)
        .post('/signin2fa')
        .auth(preAuth, { type: 'bearer' })
        .send({ code: await wrongCode(t, user.secret) })
        .expect(401);
    }
    const { lockedUntil } = await accountView(t, admin.token, user.id);
    assert.ok(lockedUntil !== null, 'the account is locked');

    const mail = await mailTo(sink, email, SUBJECTS.locked);
    const row = await delivered(t, user.id, 'account.locked');
    assert.equal(mail.headers.get('message-id'), `<${row.id}@mfa-admin>`);
    assert.equal(mail.headers.get('from'), MAIL_FROM);
    assert.equal(whenOf(mail.text).getTime(), toTheSecond(t.clock.now()).getTime());
    const until = /^Locked until: (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) UTC$/m.exec(mail.text);
    assert.ok(until, mail.text);
    assert.equal(
      new Date(`${until[1].replace(' ', 'T')}Z`).getTime(),
      toTheSecond(new Date(lockedUntil)).getTime(),
    );
    assert.match(mail.text, /^From address: \S+$/m);
    assert.match(mail.text, IF_NOT_YOU);
    assert.equal(row.channel, 'smtp');
    assert.equal(row.recipient, email);
  });

  it('tells the account of an authenticator enrolled through the API', async () => {
    const name = uniqueName('enrolled-mail');
    const created = await t.createAccount(admin.token, name);
    const email = `${name}@example.com`;
    const enrolled = await t.enroll(name, created.password);

    const mail = await mailTo(sink, email, SUBJECTS.enrolled);
    const row = await delivered(t, enrolled.id, 'mfa.enrolled');
    assert.equal(mail.headers.get('message-id'), `<${row.id}@mfa-admin>`);
    assert.equal(mail.headers.get('from'), MAIL_FROM);
    assert.match(mail.text, /^When: .* UTC$/m);
    assert.match(mail.text, /^From address: \S+$/m);
    assert.match(mail.text, IF_NOT_YOU);
    assert.equal(row.channel, 'smtp');
    assert.equal(row.recipient, email);
    assert.equal(sink.to(email).length, 1, 'one message to the account (creating it sends none)');
  });

  it('sends a queued message to the address of when it was queued; an address change tells the old one', async () => {
    const token = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('moved-mail'));
    const before = `${user.userName}@example.com`;
    const after = `${user.userName}@elsewhere.example`;
    sink.refuse = refuseOnce(sink, before);
    try {
      await resetById(t, token, user.id).expect(200);
      await failedOnce(t, user.id, 'mfa.reset');
      // The address changes while the reset message waits for its retry.
      await request(t.http)
        .patch(`/api/v1/ManagedAccount/${user.id}`)
        .auth(token, { type: 'bearer' })
        .send({ email: after })
        .expect(200);
      t.clock.advance(2);
      const reset = await mailTo(sink, before, SUBJECTS.reset);
      assert.ok(reset);
      const moved = await mailTo(sink, before, 'The email address of your account was changed');
      assert.match(moved.text, /^Changed by: admin$/m);
      assert.equal(sink.to(after).length, 0, 'nothing went to the new address');
    } finally {
      sink.refuse = () => undefined;
      sink.refused.length = 0;
    }
  });

  it('writes every stored name on one line of its own: no forged lines', async () => {
    const token = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('forged-mail'));
    await t.sql('UPDATE accounts SET display_name = ? WHERE id = ?', [
      'Bob\r\n\r\nReset by: the CEO\u2028When: never',
      user.id,
    ]);
    await resetById(t, token, user.id).expect(200);
    const mail = await mailTo(sink, `${user.userName}@example.com`, SUBJECTS.reset);
    const lines = mail.text.split('\n');
    assert.deepEqual(
      lines.filter((l) => l.startsWith('Reset by:')),
      ['Reset by: admin'],
    );
    assert.ok(lines[0].startsWith('Hello Bob'), lines[0]);
    assert.ok(!lines.some((l) => l.startsWith('When: never')));
  });

  it('retries after the server refuses (451), with a 1 s back-off, and delivers once', async () => {
    const token = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('retried-mail'));
    const email = `${user.userName}@example.com`;
    sink.refuse = refuseOnce(sink, email);
    try {
      await resetById(t, token, user.id).expect(200);

      const failed = await failedOnce(t, user.id, 'mfa.reset');
      assert.deepEqual(sink.refused, [email]);
      assert.equal(Number(failed.attempts), 1);
      assert.equal(failed.delivered_at, null);
      assert.equal(failed.failed_at, null, 'not given up');
      assert.match(failed.last_error ?? '', /451/);
      assert.equal(
        dbTime(failed.next_attempt_at).getTime(),
        t.clock.now().getTime() + 1000,
        'the next attempt is due 1 s after the failure',
      );
      assert.equal(sink.to(email).length, 0);

      t.clock.advance(2);
      const row = await delivered(t, user.id, 'mfa.reset');
      assert.equal(Number(row.attempts), 2);
      assert.equal(row.channel, 'smtp');
      assert.equal(row.recipient, email);
      assert.equal(row.last_error, null);
      assert.equal(sink.withMessageId(`<${row.id}@mfa-admin>`).length, 1, 'arrived once');
      assert.equal(sink.to(email).length, 1);
    } finally {
      sink.refuse = () => undefined;
    }
  });

  it('queues no message for a reset refused (404 unknown id, 403 HelpDesk resetting an Admin)', async () => {
    const helpDesk = await enrolledUser(t, uniqueName('helpdesk'), ['HelpDesk']);
    const otherAdmin = await enrolledUser(t, uniqueName('admin2'), ['Admin']);
    const bystander = await enrolledUser(t, uniqueName('bystander'));
    const [before] = await t.sql<{ n: number | string }>('SELECT COUNT(*) AS n FROM outbox');

    problemOf(await resetById(t, helpDesk.token, UNKNOWN_ID), 404);
    problemOf(await resetById(t, helpDesk.token, otherAdmin.id), 403);

    // A reset that goes through afterwards: once its message is out, an earlier one would be too.
    await resetById(t, helpDesk.token, bystander.id).expect(200);
    await delivered(t, bystander.id, 'mfa.reset');
    await mailTo(sink, `${bystander.userName}@example.com`, SUBJECTS.reset);

    const [afterwards] = await t.sql<{ n: number | string }>('SELECT COUNT(*) AS n FROM outbox');
    assert.equal(Number(afterwards.n), Number(before.n) + 1, 'only the bystander was queued');
    assert.deepEqual(await outboxOf(t, otherAdmin.id), []);
    assert.deepEqual(sink.to(`${otherAdmin.userName}@example.com`), []);
  });
});

describe('the enrolment code in the reset message (ENROLLMENT_CODE_IN_MESSAGE), by SMTP', () => {
  let sink: SmtpSink;
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    sink = await SmtpSink.start();
    ({ t, admin } = await startApp({
      SMTP_URL: sink.url,
      RESET_ENROLLMENT_CODE: 'true',
      ENROLLMENT_CODE_IN_MESSAGE: 'true',
    }));
  });
  after(async () => {
    await t.close();
    await sink.close();
  });

  it('sends the code the reset answered, keeps it encrypted until then, and erases it after', async () => {
    const token = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('code-mail'));
    const email = `${user.userName}@example.com`;
    sink.refuse = refuseOnce(sink, email);
    try {
      const res = await resetById(t, token, user.id).expect(200);
      const code = (res.body as { enrollmentCode?: unknown }).enrollmentCode;
      assert.equal(typeof code, 'string', res.text);

      // Between attempts the code waits in the outbox, encrypted.
      const waiting = await failedOnce(t, user.id, 'mfa.reset');
      assert.ok(waiting.secret !== null, 'the code is kept for the next attempt');
      assert.ok(!waiting.secret.includes(code as string), 'not in clear');

      t.clock.advance(2);
      const row = await delivered(t, user.id, 'mfa.reset');
      const mail = await mailTo(sink, email, SUBJECTS.reset);
      assert.equal(mail.headers.get('message-id'), `<${row.id}@mfa-admin>`);
      assert.ok(
        mail.text.includes(`one-time code: ${code as string}`),
        `the code ${code as string} in:\n${mail.text}`,
      );
      assert.equal(row.secret, null, 'the code is erased once delivered');
      assert.ok(
        !t.logLines.some((l) => JSON.stringify(l).includes(code as string)),
        'the code is in no log line',
      );
    } finally {
      sink.refuse = () => undefined;
    }
  });
});

describe('without SMTP_URL: messages logged, never with the enrolment code', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp({
      RESET_ENROLLMENT_CODE: 'true',
      ENROLLMENT_CODE_IN_MESSAGE: 'true',
    }));
  });
  after(() => t.close());

  it('logs the reset message (to, subject, text) and records it delivered on channel log', async () => {
    const token = await freshAdminToken(t, admin);
    const user = await enrolledUser(t, uniqueName('logged'));
    const email = `${user.userName}@example.com`;

    const res = await resetById(t, token, user.id).send({ ticket: 'CHG-99' }).expect(200);
    const code = (res.body as { enrollmentCode?: unknown }).enrollmentCode;
    assert.equal(typeof code, 'string', res.text);

    const line = await waitFor(
      () => t.logLines.find((l) => l.msg === LOGGED && l.to === email),
      `the logged message to ${email}`,
      DELIVERY_MS,
    );
    const row = await delivered(t, user.id, 'mfa.reset');
    assert.equal(line.subject, SUBJECTS.reset);
    assert.equal(line.kind, 'mfa.reset');
    assert.equal(line.outboxId, row.id);
    assert.equal(typeof line.text, 'string');
    assert.match(line.text as string, /^Reset by: admin$/m);
    assert.match(line.text as string, /^Ticket: CHG-99$/m);
    assert.match(line.text as string, IF_NOT_YOU);
    assert.ok(!(line.text as string).includes(code as string), 'the code is not in the text');
    assert.ok(
      !t.logLines.some((l) => JSON.stringify(l).includes(code as string)),
      'the code is in no log line',
    );

    assert.equal(row.channel, 'log');
    assert.equal(row.recipient, email);
    assert.equal(Number(row.attempts), 1);
    assert.equal(row.secret, null, 'the encrypted code is erased');
  });
});
