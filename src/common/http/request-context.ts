import type { FastifyRequest } from 'fastify';
import type { ApiKeyUse, Principal } from '../auth/principal';

/** What a request carries through the pipeline, set by the hooks in this folder. */
export interface RequestContext {
  readonly traceId: string;
  readonly clientIp: string | null;
  readonly userAgent: string | null;
  /** The API key the call was made with, once the token check has accepted it. */
  readonly apiKey?: ApiKeyUse;
  /** The other system's dialect the call came in (Rocket.Chat's), for the audit log. */
  readonly dialect?: string;
  /** The Idempotency-Key the call runs under, as the idempotency guard found it. */
  readonly idempotency?: IdempotentContext;
}

/** A call under an Idempotency-Key (see src/idempotency): the key, and a kept answer if a retry. */
export interface IdempotentContext {
  readonly ref: { readonly accountId: string; readonly key: string };
  readonly requestHash: string;
  readonly replay?: { readonly status: number; readonly body: unknown };
  readonly answeredByCaller?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    traceId: string;
  }
}

/** One request header as a string (the first, if the client repeated it). */
export function headerOf(req: FastifyRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * How many times the client sent a header (Node keeps only the first of some, such as
 * Authorization); `name` in lower case. Asked of every request: allocates nothing unless a
 * name has the length looked for.
 */
export function headerCount(req: FastifyRequest, name: string): number {
  const raw = req.raw.rawHeaders;
  let count = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length === name.length && raw[i].toLowerCase() === name) count++;
  }
  return count;
}

/** The path of a request, without its query. */
export function pathOf(req: FastifyRequest): string {
  const query = req.url.indexOf('?');
  return query === -1 ? req.url : req.url.slice(0, query);
}

export function requestContext(req: FastifyRequest): RequestContext {
  const userAgent = headerOf(req, 'user-agent');
  const apiKey = (req as { user?: Principal }).user?.apiKey;
  const dialect = (req.routeOptions?.config as { errorDialect?: string } | undefined)?.errorDialect;
  const idempotency = (req as { idempotent?: IdempotentContext }).idempotent;
  return {
    traceId: req.traceId,
    clientIp: req.ip ?? null,
    userAgent: userAgent === undefined ? null : userAgent.slice(0, 512),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(dialect === undefined ? {} : { dialect }),
    ...(idempotency === undefined ? {} : { idempotency }),
  };
}
