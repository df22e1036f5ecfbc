import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Type } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { principalOfSession } from '../../src/auth/jwt.strategy';
import type { Principal } from '../../src/common/auth/principal';
import type { RequestContext } from '../../src/common/http/request-context';
import { createLogger } from '../../src/common/logging/logger';
import { createHttpMetrics } from '../../src/common/logging/request-logging';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { SessionsRepository } from '../../src/sessions/sessions.repository';
import { FakeClock } from './fake-clock';
import { ADMIN_PASSWORD, type SignedIn } from './test-app';
import { PostgresTestDatabase, testDatabaseKind } from './test-database';

/** The request facts a service call records in the audit log. */
export const TEST_REQUEST: RequestContext = {
  traceId: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00',
  clientIp: '127.0.0.1',
  userAgent: 'service-test',
};

/**
 * The app's modules without HTTP, on a real database (a fresh SQLite file, or a fresh PostgreSQL
 * database with TEST_DATABASE=postgres): for testing the rules through the services themselves.
 */
export class ServiceContext {
  private constructor(
    readonly app: TestingModule,
    readonly config: AppConfig,
    readonly clock: FakeClock,
    private readonly dir: string,
    private readonly ownDatabase: PostgresTestDatabase | undefined,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<ServiceContext> {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-admin-service-'));
    const ownDatabase =
      testDatabaseKind() === 'postgres' ? await PostgresTestDatabase.create() : undefined;
    const config = loadConfig({
      DATA_DIR: dir,
      ...(ownDatabase ? { DATABASE_URL: ownDatabase.url } : {}),
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...env,
    });
    const clock = new FakeClock();
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    const logger = createLogger('warn', quiet);
    const app = await Test.createTestingModule({
      imports: [AppModule.forRoot(config, logger, createHttpMetrics(), clock)],
    }).compile();
    await app.init();
    return new ServiceContext(app, config, clock, dir, ownDatabase);
  }

  get<T>(type: Type<T>): T {
    return this.app.get(type);
  }

  /** The caller as the guards would establish it from this account's token. */
  async principalOf(account: SignedIn): Promise<Principal> {
    const [, payload] = account.token.split('.');
    const { sid } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      sid: string;
    };
    const session = await this.get(SessionsRepository).findForCheck(sid);
    if (!session) throw new Error(`no session ${sid}`);
    return principalOfSession(session);
  }

  async close(): Promise<void> {
    await this.app.close();
    rmSync(this.dir, { recursive: true, force: true });
    await this.ownDatabase?.drop();
  }
}
