/** A key's count in its current minute. */
export interface MinuteWindow {
  count: number;
  readonly resetAt: number;
}

const WINDOW_MS = 60_000;

/**
 * Counts per key (a client address, an account) in fixed one-minute windows, in memory, per
 * instance: the per-minute limits that need no database. At most `maxKeys` keys are tracked;
 * past that, run-out windows and then the oldest are forgotten.
 */
export class MinuteWindows {
  private readonly windows = new Map<string, MinuteWindow>();

  constructor(private readonly maxKeys = 100_000) {}

  /** The key's window at `now` (a fresh one at 0 when the last has run out). */
  current(key: string, now: number): MinuteWindow {
    const window = this.windows.get(key);
    if (window !== undefined && window.resetAt > now) return window;
    this.windows.delete(key);
    if (this.windows.size >= this.maxKeys) {
      for (const [k, w] of this.windows) if (w.resetAt <= now) this.windows.delete(k);
      const oldest = this.windows.keys().next();
      if (this.windows.size >= this.maxKeys && !oldest.done) this.windows.delete(oldest.value);
    }
    const fresh = { count: 0, resetAt: now + WINDOW_MS };
    this.windows.set(key, fresh);
    return fresh;
  }
}

/** Retry-After, in whole seconds, for a window that is full. */
export function retryAfterOf(window: MinuteWindow, now: number): string {
  return String(Math.ceil((window.resetAt - now) / 1000));
}
