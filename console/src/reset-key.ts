// One Idempotency-Key per reset the person asks for: a second try of the same reset (after a
// network error, a lost answer, a closed dialog) sends the same key, so the service answers what
// the first did instead of resetting twice; another target, reason or ticket is another reset.

import { useRef } from 'preact/hooks';
import { newIdempotencyKey } from './api';

export function useResetKey(): { keyFor: (request: unknown) => string; done: () => void } {
  const last = useRef<{ request: string; key: string } | undefined>(undefined);
  return {
    keyFor(request: unknown): string {
      const text = JSON.stringify(request);
      if (last.current?.request !== text)
        last.current = { request: text, key: newIdempotencyKey() };
      return last.current.key;
    },
    /** The reset was done: the next one, even alike, is a new reset. */
    done(): void {
      last.current = undefined;
    },
  };
}
