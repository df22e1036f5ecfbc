"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const node_test_1 = require("node:test");
const supertest_1 = __importDefault(require("supertest"));
const typeorm_1 = require("typeorm");
const audit_chain_1 = require("../src/audit/audit-chain");
const audit_reader_service_1 = require("../src/audit/audit-reader.service");
const audit_event_entity_1 = require("../src/audit/entities/audit-event.entity");
const app_config_1 = require("../src/config/app-config");
const data_source_options_1 = require("../src/database/data-source-options");
const fake_clock_1 = require("./support/fake-clock");
const reset_helpers_1 = require("./support/reset-helpers");
const test_app_1 = require("./support/test-app");
const test_database_1 = require("./support/test-database");
async function rowCount(t) {
    const [row] = await t.sql('SELECT COUNT(*) AS n FROM audit_events');
    return Number(row.n);
}
async function anchoredHead(t) {
    const [head] = await t.sql('SELECT seq, hash, key_id, mac FROM audit_chain_head');
    return head;
}
function rows(t) {
    return t.dataSource.getRepository(audit_event_entity_1.AuditEvent).find({ order: { seq: 'ASC' } });
}
/** An app with a few events: the admin enrolled, a user created, enrolled and reset. */
async function appWithEvents() {
    const t = await test_app_1.TestApp.start();
    const admin = await t.enrolledAdmin();
    const user = await (0, reset_helpers_1.enrolledUser)(t, admin.token, (0, reset_helpers_1.uniqueName)('chain'));
    await (0, reset_helpers_1.resetById)(t, admin.token, user.id).expect(200);
    const total = await rowCount(t);
    strict_1.default.ok(total >= 6, `${total} events`);
    strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, admin.token), { valid: true, count: total });
    return { t, admin, total };
}
/** One database that outlives the apps started on it (to restart with other keys). */
async function lastingDatabase() {
    if ((0, test_database_1.testDatabaseKind)() === 'postgres') {
        const database = await test_database_1.PostgresTestDatabase.create();
        return { url: database.url, drop: () => database.drop() };
    }
    const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'mfa-admin-audit-'));
    return {
        url: `sqlite:${(0, node_path_1.join)(dir, 'audit.sqlite')}`,
        drop: () => {
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
            return Promise.resolve();
        },
    };
}
(0, node_test_1.describe)('audit chain: a cut-off tail', () => {
    let t;
    let admin;
    let total;
    (0, node_test_1.before)(async () => ({ t, admin, total } = await appWithEvents()));
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('Verify answers valid false once the newest row was deleted', async () => {
        await t.sql('DELETE FROM audit_events WHERE seq = ?', [total]);
        strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, admin.token), { valid: false, count: total - 1 });
    });
    (0, node_test_1.it)('stays valid false when more events are appended after the cut', async () => {
        const token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        strict_1.default.ok((await rowCount(t)) > total - 1, 'the sign-in appended after the gap');
        const chain = await (0, reset_helpers_1.verifyChain)(t, token);
        strict_1.default.equal(chain.valid, false);
    });
});
(0, node_test_1.describe)('audit chain: the newest rows deleted', () => {
    let t;
    let admin;
    let total;
    (0, node_test_1.before)(async () => ({ t, admin, total } = await appWithEvents()));
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('Verify answers valid false once the newest 4 rows were deleted', async () => {
        await t.sql('DELETE FROM audit_events WHERE seq > ?', [total - 4]);
        strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, admin.token), { valid: false, count: total - 4 });
    });
});
(0, node_test_1.describe)('audit chain: every row deleted', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => ({ t, admin } = await appWithEvents()));
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('Verify answers valid false with count 0 once every row was deleted', async () => {
        await t.sql('DELETE FROM audit_events');
        strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, admin.token), { valid: false, count: 0 });
    });
    (0, node_test_1.it)('also once the head is deleted with them', async () => {
        await t.sql('DELETE FROM audit_chain_head');
        strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, admin.token), { valid: false, count: 0 });
    });
});
(0, node_test_1.describe)('audit chain: a cut-off tail with a forged head', () => {
    let t;
    let admin;
    let total;
    (0, node_test_1.before)(async () => ({ t, admin, total } = await appWithEvents()));
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('Verify answers valid false when the head is moved to the new last row', async () => {
        await t.sql('DELETE FROM audit_events WHERE seq > ?', [total - 2]);
        const [last] = await t.sql('SELECT hash FROM audit_events WHERE seq = ?', [
            total - 2,
        ]);
        await t.sql('UPDATE audit_chain_head SET seq = ?, hash = ?, mac = ?', [
            total - 2,
            last.hash,
            (0, node_crypto_1.createHash)('sha256')
                .update(`${total - 2}:${last.hash}`)
                .digest('hex'),
        ]);
        strict_1.default.equal((await (0, reset_helpers_1.verifyChain)(t, admin.token)).valid, false);
    });
    (0, node_test_1.it)('and appends on top of the forged head do not make it valid again', async () => {
        const token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const chain = await (0, reset_helpers_1.verifyChain)(t, token);
        strict_1.default.equal(chain.valid, false);
        strict_1.default.ok(((await anchoredHead(t))?.seq ?? 0) > total - 2, 'the appends moved the head');
    });
});
(0, node_test_1.describe)('audit chain: an edited row, every later hash recomputed without the key', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => ({ t, admin } = await appWithEvents()));
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('Verify answers valid false although the plain SHA-256 chain and the head are consistent', async () => {
        const all = await rows(t);
        let prevHash = all[0].hash;
        for (const row of all.slice(1)) {
            const edited = { ...row, prevHash, targetName: row.seq === 2 ? 'mallory' : row.targetName };
            const hash = (0, node_crypto_1.createHash)('sha256')
                .update(JSON.stringify((0, audit_chain_1.chainFields)(edited, edited.occurredAt.toISOString())))
                .digest('hex');
            await t.sql('UPDATE audit_events SET target_name = ?, prev_hash = ?, hash = ? WHERE seq = ?', [edited.targetName, prevHash, hash, row.seq]);
            prevHash = hash;
        }
        const seq = all[all.length - 1].seq;
        await t.sql('UPDATE audit_chain_head SET hash = ?, mac = ?', [
            prevHash,
            (0, node_crypto_1.createHash)('sha256')
                .update(JSON.stringify(['head', seq, prevHash]))
                .digest('hex'),
        ]);
        strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, admin.token), { valid: false, count: 1 });
    });
});
(0, node_test_1.describe)('audit chain: a clean chain after many appends', () => {
    let t;
    let admin;
    (0, node_test_1.before)(async () => {
        t = await test_app_1.TestApp.start();
        admin = await t.enrolledAdmin();
    });
    (0, node_test_1.after)(() => t.close());
    (0, node_test_1.it)('verifies valid with every event counted after a batch, concurrent calls and resets', async () => {
        const token = await (0, reset_helpers_1.freshAdminToken)(t, admin);
        const users = [];
        for (let i = 0; i < 40; i++)
            users.push(await t.createAccount(token, (0, reset_helpers_1.uniqueName)('many')));
        // 40 events in one transaction.
        await (0, reset_helpers_1.resetBatch)(t, token, users.map((u) => u.id)).expect(200);
        // Concurrent appends: failed sign-ins and single resets racing each other.
        await Promise.all([
            ...Array.from({ length: 16 }, () => (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .send({ Login: (0, reset_helpers_1.uniqueName)('nobody'), Password: 'not-the-password-1!' })
                .expect(401)),
            ...users.slice(0, 12).map((u) => (0, reset_helpers_1.resetById)(t, token, u.id).expect(200)),
        ]);
        const total = await rowCount(t);
        strict_1.default.ok(total >= 40 + 16 + 12 + 40, `${total} events`);
        strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, token), { valid: true, count: total });
        const head = await anchoredHead(t);
        const all = await rows(t);
        strict_1.default.deepEqual(all.map((r) => r.seq), Array.from({ length: total }, (_, i) => i + 1));
        strict_1.default.equal(head?.seq, total);
        strict_1.default.equal(head?.hash, all[total - 1].hash);
        const keyId = t.config.mfa.currentKey.id;
        strict_1.default.equal(head?.key_id, keyId);
        strict_1.default.ok(all.every((r) => r.keyId === keyId));
    });
});
(0, node_test_1.describe)('audit chain: a rotation of the MFA encryption key', () => {
    const keyA = (0, node_crypto_1.randomBytes)(32).toString('hex');
    const keyB = (0, node_crypto_1.randomBytes)(32).toString('base64');
    const clock = new fake_clock_1.FakeClock();
    let database;
    let env;
    (0, node_test_1.before)(async () => {
        database = await lastingDatabase();
        env = { DATABASE_URL: database.url, JWT_SECRET: (0, node_crypto_1.randomBytes)(32).toString('base64url') };
    });
    (0, node_test_1.after)(() => database.drop());
    (0, node_test_1.it)('verifies old and new rows after a restart with the old key among the previous ones', async () => {
        let t = await test_app_1.TestApp.start({ ...env, MFA_ENCRYPTION_KEY: keyA }, clock);
        const idA = t.config.mfa.currentKey.id;
        const { admin, older } = await (async () => {
            try {
                const signedIn = await t.enrolledAdmin();
                const user = await (0, reset_helpers_1.enrolledUser)(t, signedIn.token, 'rotated');
                await (0, reset_helpers_1.resetById)(t, signedIn.token, user.id).expect(200);
                const count = await rowCount(t);
                strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, signedIn.token), { valid: true, count });
                return { admin: signedIn, older: count };
            }
            finally {
                await t.close();
            }
        })();
        t = await test_app_1.TestApp.start({ ...env, MFA_ENCRYPTION_KEY: keyB, MFA_ENCRYPTION_KEYS_PREVIOUS: keyA }, clock);
        const idB = t.config.mfa.currentKey.id;
        try {
            const token = await t.signIn('admin', test_app_1.ADMIN_PASSWORD, admin.secret);
            await (0, reset_helpers_1.enrolledUser)(t, token, 'after-rotation');
            const total = await rowCount(t);
            strict_1.default.ok(total > older + 2, `${total} events`);
            strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, token), { valid: true, count: total });
            const ids = (await rows(t)).map((r) => r.keyId);
            strict_1.default.deepEqual(ids, [
                ...Array(older).fill(idA),
                ...Array(total - older).fill(idB),
            ]);
            strict_1.default.equal((await anchoredHead(t))?.key_id, idB);
        }
        finally {
            await t.close();
        }
    });
    (0, node_test_1.it)('cannot verify the old rows once the old key is dropped', async () => {
        const t = await test_app_1.TestApp.start({ ...env, MFA_ENCRYPTION_KEY: keyB }, clock);
        try {
            strict_1.default.deepEqual(await t.app.get(audit_reader_service_1.AuditReader).verify(), {
                valid: false,
                count: 0,
                brokenAt: 1,
            });
        }
        finally {
            await t.close();
        }
    });
    (0, node_test_1.it)('writes no audit event on an instance without the head key, and the chain stays intact', async () => {
        let t = await test_app_1.TestApp.start({ ...env, MFA_ENCRYPTION_KEY: keyB, MFA_ENCRYPTION_KEYS_PREVIOUS: keyA }, clock);
        const before = await rowCount(t);
        await t.close();
        t = await test_app_1.TestApp.start({ ...env, MFA_ENCRYPTION_KEY: (0, node_crypto_1.randomBytes)(32).toString('hex') }, clock);
        try {
            const res = await (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .send({ Login: 'nobody', Password: 'not-the-password-1!' });
            strict_1.default.equal(res.status, 500, res.text);
            strict_1.default.equal(await rowCount(t), before, 'no event was written');
            strict_1.default.ok(t.logLines.some((l) => /does not have/.test(String(l.msg)) && l.level === 'error'));
        }
        finally {
            await t.close();
        }
        t = await test_app_1.TestApp.start({ ...env, MFA_ENCRYPTION_KEY: keyB, MFA_ENCRYPTION_KEYS_PREVIOUS: keyA }, clock);
        try {
            strict_1.default.deepEqual(await t.app.get(audit_reader_service_1.AuditReader).verify(), { valid: true, count: before });
        }
        finally {
            await t.close();
        }
    });
});
/**
 * Rewrites every event in an unkeyed SHA-256 chain (which needs no key), with a changed actor, as
 * someone with write access to the database but without the key would forge a history.
 */
