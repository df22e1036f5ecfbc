import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateApiKey, isWellFormedApiKey, shownPrefixOf } from './api-key-format';

describe('API key format', () => {
  it('makes distinct, well-formed keys with the mfak_ prefix', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey()));
    assert.equal(keys.size, 200);
    for (const key of keys) {
      assert.match(key, /^mfak_[0-9A-Za-z]{49}$/);
      assert.ok(isWellFormedApiKey(key), key);
    }
  });

  it('refuses a typo through the checksum, and anything of another shape', () => {
    const key = generateApiKey();
    const i = 20;
    const typo = key.slice(0, i) + (key[i] === 'a' ? 'b' : 'a') + key.slice(i + 1);
    assert.equal(isWellFormedApiKey(typo), false);
    assert.equal(isWellFormedApiKey(key.slice(0, -1)), false);
    assert.equal(isWellFormedApiKey(`${key}x`), false);
    assert.equal(isWellFormedApiKey(key.replace('mfak_', 'mfax_')), false);
    assert.equal(isWellFormedApiKey(''), false);
  });

  it('shows only the prefix and 8 characters', () => {
    const key = generateApiKey();
    assert.equal(shownPrefixOf(key), key.slice(0, 13));
  });
});
