// What both floors (bench/floor.mjs on SQLite, bench/floor-pg.mjs on PostgreSQL) do alike: the
// bearer token check (HS256 pinned, iss, aud, exp) and the keyed audit chain's hashes.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const env = process.env;
const issuer = env.JWT_ISSUER ?? 'mfa-admin';
const audience = env.JWT_AUDIENCE ?? 'mfa-admin';
const key = Buffer.from(env.JWT_SECRET, 'utf8');

export function verifyToken(header) {
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) return null;
  const parts = header.slice(7).split('.');
  if (parts.length !== 3) return null;
  const head = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
  if (head.alg !== 'HS256') return null;
  const mac = createHmac('sha256', key).update(`${parts[0]}.${parts[1]}`).digest();
  const sig = Buffer.from(parts[2], 'base64url');
  if (sig.length !== mac.length || !timingSafeEqual(sig, mac)) return null;
  const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
  if (claims.iss !== issuer || claims.aud !== audience || claims.typ !== 'access') return null;
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= Date.now()) return null;
  return claims;
}

// The product's chain is keyed (HMAC-SHA256) and its head anchored: the same work here.
export const CHAIN_KEY_ID = 'floor';
const chainKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'audit-chain', 32));

export function chainHash(row) {
  return createHmac('sha256', chainKey)
    .update(
      JSON.stringify([
        row.seq,
        row.id,
        row.occurredAt.toISOString(),
        row.action,
        row.outcome,
        row.actorId,
        row.actorName,
        row.targetId,
        row.targetName,
        row.clientIp,
        row.userAgent,
        row.traceId,
        row.details,
        CHAIN_KEY_ID,
        row.prevHash,
      ]),
    )
    .digest('hex');
}

export function headMac(seq, hash) {
  return createHmac('sha256', chainKey)
    .update(JSON.stringify(['head', CHAIN_KEY_ID, seq, hash]))
    .digest('hex');
}
