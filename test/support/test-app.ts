import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { App } from 'supertest/types';
import { DataSource } from 'typeorm';
import { WriteQueue } from '../../src/database/write-queue';
import { OutboxWorker } from '../../src/notifications/outbox-worker';
import { createApp } from '../../src/app.setup';
import { createLogger } from '../../src/common/logging/logger';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { FakeClock } from './fake-clock';
import { PostgresTestDatabase, testDatabaseKind } from './test-database';
import { waitFor } from './problem';
import { totpAt } from './totp';

export const ADMIN_PASSWORD = 'bootstrap-Admin-pw-1!';

export interface SignedIn {
  readonly id: string;
  readonly userName: string;
  readonly password: string;
  readonly secret: string;
  readonly token: string;
  readonly recoveryCodes: string[];
}

/** The real app on a fresh SQLite file in a temporary folder, with a movable clock and captured logs. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly config: AppConfig,
    readonly clock: FakeClock,
    /** Every JSON log line the app wrote, parsed, in order. */
    readonly logLines: Record<string, unknown>[],
    private readonly dir: string,
    private readonly ownDatabase: PostgresTestDatabase | undefined,
  ) {}

  /**
   * On SQLite (the default) a fresh file in a temporary folder; with TEST_DATABASE=postgres a
   * fresh database, dropped on close. `env.DATABASE_URL` points several instances at one database.
   */
  static async start(env: Record<string, string> = {}, clock = new FakeClock()): Promise<TestApp> {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-admin-test-'));
    const ownDatabase =
      env.DATABASE_URL === undefined && testDatabaseKind() === 'postgres'
        ? await PostgresTestDatabase.create()
        : undefined;
    const config = loadConfig({
      DATA_DIR: dir,
      ...(ownDatabase ? { DATABASE_URL: ownDatabase.url } : {}),
      LOG_LEVEL: 'info',
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      SIGNIN_RATE_LIMIT: '0',
      ...env,
    });
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n'))
          if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const app = await createApp(config, createLogger(config.logLevel, sink), clock);
    return new TestApp(app, config, clock, lines, dir, ownDatabase);
  }

  get http(): App {
    return this.app.getHttpServer();
  }

  get dataSource(): DataSource {
    return this.app.get(DataSource);
  }

  /**
   * The database taken away under the running app (an outage): the outbox worker is stopped
   * first, so that no background write is caught half-way by the closing connection.
   */
  async loseDatabase(): Promise<void> {
    await this.app.get(OutboxWorker).beforeApplicationShutdown();
    await this.dataSource.destroy();
  }

  get dataDir(): string {
    return this.dir;
  }

  async close(): Promise<void> {
    await this.app.close();
    rmSync(this.dir, { recursive: true, force: true });
    await this.ownDatabase?.drop();
  }

  get isPostgres(): boolean {
    return this.config.database.kind === 'postgres';
  }

  /**
   * Raw SQL with `?` placeholders on either database. A write goes through the app's write queue:
   * on SQLite the app shares one connection, and a write sent beside the queue would land in
   * whatever transaction the app has open (the outbox worker's, say), seen by others only when
   * that one commits.
   */
  sql<T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> {
    let n = 0;
    const text = this.isPostgres ? query.replace(/\?/g, () => `$${++n}`) : query;
    if (/^\s*(UPDATE|INSERT|DELETE)\b/i.test(text))
      return this.app.get(WriteQueue).run<T[]>((m) => m.query(text, params));
    return this.dataSource.query(text, params);
  }

  /** Moves to a fresh TOTP step so the next code is not a replay of the last. */
  nextStep(): void {
    this.clock.advance(30);
  }

  code(secret: string): Promise<string> {
    return totpAt(secret, this.clock.now());
  }

  async preAuth(userName: string, password: string): Promise<string> {
    const res = await request(this.http)
      .post('/signinBody')
      .send({ Login: userName, Password: password })
      .expect(200);
    return res.body as string;
  }

  /** First sign-in of an account without MFA: password, enrolment, confirmation. */
  async enroll(userName: string, password: string): Promise<SignedIn> {
    const preAuth = await this.preAuth(userName, password);
    const enrolment = await request(this.http)
      .post('/api/v1/Mfa/Enroll')
      .auth(preAuth, { type: 'bearer' })
      .expect(200);
    const secret = (enrolment.body as { secret: string }).secret;
    this.nextStep();
    const confirmed = await request(this.http)
      .post('/api/v1/Mfa/Enroll/Confirm')
      .auth(preAuth, { type: 'bearer' })
      .send({ code: await this.code(secret) })
      .expect(200);
    const body = confirmed.body as { token: string; recoveryCodes: string[] };
    const me = await this.accountByName(userName);
    return {
      id: me.id,
      userName,
      password,
      secret,
      token: body.token,
      recoveryCodes: body.recoveryCodes,
    };
  }

  /** Sign-in of an enrolled account: password, then the current code. */
  async signIn(userName: string, password: string, secret: string): Promise<string> {
    const preAuth = await this.preAuth(userName, password);
    this.nextStep();
    const res = await request(this.http)
      .post('/signin2fa')
      .auth(preAuth, { type: 'bearer' })
      .send(JSON.stringify(await this.code(secret)))
      .set('Content-Type', 'application/json')
      .expect(200);
    return res.body as string;
  }

  async enrolledAdmin(): Promise<SignedIn> {
    return this.enroll('admin', ADMIN_PASSWORD);
  }

  /** Creates an account through the API as the given administrator. */
  async createAccount(
    adminToken: string,
    userName: string,
    roles: string[] = ['User'],
    password = `${userName}-Password-1!`,
  ) {
    const res = await request(this.http)
      .post('/api/v1/ManagedAccount')
      .auth(adminToken, { type: 'bearer' })
      .send({ userName, displayName: userName, email: `${userName}@example.com`, password, roles })
      .expect(201);
    return { ...(res.body as { id: string; userName: string }), password };
  }

  async accountByName(userName: string): Promise<{ id: string }> {
    const rows = await this.sql<{ id: string }>(
      'SELECT id FROM accounts WHERE user_name_normalized = ?',
      [userName.toLowerCase()],
    );
    return rows[0];
  }
}

/** The one "request completed" log line of the request with this trace id. */
export function requestLine(t: TestApp, traceId: string): Promise<Record<string, unknown>> {
  return waitFor(
    () => t.logLines.find((l) => l.traceId === traceId && l.msg === 'request completed'),
    `the log line of ${traceId}`,
  );
}
