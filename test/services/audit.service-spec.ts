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
