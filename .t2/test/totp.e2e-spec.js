"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const reset_helpers_1 = require("./support/reset-helpers");
const test_app_1 = require("./support/test-app");
const totp_1 = require("./support/totp");
/** POST /signin2fa with this pre-auth token and a body written exactly as given. */
function secondStep(t, preAuth, body, contentType) {
    const req = (0, supertest_1.default)(t.http).post('/signin2fa').auth(preAuth, { type: 'bearer' });
    if (contentType !== undefined)
        req.set('Content-Type', contentType);
    return req.send(body);
}
const json = (value) => JSON.stringify(value);
/** Asserts the 401 totp-invalid answer of a refused second step. */
function assertCodeRefused(res, what) {
    strict_1.default.equal(res.status, 401, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
    strict_1.default.equal((0, reset_helpers_1.problemOf)(res, 401).errorType, 'totp-invalid', what);
}
/** Asserts a 200 bare-string access token that opens an endpoint. */
async function assertSignedIn(t, res, what) {
    strict_1.default.equal(res.status, 200, `${what}: ${res.status} ${res.text.slice(0, 300)}`);
    strict_1.default.equal(typeof res.body, 'string', what);
    const token = res.body;
    strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, token), 200, `${what}: the access token works`);
    return token;
}
async function storedCount(t, id) {
    const rows = await t.sql('SELECT failed_attempts FROM accounts WHERE id = ?', [id]);
    return Number(rows[0].failed_attempts);
}
(0, node_test_1.describe)('the second step: the code as clients send it', () => {
    let t;
    let user;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ LOCKOUT_THRESHOLD: '5' });
        const admin = await t.enrolledAdmin();
        user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('forms'));
    });
    (0, node_test_1.after)(() => t.close());
    /** Each form: how the code is written into the body, and the content type sent. */
    const forms = [
        ['a JSON string', (c) => json(c), 'application/json'],
        ['a JSON number (leading zeros lost)', (c) => String(Number(c)), 'application/json'],
        ['{"code": "..."}', (c) => json({ code: c }), 'application/json'],
        ['{"Code": "..."} (any case)', (c) => json({ Code: c }), 'application/json'],
        ['{"code": number}', (c) => json({ code: Number(c) }), 'application/json'],
        ['raw text under text/plain', (c) => c, 'text/plain'],
        [
            'raw text under the form type (PowerShell -Body $code)',
            (c) => c,
            'application/x-www-form-urlencoded',
        ],
        ['a JSON string under the form type', (c) => json(c), 'application/x-www-form-urlencoded'],
        ['raw text with a charset parameter', (c) => c, 'text/plain; charset=utf-8'],
    ];
    for (const [name, write, contentType] of forms) {
        (0, node_test_1.it)(`accepts ${name}`, async () => {
            const preAuth = await t.preAuth(user.userName, user.password);
            t.nextStep();
            const code = await t.code(user.secret);
            await assertSignedIn(t, await secondStep(t, preAuth, write(code), contentType), name);
        });
    }
    (0, node_test_1.it)('accepts a code that starts with zero as raw text and as a JSON string', async () => {
        // Move the clock until the app shows a code with a leading zero (one step in ten, on average).
        let code = '';
        for (let i = 0; i < 500 && !code.startsWith('0'); i++) {
            t.nextStep();
            code = await t.code(user.secret);
        }
        strict_1.default.ok(code.startsWith('0'), 'found a step whose code starts with 0');
        const first = await t.preAuth(user.userName, user.password);
        await assertSignedIn(t, await secondStep(t, first, code, 'text/plain'), 'raw');
        t.nextStep();
        const next = await t.code(user.secret);
        const second = await t.preAuth(user.userName, user.password);
        await assertSignedIn(t, await secondStep(t, second, json(next), 'application/json'), 'JSON');
    });
    (0, node_test_1.it)('refuses every non-canonical form of the right code: each counted as a failed attempt, none spent', async () => {
        const preAuth = await t.preAuth(user.userName, user.password);
        t.nextStep();
        const code = await t.code(user.secret);
        const fullWidth = [...code].map((d) => String.fromCharCode(0xff10 + Number(d))).join('');
        const bodies = [
            ['a leading space', json(` ${code}`), 'application/json'],
            ['a trailing space', json(`${code} `), 'application/json'],
            ['a trailing newline', json(`${code}\n`), 'application/json'],
            ['an inner space', json(`${code.slice(0, 3)} ${code.slice(3)}`), 'application/json'],
            ['five digits', json(code.slice(1)), 'application/json'],
            ['seven digits', json(`${code}0`), 'application/json'],
            ['full-width digits', json(fullWidth), 'application/json'],
            ['a 10 KB string', json(`${code}${'0'.repeat(10 * 1024)}`), 'application/json'],
            [
                '10 KB of spaces around it',
                json(`${' '.repeat(5120)}${code}${' '.repeat(5120)}`),
                'application/json',
            ],
            ['raw text with a leading space', ` ${code}`, 'text/plain'],
            ['raw text with a trailing newline', `${code}\n`, 'text/plain'],
            ['raw text with a trailing CRLF', `${code}\r\n`, 'application/x-www-form-urlencoded'],
            ['a JSON number padded with spaces', ` ${Number(code)} `, 'application/json'],
            ['an exponent', `${Number(code) / 10}e1`, 'application/json'],
            ['{"code"} with a padded value', json({ code: ` ${code}` }), 'application/json'],
            ['an array', json([code]), 'application/json'],
            ['no body at all', '', 'application/json'],
        ];
        const threshold = t.config.lockout.threshold;
        for (const [index, [name, body, contentType]] of bodies.entries()) {
            assertCodeRefused(await secondStep(t, preAuth, body, contentType), name);
            if (index < threshold - 1)
                strict_1.default.equal(await storedCount(t, user.id), index + 1, name);
        }
        strict_1.default.ok(bodies.length > threshold, 'more refusals than the lock-out allows');
        const [locked] = await t.sql('SELECT locked_until FROM accounts WHERE id = ?', [user.id]);
        strict_1.default.notEqual(locked.locked_until, null, 'malformed codes locked the account like wrong ones');
        // The lock ended by hand: the right code of the same step was never spent by the refusals.
        await t.sql('UPDATE accounts SET failed_attempts = 0, locked_until = NULL WHERE id = ?', [
            user.id,
        ]);
        await assertSignedIn(t, await secondStep(t, preAuth, json(code), 'application/json'), 'the canonical code, same step');
    });
    (0, node_test_1.it)('answers 400 to a body that names the code twice (member names compared case-insensitively), counting nothing', async () => {
        const preAuth = await t.preAuth(user.userName, user.password);
        t.nextStep();
        const code = await t.code(user.secret);
        const res = await secondStep(t, preAuth, json({ code, Code: code }), 'application/json');
        strict_1.default.equal((0, reset_helpers_1.problemOf)(res, 400).title, 'One or more validation errors occurred.');
        strict_1.default.equal(await storedCount(t, user.id), 0);
        await assertSignedIn(t, await secondStep(t, preAuth, json(code), 'application/json'), 'then once');
    });
    (0, node_test_1.it)('answers 401 totp-invalid for a wrong code and counts it', async () => {
        const preAuth = await t.preAuth(user.userName, user.password);
        t.nextStep();
        assertCodeRefused(await secondStep(t, preAuth, json(await (0, reset_helpers_1.wrongCode)(t, user.secret)), 'application/json'), 'wrong');
        strict_1.default.equal(await storedCount(t, user.id), 1);
        const ok = await secondStep(t, preAuth, json(await t.code(user.secret)), 'application/json');
        await assertSignedIn(t, ok, 'then the right code');
        strict_1.default.equal(await storedCount(t, user.id), 0, 'a success clears the count');
    });
    (0, node_test_1.it)('refuses a code two steps old or two steps ahead (one step of drift each way)', async () => {
        const preAuth = await t.preAuth(user.userName, user.password);
        t.nextStep();
        const now = t.clock.now().getTime();
        const stale = await (0, totp_1.totpAt)(user.secret, new Date(now - 60_000));
        const early = await (0, totp_1.totpAt)(user.secret, new Date(now + 60_000));
        const current = await t.code(user.secret);
        if (stale !== current)
            assertCodeRefused(await secondStep(t, preAuth, json(stale), 'application/json'), 'stale');
        if (early !== current)
            assertCodeRefused(await secondStep(t, preAuth, json(early), 'application/json'), 'early');
        const next = await (0, totp_1.totpAt)(user.secret, new Date(now + 30_000));
        await assertSignedIn(t, await secondStep(t, preAuth, json(next), 'application/json'), 'the next step');
    });
});
(0, node_test_1.describe)('replay: each code is accepted once per account', () => {
    let t;
    let user;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        const admin = await t.enrolledAdmin();
        user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('replay'));
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('refuses the same code on a second sign-in in the same step', async () => {
        const first = await t.preAuth(user.userName, user.password);
        const second = await t.preAuth(user.userName, user.password);
        t.nextStep();
        const code = await t.code(user.secret);
        await assertSignedIn(t, await secondStep(t, first, json(code), 'application/json'), 'first use');
        assertCodeRefused(await secondStep(t, second, json(code), 'application/json'), 'replay');
        assertCodeRefused(await secondStep(t, second, code, 'text/plain'), 'replay as raw text');
        assertCodeRefused(await secondStep(t, second, json({ code }), 'application/json'), 'replay as {"code"}');
    });
    (0, node_test_1.it)('refuses the previous step once a later one was accepted, though it is inside the drift window', async () => {
        t.nextStep();
        const now = t.clock.now().getTime();
        const previous = await (0, totp_1.totpAt)(user.secret, new Date(now - 30_000));
        const current = await t.code(user.secret);
        const first = await t.preAuth(user.userName, user.password);
        const second = await t.preAuth(user.userName, user.password);
        await assertSignedIn(t, await secondStep(t, first, json(current), 'application/json'), 'current');
        if (previous !== current) {
            assertCodeRefused(await secondStep(t, second, json(previous), 'application/json'), 'previous');
        }
    });
    (0, node_test_1.it)('lets exactly one of two concurrent sign-ins with one code win, every time', async () => {
        for (let round = 0; round < 5; round++) {
            const a = await t.preAuth(user.userName, user.password);
            const b = await t.preAuth(user.userName, user.password);
            t.nextStep();
            const code = await t.code(user.secret);
            const answers = await Promise.all([
                secondStep(t, a, json(code), 'application/json'),
                secondStep(t, b, json(code), 'application/json'),
            ]);
            const statuses = answers.map((r) => r.status).sort();
            strict_1.default.deepEqual(statuses, [200, 401], `round ${round}: ${statuses.join(', ')}`);
        }
    });
});
(0, node_test_1.describe)('lock-out (LOCKOUT_THRESHOLD=3, LOCKOUT_MINUTES=15)', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ LOCKOUT_THRESHOLD: '3', LOCKOUT_MINUTES: '15' });
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    async function failCode(preAuth, user) {
        const wrong = await (0, reset_helpers_1.wrongCode)(t, user.secret);
        assertCodeRefused(await secondStep(t, preAuth, json(wrong), 'application/json'), 'wrong code');
    }
    (0, node_test_1.it)('locks after three wrong codes, shows lockedUntil, and refuses even the right code', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('locked'));
        const preAuth = await t.preAuth(user.userName, user.password);
        for (let i = 0; i < 3; i++)
            await failCode(preAuth, user);
        const view = await (0, reset_helpers_1.accountView)(t, admin.token, user.id);
        strict_1.default.ok(view.lockedUntil !== null, 'lockedUntil is shown');
        strict_1.default.equal(Date.parse(view.lockedUntil), t.clock.now().getTime() + 15 * 60_000);
        t.nextStep();
        const right = await t.code(user.secret);
        assertCodeRefused(await secondStep(t, preAuth, json(right), 'application/json'), 'right code while locked');
        assertCodeRefused(await secondStep(t, preAuth, json(user.recoveryCodes[0]), 'application/json'), 'recovery code while locked');
        const password = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: user.userName, Password: user.password });
        const wrongPassword = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: user.userName, Password: 'not-the-password-1!' });
        strict_1.default.equal((0, reset_helpers_1.problemOf)(password, 401).detail, (0, reset_helpers_1.problemOf)(wrongPassword, 401).detail, 'a locked account answers as a wrong password');
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, user.token), 200, 'sessions already open stay valid');
        // Once the lock ends: a fresh sign-in, with the recovery code that was refused (it was not spent).
        t.clock.advance(15 * 60 + 1);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, admin.token, user.id)).lockedUntil, null);
        const again = await t.preAuth(user.userName, user.password);
        const res = await secondStep(t, again, json(user.recoveryCodes[0]), 'application/json');
        await assertSignedIn(t, res, 'the recovery code after the lock');
        const later = await t.preAuth(user.userName, user.password);
        t.nextStep();
        await assertSignedIn(t, await secondStep(t, later, json(await t.code(user.secret)), 'application/json'), 'a code after the lock');
    });
    (0, node_test_1.it)('does not let a right password clear second-factor failures', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('pwnoclear'));
        const first = await t.preAuth(user.userName, user.password);
        await failCode(first, user);
        await failCode(first, user);
        const second = await t.preAuth(user.userName, user.password);
        strict_1.default.equal(await storedCount(t, user.id), 2, 'the password success left the count alone');
        await failCode(second, user);
        strict_1.default.ok((await (0, reset_helpers_1.accountView)(t, admin.token, user.id)).lockedUntil !== null, 'locked at the third');
    });
    (0, node_test_1.it)('never counts wrong passwords: anyone who knows a user name could lock its owner out', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('mixed'));
        for (let i = 0; i < t.config.lockout.threshold * 3; i++) {
            await (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .send({ Login: user.userName, Password: 'not-the-password-1!' })
                .expect(401);
        }
        strict_1.default.equal(await storedCount(t, user.id), 0);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, admin.token, user.id)).lockedUntil, null);
        const preAuth = await t.preAuth(user.userName, user.password);
        await failCode(preAuth, user);
        strict_1.default.equal(await storedCount(t, user.id), 1, 'a wrong code still counts');
    });
    (0, node_test_1.it)('starts counting again after a success', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('reset-count'));
        const preAuth = await t.preAuth(user.userName, user.password);
        await failCode(preAuth, user);
        await failCode(preAuth, user);
        t.nextStep();
        await assertSignedIn(t, await secondStep(t, preAuth, json(await t.code(user.secret)), 'application/json'), 'right');
        const next = await t.preAuth(user.userName, user.password);
        await failCode(next, user);
        await failCode(next, user);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, admin.token, user.id)).lockedUntil, null, 'two of three');
    });
    (0, node_test_1.it)('audits the failures and the lock', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('audited'));
        const preAuth = await t.preAuth(user.userName, user.password);
        for (let i = 0; i < 3; i++)
            await failCode(preAuth, user);
        const res = await (0, supertest_1.default)(t.http)
            .get(reset_helpers_1.AUDIT)
            .query({ targetId: user.id, take: 50 })
            .auth(admin.token, { type: 'bearer' })
            .expect(200);
        const actions = res.body.items.map((e) => `${e.action}:${e.outcome}`);
        strict_1.default.equal(actions.filter((a) => a.endsWith(':failure')).length, 3, actions.join(', '));
        strict_1.default.ok(actions.some((a) => /lock/i.test(a)), `a lock event: ${actions.join(', ')}`);
    });
});
(0, node_test_1.describe)('recovery codes', () => {
    let t;
    let admin;
    let user;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('recovery'));
    });
    (0, node_test_1.after)(() => t.close());
    async function codesLeft(token) {
        const res = await (0, supertest_1.default)(t.http).get(reset_helpers_1.OWN_MFA).auth(token, { type: 'bearer' }).expect(200);
        return res.body.recoveryCodesLeft;
    }
    (0, node_test_1.it)('issues ten distinct codes at enrolment', async () => {
        strict_1.default.equal(user.recoveryCodes.length, 10);
        strict_1.default.equal(new Set(user.recoveryCodes).size, 10);
        strict_1.default.equal(await codesLeft(user.token), 10);
    });
    (0, node_test_1.it)('accepts a recovery code once, in place of a TOTP code', async () => {
        const code = user.recoveryCodes[1];
        const first = await t.preAuth(user.userName, user.password);
        const token = await assertSignedIn(t, await secondStep(t, first, json(code), 'application/json'), 'first use');
        strict_1.default.equal(await codesLeft(token), 9);
        const second = await t.preAuth(user.userName, user.password);
        assertCodeRefused(await secondStep(t, second, json(code), 'application/json'), 'second use');
        assertCodeRefused(await secondStep(t, second, code.toUpperCase(), 'text/plain'), 'second use, upper case');
        strict_1.default.equal(await codesLeft(token), 9);
    });
    (0, node_test_1.it)('reads a code in upper case and as raw text the way PowerShell sends it', async () => {
        const preAuth = await t.preAuth(user.userName, user.password);
        const res = await secondStep(t, preAuth, user.recoveryCodes[2].toUpperCase(), 'application/x-www-form-urlencoded');
        const token = await assertSignedIn(t, res, 'upper case, raw');
        strict_1.default.equal(await codesLeft(token), 8);
    });
    (0, node_test_1.it)('refuses a code of another account and a padded code', async () => {
        const preAuth = await t.preAuth(user.userName, user.password);
        assertCodeRefused(await secondStep(t, preAuth, json('abcde-23456'), 'application/json'), 'unknown');
        assertCodeRefused(await secondStep(t, preAuth, json(` ${user.recoveryCodes[3]}`), 'application/json'), 'padded');
    });
    (0, node_test_1.it)('audits the use of a recovery code, without the code', async () => {
        const res = await (0, supertest_1.default)(t.http)
            .get(reset_helpers_1.AUDIT)
            .query({ targetId: user.id, action: 'mfa.recovery-code-used', take: 50 })
            .auth(admin.token, { type: 'bearer' })
            .expect(200);
        const items = res.body.items;
        strict_1.default.ok(items.length >= 2, `recovery-code events: ${items.length}`);
        for (const code of user.recoveryCodes)
            strict_1.default.ok(!res.text.includes(code));
    });
});
(0, node_test_1.describe)('the TOTP secret at rest and after enrolment', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    async function storedSecrets(id) {
        const rows = await t.sql('SELECT mfa_secret, mfa_pending_secret FROM accounts WHERE id = ?', [id]);
        return rows[0];
    }
    /** Every byte of the SQLite files in the data folder (database, WAL, shared memory). */
    function databaseBytes() {
        const files = (0, node_fs_1.readdirSync)(t.dataDir).filter((f) => f.includes('.sqlite'));
        strict_1.default.ok(files.length > 0, 'the SQLite files are in the data folder');
        return Buffer.concat(files.map((f) => (0, node_fs_1.readFileSync)((0, node_path_1.join)(t.dataDir, f))));
    }
    (0, node_test_1.it)('stores the pending and the enrolled secret encrypted (v1:<key id>:...), never as given', async () => {
        const name = (0, reset_helpers_1.uniqueName)('atrest');
        const created = await t.createAccount(admin.token, name);
        const preAuth = await t.preAuth(name, created.password);
        const enrolment = await (0, supertest_1.default)(t.http)
            .post('/api/v1/Mfa/Enroll')
            .auth(preAuth, { type: 'bearer' })
            .expect(200);
        const secret = enrolment.body.secret;
        const pending = await storedSecrets(created.id);
        strict_1.default.equal(pending.mfa_secret, null);
        strict_1.default.ok(pending.mfa_pending_secret?.startsWith(`v1:${t.config.mfa.currentKey.id}:`));
        strict_1.default.ok(!pending.mfa_pending_secret?.includes(secret));
        t.nextStep();
        await (0, supertest_1.default)(t.http)
            .post('/api/v1/Mfa/Enroll/Confirm')
            .auth(preAuth, { type: 'bearer' })
            .send({ code: await t.code(secret) })
            .expect(200);
        const enrolled = await storedSecrets(created.id);
        strict_1.default.equal(enrolled.mfa_pending_secret, null);
        strict_1.default.ok(enrolled.mfa_secret?.startsWith('v1:'));
        strict_1.default.ok(!enrolled.mfa_secret?.includes(secret));
        if (!t.isPostgres) {
            const bytes = databaseBytes();
            strict_1.default.equal(bytes.indexOf(secret), -1, 'the base32 secret is nowhere in the database files');
            strict_1.default.equal(bytes.indexOf(secret.toLowerCase()), -1);
            // And the files are owner-only (0600), like the keys.
            const files = (0, node_fs_1.readdirSync)(t.dataDir).filter((f) => f.includes('.sqlite'));
            strict_1.default.ok(files.some((f) => f.endsWith('-wal')), `the WAL too: ${files.join(', ')}`);
            for (const file of files)
                strict_1.default.equal((0, node_fs_1.statSync)((0, node_path_1.join)(t.dataDir, file)).mode & 0o777, 0o600, file);
        }
    });
    (0, node_test_1.it)('answers the secret, the recovery codes and the tokens with Cache-Control: no-store', async () => {
        const name = (0, reset_helpers_1.uniqueName)('nostore');
        const created = await t.createAccount(admin.token, name);
        const signIn = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: name, Password: created.password })
            .expect(200);
        const preAuth = signIn.body;
        const enrolment = await (0, supertest_1.default)(t.http)
            .post('/api/v1/Mfa/Enroll')
            .auth(preAuth, { type: 'bearer' })
            .expect(200);
        t.nextStep();
        const confirm = await (0, supertest_1.default)(t.http)
            .post('/api/v1/Mfa/Enroll/Confirm')
            .auth(preAuth, { type: 'bearer' })
            .send({ code: await t.code(enrolment.body.secret) })
            .expect(200);
        for (const res of [signIn, enrolment, confirm])
            strict_1.default.equal(res.headers['cache-control'], 'no-store', res.text);
    });
    (0, node_test_1.it)('never answers the secret again: not in the account, the MFA state, the audit log or a second Enroll', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('noecho'));
        const answers = await Promise.all([
            (0, supertest_1.default)(t.http).get(reset_helpers_1.OWN_MFA).auth(user.token, { type: 'bearer' }),
            (0, supertest_1.default)(t.http).get(`${reset_helpers_1.ACCOUNTS}/${user.id}`).auth(admin.token, { type: 'bearer' }),
            (0, supertest_1.default)(t.http).get(reset_helpers_1.ACCOUNTS).query({ take: 200 }).auth(admin.token, { type: 'bearer' }),
            (0, supertest_1.default)(t.http).get(reset_helpers_1.AUDIT).query({ take: 200 }).auth(admin.token, { type: 'bearer' }),
            (0, supertest_1.default)(t.http).post('/api/v1/Mfa/Enroll').auth(user.token, { type: 'bearer' }),
        ]);
        for (const [index, res] of answers.entries()) {
            strict_1.default.ok(res.status === 200 || res.status === 409, `answer ${index}: ${res.status} ${res.text.slice(0, 200)}`);
            strict_1.default.ok(!res.text.includes(user.secret), `answer ${index}`);
            for (const code of user.recoveryCodes)
                strict_1.default.ok(!res.text.includes(code), `answer ${index}`);
        }
        strict_1.default.equal((0, reset_helpers_1.problemOf)(answers[4], 409).status, 409, 'Enroll with MFA on is 409');
        const state = answers[0].body;
        strict_1.default.deepEqual(Object.keys(state).sort(), ['enabled', 'enrolledAt', 'recoveryCodesLeft']);
        strict_1.default.equal(state.enabled, true);
    });
    (0, node_test_1.it)('stores recovery codes as keyed hashes only', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('hashed'));
        const rows = await t.sql('SELECT code_hash FROM recovery_codes WHERE account_id = ?', [user.id]);
        strict_1.default.equal(rows.length, 10);
        for (const row of rows) {
            strict_1.default.match(row.code_hash, /^[0-9a-f]{64}$/);
            for (const code of user.recoveryCodes)
                strict_1.default.ok(!row.code_hash.includes(code));
        }
    });
});
(0, node_test_1.describe)('enrolment refusals', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    const enroll = (token) => (0, supertest_1.default)(t.http).post('/api/v1/Mfa/Enroll').auth(token, { type: 'bearer' });
    const confirm = (token, body) => (0, supertest_1.default)(t.http)
        .post('/api/v1/Mfa/Enroll/Confirm')
        .auth(token, { type: 'bearer' })
        .send(body);
    async function newAccount() {
        const name = (0, reset_helpers_1.uniqueName)('enrol');
        const created = await t.createAccount(admin.token, name);
        return { id: created.id, name, preAuth: await t.preAuth(name, created.password) };
    }
    (0, node_test_1.it)('answers 409 to a confirmation without Enroll', async () => {
        const { preAuth } = await newAccount();
        const body = (0, reset_helpers_1.problemOf)(await confirm(preAuth, { code: '123456' }), 409);
        strict_1.default.match(body.detail, /Enroll/);
    });
    (0, node_test_1.it)('answers 400 totp-invalid to a wrong code, a recovery-code shape and a padded code, and keeps the enrolment pending', async () => {
        const { id, preAuth } = await newAccount();
        const secret = (await enroll(preAuth).expect(200)).body.secret;
        t.nextStep();
        const right = await t.code(secret);
        for (const code of [await (0, reset_helpers_1.wrongCode)(t, secret), 'abcde-23456', ` ${right}`]) {
            strict_1.default.equal((0, reset_helpers_1.problemOf)(await confirm(preAuth, { code }), 400).errorType, 'totp-invalid', code);
        }
        strict_1.default.equal(await storedCount(t, id), 3, 'each refusal counted, malformed ones too');
        const ok = await confirm(preAuth, { code: right }).expect(200);
        strict_1.default.equal(ok.body.recoveryCodes.length, 10);
    });
    (0, node_test_1.it)('answers 400 naming code when the body has none', async () => {
        const { preAuth } = await newAccount();
        await enroll(preAuth).expect(200);
        const body = (0, reset_helpers_1.problemOf)(await confirm(preAuth, {}), 400);
        strict_1.default.ok(body.errors && Object.keys(body.errors).some((k) => k.toLowerCase() === 'code'), JSON.stringify(body));
    });
    (0, node_test_1.it)('replaces a pending enrolment when Enroll is called again: the first secret no longer confirms', async () => {
        const { preAuth } = await newAccount();
        const first = (await enroll(preAuth).expect(200)).body.secret;
        const second = (await enroll(preAuth).expect(200)).body.secret;
        strict_1.default.notEqual(first, second);
        t.nextStep();
        const stale = await t.code(first);
        const fresh = await t.code(second);
        if (stale !== fresh)
            strict_1.default.equal((0, reset_helpers_1.problemOf)(await confirm(preAuth, { code: stale }), 400).errorType, 'totp-invalid');
        await confirm(preAuth, { code: fresh }).expect(200);
    });
    (0, node_test_1.it)('answers 409 to Enroll and to a confirmation once MFA is on', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('on'));
        (0, reset_helpers_1.problemOf)(await enroll(user.token), 409);
        t.nextStep();
        (0, reset_helpers_1.problemOf)(await confirm(user.token, { code: await t.code(user.secret) }), 409);
    });
    (0, node_test_1.it)('refuses an mfa pre-auth token on the enrolment calls (401)', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('mfa-kind'));
        const preAuth = await t.preAuth(user.userName, user.password);
        (0, reset_helpers_1.problemOf)(await enroll(preAuth), 401);
        (0, reset_helpers_1.problemOf)(await confirm(preAuth, { code: '123456' }), 401);
    });
    (0, node_test_1.it)('answers an otpauth URI with the issuer and the account name, and an SVG QR code', async () => {
        const { name, preAuth } = await newAccount();
        const body = (await enroll(preAuth).expect(200)).body;
        const uri = new URL(body.otpauthUri);
        strict_1.default.equal(uri.protocol, 'otpauth:');
        strict_1.default.equal(decodeURIComponent(uri.pathname), `/${t.config.mfa.issuer}:${name}`);
        strict_1.default.equal(uri.searchParams.get('secret'), body.secret);
        strict_1.default.equal(uri.searchParams.get('issuer'), t.config.mfa.issuer);
        strict_1.default.match(body.qrCodeSvg, /^<svg[\s\S]*<\/svg>\s*$/);
    });
});
//# sourceMappingURL=totp.e2e-spec.js.map