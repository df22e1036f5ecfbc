"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const reset_helpers_1 = require("./support/reset-helpers");
const test_app_1 = require("./support/test-app");
const MALFORMED = '{"ids": [';
/** A batch reset with a body as raw bytes of some content type. */
function rawBatch(t, token, contentType, body) {
    const req = (0, supertest_1.default)(t.http).put(reset_helpers_1.RESET).set('Content-Type', contentType);
    if (token !== undefined)
        req.auth(token, { type: 'bearer' });
    return req.send(body);
}
(0, node_test_1.describe)('the order of refusals: 401, 403, step-up, then the body (API.md)', () => {
    let t;
    let admin;
    let user;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('order-user'));
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('answers 401, not 400, to malformed JSON without a token', async () => {
        const res = await rawBatch(t, undefined, 'application/json', MALFORMED);
        (0, reset_helpers_1.problemOf)(res, 401);
        strict_1.default.equal(res.headers['www-authenticate'], 'Bearer');
    });
    (0, node_test_1.it)('answers 401, not 415, to an XML body without a token', async () => {
        (0, reset_helpers_1.problemOf)(await rawBatch(t, undefined, 'application/xml', '<ids/>'), 401);
    });
    (0, node_test_1.it)('answers 401, not 400, to a body that is not UTF-8 with a garbage token', async () => {
        const res = await (0, supertest_1.default)(t.http)
            .put(reset_helpers_1.RESET)
            .auth('not-a-token', { type: 'bearer' })
            .set('Content-Type', 'application/json')
            .send(Buffer.from([0x5b, 0xff, 0xfe, 0x5d]));
        (0, reset_helpers_1.problemOf)(res, 401);
    });
    (0, node_test_1.it)('answers 401, not 415, to a Content-Type that is no media type, without a token', async () => {
        (0, reset_helpers_1.problemOf)(await rawBatch(t, undefined, 'json', '[]'), 401);
    });
    (0, node_test_1.it)('answers 415 to a Content-Type that is no media type once token, permission and step-up pass', async () => {
        const token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        (0, reset_helpers_1.problemOf)(await rawBatch(t, token, 'json', '[]'), 415);
    });
    (0, node_test_1.it)('answers 403, not 400, to malformed JSON from an account without the permission', async () => {
        const body = (0, reset_helpers_1.problemOf)(await rawBatch(t, user.token, 'application/json', MALFORMED), 403);
        strict_1.default.equal(body.errorType, 'error-not-allowed');
    });
    (0, node_test_1.it)('answers 400 validation to malformed JSON once token, permission and step-up pass', async () => {
        const token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        (0, reset_helpers_1.validationProblemOf)(await rawBatch(t, token, 'application/json', MALFORMED), '$');
    });
    (0, node_test_1.it)('answers 415 to an XML body once token, permission and step-up pass', async () => {
        const token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        (0, reset_helpers_1.problemOf)(await rawBatch(t, token, 'application/xml', '<ids/>'), 415);
    });
});
(0, node_test_1.describe)('step-up before the body (STEP_UP_MAX_AGE=0)', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ STEP_UP_MAX_AGE: '0' });
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('answers 400 totp-required, not a validation problem, to malformed JSON without a code', async () => {
        const body = (0, reset_helpers_1.problemOf)(await rawBatch(t, admin.token, 'application/json', MALFORMED), 400);
        strict_1.default.equal(body.errorType, 'totp-required');
        strict_1.default.equal(body.errors, undefined);
    });
});
(0, node_test_1.describe)('the batch limit counts accounts, not entries', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('names at most 200 entries that are not uuids, however many there are', async () => {
        const token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const res = await (0, reset_helpers_1.resetBatch)(t, token, Array.from({ length: 5000 }, () => 0));
        const problem = (0, reset_helpers_1.validationProblemOf)(res, 'ids[0]');
        strict_1.default.equal(Object.keys(problem.errors ?? {}).length, 200);
    });
    (0, node_test_1.it)('resets one account named 1001 times (in both letter cases) as one', async () => {
        const token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const target = await t.createAccount(token, (0, reset_helpers_1.uniqueName)('folded'));
        const ids = Array.from({ length: 1001 }, (_, i) => i % 2 === 0 ? target.id : target.id.toUpperCase());
        const res = await (0, reset_helpers_1.resetBatch)(t, token, ids, { code: await (0, reset_helpers_1.freshCode)(t, admin.secret) });
        strict_1.default.equal(res.status, 200, res.text);
        strict_1.default.deepEqual(res.body, { userids: [target.id] });
    });
});
//# sourceMappingURL=refusal-order.e2e-spec.js.map