import { Client, ClientConfig } from 'pg';

/** The message node-postgres rejects a query with when its `query_timeout` passes. */
export const QUERY_TIMEOUT_MESSAGE = 'Query read timeout';

type QueryCallback = (error: Error | null | undefined, result?: unknown) => void;
type AnyQuery = (...args: unknown[]) => unknown;

function isQueryTimeout(error: unknown): boolean {
  return error instanceof Error && error.message === QUERY_TIMEOUT_MESSAGE;
}

/**
 * The pool's client. When node-postgres gives up on a query (`query_timeout`), it answers the
 * caller but keeps the connection, still waiting for that answer: the pool would hand the client
 * out again, and after a partition whose connections never come back every query on it would
 * time out too, and a transaction's ROLLBACK would wait behind the lost query. This client closes
 * its connection at once instead: the pool then drops it and opens a fresh one when next needed.
 */
export class TimeoutDiscardingClient extends Client {
  constructor(config?: string | ClientConfig) {
    super(config);
    const query = (Client.prototype.query as unknown as AnyQuery).bind(this);
    const discard = (error: unknown): void => {
      if (isQueryTimeout(error)) this.end().catch(() => {});
    };
    const guarded: AnyQuery = (...args) => {
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (error: Error | null | undefined, result?: unknown) => {
          discard(error);
          (callback as QueryCallback)(error, result);
        };
        return query(...args);
      }
      const result = query(...args);
      if (result instanceof Promise)
        return result.catch((error: unknown) => {
          discard(error);
          throw error;
        });
      return result;
    };
    this.query = guarded as unknown as Client['query'];
  }
}
