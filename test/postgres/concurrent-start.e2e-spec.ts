import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { AuditAction } from '../../src/audit/audit-action';
import { MIGRATIONS } from '../../src/database/migrations';
import { PostgresTestDatabase } from '../support/test-database';
import { TestApp } from '../support/test-app';

/** Instances started together on an empty database: one migrates, the others wait for it. */
describe('three instances starting at once on an empty PostgreSQL database', () => {
  let database: PostgresTestDatabase;
  let apps: TestApp[] = [];

  before(async () => {
    database = await PostgresTestDatabase.create();
  });
  after(async () => {
    for (const app of apps) await app.close();
    await database.drop();
  });

  it('all start, with the schema migrated once and one bootstrap admin', async () => {
    const env = {
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString('base64url'),
      MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    };
    const started = await Promise.allSettled([
      TestApp.start(env),
      TestApp.start(env),
      TestApp.start(env),
    ]);
    apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    assert.deepEqual(
      started.map((s) => (s.status === 'fulfilled' ? 'started' : String(s.reason))),
      ['started', 'started', 'started'],
    );

    const migrations = await apps[0].sql<{ name: string; n: string }>(
      'SELECT name, COUNT(*) AS n FROM schema_migrations GROUP BY name',
    );
    assert.deepEqual(
      migrations.map((m) => `${m.name} x${m.n}`).sort(),
      MIGRATIONS.map((m) => `${m.name} x1`).sort(),
    );
    const admins = await apps[0].sql<{ n: string }>(
      "SELECT COUNT(*) AS n FROM accounts WHERE user_name_normalized = 'admin'",
    );
    assert.equal(Number(admins[0].n), 1);
    const accounts = await apps[0].sql<{ n: string }>('SELECT COUNT(*) AS n FROM accounts');
    assert.equal(Number(accounts[0].n), 1);
    const created = await apps[0].sql<{ n: string }>(
      'SELECT COUNT(*) AS n FROM audit_events WHERE action = ?',
      [AuditAction.BootstrapAdminCreated],
    );
    assert.equal(Number(created[0].n), 1);
    for (const app of apps) await request(app.http).get('/health/ready').expect(200);
  });
});
