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
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
async function rowCount(t) {
    const [row] = await t.sql('SELECT COUNT(*) AS n FROM audit_events');
    return Number(row.n);
}
(0, node_test_1.describe)('audit events of resets: listing, paging, filters', () => {
    let t;
    let admin;
    let helpDesk;
    let users;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        helpDesk = await (0, reset_helpers_1.enrolledUser)(t, admin.token, 'helpdesk', ['HelpDesk']);
        users = [];
        for (const name of ['u1', 'u2', 'u3'])
            users.push(await (0, reset_helpers_1.enrolledUser)(t, admin.token, name));
        await (0, reset_helpers_1.resetById)(t, admin.token, users[0].id).expect(200);
        await (0, reset_helpers_1.resetById)(t, helpDesk.token, users[1].id).expect(200);
        await (0, reset_helpers_1.resetBatch)(t, admin.token, [users[2].id, users[0].id]).expect(200);
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('records who reset whom, when, from where, the outcome and the trace id', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('traced'));
        await (0, reset_helpers_1.resetById)(t, adminToken, user.id)
            .set('traceparent', `00-${TRACE}-00f067aa0ba902b7-01`)
            .set('User-Agent', 'reset-test/1.0')
            .expect(200);
        const [event] = (await (0, reset_helpers_1.auditPage)(t, adminToken, { action: 'mfa.reset', targetId: user.id }))
            .items;
        strict_1.default.ok(event, 'an mfa.reset event for the user');
        strict_1.default.equal(event.outcome, 'success');
        strict_1.default.equal(event.actorId, admin.id);
        strict_1.default.equal(event.actorName, 'admin');
        strict_1.default.equal(event.targetId, user.id);
        strict_1.default.equal(event.targetName, user.userName);
        strict_1.default.equal(event.occurredAt, t.clock.now().toISOString());
        strict_1.default.ok(event.clientIp !== null && event.clientIp.length > 0, 'the client address');
        strict_1.default.equal(event.userAgent, 'reset-test/1.0');
        strict_1.default.match(event.traceId ?? '', new RegExp(`^00-${TRACE}-[0-9a-f]{16}-[0-9a-f]{2}$`));
        strict_1.default.deepEqual(event.details, { mfaWasEnabled: true, sessionsRevoked: 1, batch: false });
    });
    (0, node_test_1.it)('GET /api/v1/AuditEvent/Verify answers {valid: true, count} with every event counted', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const chain = await (0, reset_helpers_1.verifyChain)(t, adminToken);
        strict_1.default.deepEqual(chain, { valid: true, count: await rowCount(t) });
        strict_1.default.ok(chain.count > 10);
    });
    (0, node_test_1.it)('pages newest first: take=2 answers 2 items in descending seq and a next cursor', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const newest = await rowCount(t);
        const page = await (0, reset_helpers_1.auditPage)(t, adminToken, { take: 2 });
        strict_1.default.equal(page.items.length, 2);
        strict_1.default.deepEqual(page.items.map((e) => e.seq), [newest, newest - 1]);
        strict_1.default.equal(typeof page.next, 'string');
    });
    (0, node_test_1.it)('following next answers the following older items, without overlap or gap, to the end', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const total = await rowCount(t);
        const first = await (0, reset_helpers_1.auditPage)(t, adminToken, { take: 2 });
        const second = await (0, reset_helpers_1.auditPage)(t, adminToken, { take: 2, cursor: first.next });
        strict_1.default.deepEqual(second.items.map((e) => e.seq), [first.items[1].seq - 1, first.items[1].seq - 2]);
        const seen = [];
        let cursor = null;
        let pages = 0;
        do {
            const page = await (0, reset_helpers_1.auditPage)(t, adminToken, {
                take: 7,
                ...(cursor === null ? {} : { cursor }),
            });
            seen.push(...page.items.map((e) => e.seq));
            cursor = page.next;
            pages++;
        } while (cursor !== null && pages < 1000);
        strict_1.default.deepEqual(seen, Array.from({ length: total }, (_, i) => total - i));
        strict_1.default.equal(pages, Math.ceil(total / 7));
    });
    (0, node_test_1.it)('filters by action', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, { action: 'mfa.reset' });
        strict_1.default.ok(events.length >= 4, `${events.length} resets`);
        strict_1.default.ok(events.every((e) => e.action === 'mfa.reset'));
        const [row] = await t.sql("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'mfa.reset'");
        strict_1.default.equal(events.length, Number(row.n));
    });
    (0, node_test_1.it)('filters by actorId', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, { actorId: helpDesk.id });
        strict_1.default.ok(events.length > 0);
        strict_1.default.ok(events.every((e) => e.actorId === helpDesk.id));
        strict_1.default.ok(events.some((e) => e.action === 'mfa.reset' && e.targetId === users[1].id), "the HelpDesk's reset of u2 is listed");
    });
    (0, node_test_1.it)('filters by targetId, combined with action', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, {
            targetId: users[0].id,
            action: 'mfa.reset',
        });
        // u1 was reset by id, then in the batch.
        strict_1.default.equal(events.length, 2);
        strict_1.default.ok(events.every((e) => e.targetId === users[0].id && e.action === 'mfa.reset'));
        strict_1.default.deepEqual(events.map((e) => e.details?.batch), [true, false]);
        strict_1.default.ok(events[0].seq > events[1].seq);
    });
    (0, node_test_1.it)('records a batch call of one id as a batch, by the endpoint called', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('batch-of-one'));
        const res = await (0, reset_helpers_1.resetBatch)(t, adminToken, [user.id]);
        strict_1.default.equal(res.status, 200);
        const events = await (0, reset_helpers_1.allAuditEvents)(t, adminToken, { targetId: user.id, action: 'mfa.reset' });
        strict_1.default.equal(events.length, 1);
        strict_1.default.equal(events[0].details?.batch, true);
    });
    (0, node_test_1.it)('answers 403 to a User', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const user = await (0, reset_helpers_1.enrolledUser)(t, adminToken, (0, reset_helpers_1.uniqueName)('nosee'));
        (0, reset_helpers_1.problemOf)(await (0, supertest_1.default)(t.http).get(reset_helpers_1.AUDIT).auth(user.token, { type: 'bearer' }), 403);
        (0, reset_helpers_1.problemOf)(await (0, supertest_1.default)(t.http).get(`${reset_helpers_1.AUDIT}/Verify`).auth(user.token, { type: 'bearer' }), 403);
        (0, reset_helpers_1.problemOf)(await (0, supertest_1.default)(t.http).get(reset_helpers_1.AUDIT).auth(helpDesk.token, { type: 'bearer' }), 403);
    });
    (0, node_test_1.it)('answers 400 to a bad cursor', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        for (const cursor of ['abc', '0', '-1']) {
            const res = await (0, supertest_1.default)(t.http)
                .get(reset_helpers_1.AUDIT)
                .query({ cursor })
                .auth(adminToken, { type: 'bearer' });
            (0, reset_helpers_1.validationProblemOf)(res, 'cursor');
        }
    });
    (0, node_test_1.it)('answers 400 to take=0 and to take over 200', async () => {
        const adminToken = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        for (const take of ['0', '201', 'x']) {
            const res = await (0, supertest_1.default)(t.http)
                .get(reset_helpers_1.AUDIT)
                .query({ take })
                .auth(adminToken, { type: 'bearer' });
            (0, reset_helpers_1.validationProblemOf)(res, 'take');
        }
    });
});
(0, node_test_1.describe)('audit chain: an edited row', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, 'edited');
        await (0, reset_helpers_1.resetById)(t, admin.token, user.id).expect(200);
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('Verify answers valid false once one row was edited in the database', async () => {
        strict_1.default.equal((await (0, reset_helpers_1.verifyChain)(t, admin.token)).valid, true);
        await t.dataSource.query("UPDATE audit_events SET target_name = 'x' WHERE seq = 2");
        const chain = await (0, reset_helpers_1.verifyChain)(t, admin.token);
        strict_1.default.equal(chain.valid, false);
    });
});
(0, node_test_1.describe)('audit chain: a deleted row', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
        const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, 'deleted');
        await (0, reset_helpers_1.resetById)(t, admin.token, user.id).expect(200);
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('Verify answers valid false once a middle row was deleted', async () => {
        const total = await rowCount(t);
        strict_1.default.ok(total >= 4, `${total} events`);
        strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, admin.token), { valid: true, count: total });
        await t.dataSource.query('DELETE FROM audit_events WHERE seq = 2');
        strict_1.default.equal((await (0, reset_helpers_1.verifyChain)(t, admin.token)).valid, false);
    });
});
//# sourceMappingURL=audit-reset.e2e-spec.js.map