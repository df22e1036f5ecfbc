import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export type TestDatabaseKind = 'sqlite' | 'postgres';

/** Which database this test run uses: TEST_DATABASE=postgres, or SQLite by default. */
export function testDatabaseKind(): TestDatabaseKind {
  return process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
}

/** The server the PostgreSQL runs use (trust auth on the project's machines). */
export function postgresServerUrl(): string {
  return process.env.TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/postgres';
}

async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: postgresServerUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A PostgreSQL database of its own for one test app (or a group of instances), dropped afterwards. */
export class PostgresTestDatabase {
  private constructor(readonly name: string) {}

  static async create(): Promise<PostgresTestDatabase> {
    const name = `mfa_test_${randomBytes(6).toString('hex')}`;
    await withAdminClient((c) => c.query(`CREATE DATABASE ${name}`));
    return new PostgresTestDatabase(name);
  }

  get url(): string {
    const url = new URL(postgresServerUrl());
    url.pathname = `/${this.name}`;
    return url.toString();
  }

  async drop(): Promise<void> {
    await withAdminClient((c) => c.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }
}

/** A database that outlives one app: a fresh PostgreSQL database, or a SQLite file in a temporary folder. */
export async function lastingDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (testDatabaseKind() === 'postgres') {
    const database = await PostgresTestDatabase.create();
    return { url: database.url, drop: () => database.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mfa-admin-lasting-'));
  return {
    url: `sqlite:${join(dir, 'mfa-admin.sqlite')}`,
    drop: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}
