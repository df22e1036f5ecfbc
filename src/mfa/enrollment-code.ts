import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be taken for one another (no 0/O, 1/l/I). */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const GROUPS = 3;
const GROUP_LENGTH = 4;

/**
 * A one-time enrolment code as a reset hands it out: three groups of four (about 59 bits), easy
 * to read out over the phone. Stored only as a keyed hash.
 */
export function newEnrollmentCode(): string {
  return Array.from({ length: GROUPS }, () =>
    Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
  ).join('-');
}

/**
 * A code as typed, in the one form that is hashed: upper-case, without spaces or dashes; undefined
 * when it cannot be one (wrong length or characters), so that no hash is spent on it.
 */
export function normalEnrollmentCode(typed: string): string | undefined {
  const compact = typed.replace(/[\s-]/g, '').toUpperCase();
  if (compact.length !== GROUPS * GROUP_LENGTH) return undefined;
  return [...compact].every((c) => ALPHABET.includes(c)) ? compact : undefined;
}
