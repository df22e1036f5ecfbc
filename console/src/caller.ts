// Who is signed in, as every screen is given it (GET /api/v1/Session), and what they may do.

import type { Caller } from './api';

export interface ScreenProps {
  readonly caller: Caller;
  readonly refreshCaller: () => Promise<void>;
}

/** Whether the caller's credential holds a permission: which screens and buttons to offer. */
export function can(caller: Caller, permission: string): boolean {
  return caller.permissions.includes(permission);
}
