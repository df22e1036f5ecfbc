import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from 'pg';
import sqlite3 from 'sqlite3';
import { waitFor } from './support/problem';
import { ServiceProcess, buildService, freePort } from './support/service-process';
import { eventually, SmtpSink } from './support/smtp-sink';
import { PostgresTestDatabase, testDatabaseKind } from './support/test-database';
import { totpAt } from './support/totp';

const READY_WITHIN_MS = 10_000;
const ADMIN_PASSWORD = 'process-outbox-Admin-pw-1!';
const SUBJECT = 'Your multi-factor authentication was reset';

interface OutboxRow {
  id: string;
  attempts: number | string;
  next_attempt_at: string | Date;
  claimed_by: string | null;
  delivered_at: string | Date | null;
  channel: string | null;
  recipient: string | null;
  last_error: string | null;
}

/** The service's database, read from outside the process: its SQLite file, or PostgreSQL. */
interface Database {
  outboxOf(accountId: string): Promise<OutboxRow[]>;
  close(): Promise<void>;
}

const OUTBOX_OF = `SELECT id, attempts, next_attempt_at, claimed_by, delivered_at, channel, recipient,
    last_error FROM outbox WHERE account_id = ? AND kind = 'mfa.reset'`;

function sqliteDatabase(file: string): Database {
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  return {
    outboxOf: (accountId) =>
      new Promise((resolve, reject) =>
        db.all<OutboxRow>(OUTBOX_OF, [accountId], (error, rows) =>
          error ? reject(error) : resolve(rows),
        ),
      ),
    close: () => new Promise((resolve) => db.close(() => resolve())),
  };
}

async function postgresDatabase(url: string): Promise<Database> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return {
    outboxOf: async (accountId) =>
      (await client.query<OutboxRow>(OUTBOX_OF.replace('?', '$1'), [accountId])).rows,
    close: () => client.end(),
  };
}

function dbTime(value: string | Date): Date {
  return value instanceof Date ? value : new Date(`${value.replace(' ', 'T')}Z`);
}

async function call(
  base: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; json: unknown; text: string }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    json: text === '' ? undefined : (JSON.parse(text) as unknown),
    text,
  };
}

/** The bootstrap admin's first sign-in: password, enrolment, confirmation; its fresh token. */
async function enrolledAdminToken(base: string): Promise<string> {
  const first = await call(base, 'POST', '/signinBody', undefined, {
    Login: 'admin',
    Password: ADMIN_PASSWORD,
  });
  assert.equal(first.status, 200, first.text);
  const preAuth = first.json as string;
  const enrolment = await call(base, 'POST', '/api/v1/Mfa/Enroll', preAuth);
  assert.equal(enrolment.status, 200, enrolment.text);
  const { secret } = enrolment.json as { secret: string };
  const confirmed = await call(base, 'POST', '/api/v1/Mfa/Enroll/Confirm', preAuth, {
    code: await totpAt(secret, new Date()),
  });
  assert.equal(confirmed.status, 200, confirmed.text);
  return (confirmed.json as { token: string }).token;
}

describe('the outbox across a process killed after the commit, before the delivery', () => {
  let main: string;
  let dataDir: string;
  let postgres: PostgresTestDatabase | undefined;
  let database: Database | undefined;
  const sinks: SmtpSink[] = [];
  const services: ServiceProcess[] = [];

  before(async () => {
    main = buildService();
    dataDir = mkdtempSync(join(tmpdir(), 'mfa-admin-outbox-'));
    if (testDatabaseKind() === 'postgres') postgres = await PostgresTestDatabase.create();
  });
  after(async () => {
    for (const s of services) await s.kill();
    await database?.close();
    for (const s of sinks) await s.close();
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(smtpUrl: string): Promise<{ service: ServiceProcess; base: string }> {
    const port = await freePort();
    const service = ServiceProcess.start(main, {
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SMTP_URL: smtpUrl,
      ...(postgres === undefined ? {} : { DATABASE_URL: postgres.url }),
    });
    services.push(service);
    const base = `http://127.0.0.1:${port}`;
    await service.waitForOk(`${base}/health/ready`, READY_WITHIN_MS);
    return { service, base };
  }

  it('delivers the reset message from the next process started on the same data', async () => {
    const refusing = await SmtpSink.start();
    sinks.push(refusing);
    refusing.refuse = () => ({ code: 451, message: '4.3.0 Try again later' });
    const { service: first, base } = await start(refusing.url);
    database =
      postgres === undefined
        ? sqliteDatabase(join(dataDir, 'mfa-admin.sqlite'))
        : await postgresDatabase(postgres.url);

    const token = await enrolledAdminToken(base);
    const email = 'killed-before-mail@example.com';
    const created = await call(base, 'POST', '/api/v1/ManagedAccount', token, {
      userName: 'killed-before-mail',
      displayName: 'Killed Before Mail',
      email,
      password: 'killed-before-mail-Password-1!',
      roles: ['User'],
    });
    assert.equal(created.status, 201, created.text);
    const { id } = created.json as { id: string };
    const reset = await call(base, 'PUT', `/api/v1/ManagedAccount/ResetMFA/${id}`, token, {
      ticket: 'INC-KILL-9',
    });
    assert.equal(reset.status, 200, reset.text);

    // Killed between two attempts: a failure recorded, no claim held, the next one not yet due
    // (killed during an attempt, the claim would hold the message for its 2-minute lease).
    const queued = await eventually(
      async () => {
        const [row] = await database!.outboxOf(id);
        const idle =
          row !== undefined &&
          row.last_error !== null &&
          row.claimed_by === null &&
          dbTime(row.next_attempt_at).getTime() - Date.now() > 300;
        if (idle) first.child.kill('SIGKILL');
        return idle ? row : undefined;
      },
      'a failed attempt recorded, between two attempts',
      20_000,
    );
    const exit = await first.waitForExit(10_000);
    assert.equal(exit.signal, 'SIGKILL');
    assert.ok(refusing.refused.includes(email), 'the first process tried, and was refused');
    assert.deepEqual(refusing.to(email), []);
    const [left] = await database.outboxOf(id);
    assert.equal(left.delivered_at, null, 'not delivered when the process died');
    assert.equal(Number(left.attempts), Number(queued.attempts));

    const working = await SmtpSink.start();
    sinks.push(working);
    await start(working.url);

    const mail = await waitFor(
      () => working.to(email).find((m) => m.headers.get('subject') === SUBJECT),
      `the reset message to ${email}, sent by the second process`,
      20_000,
    );
    assert.equal(mail.headers.get('message-id'), `<${queued.id}@mfa-admin>`);
    assert.match(mail.text, /^Reset by: admin$/m);
    assert.match(mail.text, /^Ticket: INC-KILL-9$/m);
    const row = await eventually(async () => {
      const [r] = await database!.outboxOf(id);
      return r?.delivered_at ? r : undefined;
    }, 'the delivery recorded');
    assert.equal(row.channel, 'smtp');
    assert.equal(row.recipient, email);
    assert.equal(Number(row.attempts), Number(queued.attempts) + 1);
    assert.equal(working.withMessageId(`<${queued.id}@mfa-admin>`).length, 1, 'sent once');
  });
});
