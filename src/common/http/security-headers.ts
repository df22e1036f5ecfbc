import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

type HeaderMiddleware = (req: Request, res: Response, next: NextFunction) => void;

/**
 * Helmet's headers, worked out once at start and then set as they are, with `extra` ones. With
 * fixed options helmet always sets the same constant headers, but it walks a dozen middlewares per
 * request to do it.
 */
export function securityHeaders(
  options?: Readonly<HelmetOptions>,
  extra: Readonly<Record<string, string>> = {},
): HeaderMiddleware {
  const set: [string, string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: unknown) => set.push([name, String(value)]),
    removeHeader: (name: string) => removed.push(name),
  };
  let finished = false;
  helmet(options)({} as Request, recorder as unknown as Response, (error?: unknown) => {
    if (error !== undefined) throw error instanceof Error ? error : new Error('helmet failed');
    finished = true;
  });
  if (!finished || set.length === 0) throw new Error('helmet did not set its headers at once');
  set.push(...Object.entries(extra));
  return (_req, res, next) => {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}
