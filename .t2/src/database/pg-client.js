"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TimeoutDiscardingClient = exports.QUERY_TIMEOUT_MESSAGE = void 0;
const pg_1 = require("pg");
/** The message node-postgres rejects a query with when its `query_timeout` passes. */
exports.QUERY_TIMEOUT_MESSAGE = 'Query read timeout';
function isQueryTimeout(error) {
    return error instanceof Error && error.message === exports.QUERY_TIMEOUT_MESSAGE;
}
/**
 * The pool's client. When node-postgres gives up on a query (`query_timeout`), it answers the
 * caller but keeps the connection, still waiting for that answer: the pool would hand the client
 * out again, and after a partition whose connections never come back every query on it would
 * time out too, and a transaction's ROLLBACK would wait behind the lost query. This client closes
 * its connection at once instead: the pool then drops it and opens a fresh one when next needed.
 */
class TimeoutDiscardingClient extends pg_1.Client {
    constructor(config) {
        super(config);
        const query = pg_1.Client.prototype.query.bind(this);
        const discard = (error) => {
            if (isQueryTimeout(error))
                this.end().catch(() => { });
        };
        const guarded = (...args) => {
            const last = args.length - 1;
            const callback = args[last];
            if (typeof callback === 'function') {
                args[last] = (error, result) => {
                    discard(error);
                    callback(error, result);
                };
                return query(...args);
            }
            const result = query(...args);
            if (result instanceof Promise)
                return result.catch((error) => {
                    discard(error);
                    throw error;
                });
            return result;
        };
        this.query = guarded;
    }
}
exports.TimeoutDiscardingClient = TimeoutDiscardingClient;
//# sourceMappingURL=pg-client.js.map