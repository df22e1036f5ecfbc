import type { Request } from 'express';

/** What a request carries through the pipeline, set by the middleware in this folder. */
export interface RequestContext {
  readonly traceId: string;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    traceId: string;
    /** Set when the body was read as a string that is not JSON (raw text or a form body). */
    rawTextBody?: boolean;
  }
}

export function requestContext(req: Request): RequestContext {
  const userAgent = req.get('user-agent');
  return {
    traceId: req.traceId,
    clientIp: req.ip ?? null,
    userAgent: userAgent === undefined ? null : userAgent.slice(0, 512),
  };
}
