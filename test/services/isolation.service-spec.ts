import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccountsRepository } from '../../src/accounts/accounts.repository';
import { WriteQueue } from '../../src/database/write-queue';
import { SessionsRepository } from '../../src/sessions/sessions.repository';
import { enrolledAccount } from '../support/factories';
import { ServiceContext } from '../support/service-context';

/**
 * A read outside the write queue sees only what is committed: on SQLite every write shares one
 * connection, and a session check made on it would see a write that is still open (a refused
 * PATCH's new security stamp, before its rollback), and refuse a valid token.
 */
describe('reads outside a write', () => {
  let s: ServiceContext;

  before(async () => {
    s = await ServiceContext.start();
  });
  after(() => s.close());

  it('do not see a write transaction that is still open, nor one rolled back', async () => {
    const user = await enrolledAccount(s, { userName: 'iso-user' });
    const principal = await s.principalOf(user);
    const sessions = s.get(SessionsRepository);
    const before = await sessions.findForCheck(principal.sessionId!);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let written = () => {};
    const wrote = new Promise<void>((resolve) => (written = resolve));
    const write = s.get(WriteQueue).run(async (m) => {
      await s.get(AccountsRepository).update(m, user.id, { securityStamp: 'uncommitted-stamp' });
      written();
      await held;
      throw new Error('refused: rolled back');
    });
    await wrote;

    const during = await sessions.findForCheck(principal.sessionId!);
    release();
    await assert.rejects(write, /rolled back/);
    const afterwards = await sessions.findForCheck(principal.sessionId!);

    assert.equal(during?.accountStamp, before?.accountStamp, 'the open write is not seen');
    assert.equal(afterwards?.accountStamp, before?.accountStamp, 'nor, rolled back, later');
  });

  it('see a write once it is committed', async () => {
    const user = await enrolledAccount(s, { userName: 'iso-commit' });
    const principal = await s.principalOf(user);
    await s
      .get(WriteQueue)
      .run((m) =>
        s.get(AccountsRepository).update(m, user.id, { securityStamp: 'committed-stamp' }),
      );
    const check = await s.get(SessionsRepository).findForCheck(principal.sessionId!);
    assert.equal(check?.accountStamp, 'committed-stamp');
  });
});
