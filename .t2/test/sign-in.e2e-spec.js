"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const test_app_1 = require("./support/test-app");
(0, node_test_1.describe)('two-step sign-in', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('answers a bare JSON string pre-auth token of kind mfa for an enrolled account', async () => {
        const res = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: 'admin', Password: test_app_1.ADMIN_PASSWORD })
            .expect(200);
        strict_1.default.match(res.headers['content-type'], /^application\/json/);
        strict_1.default.equal(typeof res.body, 'string');
        const payload = JSON.parse(Buffer.from(res.body.split('.')[1], 'base64url').toString());
        strict_1.default.equal(payload.typ, 'mfa');
        strict_1.default.equal(payload.sub, admin.id);
    });
    (0, node_test_1.it)('refuses an unknown user and a wrong password with the same answer', async () => {
        const unknown = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: 'nobody', Password: 'whatever-password' })
            .expect(401);
        const wrong = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: 'admin', Password: 'wrong-password!!' })
            .expect(401);
        strict_1.default.equal(unknown.body.detail, wrong.body.detail);
        strict_1.default.equal(unknown.body.title, wrong.body.title);
        strict_1.default.equal(unknown.headers['www-authenticate'], 'Bearer');
        strict_1.default.match(unknown.headers['content-type'], /^application\/problem\+json/);
    });
    (0, node_test_1.it)('reads the body PowerShell sends: JSON under the form content type, property names in any case', async () => {
        const res = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .set('Content-Type', 'application/x-www-form-urlencoded')
            .send(JSON.stringify({ LOGIN: 'ADMIN', password: test_app_1.ADMIN_PASSWORD }))
            .expect(200);
        strict_1.default.equal(typeof res.body, 'string');
    });
    (0, node_test_1.it)('completes with the code and answers an access token that works', async () => {
        const token = await t.signIn('admin', test_app_1.ADMIN_PASSWORD, admin.secret);
        await (0, supertest_1.default)(t.http).get('/api/v1/Mfa').auth(token, { type: 'bearer' }).expect(200);
    });
});
//# sourceMappingURL=sign-in.e2e-spec.js.map