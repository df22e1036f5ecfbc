import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { chainFields, GENESIS_HASH } from '../src/audit/audit-chain';
import { AuditReader } from '../src/audit/audit-reader.service';
import { AuditEvent } from '../src/audit/entities/audit-event.entity';
import { loadDatabaseConfig } from '../src/config/app-config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { FakeClock } from './support/fake-clock';
import { uniqueName } from './support/accounts';
import { freshAdminToken, resetBatch, resetById, verifyChain } from './support/api';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { startApp } from './support/app-fixture';
import { lastingDatabase } from './support/test-database';

interface Head {
  seq: number;
  hash: string;
  key_id: string | null;
  mac: string;
}

async function rowCount(t: TestApp): Promise<number> {
  const [row] = await t.sql<{ n: number | string }>('SELECT COUNT(*) AS n FROM audit_events');
  return Number(row.n);
}

async function anchoredHead(t: TestApp): Promise<Head | undefined> {
  const [head] = await t.sql<Head>('SELECT seq, hash, key_id, mac FROM audit_chain_head');
  return head;
}

function rows(t: TestApp): Promise<AuditEvent[]> {
  return t.dataSource.getRepository(AuditEvent).find({ order: { seq: 'ASC' } });
}

/** An app with a few events: the admin enrolled, a user created, enrolled and reset. */
async function appWithEvents(): Promise<{ t: TestApp; admin: SignedIn; total: number }> {
  const { t, admin } = await startApp();
  const user = await enrolledThroughApi(t, admin.token, uniqueName('chain'));
  await resetById(t, admin.token, user.id).expect(200);
  const total = await rowCount(t);
  assert.ok(total >= 6, `${total} events`);
  assert.deepEqual(await verifyChain(t, admin.token), { valid: true, count: total });
  return { t, admin, total };
}

/** An account created and enrolled through the API: the events of both are in the chain. */
async function enrolledThroughApi(t: TestApp, adminToken: string, name: string): Promise<SignedIn> {
  const created = await t.createAccount(adminToken, name);
  return t.enroll(name, created.password);
}

/** One database that outlives the apps started on it (to restart with other keys). */
describe('audit chain: a cut-off tail', () => {
  let t: TestApp;
  let admin: SignedIn;
  let total: number;

  before(async () => ({ t, admin, total } = await appWithEvents()));
  after(() => t.close());

  it('Verify answers valid false once the newest row was deleted', async () => {
    await t.sql('DELETE FROM audit_events WHERE seq = ?', [total]);

    assert.deepEqual(await verifyChain(t, admin.token), {
      valid: false,
      count: total - 1,
      brokenAt: total,
    });
  });

  it('stays valid false when more events are appended after the cut', async () => {
    const token = await freshAdminToken(t, admin);
    assert.ok((await rowCount(t)) > total - 1, 'the sign-in appended after the gap');

    const chain = await verifyChain(t, token);

    assert.equal(chain.valid, false);
  });
});

describe('audit chain: the newest rows deleted', () => {
  let t: TestApp;
  let admin: SignedIn;
  let total: number;

  before(async () => ({ t, admin, total } = await appWithEvents()));
  after(() => t.close());

  it('Verify answers valid false once the newest 4 rows were deleted', async () => {
    await t.sql('DELETE FROM audit_events WHERE seq > ?', [total - 4]);

    assert.deepEqual(await verifyChain(t, admin.token), {
      valid: false,
      count: total - 4,
      brokenAt: total - 3,
    });
  });
});

describe('audit chain: every row deleted', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await appWithEvents()));
  after(() => t.close());

  it('Verify answers valid false with count 0 once every row was deleted', async () => {
    await t.sql('DELETE FROM audit_events');

    assert.deepEqual(await verifyChain(t, admin.token), { valid: false, count: 0, brokenAt: 1 });
  });

  it('also once the head is deleted with them', async () => {
    await t.sql('DELETE FROM audit_chain_head');

    assert.deepEqual(await verifyChain(t, admin.token), { valid: false, count: 0, brokenAt: 1 });
  });
});

