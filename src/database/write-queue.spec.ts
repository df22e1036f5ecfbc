import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { WriteQueue } from './write-queue';

/** A PostgreSQL failure as TypeORM throws it: the driver's error, with its SQLSTATE, inside. */
function failure(code: string): QueryFailedError {
  return new QueryFailedError('UPDATE accounts ...', [], Object.assign(new Error(code), { code }));
}

/** A PostgreSQL data source whose transactions fail with the given errors first, then succeed. */
function postgresFailing(...errors: Error[]): { dataSource: DataSource; attempts: () => number } {
  let attempts = 0;
  const manager = {} as EntityManager;
  const dataSource = {
    options: { type: 'postgres' },
    isInitialized: true,
    transaction: async <T>(work: (m: EntityManager) => Promise<T>): Promise<T> => {
      const error = errors[attempts++];
      if (error !== undefined) throw error;
      return work(manager);
    },
  } as unknown as DataSource;
  return { dataSource, attempts: () => attempts };
}

describe('WriteQueue on PostgreSQL', () => {
  for (const [code, name] of [
    ['40P01', 'deadlock_detected'],
    ['40001', 'serialization_failure'],
  ] as const) {
    it(`runs the work again after ${code} (${name}) and answers its result`, async () => {
      const { dataSource, attempts } = postgresFailing(failure(code), failure(code));
      const runner = new WriteQueue(dataSource);
      assert.equal(await runner.run(() => Promise.resolve('done')), 'done');
      assert.equal(attempts(), 3);
    });
  }

  it('reads the code from a bare driver error too', async () => {
    const { dataSource, attempts } = postgresFailing(
      Object.assign(new Error('deadlock'), { code: '40P01' }),
    );
    assert.equal(await new WriteQueue(dataSource).run(() => Promise.resolve(1)), 1);
    assert.equal(attempts(), 2);
  });

  for (const [code, name] of [
    ['23505', 'unique_violation'],
    ['57014', 'query_canceled'],
    ['08006', 'connection_failure'],
  ] as const) {
    it(`does not run the work again after ${code} (${name})`, async () => {
      const error = failure(code);
      const { dataSource, attempts } = postgresFailing(error);
      await assert.rejects(
        new WriteQueue(dataSource).run(() => Promise.resolve('done')),
        (thrown) => thrown === error,
      );
      assert.equal(attempts(), 1);
    });
  }

  it('does not run the work again after an error without a code', async () => {
    const error = new Error('boom');
    const { dataSource, attempts } = postgresFailing(error);
    await assert.rejects(
      new WriteQueue(dataSource).run(() => Promise.resolve('done')),
      (thrown) => thrown === error,
    );
    assert.equal(attempts(), 1);
  });

  it('gives up after six attempts and throws the last failure', async () => {
    const errors = Array.from({ length: 10 }, () => failure('40P01'));
    const { dataSource, attempts } = postgresFailing(...errors);
    await assert.rejects(
      new WriteQueue(dataSource).run(() => Promise.resolve('done')),
      (thrown) => thrown === errors[5],
    );
    assert.equal(attempts(), 6);
  });
});

describe('WriteQueue with the connection closed', () => {
  it('refuses at once, without running the work', async () => {
    let ran = false;
    const closed = { options: { type: 'sqlite' }, isInitialized: false } as unknown as DataSource;
    await assert.rejects(
      new WriteQueue(closed).run(() => {
        ran = true;
        return Promise.resolve(1);
      }),
      /connection is closed/,
    );
    assert.equal(ran, false);
  });
});
