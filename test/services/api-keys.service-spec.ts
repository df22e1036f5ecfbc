import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiKeysService } from '../../src/api-keys/api-keys.service';
import { DomainError, ErrorCode } from '../../src/common/problem/domain-error';
import { Sql } from '../../src/database/sql';
import { WriteQueue } from '../../src/database/write-queue';
import { enrolledAccount } from '../support/factories';
import { ServiceContext, TEST_REQUEST } from '../support/service-context';

/** ApiKeysService's own rules, under what the HTTP tests cannot time. */
describe('ApiKeysService', () => {
  let s: ServiceContext;
  let keys: ApiKeysService;

  before(async () => {
    s = await ServiceContext.start();
    keys = s.get(ApiKeysService);
  });
  after(() => s.close());

  it('makes no key for a session whose account changed after the call was let in', async () => {
    const owner = await enrolledAccount(s, { userName: 'ak-race', roles: ['Admin'] });
    // The principal as the guard built it; then a password set (a new stamp) lands first.
    const principal = await s.principalOf(owner);
    await s
      .get(WriteQueue)
      .run((m) =>
        s
          .get(Sql)
          .run(m, 'UPDATE accounts SET security_stamp = ? WHERE id = ?', ['changed', owner.id]),
      );
    const body = { name: 'late', expiresInDays: 1, permissions: ['view-accounts'] };
    await assert.rejects(
      keys.create(principal, body, TEST_REQUEST),
      (e: unknown) => e instanceof DomainError && e.code === ErrorCode.Unauthenticated,
    );
    assert.deepEqual(await keys.list(principal, false), []);
  });

  it("makes the key while the session is the account's", async () => {
    const owner = await enrolledAccount(s, { userName: 'ak-ok', roles: ['Admin'] });
    const principal = await s.principalOf(owner);
    const body = { name: 'fine', expiresInDays: 1, permissions: ['view-accounts'] };
    const created = await keys.create(principal, body, TEST_REQUEST);
    const outcome = await keys.authenticate(created.key, owner.id.toUpperCase(), TEST_REQUEST);
    assert.equal(outcome.ok, true, 'X-User-Id is compared without case');
  });
});
