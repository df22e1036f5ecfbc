import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AccountsRepository } from '../../src/accounts/accounts.repository';
import { DomainError, ErrorCode } from '../../src/common/problem/domain-error';
import { WriteQueue } from '../../src/database/write-queue';
import { StepUpService } from '../../src/mfa/step-up.service';
import { enrolledAccount, FACTORY_PASSWORD } from '../support/factories';
import { ServiceContext, TEST_REQUEST } from '../support/service-context';
import { totpAt } from '../support/totp';

/** Step-up's counting and refusals through StepUpService itself. */
describe('StepUpService', () => {
  let s: ServiceContext;
  let stepUp: StepUpService;

  before(async () => {
    s = await ServiceContext.start({ LOCKOUT_THRESHOLD: '3', STEP_UP_MAX_AGE: '0' });
    stepUp = s.get(StepUpService);
  });
  after(() => s.close());

  const failures = async (id: string) =>
    (await s.get(AccountsRepository).findById(id))?.failedAttempts;

  const refused = async (work: Promise<void>, code: ErrorCode) => {
    await assert.rejects(work, (e: unknown) => e instanceof DomainError && e.code === code);
  };

  it('asks for a proof when none is recent, and counts nothing for that', async () => {
    const user = await enrolledAccount(s, { userName: 'su-none' });
    await refused(
      stepUp.demand(
        await s.principalOf(user),
        { code: undefined, method: undefined },
        TEST_REQUEST,
      ),
      ErrorCode.StepUpRequired,
    );
    assert.equal(await failures(user.id), 0);
  });

  it('counts a wrong, a malformed and an unavailable-method proof alike, then locks', async () => {
    const user = await enrolledAccount(s, { userName: 'su-count' });
    const principal = await s.principalOf(user);
    for (const [proof, refusal] of [
      [{ code: '000000', method: undefined }, ErrorCode.StepUpInvalid],
      [{ code: 'abc', method: undefined }, ErrorCode.StepUpInvalid],
      // A method not offered is answered as a validation problem naming the methods offered.
      [{ code: '123456', method: 'sms' }, ErrorCode.ValidationFailed],
    ] as const) {
      await refused(stepUp.demand(principal, proof, TEST_REQUEST), refusal);
    }
    const account = await s.get(AccountsRepository).findById(user.id);
    assert.notEqual(account?.lockedUntil, null, 'locked at the third failure');
  });

  it('accepts the right code once, and the password as a proof', async () => {
    const user = await enrolledAccount(s, { userName: 'su-ok' });
    s.clock.advance(30);
    const code = await totpAt(user.secret, s.clock.now());
    const principal = await s.principalOf(user);
    await stepUp.demand(principal, { code, method: undefined }, TEST_REQUEST);
    await refused(
      stepUp.demand(principal, { code, method: undefined }, TEST_REQUEST),
      ErrorCode.StepUpInvalid,
    );
    await stepUp.demand(principal, { code: FACTORY_PASSWORD, method: 'password' }, TEST_REQUEST);
  });

  it('refuses a locked account even the right code', async () => {
    const user = await enrolledAccount(s, { userName: 'su-locked' });
    const until = new Date(s.clock.now().getTime() + 15 * 60_000);
    await s
      .get(WriteQueue)
      .run((m) => s.get(AccountsRepository).update(m, user.id, { lockedUntil: until }));
    s.clock.advance(30);
    const code = await totpAt(user.secret, s.clock.now());
    await refused(
      stepUp.demand(await s.principalOf(user), { code, method: undefined }, TEST_REQUEST),
      ErrorCode.StepUpInvalid,
    );
  });
});
