// The PostgreSQL yardstick: the same reset as the product on PostgreSQL, as bare as it can be:
// node:http, `pg` (a pool, plain parameterised statements), node:crypto HS256. The same
// transaction as the product's: the account row locked, MFA cleared, recovery codes deleted,
// sessions ended, the outbox row, and the keyed audit chain appended under its advisory lock with
// its head moved. Bench-only; the app never uses it. Reads the product's own schema.
//
//   DATABASE_URL=... JWT_SECRET=... PORT=... node bench/floor-pg.mjs
import { randomBytes, randomUUID } from 'node:crypto';
import { CHAIN_KEY_ID, chainHash, headMac, verifyToken } from './floor-common.mjs';
import http from 'node:http';
import pg from 'pg';

const env = process.env;
const port = Number(env.PORT ?? 3997);
const stepUpMaxAge = Number(env.STEP_UP_MAX_AGE ?? 900) * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
/** The product's chain lock (audit-events.repository.ts). */
const CHAIN_LOCK_KEY = 0x6d6661;

const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: Number(env.POOL ?? 10) });

const PERMS = `(SELECT string_agg(r.permissions, ',') FROM account_roles ar
  JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id)`;
const SESSION = `SELECT s.account_id, s.kind, s.security_stamp AS s_stamp, s.expires_at,
  s.revoked_at, s.mfa_verified_at, a.user_name, a.is_active, a.security_stamp AS a_stamp,
  ${PERMS} AS perms FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = $1`;
const TARGET = `SELECT a.id, a.user_name, a.mfa_enrolled_at, ${PERMS} AS perms,
  (SELECT string_agg(r.name || ':' || COALESCE(CAST(r.reset_budget AS TEXT), ''), ',')
    FROM account_roles ar JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = $1
    AND (',' || r.permissions || ',') LIKE '%,edit-other-user-totp,%') AS budgets
  FROM accounts a WHERE a.id = $2`;

async function reset(client, actor, id, context) {
  const now = new Date();
  await client.query('BEGIN');
  try {
    await client.query('SELECT id FROM accounts WHERE id = $1 FOR UPDATE', [id]);
    const {
      rows: [target],
    } = await client.query(TARGET, [actor.id, id]);
    if (!target) {
      await client.query('ROLLBACK');
      return { status: 404 };
    }
    const targetPerms = (target.perms ?? '').split(',').filter(Boolean);
    if (!targetPerms.every((p) => actor.perms.has(p))) {
      await client.query('ROLLBACK');
      return { status: 403 };
    }
    await client.query(
      `UPDATE accounts SET mfa_secret = NULL, mfa_pending_secret = NULL, mfa_enrolled_at = NULL,
        last_totp_step = NULL, failed_attempts = 0, locked_until = NULL, security_stamp = $1,
        updated_at = $2, enrollment_code_hash = NULL, enrollment_code_expires_at = NULL,
        enrollment_code_required = false WHERE id = $3`,
      [randomBytes(16).toString('hex'), now, id],
    );
    await client.query('DELETE FROM recovery_codes WHERE account_id = $1', [id]);
    const revoked = await client.query(
      `UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL
        AND expires_at > $1`,
      [now, id],
    );
    await client.query(
      `INSERT INTO outbox (id, kind, account_id, details, secret, created_at, attempts,
        next_attempt_at, recipient) VALUES ($1, 'mfa.reset', $2, $3, NULL, $4, 0, $4,
        (SELECT email FROM accounts WHERE id = $2))`,
      [
        randomUUID(),
        id,
        JSON.stringify({ at: now.toISOString(), clientIp: context.ip, actorName: actor.name }),
        now,
      ],
    );
    await client.query('SELECT pg_advisory_xact_lock($1)', [CHAIN_LOCK_KEY]);
    const {
      rows: [head],
    } = await client.query('SELECT seq, hash FROM audit_chain_head WHERE id = 1');
    const mfaWasEnabled = target.mfa_enrolled_at !== null;
    const row = {
      seq: Number(head.seq) + 1,
      id: randomUUID(),
      occurredAt: now,
      action: 'mfa.reset',
      outcome: 'success',
      actorId: actor.id,
      actorName: actor.name,
      targetId: id,
      targetName: target.user_name,
      clientIp: context.ip,
      userAgent: context.ua,
      traceId: context.traceId,
      details: JSON.stringify({ mfaWasEnabled, sessionsRevoked: revoked.rowCount, batch: false }),
      prevHash: head.hash,
    };
    const hash = chainHash(row);
    await client.query(
      `INSERT INTO audit_events (seq, id, occurred_at, action, outcome, actor_id, actor_name,
        target_id, target_name, client_ip, user_agent, trace_id, details, key_id, prev_hash, hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        row.seq,
        row.id,
        now,
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
        hash,
      ],
    );
    await client.query(
      'UPDATE audit_chain_head SET seq = $1, hash = $2, key_id = $3, mac = $4 WHERE id = 1',
      [row.seq, hash, CHAIN_KEY_ID, headMac(row.seq, hash)],
    );
    await client.query('COMMIT');
    return {
      status: 200,
      body: { id, userName: target.user_name, mfaWasEnabled, sessionsRevoked: revoked.rowCount },
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type':
      status < 300 ? 'application/json; charset=utf-8' : 'application/problem+json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

const RESET = '/api/v1/ManagedAccount/ResetMFA/';

http
  .createServer((req, res) => {
    if (req.method !== 'PUT' || !req.url.startsWith(RESET)) return send(res, 404, { status: 404 });
    req.resume();
    req.on('end', async () => {
      const client = await pool.connect();
      try {
        const claims = verifyToken(req.headers.authorization);
        if (!claims) return send(res, 401, { status: 401 });
        const {
          rows: [s],
        } = await client.query(SESSION, [claims.sid]);
        const now = new Date();
        if (
          !s ||
          s.account_id !== claims.sub ||
          s.kind !== 'access' ||
          s.revoked_at !== null ||
          s.expires_at <= now ||
          !s.is_active ||
          s.s_stamp !== s.a_stamp
        )
          return send(res, 401, { status: 401 });
        const perms = new Set((s.perms ?? '').split(',').filter(Boolean));
        if (!perms.has('edit-other-user-totp')) return send(res, 403, { status: 403 });
        if (!s.mfa_verified_at || Date.now() - s.mfa_verified_at.getTime() > stepUpMaxAge)
          return send(res, 400, { status: 400, errorType: 'totp-required' });
        const id = req.url.slice(RESET.length);
        if (!UUID.test(id)) return send(res, 400, { status: 400 });
        const answer = await reset(
          client,
          { id: claims.sub, name: s.user_name, perms },
          id.toLowerCase(),
          {
            ip: req.socket.remoteAddress ?? null,
            ua: req.headers['user-agent'] ?? null,
            traceId: randomBytes(16).toString('hex'),
          },
        );
        send(res, answer.status, answer.body ?? { status: answer.status });
      } catch (error) {
        console.error(error);
        send(res, 500, { status: 500 });
      } finally {
        client.release();
      }
    });
  })
  .listen(port, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'floor listening', port })));

process.on('SIGTERM', () => {
  void pool.end().then(() => process.exit(0));
});