describe('audit chain: a cut-off tail with a forged head', () => {
  let t: TestApp;
  let admin: SignedIn;
  let total: number;

  before(async () => ({ t, admin, total } = await appWithEvents()));
  after(() => t.close());

  it('Verify answers valid false when the head is moved to the new last row', async () => {
    await t.sql('DELETE FROM audit_events WHERE seq > ?', [total - 2]);
    const [last] = await t.sql<{ hash: string }>('SELECT hash FROM audit_events WHERE seq = ?', [
      total - 2,
    ]);
    await t.sql('UPDATE audit_chain_head SET seq = ?, hash = ?, mac = ?', [
      total - 2,
      last.hash,
      createHash('sha256')
        .update(`${total - 2}:${last.hash}`)
        .digest('hex'),
    ]);

    assert.equal((await verifyChain(t, admin.token)).valid, false);
  });

  it('and appends on top of the forged head do not make it valid again', async () => {
    const token = await freshAdminToken(t, admin);
    await freshAdminToken(t, admin);

    const chain = await verifyChain(t, token);

    assert.equal(chain.valid, false);
    assert.ok(((await anchoredHead(t))?.seq ?? 0) > total - 2, 'the appends moved the head');
  });
});

describe('audit chain: an edited row, every later hash recomputed without the key', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await appWithEvents()));
  after(() => t.close());

  it('Verify answers valid false although the plain SHA-256 chain and the head are consistent', async () => {
    const all = await rows(t);
    let prevHash = all[0].hash;
    for (const row of all.slice(1)) {
      const edited = { ...row, prevHash, targetName: row.seq === 2 ? 'mallory' : row.targetName };
      const hash = createHash('sha256')
        .update(JSON.stringify(chainFields(edited, edited.occurredAt.toISOString())))
        .digest('hex');
      await t.sql(
        'UPDATE audit_events SET target_name = ?, prev_hash = ?, hash = ? WHERE seq = ?',
        [edited.targetName, prevHash, hash, row.seq],
      );
      prevHash = hash;
    }
    const seq = all[all.length - 1].seq;
    await t.sql('UPDATE audit_chain_head SET hash = ?, mac = ?', [
      prevHash,
      createHash('sha256')
        .update(JSON.stringify(['head', seq, prevHash]))
        .digest('hex'),
    ]);

    assert.deepEqual(await verifyChain(t, admin.token), { valid: false, count: 1, brokenAt: 2 });
  });
});

describe('audit chain: a clean chain after many appends', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    ({ t, admin } = await startApp());
  });
  after(() => t.close());

  it('verifies valid with every event counted after a batch, concurrent calls and resets', async () => {
    const token = await freshAdminToken(t, admin);
    const users = [];
    for (let i = 0; i < 40; i++) users.push(await t.createAccount(token, uniqueName('many')));

    // 40 events in one transaction.
    await resetBatch(
      t,
      token,
      users.map((u) => u.id),
    ).expect(200);
    // Concurrent appends: failed sign-ins and single resets racing each other.
    await Promise.all([
      ...Array.from({ length: 16 }, () =>
        request(t.http)
          .post('/signinBody')
          .send({ Login: uniqueName('nobody'), Password: 'not-the-password-1!' })
          .expect(401),
      ),
      ...users.slice(0, 12).map((u) => resetById(t, token, u.id).expect(200)),
    ]);

    const total = await rowCount(t);
    assert.ok(total >= 40 + 16 + 12 + 40, `${total} events`);
    assert.deepEqual(await verifyChain(t, token), { valid: true, count: total });
    const head = await anchoredHead(t);
    const all = await rows(t);
    assert.deepEqual(
      all.map((r) => r.seq),
      Array.from({ length: total }, (_, i) => i + 1),
    );
    assert.equal(head?.seq, total);
    assert.equal(head?.hash, all[total - 1].hash);
    const keyId = t.config.mfa.currentKey.id;
    assert.equal(head?.key_id, keyId);
    assert.ok(all.every((r) => r.keyId === keyId));
  });
});

