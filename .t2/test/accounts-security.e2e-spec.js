"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const password_hasher_1 = require("../src/accounts/password-hasher");
const reset_helpers_1 = require("./support/reset-helpers");
const test_app_1 = require("./support/test-app");
const HELP_DESK_DEFAULT = ['edit-other-user-totp', 'view-accounts'];
async function storedStamp(t, id) {
    const [row] = await t.sql('SELECT security_stamp FROM accounts WHERE id = ?', [id]);
    strict_1.default.ok(row, `account ${id} exists`);
    return row.security_stamp;
}
function createAccount(t, token, userName, roles) {
    return (0, supertest_1.default)(t.http)
        .post(reset_helpers_1.ACCOUNTS)
        .auth(token, { type: 'bearer' })
        .send({
        userName,
        displayName: userName,
        email: `${userName}@example.com`,
        password: `${userName}-Password-1!`,
        roles,
    });
}
/** A fresh app whose HelpDesk role also holds `permission`, with an enrolled HelpDesk account. */
async function appWithHelpDeskAlso(permission) {
    const t = await test_app_1.TestApp.start();
    const admin = await t.enrolledAdmin();
    const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
    await (0, reset_helpers_1.putRole)(t, adminToken, 'HelpDesk', [...HELP_DESK_DEFAULT, permission]).expect(200);
    const helpDesk = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('hd'), ['HelpDesk']);
    return { t, admin, helpDesk };
}
(0, node_test_1.describe)('account management within the caller’s own permissions', () => {
    let t;
    let admin;
    let helpDesk;
    /** An access token of the HelpDesk account that has just proved MFA (step-up satisfied). */
    const helpDeskToken = () => t.signIn(helpDesk.userName, helpDesk.password, helpDesk.secret);
    (0, node_test_1.before)(async () => {
        ({ t, admin, helpDesk } = await appWithHelpDeskAlso('manage-accounts'));
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('refuses a HelpDesk account giving itself the Admin role: 403 error-not-allowed, audited as denied', async () => {
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.patchAccount)(t, await helpDeskToken(), helpDesk.id, { roles: ['Admin'] }), 403);
        strict_1.default.equal(problem.errorType, 'error-not-allowed');
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        strict_1.default.deepEqual((await (0, reset_helpers_1.accountView)(t, adminToken, helpDesk.id)).roles, ['HelpDesk']);
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, {
            action: 'account.updated',
            targetId: helpDesk.id,
        });
        strict_1.default.equal(events.length, 1);
        strict_1.default.equal(events[0].outcome, 'denied');
        strict_1.default.equal(events[0].actorId, helpDesk.id);
        strict_1.default.deepEqual(events[0].details, {
            reason: 'roles grant a permission the caller lacks',
            lacking: ['manage-roles', 'view-audit'],
        });
    });
    (0, node_test_1.it)('refuses a HelpDesk account setting the password of an Admin, and the Admin keeps it', async () => {
        const stampBefore = await storedStamp(t, admin.id);
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.patchAccount)(t, await helpDeskToken(), admin.id, {
            password: 'taken-over-Password-1!',
        }), 403);
        strict_1.default.equal(problem.errorType, 'error-not-allowed');
        strict_1.default.equal(await storedStamp(t, admin.id), stampBefore);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, adminToken), 200, "the admin's session is untouched");
        await t.preAuth('admin', test_app_1.ADMIN_PASSWORD);
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, {
            action: 'account.updated',
            targetId: admin.id,
        });
        strict_1.default.equal(events[0].outcome, 'denied');
        strict_1.default.equal(events[0].actorId, helpDesk.id);
        strict_1.default.equal(events[0].details.reason, 'target holds a permission the caller lacks');
    });
    (0, node_test_1.it)('refuses a HelpDesk account changing anything of an Admin: roles, isActive, email, displayName', async () => {
        const hdToken = await helpDeskToken();
        for (const body of [
            { roles: ['User'] },
            { isActive: false },
            { email: 'attacker@example.com' },
            { displayName: 'Owned' },
        ]) {
            const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.patchAccount)(t, hdToken, admin.id, body), 403);
            strict_1.default.equal(problem.errorType, 'error-not-allowed', JSON.stringify(body));
        }
        const view = await (0, reset_helpers_1.accountView)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), admin.id);
        strict_1.default.deepEqual(view.roles, ['Admin']);
        strict_1.default.equal(view.isActive, true);
    });
    (0, node_test_1.it)('refuses a HelpDesk account creating an account with the Admin role, and audits it', async () => {
        const name = (0, reset_helpers_1.uniqueName)('rogue');
        const problem = (0, reset_helpers_1.problemOf)(await createAccount(t, await helpDeskToken(), name, ['Admin']), 403);
        strict_1.default.equal(problem.errorType, 'error-not-allowed');
        strict_1.default.equal(await t.accountByName(name), undefined, 'no account was created');
        const events = await (0, reset_helpers_1.allAuditEvents)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), {
            action: 'account.created',
            actorId: helpDesk.id,
        });
        strict_1.default.equal(events.length, 1);
        strict_1.default.equal(events[0].outcome, 'denied');
        strict_1.default.equal(events[0].targetId, null);
        strict_1.default.equal(events[0].targetName, name);
    });
    (0, node_test_1.it)('answers 403 before 400: a role above the caller next to an unknown role, or a password equal to the user name', async () => {
        const hdToken = await helpDeskToken();
        const name = (0, reset_helpers_1.uniqueName)('order');
        const unknownRole = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.patchAccount)(t, hdToken, helpDesk.id, { roles: ['Admin', 'NoSuchRole'] }), 403);
        strict_1.default.equal(unknownRole.errorType, 'error-not-allowed');
        const samePassword = (0, reset_helpers_1.problemOf)(await (0, supertest_1.default)(t.http)
            .post(reset_helpers_1.ACCOUNTS)
            .auth(hdToken, { type: 'bearer' })
            .send({
            userName: name,
            displayName: name,
            email: `${name}@example.com`,
            password: name,
            roles: ['Admin'],
        }), 403);
        strict_1.default.equal(samePassword.errorType, 'error-not-allowed');
        strict_1.default.equal(await t.accountByName(name), undefined);
    });
    (0, node_test_1.it)('answers 403 for granting the Admin role to an id that names no account (authorization before existence)', async () => {
        const hdToken = await helpDeskToken();
        const granted = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.patchAccount)(t, hdToken, reset_helpers_1.UNKNOWN_ID, { roles: ['Admin'] }), 403);
        strict_1.default.equal(granted.errorType, 'error-not-allowed');
        // Within the caller's reach, validation still comes before existence.
        (0, reset_helpers_1.validationProblemOf)(await (0, reset_helpers_1.patchAccount)(t, hdToken, reset_helpers_1.UNKNOWN_ID, { roles: ['NoSuchRole'] }), 'roles');
        (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.patchAccount)(t, hdToken, reset_helpers_1.UNKNOWN_ID, { displayName: 'x' }), 404);
    });
    (0, node_test_1.it)('lets a HelpDesk account create and edit accounts within its own permissions', async () => {
        const hdToken = await helpDeskToken();
        const name = (0, reset_helpers_1.uniqueName)('plain');
        const created = await createAccount(t, hdToken, name, ['User']);
        strict_1.default.equal(created.status, 201, created.text);
        const id = created.body.id;
        for (const body of [
            { displayName: 'Renamed' },
            { email: `${name}@example.org` },
            { password: 'a-new-Password-2!' },
            { roles: ['HelpDesk'] },
            { roles: ['User'] },
            { isActive: false },
        ]) {
            const res = await (0, reset_helpers_1.patchAccount)(t, hdToken, id, body);
            strict_1.default.equal(res.status, 200, `${JSON.stringify(body)}: ${res.text}`);
        }
        const view = await (0, reset_helpers_1.accountView)(t, hdToken, id);
        strict_1.default.deepEqual(view.roles, ['User']);
        strict_1.default.equal(view.isActive, false);
        const helper = await createAccount(t, hdToken, (0, reset_helpers_1.uniqueName)('peer'), ['HelpDesk']);
        strict_1.default.equal(helper.status, 201, helper.text);
    });
    (0, node_test_1.it)('still lets an Admin give and take the Admin role', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('promoted'));
        await (0, reset_helpers_1.patchAccount)(t, adminToken, user.id, { roles: ['Admin'] }).expect(200);
        await (0, reset_helpers_1.patchAccount)(t, adminToken, user.id, { roles: ['User'] }).expect(200);
        strict_1.default.deepEqual((await (0, reset_helpers_1.accountView)(t, adminToken, user.id)).roles, ['User']);
    });
});
(0, node_test_1.describe)('role changes within the caller’s own permissions', () => {
    let t;
    let admin;
    let helpDesk;
    (0, node_test_1.before)(async () => {
        ({ t, admin, helpDesk } = await appWithHelpDeskAlso('manage-roles'));
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('refuses a manage-roles holder granting a permission it lacks: 403, the role unchanged, audited', async () => {
        const token = await t.signIn(helpDesk.userName, helpDesk.password, helpDesk.secret);
        const all = [...HELP_DESK_DEFAULT, 'manage-roles', 'manage-accounts', 'view-audit'];
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.putRole)(t, token, 'HelpDesk', all), 403);
        strict_1.default.equal(problem.errorType, 'error-not-allowed');
        const roles = await (0, supertest_1.default)(t.http)
            .get('/api/v1/Role')
            .auth(await (0, reset_helpers_1.freshAdminToken)(t, admin), { type: 'bearer' })
            .expect(200);
        const helpDeskRole = roles.body.find((r) => r.name === 'HelpDesk');
        strict_1.default.deepEqual(helpDeskRole?.permissions, [...HELP_DESK_DEFAULT, 'manage-roles'].sort());
        const events = await (0, reset_helpers_1.allAuditEvents)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), {
            action: 'role.updated',
            actorId: helpDesk.id,
        });
        strict_1.default.equal(events.length, 1);
        strict_1.default.equal(events[0].outcome, 'denied');
        strict_1.default.deepEqual(events[0].details?.lacking, ['manage-accounts', 'view-audit']);
    });
    (0, node_test_1.it)('lets it change a role within its own permissions', async () => {
        const token = await t.signIn(helpDesk.userName, helpDesk.password, helpDesk.secret);
        await (0, reset_helpers_1.putRole)(t, token, 'User', ['view-accounts']).expect(200);
    });
});
(0, node_test_1.describe)('PATCH of password, roles or isActive rotates the security stamp', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    for (const body of [
        { password: 'another-Password-9!' },
        { roles: ['HelpDesk'] },
        { isActive: false },
    ]) {
        (0, node_test_1.it)(`changes the stamp and refuses old tokens after ${JSON.stringify(body)}`, async () => {
            const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
            const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('stamp'));
            const before = await storedStamp(t, user.id);
            await (0, reset_helpers_1.patchAccount)(t, adminToken, user.id, body).expect(200);
            strict_1.default.notEqual(await storedStamp(t, user.id), before);
            strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, user.token), 401);
            strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, adminToken), 200);
        });
    }
    (0, node_test_1.it)('keeps the stamp for a change of display name or email', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('same'));
        const before = await storedStamp(t, user.id);
        await (0, reset_helpers_1.patchAccount)(t, adminToken, user.id, {
            displayName: 'Other',
            email: 'other@example.com',
        }).expect(200);
        strict_1.default.equal(await storedStamp(t, user.id), before);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, user.token), 200);
    });
    (0, node_test_1.it)('keeps the session of a caller changing its own password: it takes the new stamp', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const other = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('self'), ['Admin']);
        const before = await storedStamp(t, other.id);
        await (0, reset_helpers_1.patchAccount)(t, other.token, other.id, { password: 'my-own-new-Password-3!' }).expect(200);
        strict_1.default.notEqual(await storedStamp(t, other.id), before);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, other.token), 200);
    });
    (0, node_test_1.it)('gives no usable session to a sign-in that checked the old password while the change committed', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('inflight'));
        const hasher = t.app.get(password_hasher_1.PasswordHasher);
        const verify = hasher.verify.bind(hasher);
        let entered;
        let release;
        const inVerify = new Promise((resolve) => (entered = resolve));
        const gate = new Promise((resolve) => (release = resolve));
        hasher.verify = async (hash, password) => {
            const valid = await verify(hash, password);
            if (password === user.password) {
                entered();
                await gate;
            }
            return valid;
        };
        try {
            const signingIn = Promise.resolve((0, supertest_1.default)(t.http).post('/signinBody').send({ Login: user.userName, Password: user.password }));
            await inVerify;
            await (0, reset_helpers_1.patchAccount)(t, adminToken, user.id, { password: 'changed-meanwhile-Pw-4!' }).expect(200);
            release();
            const res = await signingIn;
            strict_1.default.equal(res.status, 200, res.text);
            const second = await (0, supertest_1.default)(t.http)
                .post('/signin2fa')
                .auth(res.body, { type: 'bearer' })
                .set('Content-Type', 'application/json')
                .send(JSON.stringify(await (0, reset_helpers_1.freshCode)(t, user.secret)));
            (0, reset_helpers_1.problemOf)(second, 401);
        }
        finally {
            release();
            hasher.verify = verify;
        }
    });
});
(0, node_test_1.describe)('audit of a failed sign-in for an unknown login', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    async function failedSignInEvent(login) {
        const res = await (0, supertest_1.default)(t.http)
            .post('/signinBody')
            .send({ Login: login, Password: 'whatever-it-was-1!' });
        const { traceId } = (0, reset_helpers_1.problemOf)(res, 401);
        const events = await (0, reset_helpers_1.allAuditEvents)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), {
            action: 'sign-in.failed',
        });
        const event = events.find((e) => e.traceId === traceId);
        strict_1.default.ok(event, `an audit event with trace id ${traceId}`);
        return { event, listing: JSON.stringify(events) };
    }
    (0, node_test_1.it)('does not store a login that is no user name (a password typed into the wrong field)', async () => {
        const typed = 'correct horse battery staple!';
        const { event, listing } = await failedSignInEvent(typed);
        strict_1.default.equal(event.actorId, null);
        strict_1.default.equal(event.actorName, null);
        strict_1.default.deepEqual(event.details, { reason: 'unknown-user' });
        strict_1.default.ok(!listing.includes('correct horse'), 'the typed text is nowhere in the audit log');
    });
    (0, node_test_1.it)('does not store a login longer than 64 characters, not even cut short', async () => {
        const { event } = await failedSignInEvent('a'.repeat(65));
        strict_1.default.equal(event.actorName, null);
    });
    (0, node_test_1.it)('does not store a login shaped like a user name either (it may be a password)', async () => {
        const { event } = await failedSignInEvent('AdminPass-123456');
        strict_1.default.equal(event.actorName, null);
        strict_1.default.deepEqual(event.details, { reason: 'unknown-user' });
    });
});
//# sourceMappingURL=accounts-security.e2e-spec.js.map