import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QueryResult } from 'pg';
import { QUERY_TIMEOUT_MESSAGE, TimeoutDiscardingClient } from '../../src/database/pg-client';
import { postgresServerUrl } from '../support/test-database';

async function connected(): Promise<TimeoutDiscardingClient> {
  const client = new TimeoutDiscardingClient({
    connectionString: postgresServerUrl(),
    query_timeout: 200,
  });
  await client.connect();
  return client;
}

/** The pool's client gives up its connection when a query times out, and only then. */
describe('TimeoutDiscardingClient', () => {
  it('answers queries as node-postgres does, in both call styles', async () => {
    const client = await connected();
    try {
      const viaPromise = await client.query<{ n: number }>('SELECT $1::int AS n', [7]);
      assert.equal(viaPromise.rows[0].n, 7);
      const viaCallback = await new Promise<QueryResult<{ n: number }>>((resolve, reject) =>
        client.query<{ n: number }>('SELECT 8 AS n', (error, result) =>
          error ? reject(error) : resolve(result),
        ),
      );
      assert.equal(viaCallback.rows[0].n, 8);
      // A server-side error leaves the connection usable.
      await assert.rejects(client.query('SELECT 1/0'), /division by zero/);
      assert.equal((await client.query<{ n: number }>('SELECT 9 AS n')).rows[0].n, 9);
    } finally {
      await client.end();
    }
  });

  it('closes its connection when a query times out (promise)', async () => {
    const client = await connected();
    const ended = new Promise((resolve) => client.once('end', resolve));
    await assert.rejects(client.query('SELECT pg_sleep(2)'), { message: QUERY_TIMEOUT_MESSAGE });
    await ended;
    await assert.rejects(client.query('SELECT 1'), /not queryable/);
  });

  it('closes its connection when a query times out (callback)', async () => {
    const client = await connected();
    const ended = new Promise((resolve) => client.once('end', resolve));
    const error = await new Promise<Error>((resolve) =>
      client.query('SELECT pg_sleep(2)', (e) => resolve(e)),
    );
    assert.equal(error.message, QUERY_TIMEOUT_MESSAGE);
    await ended;
  });
});
