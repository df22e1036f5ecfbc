import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { asciiLower } from './ascii';

describe('asciiLower', () => {
  it('lower-cases A-Z and leaves everything else as it is', () => {
    assert.equal(asciiLower('Admin.User@Example-1'), 'admin.user@example-1');
    assert.equal(asciiLower('\u212Aate'), '\u212Aate', 'the Kelvin sign is not a K');
    assert.equal(asciiLower('\u0130stanbul'), '\u0130stanbul', 'nor the dotted capital I an i');
    assert.equal(asciiLower('ÄÖÜ'), 'ÄÖÜ');
  });
});
