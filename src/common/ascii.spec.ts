import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asciiLower, flatText, hasUnsafeCharacters, UNSAFE_TEXT } from './ascii';

describe('asciiLower', () => {
  it('lower-cases A-Z and leaves everything else as it is', () => {
    assert.equal(asciiLower('Admin.User@Example-1'), 'admin.user@example-1');
    assert.equal(asciiLower('\u212Aate'), '\u212Aate', 'the Kelvin sign is not a K');
    assert.equal(asciiLower('\u0130stanbul'), '\u0130stanbul', 'nor the dotted capital I an i');
    assert.equal(asciiLower('ÄÖÜ'), 'ÄÖÜ');
  });
});

describe('hasUnsafeCharacters and flatText', () => {
  it('find control, invisible and direction-changing characters, and make them spaces', () => {
    for (const text of [
      'a\nb',
      'a\rb',
      'a\u0000b',
      'a\u0085b',
      'a\u200bb',
      'a\u202eb',
      'a\u2066b',
      'a\ufeffb',
    ])
      assert.equal(hasUnsafeCharacters(text), true, JSON.stringify(text));
    for (const text of ['Lost phone', 'Téléphone perdu', '携帯電話を紛失', 'INC-4711 (call-back)'])
      assert.equal(hasUnsafeCharacters(text), false, text);
    assert.equal(flatText('Bob\r\nReset by: x\u2028y'), 'Bob  Reset by: x y');
  });

  it('find what draws as nothing in other categories: default-ignorables, unassigned, surrogates, private use, blanks', () => {
    for (const text of [
      'Administrator\u034f', // combining grapheme joiner
      'a\u17b4b', // Khmer inherent vowel
      'a\u180bb', // Mongolian variation selector
      'a\ufe0fb', // variation selector 16
      'a\u{e0100}b', // variation selector 17
      'a\u2065b', // unassigned, inside the invisible operators
      'a\ufff0b', // unassigned, before the specials
      'a\u{e0000}b', // unassigned, in the tag block
      'a\ud800b', // a lone surrogate
      'a\ue000b', // private use
      'a\u2800b', // Braille blank
      'a\ufffcb', // object replacement character
    ])
      assert.equal(hasUnsafeCharacters(text), true, JSON.stringify(text));
    // Combining accents, spaces and scripts that need no invisible character stay.
    for (const text of ['Zoe\u0308', 'Ωmega 山田 مرحبا', 'Ana María', 'a\u3000b'])
      assert.equal(hasUnsafeCharacters(text), false, JSON.stringify(text));
  });
});

describe("the web console's list of hidden characters", () => {
  it("is the service's list, so the console shows as code points what the service refuses", () => {
    const source = readFileSync(join(process.cwd(), 'console', 'src', 'components.tsx'), 'utf8');
    const hidden = /const HIDDEN =\s*\/(\[[^\n]*\])\/gu;/.exec(source)?.[1];
    assert.equal(hidden, UNSAFE_TEXT);
  });
});
