import { hash } from 'node:crypto';

/** How many verified tokens one instance remembers: about 0.2 MiB at most. */
export const VERIFIED_TOKENS_KEPT = 2048;

/**
 * Tokens whose signature and claims jsonwebtoken has already accepted, so that a token presented
 * again (every call of a session presents the same one) is not decoded and verified again: that
 * was about a tenth of an authenticated GET's CPU and a seventh of what it allocated.
 *
 * - What a token's text decides (signature, algorithm, issuer, audience, the claims) cannot
 *   change; what time decides can: an entry is answered only while `exp` is ahead, as jsonwebtoken
 *   decides it (expired from the second `exp` names). The session behind the token is still read
 *   on every call, so a sign-out or a revoked session takes effect at once, as before.
 * - Kept under the token's SHA-256, not the token: memory holds no bearer token beyond its request.
 * - Only tokens that passed every check are remembered: a forged or refused token is verified (and
 *   refused) by jsonwebtoken each time, and cannot fill the map. The strategy remembers access
 *   tokens only (each needed a TOTP code), so sign-ins with a password alone cannot flush it.
 * - At most `capacity` entries; when full the oldest is dropped first. A new secret needs a
 *   restart, which empties it.
 */
export class VerifiedTokens<T extends { readonly exp: number }> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly capacity = VERIFIED_TOKENS_KEPT) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError('capacity');
  }

  /** The claims of a token accepted before and not expired at `nowMs`; undefined otherwise. */
  claimsOf(token: string, nowMs: number): T | undefined {
    const key = digest(token);
    const claims = this.entries.get(key);
    if (claims === undefined) return undefined;
    if (Math.floor(nowMs / 1000) >= claims.exp) {
      this.entries.delete(key);
      return undefined;
    }
    return claims;
  }

  /** A token jsonwebtoken (and the caller's own checks of its claims) accepted. */
  remember(token: string, claims: T): void {
    const key = digest(token);
    if (this.entries.has(key)) return;
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(key, claims);
  }

  get size(): number {
    return this.entries.size;
  }
}

function digest(token: string): string {
  return hash('sha256', token, 'base64');
}
