import { NO_JUSTIFICATION } from '../../src/mfa-reset/reset-justification';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditReader } from '../../src/audit/audit-reader.service';
import { DomainError, ErrorCode } from '../../src/common/problem/domain-error';
import { MfaResetService } from '../../src/mfa-reset/mfa-reset.service';
import { ResetTargetsRepository } from '../../src/mfa-reset/reset-targets.repository';
import { WriteQueue } from '../../src/database/write-queue';
import { SessionsRepository } from '../../src/sessions/sessions.repository';
import { EntityManager } from 'typeorm';
import { testDatabaseKind } from '../support/test-database';
import { enrolledAccount } from '../support/factories';
import { ServiceContext, TEST_REQUEST } from '../support/service-context';
import type { SignedIn } from '../support/test-app';

/** The reset rules through MfaResetService itself: no HTTP, a real database. */
describe('MfaResetService', () => {
  let s: ServiceContext;
  let resets: MfaResetService;
  let admin: SignedIn;
  let helpDesk: SignedIn;

  before(async () => {
    s = await ServiceContext.start();
    resets = s.get(MfaResetService);
    admin = await enrolledAccount(s, { userName: 'svc-admin', roles: ['Admin'] });
    helpDesk = await enrolledAccount(s, { userName: 'svc-helpdesk', roles: ['HelpDesk'] });
  });
  after(() => s.close());

  const refusal = async (work: Promise<unknown>): Promise<DomainError> => {
    const error = await work.then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof DomainError, String(error));
    return error;
  };

  /** Another open access session of the account, as a sign-in leaves it: answers its id. */
  const openSession = async (accountId: string, manager?: EntityManager): Promise<string> => {
    const now = s.clock.now();
    const open = (m: EntityManager) =>
      s.get(SessionsRepository).create(
        m,
        {
          accountId,
          kind: 'access',
          securityStamp: 'stamp',
          expiresAt: new Date(now.getTime() + 3_600_000),
          mfaVerifiedAt: now,
          clientIp: '127.0.0.1',
          userAgent: 'test',
        },
        now,
      );
    return (await (manager ? open(manager) : s.get(WriteQueue).run(open))).id;
  };

  /** `sessionsRevoked` of the account's reset event, if it has one. */
  const resetEventSessions = async (accountId: string): Promise<unknown> => {
    const page = await s.get(AuditReader).list({ action: 'mfa.reset', targetId: accountId });
    return page.items[0]?.details?.sessionsRevoked;
  };

  it('refuses HelpDesk resetting an Admin, with an audit record of the refusal', async () => {
    const error = await refusal(
      resets.resetById(await s.principalOf(helpDesk), admin.id, TEST_REQUEST, NO_JUSTIFICATION),
    );
    assert.equal(error.code, ErrorCode.TargetNotAllowed);
    assert.equal(error.refusal?.action, 'mfa.reset');
    assert.deepEqual(error.refusal?.target, { id: admin.id, name: 'svc-admin' });
  });

  it('resets an account without MFA again, saying so', async () => {
    const user = await enrolledAccount(s, { userName: 'svc-twice' });
    const caller = await s.principalOf(admin);
    assert.equal(
      (await resets.resetById(caller, user.id, TEST_REQUEST, NO_JUSTIFICATION)).mfaWasEnabled,
      true,
    );
    const again = await resets.resetById(caller, user.id, TEST_REQUEST, NO_JUSTIFICATION);
    assert.deepEqual(again, {
      id: user.id,
      userName: 'svc-twice',
      mfaWasEnabled: false,
      sessionsRevoked: 0,
    });
  });

  it('changes nothing in a batch naming an unknown id, and names the missing ones', async () => {
    const user = await enrolledAccount(s, { userName: 'svc-batch' });
    const missing = '0f9e4c1a-3c55-4c1e-9d0c-6f1d2b7c8a90';
    const error = await refusal(
      resets.resetMany(
        await s.principalOf(admin),
        [user.id, missing],
        TEST_REQUEST,
        NO_JUSTIFICATION,
      ),
    );
    assert.equal(error.code, ErrorCode.AccountsNotFound);
    assert.deepEqual(error.extensions.missingIds, [missing]);
    const ok = await resets.resetById(
      await s.principalOf(admin),
      user.id,
      TEST_REQUEST,
      NO_JUSTIFICATION,
    );
    assert.equal(ok.mfaWasEnabled, true, 'the batch left the account as it was');
  });

  it('keeps the caller’s own session when it resets itself, and ends the others', async () => {
    const self = await enrolledAccount(s, { userName: 'svc-self' });
    const other = await enrolledAccount(s, { userName: 'svc-self-2' });
    const caller = await s.principalOf(self);
    const result = await resets.resetOwn(caller, TEST_REQUEST, NO_JUSTIFICATION);
    assert.equal(result.sessionsRevoked, 0);
    assert.ok(await s.principalOf(self), 'the caller’s session is still there');
    assert.equal(
      (await resets.resetOwn(await s.principalOf(other), TEST_REQUEST, NO_JUSTIFICATION))
        .mfaWasEnabled,
      true,
    );
  });

  it('answers and audits the sessions it ends, counted in its own transaction', async () => {
    const user = await enrolledAccount(s, { userName: 'svc-count' });
    await openSession(user.id);
    const result = await resets.resetById(
      await s.principalOf(admin),
      user.id,
      TEST_REQUEST,
      NO_JUSTIFICATION,
    );
    assert.equal(result.sessionsRevoked, 2);
    assert.equal(await resetEventSessions(user.id), 2);
  });

  /**
   * Runs `meanwhile` in the reset's transaction once, between its count of the sessions and its
   * writes (where a sign-in or a sign-out on another PostgreSQL instance can land), and answers the
   * reset, its event's count, and how many times the targets were read (2: the reset ran again).
   */
  const resetWithChangeMeanwhile = async (
    userId: string,
    meanwhile: (m: EntityManager) => Promise<void>,
  ): Promise<{ answered: number; audited: unknown; reads: number }> => {
    const targets = s.get(ResetTargetsRepository);
    const find = targets.find.bind(targets);
    let reads = 0;
    targets.find = async (m, which, actor, now) => {
      const found = await find(m, which, actor, now);
      if (reads++ === 0) await meanwhile(m);
      return found;
    };
    try {
      const result = await resets.resetById(
        await s.principalOf(admin),
        userId,
        TEST_REQUEST,
        NO_JUSTIFICATION,
      );
      return {
        answered: result.sessionsRevoked,
        audited: await resetEventSessions(userId),
        reads,
      };
    } finally {
      targets.find = find;
    }
  };

  it('records the sessions it ended when a session opened meanwhile', async () => {
    const user = await enrolledAccount(s, { userName: 'svc-opened' });
    const outcome = await resetWithChangeMeanwhile(user.id, async (m) => {
      await openSession(user.id, m);
    });
    assert.deepEqual(
      outcome,
      testDatabaseKind() === 'postgres'
        ? // The event waits for the UPDATE's count: both sessions, the one opened meanwhile too.
          { answered: 2, audited: 2, reads: 1 }
        : // One writer: only a test can do this; the count contradicted, the reset ran again (the
          // session opened in the first try rolled back with it).
          { answered: 1, audited: 1, reads: 2 },
    );
  });

  it('records the sessions it ended when one was signed out meanwhile, and is not refused', async () => {
    const user = await enrolledAccount(s, { userName: 'svc-signed-out' });
    const second = await openSession(user.id);
    const outcome = await resetWithChangeMeanwhile(user.id, (m) =>
      s.get(SessionsRepository).revoke(m, second, s.clock.now()),
    );
    assert.deepEqual(
      outcome,
      testDatabaseKind() === 'postgres'
        ? { answered: 1, audited: 1, reads: 1 }
        : { answered: 2, audited: 2, reads: 2 },
    );
  });

  it('leaves a valid audit chain behind', async () => {
    const { valid, count } = await s.get(AuditReader).verify();
    assert.equal(valid, true);
    assert.ok(count >= 4, `${count} events`);
  });
});