describe('audit chain: a rotation of the MFA encryption key', () => {
  const keyA = randomBytes(32).toString('hex');
  const keyB = randomBytes(32).toString('base64');
  const clock = new FakeClock();
  let database: { url: string; drop: () => Promise<void> };
  let env: Record<string, string>;

  before(async () => {
    database = await lastingDatabase();
    env = { DATABASE_URL: database.url, JWT_SECRET: randomBytes(32).toString('base64url') };
  });
  after(() => database.drop());

  it('verifies old and new rows after a restart with the old key among the previous ones', async () => {
    let t = await TestApp.start({ ...env, MFA_ENCRYPTION_KEY: keyA }, clock);
    const idA = t.config.mfa.currentKey.id;
    const { admin, older } = await (async () => {
      try {
        const signedIn = await t.enrolledAdmin();
        const user = await enrolledThroughApi(t, signedIn.token, 'rotated');
        await resetById(t, signedIn.token, user.id).expect(200);
        const count = await rowCount(t);
        assert.deepEqual(await verifyChain(t, signedIn.token), { valid: true, count });
        return { admin: signedIn, older: count };
      } finally {
        await t.close();
      }
    })();

    t = await TestApp.start(
      { ...env, MFA_ENCRYPTION_KEY: keyB, MFA_ENCRYPTION_KEYS_PREVIOUS: keyA },
      clock,
    );
    const idB = t.config.mfa.currentKey.id;
    try {
      const token = await t.signIn('admin', ADMIN_PASSWORD, admin.secret);
      await enrolledThroughApi(t, token, 'after-rotation');

      const total = await rowCount(t);
      assert.ok(total > older + 2, `${total} events`);
      assert.deepEqual(await verifyChain(t, token), { valid: true, count: total });
      const ids = (await rows(t)).map((r) => r.keyId);
      assert.deepEqual(ids, [
        ...Array<string>(older).fill(idA),
        ...Array<string>(total - older).fill(idB),
      ]);
      assert.equal((await anchoredHead(t))?.key_id, idB);
    } finally {
      await t.close();
    }
  });

  it('cannot verify the old rows once the old key is dropped', async () => {
    const t = await TestApp.start({ ...env, MFA_ENCRYPTION_KEY: keyB }, clock);
    try {
      assert.deepEqual(await t.app.get(AuditReader).verify(), {
        valid: false,
        count: 0,
        brokenAt: 1,
      });
    } finally {
      await t.close();
    }
  });

  it('writes no audit event on an instance without the head key, and the chain stays intact', async () => {
    let t = await TestApp.start(
      { ...env, MFA_ENCRYPTION_KEY: keyB, MFA_ENCRYPTION_KEYS_PREVIOUS: keyA },
      clock,
    );
    const before = await rowCount(t);
    await t.close();

    t = await TestApp.start({ ...env, MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex') }, clock);
    try {
      const res = await request(t.http)
        .post('/signinBody')
        .send({ Login: 'nobody', Password: 'not-the-password-1!' });
      assert.equal(res.status, 500, res.text);
      assert.equal(await rowCount(t), before, 'no event was written');
      assert.ok(t.logLines.some((l) => /does not have/.test(String(l.msg)) && l.level === 'error'));
    } finally {
      await t.close();
    }

    t = await TestApp.start(
      { ...env, MFA_ENCRYPTION_KEY: keyB, MFA_ENCRYPTION_KEYS_PREVIOUS: keyA },
      clock,
    );
    try {
      assert.deepEqual(await t.app.get(AuditReader).verify(), { valid: true, count: before });
    } finally {
      await t.close();
    }
  });
});

/**
 * Rewrites every event in an unkeyed SHA-256 chain (which needs no key), with a changed actor, as
 * someone with write access to the database but without the key would forge a history.
 */
async function forgeUnkeyedHistory(dataSource: DataSource): Promise<void> {
  const events = await dataSource.getRepository(AuditEvent).find({ order: { seq: 'ASC' } });
  const postgres = dataSource.options.type === 'postgres';
  let prev = GENESIS_HASH;
  for (const event of events) {
    const fields = [
      ...chainFields(
        { ...event, actorName: 'someone-else', prevHash: prev },
        event.occurredAt.toISOString(),
      ),
    ];
    fields.splice(fields.length - 2, 1); // no key id
    const hash = createHash('sha256').update(JSON.stringify(fields)).digest('hex');
    await dataSource.query(
      postgres
        ? 'UPDATE audit_events SET actor_name = $1, prev_hash = $2, hash = $3 WHERE seq = $4'
        : 'UPDATE audit_events SET actor_name = ?, prev_hash = ?, hash = ? WHERE seq = ?',
      ['someone-else', prev, hash, event.seq],
    );
    prev = hash;
  }
}

/** The database alone, with the service stopped. */
async function withStoppedDatabase(url: string, work: (d: DataSource) => Promise<void>) {
  const dataSource = await new DataSource(
    buildDataSourceOptions(loadDatabaseConfig({ DATABASE_URL: url })),
  ).initialize();
  try {
    await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

describe('audit chain: a downgrade to an unkeyed chain on a stopped database', () => {
  let database: { url: string; drop: () => Promise<void> };
  const keys = { MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex') };

  before(async () => (database = await lastingDatabase()));
  after(() => database.drop());

  it('is never signed by a start: Verify answers valid false', async () => {
    const clock = new FakeClock();
    let t = await TestApp.start({ DATABASE_URL: database.url, ...keys }, clock);
    try {
      await t.enrolledAdmin();
    } finally {
      await t.close();
    }
    let forged: string[] = [];
    await withStoppedDatabase(database.url, async (d) => {
      await forgeUnkeyedHistory(d);
      // The keyed chain's traces removed: its head and the key ids (both in the first schema).
      await d.query('DROP TABLE audit_chain_head');
      await d.query('ALTER TABLE audit_events DROP COLUMN key_id');
      forged = (
        await d.query<{ hash: string }[]>('SELECT hash FROM audit_events ORDER BY seq')
      ).map((r) => r.hash);
    });
    assert.ok(forged.length >= 3, `${forged.length} events`);

    t = await TestApp.start({ DATABASE_URL: database.url, ...keys }, clock);
    try {
      assert.equal((await t.app.get(AuditReader).verify()).valid, false);
      const after = (
        await t.sql<{ hash: string }>('SELECT hash FROM audit_events ORDER BY seq')
      ).map((r) => r.hash);
      assert.deepEqual(after, forged, 'no start signed a row it did not write');
      const line = t.logLines.find((l) => /audit log was tampered with/.test(String(l.msg)));
      assert.equal(line?.level, 'error');
    } finally {
      await t.close();
    }
  });
});

describe('audit chain: the head put back to the empty chain with every row kept', () => {
  let database: { url: string; drop: () => Promise<void> };
  const keys = { MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex') };

  before(async () => (database = await lastingDatabase()));
  after(() => database.drop());

  it('is not taken for the empty chain: Verify stays valid false, also after appends', async () => {
    const clock = new FakeClock();
    let t = await TestApp.start({ DATABASE_URL: database.url, ...keys }, clock);
    try {
      await t.enrolledAdmin();
    } finally {
      await t.close();
    }
    await withStoppedDatabase(database.url, async (d) => {
      await forgeUnkeyedHistory(d);
      await d.query(
        `UPDATE audit_chain_head SET seq = 0, hash = '${GENESIS_HASH}', key_id = NULL, mac = ''`,
      );
    });

    t = await TestApp.start({ DATABASE_URL: database.url, ...keys }, clock);
    try {
      assert.equal((await t.app.get(AuditReader).verify()).valid, false);
      await request(t.http)
        .post('/signinBody')
        .send({ Login: 'nobody', Password: 'not-the-password-1!' })
        .expect(401);
      assert.equal((await t.app.get(AuditReader).verify()).valid, false);
      const head = await anchoredHead(t);
      assert.equal(
        head?.mac,
        'untrusted',
        'an append on an unsigned head with rows does not sign it',
      );
    } finally {
      await t.close();
    }
  });
});

describe('audit chain: a new database', () => {
  it('starts with an unsigned empty head that the first event signs', async () => {
    const database = await lastingDatabase();
    try {
      await withStoppedDatabase(database.url, async (d) => {
        await d.runMigrations();
        const [head] = await d.query<Head[]>('SELECT seq, hash, key_id, mac FROM audit_chain_head');
        assert.deepEqual(
          { ...head, seq: Number(head.seq) },
          { seq: 0, hash: GENESIS_HASH, key_id: null, mac: '' },
        );
      });
      const t = await TestApp.start({ DATABASE_URL: database.url });
      try {
        const admin = await t.enrolledAdmin();
        const total = await rowCount(t);
        assert.deepEqual(await verifyChain(t, admin.token), { valid: true, count: total });
        assert.equal((await anchoredHead(t))?.key_id, t.config.mfa.currentKey.id);
      } finally {
        await t.close();
      }
    } finally {
      await database.drop();
    }
  });
});
