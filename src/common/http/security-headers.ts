import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's headers, worked out once at start, with `extra` ones. With fixed options helmet
 * always sets the same constant headers, but it walks a dozen middlewares per request to do it.
 */
export function securityHeaders(
  options?: Readonly<HelmetOptions>,
  extra: Readonly<Record<string, string>> = {},
): Readonly<Record<string, string>> {
  const set: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => (set[name] = String(value)),
    removeHeader: () => undefined,
  };
  let finished = false;
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error !== undefined) throw error instanceof Error ? error : new Error('helmet failed');
      finished = true;
    },
  );
  if (!finished || Object.keys(set).length === 0)
    throw new Error('helmet did not set its headers at once');
  return Object.freeze({ ...set, ...extra });
}
