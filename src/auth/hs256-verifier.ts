import { createHmac, KeyObject, timingSafeEqual } from 'node:crypto';
import { verify as jsonwebtokenVerify, VerifyErrors } from 'jsonwebtoken';

/** A compact JWS as jws (jsonwebtoken's parser) accepts one: base64url parts, the last may be empty. */
const COMPACT_JWS = /^[a-zA-Z0-9\-_]+?\.[a-zA-Z0-9\-_]+?\.([a-zA-Z0-9\-_]+)?$/;

/** The checks asked of a token: these only (see `verifierFor`). */
export interface Hs256Expectations {
  readonly issuer: string;
  readonly audience: string;
}

/**
 * The payload of an HS256 token signed with `key`, issued by `issuer` for `audience` and
 * current at `nowSeconds`, else undefined. The same decisions as jsonwebtoken's verify with
 * `{ algorithms: ['HS256'], issuer, audience }` (src/auth/hs256-verifier.spec.ts compares the
 * two on tokens made to differ in every way): the alg pinned to HS256 (no `none`, no other
 * algorithm, no key from the token), the signature compared in constant time as the exact
 * base64url text of the HMAC, `nbf` and `exp` (strictly before) when present and numbers only,
 * `aud` (a string or a list holding it) and `iss` exactly. Without jws's and jsonwebtoken's
 * layers (options copied, the token split five times, callbacks): a third of the work.
 */
export function verifyHs256(
  token: string,
  key: KeyObject,
  expected: Hs256Expectations,
  nowSeconds: number,
): Record<string, unknown> | undefined {
  if (!COMPACT_JWS.test(token)) return undefined;
  const first = token.indexOf('.');
  const second = token.indexOf('.', first + 1);
  const signature = token.slice(second + 1);
  if (signature === '') return undefined;
  const header = parseJson(Buffer.from(token.slice(0, first), 'base64').toString('latin1'));
  if (typeof header !== 'object' || header === null) return undefined;
  if ((header as { alg?: unknown }).alg !== 'HS256') return undefined;
  const mac = createHmac('sha256', key).update(token.slice(0, second)).digest('base64url');
  const presented = Buffer.from(signature);
  const computed = Buffer.from(mac);
  if (presented.length !== computed.length || !timingSafeEqual(presented, computed)) {
    return undefined;
  }
  const payload = parseJson(Buffer.from(token.slice(first + 1, second), 'base64').toString('utf8'));
  if (typeof payload !== 'object' || payload === null) return undefined;
  const claims = payload as Record<string, unknown>;
  if (claims.nbf !== undefined && (typeof claims.nbf !== 'number' || claims.nbf > nowSeconds)) {
    return undefined;
  }
  if (claims.exp !== undefined && (typeof claims.exp !== 'number' || nowSeconds >= claims.exp)) {
    return undefined;
  }
  const audiences: unknown[] = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(expected.audience)) return undefined;
  if (claims.iss !== expected.issuer) return undefined;
  return claims;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** passport-jwt's verifier: (token, key, options, callback). */
export type JwtVerifier = (
  token: string,
  key: unknown,
  options: Record<string, unknown>,
  callback: (error: Error | VerifyErrors | null, payload?: unknown) => void,
) => void;

/**
 * A verifier for passport-jwt that takes `verifyHs256` for exactly the options the service gives
 * it (HS256 alone, an issuer and an audience, expiry checked, a KeyObject) and hands anything
 * else to jsonwebtoken unchanged. Every refusal is an Error, as jsonwebtoken's are: passport-jwt
 * answers each with a failure (401), never with a success.
 */
export const passportJwtVerifier: JwtVerifier = (token, key, options, callback) => {
  const { algorithms, issuer, audience, ignoreExpiration, ...rest } = options;
  const ours =
    key instanceof KeyObject &&
    key.type === 'secret' &&
    Array.isArray(algorithms) &&
    algorithms.length === 1 &&
    algorithms[0] === 'HS256' &&
    typeof issuer === 'string' &&
    issuer !== '' &&
    typeof audience === 'string' &&
    audience !== '' &&
    ignoreExpiration === false &&
    Object.values(rest).every((value) => value === undefined);
  if (!ours) {
    jsonwebtokenVerify(token, key as KeyObject, options, (error, payload) =>
      callback(error, payload),
    );
    return;
  }
  const payload =
    typeof token === 'string'
      ? verifyHs256(token, key, { issuer, audience }, Math.floor(Date.now() / 1000))
      : undefined;
  if (payload === undefined) callback(new Error('invalid token'));
  else callback(null, payload);
};
