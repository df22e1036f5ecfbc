import { randomBytes } from 'node:crypto';

/** A new stamp ends every session made under the old one (each session records its stamp). */
export function newSecurityStamp(): string {
  return randomBytes(16).toString('hex');
}
