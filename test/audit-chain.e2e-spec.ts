import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { chainFields, GENESIS_HASH } from '../src/audit/audit-chain';
import { AuditService } from '../src/audit/audit.service';
import { AuditEvent } from '../src/audit/entities/audit-event.entity';
import { loadDatabaseConfig } from '../src/config/app-config';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { dbTime } from '../src/database/db-time';
import { InitialSchema1764000000000 } from '../src/database/migrations/1764000000000-initial-schema';
import { FakeClock } from './support/fake-clock';
import {
  enrolledUser,
  freshAdminToken,
  resetBatch,
  resetById,
  uniqueName,
  verifyChain,
} from './support/reset-helpers';
import { ADMIN_PASSWORD, SignedIn, TestApp } from './support/test-app';
import { PostgresTestDatabase, testDatabaseKind } from './support/test-database';

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
  const t = await TestApp.start();
  const admin = await t.enrolledAdmin();
  const user = await enrolledUser(t, admin.token, uniqueName('chain'));
  await resetById(t, admin.token, user.id).expect(200);
  const total = await rowCount(t);
  assert.ok(total >= 6, `${total} events`);
  assert.deepEqual(await verifyChain(t, admin.token), { valid: true, count: total });
  return { t, admin, total };
}

/** One database that outlives the apps started on it (to restart with other keys). */
async function lastingDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (testDatabaseKind() === 'postgres') {
    const database = await PostgresTestDatabase.create();
    return { url: database.url, drop: () => database.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'mfa-admin-audit-'));
  return {
    url: `sqlite:${join(dir, 'audit.sqlite')}`,
    drop: () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

describe('audit chain: a cut-off tail', () => {
  let t: TestApp;
  let admin: SignedIn;
  let total: number;

  before(async () => ({ t, admin, total } = await appWithEvents()));
  after(() => t.close());

  it('Verify answers valid false once the newest row was deleted', async () => {
    await t.sql('DELETE FROM audit_events WHERE seq = ?', [total]);

    assert.deepEqual(await verifyChain(t, admin.token), { valid: false, count: total - 1 });
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

    assert.deepEqual(await verifyChain(t, admin.token), { valid: false, count: total - 4 });
  });
});

describe('audit chain: every row deleted', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => ({ t, admin } = await appWithEvents()));
  after(() => t.close());

  it('Verify answers valid false with count 0 once every row was deleted', async () => {
    await t.sql('DELETE FROM audit_events');

    assert.deepEqual(await verifyChain(t, admin.token), { valid: false, count: 0 });
  });

  it('also once the head is deleted with them', async () => {
    await t.sql('DELETE FROM audit_chain_head');

    assert.deepEqual(await verifyChain(t, admin.token), { valid: false, count: 0 });
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

    assert.deepEqual(await verifyChain(t, admin.token), { valid: false, count: 1 });
  });
});

