import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DataSource } from 'typeorm';
import { AuditAction } from '../../src/audit/audit-action';
import { AuditReader } from '../../src/audit/audit-reader.service';
import { AuditService } from '../../src/audit/audit.service';
import { WriteQueue } from '../../src/database/write-queue';
import { ServiceContext, TEST_REQUEST } from '../support/service-context';

/** The audit chain through AuditService (append) and AuditReader (list, verify). */
describe('AuditService and AuditReader', () => {
  let s: ServiceContext;

  before(async () => {
    s = await ServiceContext.start();
  });
  after(() => s.close());

  const append = (name: string) =>
    s.get(WriteQueue).run((m) =>
      s.get(AuditService).append(m, {
        action: AuditAction.SignInFailed,
        outcome: 'failure',
        actor: { id: null, name },
        context: TEST_REQUEST,
        details: { reason: 'test' },
      }),
    );

  it('chains every append: consecutive positions, each row naming the previous hash', async () => {
    const first = await append('one');
    const second = await append('two');
    assert.equal(second.seq, first.seq + 1);
    assert.equal(second.prevHash, first.hash);
    assert.deepEqual(await s.get(AuditReader).verify(), { valid: true, count: second.seq });
  });

  it('lists newest first with the request facts', async () => {
    const page = await s.get(AuditReader).list({ take: 2 });
    assert.deepEqual(
      page.items.map((e) => e.actorName),
      ['two', 'one'],
    );
    assert.equal(page.items[0].traceId, TEST_REQUEST.traceId);
    assert.notEqual(page.next, null);
  });

  it('reports an edited row from its position on', async () => {
    const event = await append('three');
    await s
      .get(DataSource)
      .query(
        s.config.database.kind === 'postgres'
          ? 'UPDATE audit_events SET actor_name = $1 WHERE seq = $2'
          : 'UPDATE audit_events SET actor_name = ? WHERE seq = ?',
        ['mallory', event.seq - 1],
      );
    const result = await s.get(AuditReader).verify();
    assert.equal(result.valid, false);
    assert.equal(result.brokenAt, event.seq - 1);
  });
});

/** The anchored head moves once per transaction, to its last row, when it commits. */
describe('AuditService: the head of a transaction with several appends', () => {
  let s: ServiceContext;

  before(async () => {
    s = await ServiceContext.start();
  });
  after(() => s.close());

  const entry = (name: string) => ({
    action: AuditAction.SignInFailed,
    outcome: 'failure' as const,
    actor: { id: null, name },
    context: TEST_REQUEST,
  });
  const headQuery = 'SELECT seq, hash, key_id, mac FROM audit_chain_head WHERE id = 1';
  type Head = { seq: number | string; hash: string; key_id: string | null; mac: string };
  const head = async (): Promise<Head> => (await s.get(DataSource).query<Head[]>(headQuery))[0];

  it('moves the head once, to the last row, as the transaction commits', async () => {
    const before = await head();
    const seen: Head[] = [];
    const events = await s.get(WriteQueue).run(async (m) => {
      const audit = s.get(AuditService);
      const out = [];
      for (const name of ['a', 'b', 'c']) {
        out.push(await audit.append(m, entry(name)));
        seen.push((await m.query<Head[]>(headQuery))[0]);
      }
      return out;
    });
    // Inside the transaction the head has not moved yet: each append continued the one before.
    for (const inside of seen) assert.equal(Number(inside.seq), Number(before.seq));
    assert.equal(events[1].prevHash, events[0].hash);
    assert.equal(events[2].prevHash, events[1].hash);
    const after = await head();
    assert.equal(Number(after.seq), events[2].seq);
    assert.equal(after.hash, events[2].hash);
    assert.notEqual(after.mac, 'untrusted');
    assert.deepEqual(await s.get(AuditReader).verify(), { valid: true, count: events[2].seq });
  });

  it('leaves the head and the chain as they were when the transaction rolls back', async () => {
    const before = await head();
    await assert.rejects(
      s.get(WriteQueue).run(async (m) => {
        await s.get(AuditService).append(m, entry('gone'));
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    assert.deepEqual(await head(), before);
    const next = await s.get(WriteQueue).run((m) => s.get(AuditService).append(m, entry('next')));
    assert.equal(next.seq, Number(before.seq) + 1);
    assert.equal(next.prevHash, before.hash);
    assert.deepEqual(await s.get(AuditReader).verify(), { valid: true, count: next.seq });
  });
});
