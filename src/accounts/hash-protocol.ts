/**
 * What the service and its password-hashing process say to each other over the IPC channel: one
 * request per hash or check, answered with the same id.
 */

/** argon2id with OWASP's minimum (19 MiB, 2 passes, 1 lane). */
export const ARGON2ID_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** The hashing process's nice value (the service runs at the default, 0). */
export const HASH_PRIORITY = 10;

export type HashRequest =
  | { readonly id: number; readonly op: 'hash'; readonly password: string }
  | {
      readonly id: number;
      readonly op: 'verify';
      readonly hash: string;
      readonly password: string;
    };

/**
 * - `ok: true`: the hash, or whether the password matches.
 * - `unreadable`: the stored hash is no argon2 hash (no password matches it).
 * - `failure`: argon2 could not do the work (memory, say): argon2's message, never the password.
 */
export type HashReply =
  | { readonly id: number; readonly ok: true; readonly value: string | boolean }
  | { readonly id: number; readonly ok: false; readonly unreadable: true }
  | { readonly id: number; readonly ok: false; readonly failure: string };
