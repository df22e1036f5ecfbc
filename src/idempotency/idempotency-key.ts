import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { headerCount, headerOf } from '../common/http/request-context';
import { DomainError } from '../common/problem/domain-error';

export const IDEMPOTENT = 'idempotency:route';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How long an answer is kept for a retry. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;

/** One call's key, as the store knows it: per caller, so no one can replay another's answer. */
export interface IdempotencyRef {
  readonly accountId: string;
  /** A hash of the credential kind (the account's sessions, or one API key) and the key sent. */
  readonly key: string;
}

/**
 * The stored form of a caller's key: the account's sessions share their keys (a retry after a new
 * sign-in is still a retry), each API key has keys of its own (a key cannot replay what its owner,
 * or another key, was answered). Hashed: the store never holds what a client sent.
 */
export function idempotencyRefOf(
  principal: { readonly accountId: string; readonly apiKey?: { readonly id: string } },
  key: string,
): IdempotencyRef {
  const credential = principal.apiKey === undefined ? 'sessions' : `api-key:${principal.apiKey.id}`;
  return {
    accountId: principal.accountId,
    key: createHash('sha256').update(`${credential}\n${key}`).digest('hex'),
  };
}

// Printable ASCII, as a Structured Field string holds (RFC 9651), at most 255 characters.
const KEY = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,255}$/;

/**
 * The request's Idempotency-Key: a Structured Field string (`"..."`), or the bare value many
 * clients send; undefined when there is none. 400 when it is empty, too long, or sent twice.
 */
export function idempotencyKeyOf(req: FastifyRequest): string | undefined {
  const raw = headerOf(req, IDEMPOTENCY_HEADER);
  if (raw === undefined) return undefined;
  const invalid = (message: string) => DomainError.validation({ 'Idempotency-Key': [message] });
  if (headerCount(req, IDEMPOTENCY_HEADER) > 1) throw invalid('The header must be sent once.');
  const trimmed = raw.trim();
  const quoted = /^"(.*)"$/.exec(trimmed);
  const key = quoted === null ? trimmed : quoted[1];
  if (!KEY.test(key)) {
    throw invalid('Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID, say).');
  }
  return key;
}

/**
 * What makes two calls the same request: method, path and query, body, and the reason headers.
 * Not the credentials or the step-up code (a retry may well carry a fresh one).
 */
export function requestHashOf(req: FastifyRequest): string {
  const body: unknown = req.body;
  return createHash('sha256')
    .update(
      JSON.stringify([
        req.method,
        req.url,
        body === undefined ? null : body,
        headerOf(req, 'x-reset-reason') ?? null,
        headerOf(req, 'x-reset-ticket') ?? null,
      ]),
    )
    .digest('hex');
}
