"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const test_app_1 = require("../support/test-app");
const RESET = '/api/v1/ManagedAccount/ResetMFA';
const QUEUED = /already executing a query/;
// node --test runs each file in a process of its own, so pg's once-per-process deprecation
// warning is still unsaid when this file starts.
(0, node_test_1.describe)('PostgreSQL: a transaction sends its statements one after another', () => {
    const queued = [];
    const onWarning = (warning) => {
        if (QUEUED.test(warning.message))
            queued.push(warning.message);
    };
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        process.on('warning', onWarning);
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(async () => {
        process.off('warning', onWarning);
        await t.close();
    });
    (0, node_test_1.it)('resets by id, in a batch and of oneself without pg queueing a query behind another', async () => {
        const one = await t.createAccount(admin.token, 'order-one');
        const two = await t.createAccount(admin.token, 'order-two');
        const three = await t.createAccount(admin.token, 'order-three');
        await t.signIn('admin', admin.password, admin.secret);
        const auth = { type: 'bearer' };
        await (0, supertest_1.default)(t.http).put(`${RESET}/${one.id}`).auth(admin.token, auth).expect(200);
        await (0, supertest_1.default)(t.http)
            .put(RESET)
            .auth(admin.token, auth)
            .send({ ids: [two.id, three.id] })
            .expect(200);
        const self = await (0, supertest_1.default)(t.http)
            .put(`${RESET}/${admin.id}`)
            .auth(admin.token, auth)
            .expect(200);
        strict_1.default.equal(self.body.sessionsRevoked, 1, 'the other session ended, the caller kept its own');
        await new Promise((resolve) => setImmediate(resolve));
        strict_1.default.deepEqual(queued, []);
    });
});
//# sourceMappingURL=statement-order.e2e-spec.js.map