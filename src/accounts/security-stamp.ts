import { randomHex } from '../common/random';

/** A new stamp ends every session made under the old one (each session records its stamp). */
export function newSecurityStamp(): string {
  return randomHex(16);
}
