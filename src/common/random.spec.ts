import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomHex } from './random';

describe('randomHex', () => {
  it('answers the asked number of bytes as lower-case hex', () => {
    for (const bytes of [1, 8, 16, 32, 256]) {
      assert.match(randomHex(bytes), new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
    }
  });

  it('never hands out the same bytes twice, across many pool refills', () => {
    const seen = new Set<string>();
    // 5,000 x 16 bytes is ten refills of the 8 KiB pool.
    for (let i = 0; i < 5000; i++) seen.add(randomHex(16));
    assert.equal(seen.size, 5000);
  });

  it('is not constant within a pool: every byte value turns up', () => {
    const bytes = Buffer.from(Array.from({ length: 64 }, () => randomHex(64)).join(''), 'hex');
    assert.equal(new Set(bytes).size, 256);
  });

  it('refuses sizes it cannot serve', () => {
    for (const bytes of [0, -1, 1.5, 257, Number.NaN]) {
      assert.throws(() => randomHex(bytes), RangeError);
    }
  });
});
