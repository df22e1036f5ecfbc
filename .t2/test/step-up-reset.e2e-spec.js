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
(0, node_test_1.describe)('step-up on reset calls (STEP_UP_MAX_AGE=0: every call needs a proof)', () => {
    let t;
    let admin;
    let target;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ STEP_UP_MAX_AGE: '0' });
        admin = await t.enrolledAdmin();
        target = await (0, reset_helpers_1.enrolledUser)(t, admin.token, 'target');
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('answers 400 totp-required with details {method, codeGenerated, availableMethods} without x-2fa-code', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, target.id), 400);
        strict_1.default.equal(problem.errorType, 'totp-required');
        strict_1.default.equal(problem.details?.method, 'totp');
        strict_1.default.equal(problem.details?.codeGenerated, false);
        const methods = problem.details?.availableMethods;
        strict_1.default.ok(Array.isArray(methods) && methods.includes('totp'), JSON.stringify(methods));
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, target.id)).mfaEnabled, true);
    });
    (0, node_test_1.it)('asks for it on every reset call: by name, batch and Mfa/Reset', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const required = [
            await (0, reset_helpers_1.resetByName)(t, adminToken, target.userName),
            await (0, reset_helpers_1.resetBatch)(t, adminToken, [target.id]),
            await (0, reset_helpers_1.resetOwn)(t, adminToken),
        ];
        for (const res of required)
            strict_1.default.equal((0, reset_helpers_1.problemOf)(res, 400).errorType, 'totp-required');
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, target.id)).mfaEnabled, true);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, admin.id)).mfaEnabled, true);
    });
    (0, node_test_1.it)('answers 400 totp-invalid to a wrong code', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const code = await (0, reset_helpers_1.wrongCode)(t, admin.secret);
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, target.id, { code }), 400);
        strict_1.default.equal(problem.errorType, 'totp-invalid');
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, target.id)).mfaEnabled, true);
    });
    (0, node_test_1.it)("accepts the caller's current code, once: the same code again is a replay (totp-invalid)", async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const code = await (0, reset_helpers_1.freshCode)(t, admin.secret);
        const res = await (0, reset_helpers_1.resetById)(t, adminToken, target.id, { code }).expect(200);
        strict_1.default.equal(res.body.id, target.id);
        const replay = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, target.id, { code }), 400);
        strict_1.default.equal(replay.errorType, 'totp-invalid');
    });
    (0, node_test_1.it)("refuses the target's code: the proof must be the caller's own", async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const other = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('own'));
        const code = await (0, reset_helpers_1.freshCode)(t, other.secret);
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, other.id, { code }), 400);
        strict_1.default.equal(problem.errorType, 'totp-invalid');
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, other.id)).mfaEnabled, true);
    });
    (0, node_test_1.it)('accepts the right password with x-2fa-method: password', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const other = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('pw-ok'));
        const res = await (0, reset_helpers_1.resetById)(t, adminToken, other.id, {
            code: test_app_1.ADMIN_PASSWORD,
            method: 'password',
        }).expect(200);
        strict_1.default.equal(res.body.mfaWasEnabled, true);
    });
    (0, node_test_1.it)('answers 400 totp-invalid to a wrong password with x-2fa-method: password', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const other = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('pw-bad'));
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, other.id, { code: 'not-the-password!', method: 'password' }), 400);
        strict_1.default.equal(problem.errorType, 'totp-invalid');
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, other.id)).mfaEnabled, true);
    });
    (0, node_test_1.it)('asks a User without the permission for nothing: 403 comes before step-up', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('noperm'));
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, user.token, target.id), 403);
        strict_1.default.equal(problem.detail, 'User is not an Administrator');
    });
    (0, node_test_1.it)('asks an admin for step-up before validating the id: 400 totp-required for a malformed id', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, 'not-a-uuid'), 400);
        strict_1.default.equal(problem.errorType, 'totp-required');
        strict_1.default.equal(problem.errors, undefined);
        // ... and with the proof, the same call is the validation failure.
        const code = await (0, reset_helpers_1.freshCode)(t, admin.secret);
        (0, reset_helpers_1.validationProblemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, 'not-a-uuid', { code }), 'id');
    });
    (0, node_test_1.it)('asks for step-up on a PATCH of roles, password or isActive, not of displayName', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const other = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('patch'));
        const renamed = await (0, reset_helpers_1.patchAccount)(t, adminToken, other.id, { displayName: 'New Name' });
        strict_1.default.equal(renamed.status, 200, renamed.text);
        strict_1.default.equal(renamed.body.displayName, 'New Name');
        for (const body of [
            { roles: ['HelpDesk'] },
            { password: 'another-Password-9!' },
            { isActive: false },
            { DisplayName: 'x', IsActive: false },
        ]) {
            const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.patchAccount)(t, adminToken, other.id, body), 400);
            strict_1.default.equal(problem.errorType, 'totp-required', JSON.stringify(body));
        }
        const view = await (0, reset_helpers_1.accountView)(t, adminToken, other.id);
        strict_1.default.deepEqual(view.roles, ['User']);
        strict_1.default.equal(view.isActive, true);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, other.token), 200, 'nothing ended its session');
        const code = await (0, reset_helpers_1.freshCode)(t, admin.secret);
        await (0, reset_helpers_1.patchAccount)(t, adminToken, other.id, { roles: ['HelpDesk'] }, { code }).expect(200);
        strict_1.default.deepEqual((await (0, reset_helpers_1.accountView)(t, adminToken, other.id)).roles, ['HelpDesk']);
    });
    (0, node_test_1.it)('asks for step-up on PUT /api/v1/Role/{name}', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.putRole)(t, adminToken, 'HelpDesk', ['edit-other-user-totp', 'view-accounts']), 400);
        strict_1.default.equal(problem.errorType, 'totp-required');
    });
});
(0, node_test_1.describe)('step-up with the default STEP_UP_MAX_AGE (900 s)', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('needs no x-2fa-code right after sign-in', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('fresh'));
        await (0, reset_helpers_1.resetById)(t, adminToken, user.id).expect(200);
    });
    (0, node_test_1.it)('answers totp-required once the sign-in is more than 900 s old, and a code renews the proof', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('stale'));
        t.clock.advance(901);
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, user.id), 400);
        strict_1.default.equal(problem.errorType, 'totp-required');
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, user.id)).mfaEnabled, true);
        const code = await (0, reset_helpers_1.freshCode)(t, admin.secret);
        await (0, reset_helpers_1.resetById)(t, adminToken, user.id, { code }).expect(200);
        // The proof just made counts for the next calls too.
        await (0, reset_helpers_1.resetById)(t, adminToken, user.id).expect(200);
    });
    (0, node_test_1.it)('takes a code sent with any call as a proof: spent there, and counting for the next sensitive call', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('anycall'));
        t.clock.advance(901);
        const code = await (0, reset_helpers_1.freshCode)(t, admin.secret);
        await (0, supertest_1.default)(t.http)
            .get(reset_helpers_1.OWN_MFA)
            .auth(adminToken, { type: 'bearer' })
            .set('x-2fa-code', code)
            .expect(200);
        await (0, reset_helpers_1.resetById)(t, adminToken, user.id).expect(200);
        const replay = await (0, supertest_1.default)(t.http)
            .get(reset_helpers_1.OWN_MFA)
            .auth(adminToken, { type: 'bearer' })
            .set('x-2fa-code', code);
        strict_1.default.equal((0, reset_helpers_1.problemOf)(replay, 400).errorType, 'totp-invalid');
    });
    (0, node_test_1.it)("a User's own reset (Mfa/Reset) offers password only once its MFA is gone", async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('ownpw'));
        await (0, reset_helpers_1.resetOwn)(t, user.token).expect(200);
        t.clock.advance(901);
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetOwn)(t, user.token), 400);
        strict_1.default.equal(problem.errorType, 'totp-required');
        strict_1.default.deepEqual(problem.details?.availableMethods, ['password']);
        await (0, reset_helpers_1.resetOwn)(t, user.token, { code: user.password, method: 'password' }).expect(200);
    });
});
(0, node_test_1.describe)('step-up failures count toward lock-out (LOCKOUT_THRESHOLD=2)', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start({ STEP_UP_MAX_AGE: '0', LOCKOUT_THRESHOLD: '2' });
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('locks the caller after 2 wrong codes; then even the right code is refused with totp-invalid', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('lock-target'));
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, admin.id)).lockedUntil, null);
        for (let i = 0; i < 2; i++) {
            t.nextStep();
            const code = await (0, reset_helpers_1.wrongCode)(t, admin.secret);
            const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, user.id, { code }), 400);
            strict_1.default.equal(problem.errorType, 'totp-invalid');
        }
        const locked = await (0, reset_helpers_1.accountView)(t, adminToken, admin.id);
        strict_1.default.ok(locked.lockedUntil !== null, 'lockedUntil is shown');
        strict_1.default.ok(Date.parse(locked.lockedUntil) > t.clock.now().getTime(), 'in the future');
        const code = await (0, reset_helpers_1.freshCode)(t, admin.secret);
        const refused = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, user.id, { code }), 400);
        strict_1.default.equal(refused.errorType, 'totp-invalid');
        const byPassword = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, user.id, { code: test_app_1.ADMIN_PASSWORD, method: 'password' }), 400);
        strict_1.default.equal(byPassword.errorType, 'totp-invalid');
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, user.id)).mfaEnabled, true);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, adminToken), 200, 'the open session stays valid');
    });
});
// Each in an app of its own: the first one locks the admin.
for (const { between, locks } of [
    { between: 'password', locks: true },
    { between: 'totp', locks: false },
]) {
    (0, node_test_1.describe)(`a right ${between} step-up between two wrong codes (LOCKOUT_THRESHOLD=2)`, () => {
        let t;
        let admin;
        (0, node_test_1.before)(async () => {
            t = await test_app_1.TestApp.start({ STEP_UP_MAX_AGE: '0', LOCKOUT_THRESHOLD: '2' });
            admin = await t.enrolledAdmin();
        });
        (0, node_test_1.after)(() => t.close());
        (0, node_test_1.it)(locks
            ? 'locks: a right password clears no code failure'
            : 'does not lock: a right code clears the count, so the failures were not consecutive', async () => {
            const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
            const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('between'));
            const wrong = async () => {
                t.nextStep();
                (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, adminToken, user.id, { code: await (0, reset_helpers_1.wrongCode)(t, admin.secret) }), 400);
            };
            const proof = async () => between === 'password'
                ? { code: test_app_1.ADMIN_PASSWORD, method: 'password' }
                : { code: await (0, reset_helpers_1.freshCode)(t, admin.secret) };
            await wrong();
            strict_1.default.equal((await (0, reset_helpers_1.resetById)(t, adminToken, user.id, await proof())).status, 200);
            await wrong();
            const { lockedUntil } = await (0, reset_helpers_1.accountView)(t, adminToken, admin.id);
            strict_1.default.equal(lockedUntil !== null, locks, `lockedUntil: ${lockedUntil}`);
        });
    });
}
//# sourceMappingURL=step-up-reset.e2e-spec.js.map