async function forgeUnkeyedHistory(dataSource) {
    const events = await dataSource.getRepository(audit_event_entity_1.AuditEvent).find({ order: { seq: 'ASC' } });
    const postgres = dataSource.options.type === 'postgres';
    let prev = audit_chain_1.GENESIS_HASH;
    for (const event of events) {
        const fields = [
            ...(0, audit_chain_1.chainFields)({ ...event, actorName: 'someone-else', prevHash: prev }, event.occurredAt.toISOString()),
        ];
        fields.splice(fields.length - 2, 1); // no key id
        const hash = (0, node_crypto_1.createHash)('sha256').update(JSON.stringify(fields)).digest('hex');
        await dataSource.query(postgres
            ? 'UPDATE audit_events SET actor_name = $1, prev_hash = $2, hash = $3 WHERE seq = $4'
            : 'UPDATE audit_events SET actor_name = ?, prev_hash = ?, hash = ? WHERE seq = ?', ['someone-else', prev, hash, event.seq]);
        prev = hash;
    }
}
/** The database alone, with the service stopped. */
async function withStoppedDatabase(url, work) {
    const dataSource = await new typeorm_1.DataSource((0, data_source_options_1.buildDataSourceOptions)((0, app_config_1.loadDatabaseConfig)({ DATABASE_URL: url }))).initialize();
    try {
        await work(dataSource);
    }
    finally {
        await dataSource.destroy();
    }
}
(0, node_test_1.describe)('audit chain: a downgrade to an unkeyed chain on a stopped database', () => {
    let database;
    const keys = { MFA_ENCRYPTION_KEY: (0, node_crypto_1.randomBytes)(32).toString('hex') };
    (0, node_test_1.before)(async () => (database = await lastingDatabase()));
    (0, node_test_1.after)(() => database.drop());
    (0, node_test_1.it)('is never signed by a start: Verify answers valid false', async () => {
        const clock = new fake_clock_1.FakeClock();
        let t = await test_app_1.TestApp.start({ DATABASE_URL: database.url, ...keys }, clock);
        try {
            await t.enrolledAdmin();
        }
        finally {
            await t.close();
        }
        let forged = [];
        await withStoppedDatabase(database.url, async (d) => {
            await forgeUnkeyedHistory(d);
            // The keyed chain's traces removed: its head, the key ids, any migration row but the first.
            await d.query('DROP TABLE audit_chain_head');
            await d.query('ALTER TABLE audit_events DROP COLUMN key_id');
            await d.query("DELETE FROM schema_migrations WHERE name <> 'InitialSchema1764000000000'");
            forged = (await d.query('SELECT hash FROM audit_events ORDER BY seq')).map((r) => r.hash);
        });
        strict_1.default.ok(forged.length >= 3, `${forged.length} events`);
        t = await test_app_1.TestApp.start({ DATABASE_URL: database.url, ...keys }, clock);
        try {
            strict_1.default.equal((await t.app.get(audit_reader_service_1.AuditReader).verify()).valid, false);
            const after = (await t.sql('SELECT hash FROM audit_events ORDER BY seq')).map((r) => r.hash);
            strict_1.default.deepEqual(after, forged, 'no start signed a row it did not write');
            const line = t.logLines.find((l) => /audit log was tampered with/.test(String(l.msg)));
            strict_1.default.equal(line?.level, 'error');
        }
        finally {
            await t.close();
        }
    });
});
(0, node_test_1.describe)('audit chain: the head put back to the empty chain with every row kept', () => {
    let database;
    const keys = { MFA_ENCRYPTION_KEY: (0, node_crypto_1.randomBytes)(32).toString('hex') };
    (0, node_test_1.before)(async () => (database = await lastingDatabase()));
    (0, node_test_1.after)(() => database.drop());
    (0, node_test_1.it)('is not taken for the empty chain: Verify stays valid false, also after appends', async () => {
        const clock = new fake_clock_1.FakeClock();
        let t = await test_app_1.TestApp.start({ DATABASE_URL: database.url, ...keys }, clock);
        try {
            await t.enrolledAdmin();
        }
        finally {
            await t.close();
        }
        await withStoppedDatabase(database.url, async (d) => {
            await forgeUnkeyedHistory(d);
            await d.query(`UPDATE audit_chain_head SET seq = 0, hash = '${audit_chain_1.GENESIS_HASH}', key_id = NULL, mac = ''`);
        });
        t = await test_app_1.TestApp.start({ DATABASE_URL: database.url, ...keys }, clock);
        try {
            strict_1.default.equal((await t.app.get(audit_reader_service_1.AuditReader).verify()).valid, false);
            await (0, supertest_1.default)(t.http)
                .post('/signinBody')
                .send({ Login: 'nobody', Password: 'not-the-password-1!' })
                .expect(401);
            strict_1.default.equal((await t.app.get(audit_reader_service_1.AuditReader).verify()).valid, false);
            const head = await anchoredHead(t);
            strict_1.default.equal(head?.mac, 'untrusted', 'an append on an unsigned head with rows does not sign it');
        }
        finally {
            await t.close();
        }
    });
});
(0, node_test_1.describe)('audit chain: a new database', () => {
    (0, node_test_1.it)('starts with an unsigned empty head that the first event signs', async () => {
        const database = await lastingDatabase();
        try {
            await withStoppedDatabase(database.url, async (d) => {
                await d.runMigrations();
                const [head] = await d.query('SELECT seq, hash, key_id, mac FROM audit_chain_head');
                strict_1.default.deepEqual({ ...head, seq: Number(head.seq) }, { seq: 0, hash: audit_chain_1.GENESIS_HASH, key_id: null, mac: '' });
            });
            const t = await test_app_1.TestApp.start({ DATABASE_URL: database.url });
            try {
                const admin = await t.enrolledAdmin();
                const total = await rowCount(t);
                strict_1.default.deepEqual(await (0, reset_helpers_1.verifyChain)(t, admin.token), { valid: true, count: total });
                strict_1.default.equal((await anchoredHead(t))?.key_id, t.config.mfa.currentKey.id);
            }
            finally {
                await t.close();
            }
        }
        finally {
            await database.drop();
        }
    });
});
//# sourceMappingURL=audit-chain.e2e-spec.js.map