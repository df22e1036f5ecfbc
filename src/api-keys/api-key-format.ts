import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** Every key starts so: secret scanners (and people) recognise a leaked one. */
export const API_KEY_PREFIX = 'mfak_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 43 base62 characters: 256 bits. */
const RANDOM_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
/** What is shown of a key after its creation: the prefix and the first random characters. */
const SHOWN_LENGTH = API_KEY_PREFIX.length + 8;
const SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${RANDOM_LENGTH + CHECKSUM_LENGTH}}$`);

function base62(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out;
}

function checksum(body: string): string {
  return base62(crc32(body), CHECKSUM_LENGTH);
}

/** A new key: the prefix, 256 random bits in base62, and a CRC32 checksum of the two. */
export function generateApiKey(): string {
  let random = '';
  while (random.length < RANDOM_LENGTH) {
    // Rejection sampling keeps every character equally likely (248 = 4 x 62).
    for (const byte of randomBytes(64))
      if (byte < 248 && random.length < RANDOM_LENGTH) random += ALPHABET[byte % 62];
  }
  const body = API_KEY_PREFIX + random;
  return body + checksum(body);
}

/** True when the text has a key's shape and its checksum holds: no database read for a typo. */
export function isWellFormedApiKey(text: string): boolean {
  if (!SHAPE.test(text)) return false;
  const body = text.slice(0, -CHECKSUM_LENGTH);
  return checksum(body) === text.slice(-CHECKSUM_LENGTH);
}

/** The part of a key that may be shown and stored in the clear (`mfak_` and 8 characters). */
export function shownPrefixOf(key: string): string {
  return key.slice(0, SHOWN_LENGTH);
}

/** True when a credential looks meant as an API key (then it is never tried as a JWT). */
export function looksLikeApiKey(text: string): boolean {
  return text.startsWith(API_KEY_PREFIX);
}
