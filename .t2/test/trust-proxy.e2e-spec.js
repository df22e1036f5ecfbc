"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const test_app_1 = require("./support/test-app");
/** The client address the audit log kept for the newest failed sign-in. */
async function lastSignInFailureIp(t) {
    const rows = await t.sql("SELECT client_ip FROM audit_events WHERE action = 'sign-in.failed' ORDER BY seq DESC LIMIT 1");
    strict_1.default.equal(rows.length, 1, 'a failed sign-in is audited');
    return rows[0].client_ip;
}
function failedSignIn(t, forwardedFor) {
    return (0, supertest_1.default)(t.http)
        .post('/signinBody')
        .set('X-Forwarded-For', forwardedFor)
        .send({ Login: 'admin', Password: 'wrong-password-123' })
        .expect(401);
}
for (const [trustProxy, believed] of [
    ['loopback', true],
    ['10.9.8.7', false],
    ['off', false],
]) {
    (0, node_test_1.describe)(`X-Forwarded-For with TRUST_PROXY=${trustProxy}`, () => {
        let t;
        (0, node_test_1.before)(async () => {
            t = await test_app_1.TestApp.start({ TRUST_PROXY: trustProxy });
        });
        (0, node_test_1.after)(() => t.close());
        (0, node_test_1.it)(believed
            ? 'is believed from a trusted proxy: the audit log keeps the forwarded address'
            : 'is not believed from an address that is not a trusted proxy', async () => {
            await failedSignIn(t, '203.0.113.7');
            const ip = await lastSignInFailureIp(t);
            if (believed)
                strict_1.default.equal(ip, '203.0.113.7');
            else
                strict_1.default.match(String(ip), /^(::ffff:)?127\.0\.0\.1$|^::1$/);
        });
    });
}
//# sourceMappingURL=trust-proxy.e2e-spec.js.map