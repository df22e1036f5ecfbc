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

let consoleHeaders: Readonly<Record<string, string>> | undefined;

/**
 * The web console's headers: its own files only, no inline script or style, Trusted Types, no
 * framing, no form posts; its scripts may reach this service alone (docs/security.md says why
 * each is there). Set by the request pipeline on every /console answer, and again by the console's
 * routes, which also serve a path that reaches them only once decoded (/%63onsole).
 */
export function consoleSecurityHeaders(): Readonly<Record<string, string>> {
  consoleHeaders ??= securityHeaders(
    {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          baseUri: ["'none'"],
          formAction: ["'none'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          requireTrustedTypesFor: ["'script'"],
          trustedTypes: ["'none'"],
        },
      },
      frameguard: { action: 'deny' },
    },
    { 'Cache-Control': 'no-store' },
  );
  return consoleHeaders;
}
