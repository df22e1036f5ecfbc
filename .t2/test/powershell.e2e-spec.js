"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_http_1 = require("node:http");
const node_test_1 = require("node:test");
const raw_http_1 = require("./support/raw-http");
const test_app_1 = require("./support/test-app");
/**
 * What Invoke-RestMethod sends (TOOLCHAIN.md): `-Body <string>` without `-ContentType` goes as
 * application/x-www-form-urlencoded; Windows PowerShell 5.1 adds `Expect: 100-continue` and
 * `Connection: Keep-Alive`; no Accept header; a bodiless PUT sends Content-Length: 0 and no type.
 */
const CLIENTS = {
    'Windows PowerShell 5.1': {
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) WindowsPowerShell/5.1.19041.4648',
        extra: { Expect: '100-continue', Connection: 'Keep-Alive' },
        // ConvertTo-Json of a hashtable in 5.1: four-space indent, two spaces after the colon.
        loginJson: (login, password) => `{\r\n    "Password":  ${JSON.stringify(password)},\r\n    "Login":  ${JSON.stringify(login)}\r\n}`,
    },
    'PowerShell 7.4': {
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.22631; en-US) PowerShell/7.4.6',
        extra: {},
        loginJson: (login, password) => `{\n  "Login": ${JSON.stringify(login)},\n  "Password": ${JSON.stringify(password)}\n}`,
    },
};
function formHeaders(client, body, bearer) {
    return {
        'User-Agent': client.userAgent,
        'Content-Type': 'application/x-www-form-urlencoded',
        'Content-Length': String(Buffer.byteLength(body)),
        ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
        ...client.extra,
    };
}
for (const [name, client] of Object.entries(CLIENTS)) {
    (0, node_test_1.describe)(`the NPS sample's requests as ${name} sends them`, () => {
        let t;
        let port;
        let admin;
        let target;
        const agent = new node_http_1.Agent({ keepAlive: true });
        (0, node_test_1.before)(async () => {
            t = await test_app_1.TestApp.start();
            admin = await t.enrolledAdmin();
            target = await t.createAccount(admin.token, 'lost-phone');
            await t.enroll('lost-phone', 'lost-phone-Password-1!');
            await t.app.listen(0, '127.0.0.1');
            port = t.app.getHttpServer().address().port;
        });
        (0, node_test_1.after)(async () => {
            agent.destroy();
            await t.close();
        });
        async function signIn() {
            const loginBody = client.loginJson('admin', test_app_1.ADMIN_PASSWORD);
            const first = await (0, raw_http_1.rawRequest)(port, 'POST', '/signinBody', formHeaders(client, loginBody), loginBody, agent);
            strict_1.default.equal(first.status, 200, first.text);
            if (client.extra.Expect)
                strict_1.default.equal(first.continued, true, 'the server answered 100 Continue');
            const preAuth = JSON.parse(first.text);
            strict_1.default.equal(typeof preAuth, 'string', 'Invoke-RestMethod turns a JSON string into a plain string');
            t.nextStep();
            const code = await t.code(admin.secret);
            const second = await (0, raw_http_1.rawRequest)(port, 'POST', '/signin2fa', formHeaders(client, code, preAuth), code, agent);
            strict_1.default.equal(second.status, 200, second.text);
            strict_1.default.match(String(second.headers['content-type']), /^application\/json/);
            return JSON.parse(second.text);
        }
        (0, node_test_1.it)('signs in with ConvertTo-Json $Login and the bare code, both under the form content type', async () => {
            const token = await signIn();
            strict_1.default.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
        });
        (0, node_test_1.it)('resets MFA with a bodiless PUT carrying only the bearer token', async () => {
            const token = await signIn();
            const res = await (0, raw_http_1.rawRequest)(port, 'PUT', `/api/v1/ManagedAccount/ResetMFA/${target.id}`, {
                'User-Agent': client.userAgent,
                Authorization: `Bearer ${token}`,
                'Content-Length': '0',
                ...client.extra,
            }, undefined, agent);
            strict_1.default.equal(res.status, 200, res.text);
            const body = JSON.parse(res.text);
            strict_1.default.equal(body.id, target.id);
            strict_1.default.equal(body.userName, 'lost-phone');
        });
        (0, node_test_1.it)('resets a CSV batch with ConvertTo-Json -InputObject @{ ids = ... } under the form content type', async () => {
            const token = await signIn();
            const body = JSON.stringify({ ids: [target.id, admin.id] });
            const res = await (0, raw_http_1.rawRequest)(port, 'PUT', '/api/v1/ManagedAccount/ResetMFA', formHeaders(client, body, token), body, agent);
            strict_1.default.equal(res.status, 200, res.text);
            strict_1.default.deepEqual(JSON.parse(res.text).userids, [
                target.id,
                admin.id,
            ]);
            // The admin reset itself: its own session survives, its MFA is off, so enrol again for later tests.
            const again = await (0, raw_http_1.rawRequest)(port, 'PUT', `/api/v1/ManagedAccount/ResetMFA/${target.id}`, { Authorization: `Bearer ${token}`, 'Content-Length': '0' }, undefined, agent);
            strict_1.default.equal(again.status, 200, again.text);
            admin = await t.enrolledAdmin();
        });
        (0, node_test_1.it)('answers errors with a Content-Length and charset, so $_.ErrorDetails.Message is filled', async () => {
            const token = await signIn();
            const res = await (0, raw_http_1.rawRequest)(port, 'PUT', '/api/v1/ManagedAccount/ResetMFA/not-a-guid', {
                'User-Agent': client.userAgent,
                Authorization: `Bearer ${token}`,
                'Content-Length': '0',
                ...client.extra,
            }, undefined, agent);
            strict_1.default.equal(res.status, 400);
            strict_1.default.equal(res.headers['transfer-encoding'], undefined);
            strict_1.default.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text));
            strict_1.default.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
            const problem = JSON.parse(res.text);
            strict_1.default.ok(problem.errors.id);
        });
        (0, node_test_1.it)('answers a wrong password with 401 problem details the script can show', async () => {
            const loginBody = client.loginJson('admin', 'not-the-password');
            const res = await (0, raw_http_1.rawRequest)(port, 'POST', '/signinBody', formHeaders(client, loginBody), loginBody, agent);
            strict_1.default.equal(res.status, 401);
            strict_1.default.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text));
            strict_1.default.equal(JSON.parse(res.text).status, 401);
        });
    });
}
(0, node_test_1.describe)('a password beyond ASCII, in the encodings PowerShell sends a string -Body in', () => {
    const password = 'Pässwörd-für-Zürich-1';
    let t;
    let port;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        const admin = await t.enrolledAdmin();
        await t.createAccount(admin.token, 'umlaut', ['User'], password);
        await t.app.listen(0, '127.0.0.1');
        port = t.app.getHttpServer().address().port;
    });
    (0, node_test_1.after)(() => t.close());
    const cases = [
        // Windows PowerShell 5.1 (and PowerShell before 7.4): ISO-8859-1 when no charset is given.
        { client: 'Windows PowerShell 5.1', encoding: 'latin1' },
        { client: 'PowerShell 7.4', encoding: 'utf8' },
    ];
    for (const { client, encoding } of cases) {
        (0, node_test_1.it)(`signs in as ${client} sends it (${encoding} bytes, form content type, no charset)`, async () => {
            const json = CLIENTS[client].loginJson('umlaut', password);
            const bytes = Buffer.from(json, encoding);
            const res = await (0, raw_http_1.rawRequest)(port, 'POST', '/signinBody', { ...formHeaders(CLIENTS[client], json), 'Content-Length': String(bytes.length) }, bytes);
            strict_1.default.equal(res.status, 200, res.text);
        });
    }
    (0, node_test_1.it)('refuses JSON that is not UTF-8: RFC 8259 allows no other encoding', async () => {
        const bytes = Buffer.from(JSON.stringify({ Login: 'umlaut', Password: password }), 'latin1');
        const res = await (0, raw_http_1.rawRequest)(port, 'POST', '/signinBody', { 'Content-Type': 'application/json', 'Content-Length': String(bytes.length) }, bytes);
        strict_1.default.equal(res.status, 400, res.text);
    });
    (0, node_test_1.it)('reads a declared charset, and answers 415 for one it does not know', async () => {
        const json = JSON.stringify({ Login: 'umlaut', Password: password });
        const latin1 = Buffer.from(json, 'latin1');
        const declared = await (0, raw_http_1.rawRequest)(port, 'POST', '/signinBody', {
            'Content-Type': 'application/json; charset=iso-8859-1',
            'Content-Length': String(latin1.length),
        }, latin1);
        strict_1.default.equal(declared.status, 200, declared.text);
        const unknown = await (0, raw_http_1.rawRequest)(port, 'POST', '/signinBody', {
            'Content-Type': 'application/json; charset=klingon',
            'Content-Length': String(latin1.length),
        }, latin1);
        strict_1.default.equal(unknown.status, 415, unknown.text);
    });
});
//# sourceMappingURL=powershell.e2e-spec.js.map