"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const audit_service_1 = require("../src/audit/audit.service");
const audit_action_1 = require("../src/audit/audit-action");
const reset_helpers_1 = require("./support/reset-helpers");
const test_app_1 = require("./support/test-app");
(0, node_test_1.describe)('PUT /api/v1/ManagedAccount/ResetMFA/{id}', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('resets an enrolled user: 200 with its id, user name, mfaWasEnabled true and the sessions it ended', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('carol'));
        await t.signIn(user.userName, user.password, user.secret); // a second open session
        const res = await (0, reset_helpers_1.resetById)(t, adminToken, user.id).expect(200);
        strict_1.default.match(String(res.headers['content-type']), /^application\/json/);
        strict_1.default.deepEqual(res.body, {
            id: user.id,
            userName: user.userName,
            mfaWasEnabled: true,
            sessionsRevoked: 2,
        });
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, user.id)).mfaEnabled, false);
    });
    (0, node_test_1.it)('clears the secret, the recovery codes and the pending enrolment, and changes the security stamp', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('dora'));
        const before = await (0, reset_helpers_1.storedMfa)(t, user.id);
        strict_1.default.equal(before.hasSecret, true);
        strict_1.default.equal(before.recoveryCodes, 10);
        await (0, reset_helpers_1.resetById)(t, adminToken, user.id).expect(200);
        const after = await (0, reset_helpers_1.storedMfa)(t, user.id);
        strict_1.default.equal(after.hasSecret, false);
        strict_1.default.equal(after.hasPending, false);
        strict_1.default.equal(after.recoveryCodes, 0);
        strict_1.default.notEqual(after.stamp, before.stamp);
    });
    (0, node_test_1.it)('clears an enrolment that was started but never confirmed', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const name = (0, reset_helpers_1.uniqueName)('pending');
        const created = await t.createAccount(adminToken, name);
        const preAuth = await t.preAuth(name, created.password);
        await (0, supertest_1.default)(t.http).post('/api/v1/Mfa/Enroll').auth(preAuth, { type: 'bearer' }).expect(200);
        strict_1.default.equal((await (0, reset_helpers_1.storedMfa)(t, created.id)).hasPending, true);
        const res = await (0, reset_helpers_1.resetById)(t, adminToken, created.id).expect(200);
        strict_1.default.equal(res.body.mfaWasEnabled, false);
        strict_1.default.equal((await (0, reset_helpers_1.storedMfa)(t, created.id)).hasPending, false);
    });
    (0, node_test_1.it)('accepts the uuid in upper case and answers the id in lower case', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('upper'));
        const res = await (0, reset_helpers_1.resetById)(t, adminToken, user.id.toUpperCase()).expect(200);
        strict_1.default.equal(res.body.id, user.id);
        strict_1.default.equal(res.body.mfaWasEnabled, true);
    });
    (0, node_test_1.it)('answers 400 with errors.id when the id is not a uuid', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const res = await (0, reset_helpers_1.resetById)(t, adminToken, 'not-a-uuid');
        (0, reset_helpers_1.validationProblemOf)(res, 'id');
    });
    (0, node_test_1.it)('answers 401 problem+json with WWW-Authenticate: Bearer without a token', async () => {
        const res = await (0, reset_helpers_1.resetById)(t, undefined, admin.id);
        (0, reset_helpers_1.problemOf)(res, 401);
        strict_1.default.equal(res.headers['www-authenticate'], 'Bearer');
    });
    (0, node_test_1.it)('answers 403 "User is not an Administrator" to a caller with the User role', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('eve'));
        const res = await (0, reset_helpers_1.resetById)(t, user.token, admin.id);
        const problem = (0, reset_helpers_1.problemOf)(res, 403);
        strict_1.default.equal(problem.detail, reset_helpers_1.NOT_ADMIN);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, admin.id)).mfaEnabled, true);
    });
    (0, node_test_1.it)('answers 404 "User not found" for a uuid that names no account', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const res = await (0, reset_helpers_1.resetById)(t, adminToken, reset_helpers_1.UNKNOWN_ID);
        const problem = (0, reset_helpers_1.problemOf)(res, 404);
        strict_1.default.equal(problem.detail, reset_helpers_1.USER_NOT_FOUND);
        strict_1.default.equal(problem.instance, `/api/v1/ManagedAccount/ResetMFA/${reset_helpers_1.UNKNOWN_ID}`);
    });
    (0, node_test_1.it)('is idempotent: a second reset answers 200 with mfaWasEnabled false', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('fred'));
        const first = await (0, reset_helpers_1.resetById)(t, adminToken, user.id).expect(200);
        strict_1.default.equal(first.body.mfaWasEnabled, true);
        const second = await (0, reset_helpers_1.resetById)(t, adminToken, user.id).expect(200);
        strict_1.default.deepEqual(second.body, {
            id: user.id,
            userName: user.userName,
            mfaWasEnabled: false,
            sessionsRevoked: 0,
        });
    });
    (0, node_test_1.it)('makes the user enrol again: its next sign-in answers a pre-auth token of kind enroll', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('gina'));
        strict_1.default.equal((0, reset_helpers_1.jwtPayload)(await t.preAuth(user.userName, user.password)).typ, 'mfa');
        await (0, reset_helpers_1.resetById)(t, adminToken, user.id).expect(200);
        const payload = (0, reset_helpers_1.jwtPayload)(await t.preAuth(user.userName, user.password));
        strict_1.default.equal(payload.typ, 'enroll');
        strict_1.default.equal(payload.sub, user.id);
        const again = await t.enroll(user.userName, user.password);
        strict_1.default.notEqual(again.secret, user.secret, 'a new secret is issued');
    });
    (0, node_test_1.it)("refuses the user's old access token at once, while the admin's token keeps working", async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('hank'));
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, user.token), 200);
        await (0, reset_helpers_1.resetById)(t, adminToken, user.id).expect(200);
        const res = await (0, supertest_1.default)(t.http).get(reset_helpers_1.OWN_MFA).auth(user.token, { type: 'bearer' });
        (0, reset_helpers_1.problemOf)(res, 401);
        strict_1.default.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"');
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, adminToken), 200);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, user.id)).mfaEnabled, false);
    });
    (0, node_test_1.it)('counts only sessions that were still open: an expired pre-auth session is not "revoked"', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('ivan'));
        await t.signIn(user.userName, user.password, user.secret);
        await t.preAuth(user.userName, user.password); // a pre-auth session, 5 minutes long
        t.clock.advance(6 * 60); // ... now expired: the account has two open sessions
        const res = await (0, reset_helpers_1.resetById)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), user.id).expect(200);
        strict_1.default.equal(res.body.sessionsRevoked, 2);
    });
});
(0, node_test_1.describe)('PUT /api/v1/ManagedAccount/ResetMFA/ByName/{userName}', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('finds the user name case-insensitively: "BOB" resets "bob"', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const bob = await (0, reset_helpers_1.enrolledUser)(t, adminToken, 'bob');
        const res = await (0, reset_helpers_1.resetByName)(t, adminToken, 'BOB').expect(200);
        strict_1.default.deepEqual(res.body, {
            id: bob.id,
            userName: 'bob',
            mfaWasEnabled: true,
            sessionsRevoked: 1,
        });
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, bob.id)).mfaEnabled, false);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, bob.token), 401);
    });
    (0, node_test_1.it)('answers 404 "User not found" for an unknown user name', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetByName)(t, adminToken, 'nobody-here'), 404);
        strict_1.default.equal(problem.detail, reset_helpers_1.USER_NOT_FOUND);
    });
    (0, node_test_1.it)('answers 403 "User is not an Administrator" to a User, whether or not the name exists', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('byname-user'));
        for (const name of ['admin', 'nobody-here']) {
            const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetByName)(t, user.token, name), 403);
            strict_1.default.equal(problem.detail, reset_helpers_1.NOT_ADMIN);
        }
    });
});
(0, node_test_1.describe)('PUT /api/v1/ManagedAccount/ResetMFA (batch)', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('takes a bare JSON array of ids and answers 200 {"userids": [...]}', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const a = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('arr-a'));
        const b = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('arr-b'));
        const res = await (0, reset_helpers_1.resetBatch)(t, adminToken, [a.id, b.id]).expect(200);
        strict_1.default.deepEqual(res.body, { userids: [a.id, b.id] });
        for (const u of [a, b]) {
            strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, u.id)).mfaEnabled, false);
            strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, u.token), 401);
        }
    });
    (0, node_test_1.it)('takes {"ids": [...]}, the property name in any case ("ids", "IDS")', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const a = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('obj-a'));
        const b = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('obj-b'));
        const lower = await (0, reset_helpers_1.resetBatch)(t, adminToken, { ids: [a.id] }).expect(200);
        const upper = await (0, reset_helpers_1.resetBatch)(t, adminToken, { IDS: [b.id] }).expect(200);
        strict_1.default.deepEqual(lower.body, { userids: [a.id] });
        strict_1.default.deepEqual(upper.body, { userids: [b.id] });
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, a.id)).mfaEnabled, false);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, b.id)).mfaEnabled, false);
    });
    (0, node_test_1.it)('folds duplicate ids (in any letter case) into one, keeping the first-seen order', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const a = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('dup-a'));
        const b = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('dup-b'));
        const res = await (0, reset_helpers_1.resetBatch)(t, adminToken, [b.id, a.id, b.id, a.id.toUpperCase()]).expect(200);
        strict_1.default.deepEqual(res.body, { userids: [b.id, a.id] });
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, { action: 'mfa.reset', targetId: a.id });
        strict_1.default.equal(events.length, 1, 'one reset of a, not two');
    });
    (0, node_test_1.it)('writes one mfa.reset audit event per account reset', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const users = [
            await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('aud-a')),
            await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('aud-b')),
            await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('aud-c')),
        ];
        const before = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, { action: 'mfa.reset' });
        await (0, reset_helpers_1.resetBatch)(t, adminToken, { ids: users.map((u) => u.id) }).expect(200);
        const after = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, { action: 'mfa.reset' });
        strict_1.default.equal(after.length - before.length, 3);
        for (const u of users) {
            const mine = after.filter((e) => e.targetId === u.id);
            strict_1.default.equal(mine.length, 1, `one event for ${u.userName}`);
            strict_1.default.equal(mine[0].outcome, 'success');
            strict_1.default.equal(mine[0].actorId, admin.id);
            strict_1.default.equal(mine[0].targetName, u.userName);
            strict_1.default.equal(mine[0].details?.mfaWasEnabled, true);
        }
    });
    (0, node_test_1.it)('answers 404 with missingIds when an id is unknown, and changes nothing', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('keep'));
        const missing = (0, node_crypto_1.randomUUID)();
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetBatch)(t, adminToken, [user.id, missing]), 404);
        strict_1.default.deepEqual(problem.missingIds, [missing]);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, user.id)).mfaEnabled, true);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, user.token), 200, "the user's session is still valid");
        strict_1.default.equal((await (0, reset_helpers_1.storedMfa)(t, user.id)).recoveryCodes, 10);
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, { action: 'mfa.reset', targetId: user.id });
        strict_1.default.equal(events.length, 0);
    });
    (0, node_test_1.it)('answers 404 with missingIds also when the only id of the batch is unknown', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const missing = (0, node_crypto_1.randomUUID)();
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetBatch)(t, adminToken, [missing]), 404);
        strict_1.default.deepEqual(problem.missingIds, [missing]);
    });
    (0, node_test_1.it)('accepts 1000 ids (the limit): every unknown one is listed in missingIds', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const ids = Array.from({ length: 1000 }, () => (0, node_crypto_1.randomUUID)());
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetBatch)(t, adminToken, ids), 404);
        strict_1.default.equal(problem.missingIds?.length, 1000);
    });
    (0, node_test_1.it)('answers 400 for 1001 ids', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const ids = Array.from({ length: 1001 }, () => (0, node_crypto_1.randomUUID)());
        (0, reset_helpers_1.validationProblemOf)(await (0, reset_helpers_1.resetBatch)(t, adminToken, ids), 'ids');
    });
    (0, node_test_1.it)('answers 400 for an empty array', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        (0, reset_helpers_1.validationProblemOf)(await (0, reset_helpers_1.resetBatch)(t, adminToken, []), 'ids');
        (0, reset_helpers_1.validationProblemOf)(await (0, reset_helpers_1.resetBatch)(t, adminToken, { ids: [] }), 'ids');
    });
    (0, node_test_1.it)('answers 400 naming the element that is not a uuid, and changes nothing', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('badel'));
        (0, reset_helpers_1.validationProblemOf)(await (0, reset_helpers_1.resetBatch)(t, adminToken, [user.id, 'not-a-uuid']), 'ids[1]');
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, user.id)).mfaEnabled, true);
    });
    (0, node_test_1.it)('answers 400 for a body that is neither an array nor {"ids": [...]}', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        (0, reset_helpers_1.validationProblemOf)(await (0, reset_helpers_1.resetBatch)(t, adminToken, { userIds: [reset_helpers_1.UNKNOWN_ID] }), 'ids');
        (0, reset_helpers_1.validationProblemOf)(await (0, reset_helpers_1.resetBatch)(t, adminToken, reset_helpers_1.UNKNOWN_ID), 'ids');
    });
    (0, node_test_1.it)('ends every session of each account reset', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const a = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('sess-a'));
        const aSecond = await t.signIn(a.userName, a.password, a.secret);
        const b = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('sess-b'));
        await (0, reset_helpers_1.resetBatch)(t, adminToken, [a.id, b.id]).expect(200);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, a.token), 401);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, aSecond), 401);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, b.token), 401);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, adminToken), 200);
    });
});
(0, node_test_1.describe)('batch reset atomicity (a failure half-way)', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('answers 500 with a generic detail and leaves every account as it was', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const users = [
            await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('atom-a')),
            await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('atom-b')),
            await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('atom-c')),
        ];
        const before = await Promise.all(users.map((u) => (0, reset_helpers_1.storedMfa)(t, u.id)));
        const eventsBefore = (await (0, reset_helpers_1.verifyChain)(t, adminToken)).count;
        const audit = t.app.get(audit_service_1.AuditService);
        const original = audit.append.bind(audit);
        let resets = 0;
        audit.append = (manager, entry) => {
            if (entry.action === audit_action_1.AuditAction.MfaReset && ++resets === 2)
                return Promise.reject(new Error('injected failure: SECRET-INTERNAL-DETAIL'));
            return original(manager, entry);
        };
        let res;
        try {
            res = await (0, reset_helpers_1.resetBatch)(t, adminToken, users.map((u) => u.id));
        }
        finally {
            audit.append = original;
        }
        strict_1.default.equal(resets, 2, 'the failure came from the second account of the batch');
        const problem = (0, reset_helpers_1.problemOf)(res, 500);
        strict_1.default.doesNotMatch(res.text, /SECRET-INTERNAL-DETAIL|injected|\bat .+\.js:\d+/);
        strict_1.default.ok(!('stack' in problem), 'no stack member');
        strict_1.default.match(problem.detail, /unexpected/i);
        for (const [i, u] of users.entries()) {
            const now = await (0, reset_helpers_1.storedMfa)(t, u.id);
            strict_1.default.deepEqual(now, before[i], `${u.userName} is unchanged`);
            strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, u.token), 200, `${u.userName}'s session is still valid`);
            strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, u.id)).mfaEnabled, true);
        }
        const chain = await (0, reset_helpers_1.verifyChain)(t, adminToken);
        strict_1.default.deepEqual(chain, { valid: true, count: eventsBefore }, 'no audit event was left');
    });
    (0, node_test_1.it)('works again once the fault is gone', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const a = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('after-a'));
        const b = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('after-b'));
        const res = await (0, reset_helpers_1.resetBatch)(t, adminToken, [a.id, b.id]).expect(200);
        strict_1.default.deepEqual(res.body, { userids: [a.id, b.id] });
        strict_1.default.equal((await (0, reset_helpers_1.verifyChain)(t, adminToken)).valid, true);
    });
});
(0, node_test_1.describe)('who may reset (ResetMFA/{id})', () => {
    let t;
    let admin;
    let helpDesk;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        helpDesk = await (0, reset_helpers_1.enrolledUser)(t, admin.token, 'helpdesk', ['HelpDesk']);
    });
    (0, node_test_1.after)(() => t.close());
    const helpDeskToken = () => t.signIn(helpDesk.userName, helpDesk.password, helpDesk.secret);
    (0, node_test_1.it)('answers 401 to an anonymous caller', async () => {
        (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, undefined, reset_helpers_1.UNKNOWN_ID), 401);
    });
    (0, node_test_1.it)('answers 401 to a pre-auth (mfa) token', async () => {
        const preAuth = await t.preAuth(helpDesk.userName, helpDesk.password);
        strict_1.default.equal((0, reset_helpers_1.jwtPayload)(preAuth).typ, 'mfa');
        const user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('pre'));
        (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, preAuth, user.id), 401);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), user.id)).mfaEnabled, true);
    });
    (0, node_test_1.it)('answers 403 to a User, also for a uuid that names no account (authorization before existence)', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('plain'));
        for (const target of [admin.id, reset_helpers_1.UNKNOWN_ID]) {
            const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, user.token, target), 403);
            strict_1.default.equal(problem.detail, reset_helpers_1.NOT_ADMIN);
        }
    });
    (0, node_test_1.it)('lets a HelpDesk account reset a User', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('hd-target'));
        const res = await (0, reset_helpers_1.resetById)(t, await helpDeskToken(), user.id).expect(200);
        strict_1.default.equal(res.body.mfaWasEnabled, true);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, user.token), 401);
    });
    (0, node_test_1.it)('refuses a HelpDesk account resetting an Admin: 403 error-not-allowed, audited as denied', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, await helpDeskToken(), admin.id), 403);
        strict_1.default.equal(problem.errorType, 'error-not-allowed');
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, admin.id)).mfaEnabled, true);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, adminToken), 200, "the admin's session is untouched");
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, { action: 'mfa.reset', targetId: admin.id });
        strict_1.default.equal(events.length, 1);
        strict_1.default.equal(events[0].outcome, 'denied');
        strict_1.default.equal(events[0].actorId, helpDesk.id);
    });
    (0, node_test_1.it)('refuses a HelpDesk batch that includes an Admin, and resets none of it', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('hd-batch'));
        const problem = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetBatch)(t, await helpDeskToken(), [user.id, admin.id]), 403);
        strict_1.default.equal(problem.errorType, 'error-not-allowed');
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, user.id)).mfaEnabled, true);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, user.token), 200);
    });
    (0, node_test_1.it)("follows the HelpDesk role's permissions on the very next request, without a new sign-in", async () => {
        const hdToken = await helpDeskToken();
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const first = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('perm-a'));
        const second = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('perm-b'));
        try {
            const removed = await (0, reset_helpers_1.putRole)(t, adminToken, 'HelpDesk', ['view-accounts']).expect(200);
            strict_1.default.deepEqual(removed.body.permissions, ['view-accounts']);
            const refused = (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, hdToken, first.id), 403);
            strict_1.default.equal(refused.detail, reset_helpers_1.NOT_ADMIN);
            strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, first.id)).mfaEnabled, true);
            strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, hdToken), 200, 'the HelpDesk session stays open');
            await (0, reset_helpers_1.putRole)(t, adminToken, 'HelpDesk', ['edit-other-user-totp', 'view-accounts']).expect(200);
            await (0, reset_helpers_1.resetById)(t, hdToken, second.id).expect(200);
            strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, second.id)).mfaEnabled, false);
        }
        finally {
            await (0, reset_helpers_1.putRole)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), 'HelpDesk', [
                'edit-other-user-totp',
                'view-accounts',
            ]);
        }
    });
    (0, node_test_1.it)('lets an Admin reset a HelpDesk account', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const other = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('hd2'), ['HelpDesk']);
        const res = await (0, reset_helpers_1.resetById)(t, adminToken, other.id).expect(200);
        strict_1.default.equal(res.body.mfaWasEnabled, true);
    });
    (0, node_test_1.it)('answers 401 to the token of a session ended by /signout', async () => {
        const hdToken = await helpDeskToken();
        await (0, supertest_1.default)(t.http).post('/signout').auth(hdToken, { type: 'bearer' }).expect(204);
        const user = await (0, reset_helpers_1.enrolledUser)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), (0, reset_helpers_1.uniqueName)('so'));
        (0, reset_helpers_1.problemOf)(await (0, reset_helpers_1.resetById)(t, hdToken, user.id), 401);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, await (0, reset_helpers_1.freshAdminToken)(t, admin), user.id)).mfaEnabled, true);
    });
});
(0, node_test_1.describe)('resetting oneself', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('PUT /api/v1/Mfa/Reset by a User resets its own MFA and keeps its session', async () => {
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('self'));
        const other = await t.signIn(user.userName, user.password, user.secret);
        const code = await (0, reset_helpers_1.freshCode)(t, user.secret);
        const res = await (0, reset_helpers_1.resetOwn)(t, user.token, { code }).expect(200);
        strict_1.default.deepEqual(res.body, {
            id: user.id,
            userName: user.userName,
            mfaWasEnabled: true,
            sessionsRevoked: 1,
        });
        const status = await (0, supertest_1.default)(t.http).get(reset_helpers_1.OWN_MFA).auth(user.token, { type: 'bearer' });
        strict_1.default.equal(status.status, 200, 'the caller keeps its session');
        strict_1.default.equal(status.body.enabled, false);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, other), 401, 'its other session ended');
        strict_1.default.equal((0, reset_helpers_1.jwtPayload)(await t.preAuth(user.userName, user.password)).typ, 'enroll');
    });
    (0, node_test_1.it)('an Admin resetting itself by id keeps its session and counts only its other sessions', async () => {
        await t.signIn('admin', test_app_1.ADMIN_PASSWORD, admin.secret);
        const caller = await t.signIn('admin', test_app_1.ADMIN_PASSWORD, admin.secret);
        // Open sessions now: the enrolment's (admin.token), the first sign-in's, and the caller's.
        const res = await (0, reset_helpers_1.resetById)(t, caller, admin.id).expect(200);
        strict_1.default.deepEqual(res.body, {
            id: admin.id,
            userName: 'admin',
            mfaWasEnabled: true,
            sessionsRevoked: 2,
        });
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, caller), 200, 'the caller keeps its session');
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, caller, admin.id)).mfaEnabled, false);
        strict_1.default.equal(await (0, reset_helpers_1.tokenStatus)(t, admin.token), 401, 'its other sessions ended');
    });
});
(0, node_test_1.describe)('concurrent resets', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('two concurrent resets of one account both answer 200 and leave one consistent state', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('race'));
        await t.signIn(user.userName, user.password, user.secret);
        const answers = await Promise.all([
            (0, reset_helpers_1.resetById)(t, adminToken, user.id),
            (0, reset_helpers_1.resetById)(t, adminToken, user.id),
        ]);
        for (const a of answers)
            strict_1.default.equal(a.status, 200, a.text);
        const bodies = answers.map((a) => a.body);
        strict_1.default.deepEqual(bodies.map((b) => b.mfaWasEnabled).sort(), [false, true]);
        strict_1.default.equal(bodies[0].sessionsRevoked + bodies[1].sessionsRevoked, 2);
        strict_1.default.equal((await (0, reset_helpers_1.accountView)(t, adminToken, user.id)).mfaEnabled, false);
        const stored = await (0, reset_helpers_1.storedMfa)(t, user.id);
        strict_1.default.equal(stored.hasSecret, false);
        strict_1.default.equal(stored.recoveryCodes, 0);
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, { action: 'mfa.reset', targetId: user.id });
        strict_1.default.equal(events.length, 2);
        strict_1.default.deepEqual(events.map((e) => e.details?.mfaWasEnabled).sort(), [false, true]);
        strict_1.default.equal((await (0, reset_helpers_1.verifyChain)(t, adminToken)).valid, true);
    });
    (0, node_test_1.it)('overlapping batches in opposite orders both answer 200', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const a = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('ov-a'));
        const b = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('ov-b'));
        const answers = await Promise.all([
            (0, reset_helpers_1.resetBatch)(t, adminToken, [a.id, b.id]),
            (0, reset_helpers_1.resetBatch)(t, adminToken, [b.id, a.id]),
            (0, reset_helpers_1.resetByName)(t, adminToken, a.userName),
        ]);
        for (const r of answers)
            strict_1.default.equal(r.status, 200, r.text);
        strict_1.default.deepEqual(answers[0].body, { userids: [a.id, b.id] });
        strict_1.default.deepEqual(answers[1].body, { userids: [b.id, a.id] });
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, { action: 'mfa.reset' });
        strict_1.default.equal(events.filter((e) => e.targetId === a.id).length, 3);
        strict_1.default.equal(events.filter((e) => e.targetId === b.id).length, 2);
        for (const id of [a.id, b.id]) {
            const enabled = events.filter((e) => e.targetId === id && e.details?.mfaWasEnabled === true);
            strict_1.default.equal(enabled.length, 1, 'exactly one of the resets found MFA on');
        }
        strict_1.default.equal((await (0, reset_helpers_1.verifyChain)(t, adminToken)).valid, true);
    });
});
//# sourceMappingURL=mfa-reset.e2e-spec.js.map