"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const typeorm_1 = require("typeorm");
const write_queue_1 = require("./write-queue");
/** A PostgreSQL failure as TypeORM throws it: the driver's error, with its SQLSTATE, inside. */
function failure(code) {
    return new typeorm_1.QueryFailedError('UPDATE accounts ...', [], Object.assign(new Error(code), { code }));
}
/** A PostgreSQL data source whose transactions fail with the given errors first, then succeed. */
function postgresFailing(...errors) {
    let attempts = 0;
    const manager = {};
    const dataSource = {
        options: { type: 'postgres' },
        transaction: async (work) => {
            const error = errors[attempts++];
            if (error !== undefined)
                throw error;
            return work(manager);
        },
    };
    return { dataSource, attempts: () => attempts };
}
(0, node_test_1.describe)('WriteQueue on PostgreSQL', () => {
    for (const [code, name] of [
        ['40P01', 'deadlock_detected'],
        ['40001', 'serialization_failure'],
    ]) {
        (0, node_test_1.it)(`runs the work again after ${code} (${name}) and answers its result`, async () => {
            const { dataSource, attempts } = postgresFailing(failure(code), failure(code));
            const runner = new write_queue_1.WriteQueue(dataSource);
            strict_1.default.equal(await runner.run(() => Promise.resolve('done')), 'done');
            strict_1.default.equal(attempts(), 3);
        });
    }
    (0, node_test_1.it)('reads the code from a bare driver error too', async () => {
        const { dataSource, attempts } = postgresFailing(Object.assign(new Error('deadlock'), { code: '40P01' }));
        strict_1.default.equal(await new write_queue_1.WriteQueue(dataSource).run(() => Promise.resolve(1)), 1);
        strict_1.default.equal(attempts(), 2);
    });
    for (const [code, name] of [
        ['23505', 'unique_violation'],
        ['57014', 'query_canceled'],
        ['08006', 'connection_failure'],
    ]) {
        (0, node_test_1.it)(`does not run the work again after ${code} (${name})`, async () => {
            const error = failure(code);
            const { dataSource, attempts } = postgresFailing(error);
            await strict_1.default.rejects(new write_queue_1.WriteQueue(dataSource).run(() => Promise.resolve('done')), (thrown) => thrown === error);
            strict_1.default.equal(attempts(), 1);
        });
    }
    (0, node_test_1.it)('does not run the work again after an error without a code', async () => {
        const error = new Error('boom');
        const { dataSource, attempts } = postgresFailing(error);
        await strict_1.default.rejects(new write_queue_1.WriteQueue(dataSource).run(() => Promise.resolve('done')), (thrown) => thrown === error);
        strict_1.default.equal(attempts(), 1);
    });
    (0, node_test_1.it)('gives up after six attempts and throws the last failure', async () => {
        const errors = Array.from({ length: 10 }, () => failure('40P01'));
        const { dataSource, attempts } = postgresFailing(...errors);
        await strict_1.default.rejects(new write_queue_1.WriteQueue(dataSource).run(() => Promise.resolve('done')), (thrown) => thrown === errors[5]);
        strict_1.default.equal(attempts(), 6);
    });
});
//# sourceMappingURL=write-queue.spec.js.map