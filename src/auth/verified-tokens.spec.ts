import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VerifiedTokens } from './verified-tokens';

const EXP = 2_000_000_000;

describe('VerifiedTokens', () => {
  it('answers a remembered token until the second its exp names, then forgets it', () => {
    const tokens = new VerifiedTokens<{ exp: number }>(4);
    tokens.remember('a.b.c', { exp: EXP });
    assert.deepEqual(tokens.claimsOf('a.b.c', EXP * 1000 - 1), { exp: EXP });
    assert.equal(tokens.claimsOf('a.b.c', EXP * 1000), undefined);
    assert.equal(tokens.size, 0, 'an expired entry is dropped');
    assert.equal(tokens.claimsOf('a.b.c', 0), undefined);
  });

  it('answers nothing for a token it was not given, however close', () => {
    const tokens = new VerifiedTokens<{ exp: number }>(4);
    tokens.remember('a.b.c', { exp: EXP });
    for (const other of ['a.b.d', 'a.b.c ', ' a.b.c', 'A.b.c', 'a.b'])
      assert.equal(tokens.claimsOf(other, 0), undefined, other);
  });

  it('keeps at most its capacity, dropping the oldest first', () => {
    const tokens = new VerifiedTokens<{ exp: number }>(2);
    tokens.remember('one', { exp: EXP });
    tokens.remember('two', { exp: EXP });
    tokens.remember('one', { exp: EXP }); // known: neither moved nor counted twice
    tokens.remember('three', { exp: EXP });
    assert.equal(tokens.size, 2);
    assert.equal(tokens.claimsOf('one', 0), undefined);
    assert.ok(tokens.claimsOf('two', 0));
    assert.ok(tokens.claimsOf('three', 0));
  });

  it('refuses a capacity that is not a positive integer', () => {
    for (const capacity of [0, -1, 1.5, Number.NaN])
      assert.throws(() => new VerifiedTokens(capacity), RangeError);
  });
});