describe('audit chain: a clean chain after many appends', () => {
  let t: TestApp;
  let admin: SignedIn;

  before(async () => {
    t = await TestApp.start();
    admin = await t.enrolledAdmin();
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
        const user = await enrolledUser(t, signedIn.token, 'rotated');
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
      await enrolledUser(t, token, 'after-rotation');

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
      assert.deepEqual(await t.app.get(AuditService).verify(), {
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
      assert.deepEqual(await t.app.get(AuditService).verify(), { valid: true, count: before });
    } finally {
      await t.close();
    }
  });
});

/** Events as the release before the keyed chain wrote them: unkeyed SHA-256, no key id. */
async function databaseBeforeKeyedChain(url: string, events: number, editSeq?: number) {
  const dataSource = await new DataSource({
    ...buildDataSourceOptions(loadDatabaseConfig({ DATABASE_URL: url })),
    migrations: [InitialSchema1764000000000],
  }).initialize();
  try {
    await dataSource.runMigrations();
    const postgres = dataSource.options.type === 'postgres';
    let prevHash = GENESIS_HASH;
    for (let seq = 1; seq <= events; seq++) {
      const at = new Date(Date.UTC(2025, 0, 1, 0, 0, seq, 123));
      const row = [
        seq,
        randomUUID(),
        at.toISOString(),
        'sign-in.failed',
        'failure',
        null,
        `user-${seq}`,
        null,
        null,
        '127.0.0.1',
        'old-release/1.0',
        null,
        '{"reason":"unknown-user"}',
        prevHash,
      ];
      const hash = createHash('sha256').update(JSON.stringify(row)).digest('hex');
      const stored: unknown[] = [...row];
      stored[2] = dbTime(dataSource, at);
      if (seq === editSeq) stored[6] = 'edited';
      let n = 0;
      await dataSource.query(
        `INSERT INTO audit_events (seq, id, occurred_at, action, outcome, actor_id, actor_name,
           target_id, target_name, client_ip, user_agent, trace_id, details, prev_hash, hash)
         VALUES (${Array.from({ length: 15 }, () => (postgres ? `$${++n}` : '?')).join(', ')})`,
        [...stored, hash],
      );
      prevHash = hash;
    }
  } finally {
    await dataSource.destroy();
  }
}

describe('audit chain: a database from before the keyed chain', () => {
  let database: { url: string; drop: () => Promise<void> };
  const env = () => ({
    DATABASE_URL: database.url,
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  });

  before(async () => (database = await lastingDatabase()));
  after(() => database.drop());

  it('is re-signed once at start-up: old and new events verify', async () => {
    await databaseBeforeKeyedChain(database.url, 25);
    const keys = env();
    const clock = new FakeClock();

    let t = await TestApp.start(keys, clock);
    let signed: AuditEvent[];
    try {
      const admin = await t.enrolledAdmin();
      const total = await rowCount(t);
      assert.ok(total > 25, `${total} events`);
      assert.deepEqual(await verifyChain(t, admin.token), { valid: true, count: total });
      signed = await rows(t);
      assert.ok(signed.every((r) => r.keyId === t.config.mfa.currentKey.id));
      assert.equal(signed[24].actorName, 'user-25', 'the events are kept as they were');
      const upgrade = t.logLines.filter((l) =>
        /written before the keyed chain/.test(String(l.msg)),
      );
      assert.equal(upgrade.length, 1, 'one line tells the operator of the re-signing');
      assert.equal(upgrade[0].level, 'warn');
      assert.equal(upgrade[0].events, 25);
    } finally {
      await t.close();
    }

    t = await TestApp.start(keys, clock);
    try {
      assert.deepEqual(
        (await rows(t)).map((r) => r.hash),
        signed.map((r) => r.hash),
        'a second start signs nothing again',
      );
      assert.ok(
        !t.logLines.some((l) => /written before the keyed chain/.test(String(l.msg))),
        'and says nothing of it',
      );
      const { valid } = await t.app.get(AuditService).verify();
      assert.equal(valid, true);
    } finally {
      await t.close();
    }
  });
});

describe('audit chain: the head put back to the placeholder after the upgrade', () => {
  let database: { url: string; drop: () => Promise<void> };
  const keys = { MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex') };

  before(async () => (database = await lastingDatabase()));
  after(() => database.drop());

  it('signs no forged history at the next start: Verify stays valid false', async () => {
    const clock = new FakeClock();
    let t = await TestApp.start({ DATABASE_URL: database.url, ...keys }, clock);
    try {
      await t.enrolledAdmin();
      // Whoever can write to the database rewrites every event in the old, unkeyed format (which
      // needs no key), with a changed actor, and puts the head back to the placeholder.
      let prev = GENESIS_HASH;
      for (const event of await rows(t)) {
        const forged = { ...event, actorName: 'someone-else', keyId: null, prevHash: prev };
        const fields = [...chainFields(forged, event.occurredAt.toISOString())];
        fields.splice(fields.length - 2, 1); // the old format has no key id
        const hash = createHash('sha256').update(JSON.stringify(fields)).digest('hex');
        await t.sql(
          'UPDATE audit_events SET actor_name = ?, key_id = NULL, prev_hash = ?, hash = ? WHERE seq = ?',
          [forged.actorName, prev, hash, event.seq],
        );
        prev = hash;
      }
      await t.sql("UPDATE audit_chain_head SET key_id = NULL, mac = ''");
    } finally {
      await t.close();
    }

    t = await TestApp.start({ DATABASE_URL: database.url, ...keys }, clock);
    try {
      assert.equal((await t.app.get(AuditService).verify()).valid, false);
      assert.ok(
        (await rows(t)).every((r) => r.keyId === null),
        'nothing was re-signed with the chain key',
      );
      const line = t.logLines.find((l) => /did not apply the keyed chain/.test(String(l.msg)));
      assert.equal(line?.level, 'warn');
    } finally {
      await t.close();
    }
  });
});

describe('audit chain: a database from before the keyed chain, edited before the upgrade', () => {
  let database: { url: string; drop: () => Promise<void> };

  before(async () => (database = await lastingDatabase()));
  after(() => database.drop());

  it('keeps the edit detected: Verify answers valid false from the edited row on', async () => {
    await databaseBeforeKeyedChain(database.url, 10, 4);

    const t = await TestApp.start({
      DATABASE_URL: database.url,
      MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    });
    try {
      const admin = await t.enrolledAdmin();
      assert.deepEqual(await verifyChain(t, admin.token), { valid: false, count: 3 });
      await request(t.http)
        .post('/signinBody')
        .send({ Login: 'nobody', Password: 'not-the-password-1!' })
        .expect(401);
      assert.equal((await verifyChain(t, admin.token)).valid, false);
    } finally {
      await t.close();
    }
  });
});
