// The yardstick: the same reset (and the same account read) as the product, done as bare as it
// can be: node:http, better-sqlite3 (WAL, synchronous), node:crypto HS256, prepared statements.
// Bench-only; the app never uses it. Reads the product's own schema, on a copy of its database.
//
//   DB_FILE=... JWT_SECRET=... PORT=... node bench/floor.mjs
import { randomUUID, randomBytes } from 'node:crypto';
import { CHAIN_KEY_ID, chainHash, headMac, verifyToken } from './floor-common.mjs';
import http from 'node:http';
import Database from 'better-sqlite3';

const env = process.env;
const port = Number(env.PORT ?? 3999);
const stepUpMaxAge = Number(env.STEP_UP_MAX_AGE ?? 900) * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

const db = new Database(env.DB_FILE);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');

const sqlTime = (d) => d.toISOString().replace('T', ' ').replace('Z', '');
const fromSql = (s) => (s === null ? null : new Date(`${s.replace(' ', 'T')}Z`));

const PERMS = `(SELECT group_concat(r.permissions) FROM account_roles ar
  JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id)`;
const ROLES = `(SELECT group_concat(ar.role_name) FROM account_roles ar WHERE ar.account_id = a.id)`;
const q = {
  session: db.prepare(`SELECT s.account_id, s.kind, s.security_stamp AS s_stamp, s.expires_at,
    s.revoked_at, s.mfa_verified_at, a.user_name, a.is_active, a.security_stamp AS a_stamp,
    ${PERMS} AS perms FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = ?`),
  // The target, and the caller's reset budget (its roles that may reset others), in one query.
  target: db.prepare(`SELECT a.id, a.user_name, a.mfa_enrolled_at, ${PERMS} AS perms,
    (SELECT group_concat(r.name || ':' || COALESCE(CAST(r.reset_budget AS TEXT), ''))
      FROM account_roles ar JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = ?
      AND (',' || r.permissions || ',') LIKE '%,edit-other-user-totp,%') AS budgets
    FROM accounts a WHERE a.id = ?`),
  // The message to the person reset, queued with the reset (the outbox).
  outbox: db.prepare(`INSERT INTO outbox (id, kind, account_id, details, secret, created_at,
    attempts, next_attempt_at, recipient) VALUES (?, 'mfa.reset', ?, ?, NULL, ?, 0, ?,
    (SELECT email FROM accounts WHERE id = ?))`),
  account: db.prepare(`SELECT a.id, a.user_name, a.display_name, a.email, a.is_active,
    a.mfa_enrolled_at, a.locked_until, a.created_at, ${ROLES} AS roles FROM accounts a WHERE a.id = ?`),
  clear: db.prepare(`UPDATE accounts SET mfa_secret = NULL, mfa_pending_secret = NULL,
    mfa_enrolled_at = NULL, last_totp_step = NULL, failed_attempts = 0, locked_until = NULL,
    security_stamp = ?, updated_at = ?, enrollment_code_hash = NULL,
    enrollment_code_expires_at = NULL, enrollment_code_required = 0 WHERE id = ?`),
  codes: db.prepare('DELETE FROM recovery_codes WHERE account_id = ?'),
  revoke: db.prepare(`UPDATE sessions SET revoked_at = ? WHERE account_id = ?
    AND revoked_at IS NULL AND expires_at > ?`),
  head: db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1'),
  append: db.prepare(`INSERT INTO audit_events (seq, id, occurred_at, action, outcome, actor_id,
    actor_name, target_id, target_name, client_ip, user_agent, trace_id, details, key_id,
    prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  moveHead: db.prepare(
    'UPDATE audit_chain_head SET seq = ?, hash = ?, key_id = ?, mac = ? WHERE id = 1',
  ),
};

/** The caller, if its token and session are good and it holds the permission. */
function caller(req, permission) {
  const claims = verifyToken(req.headers.authorization);
  if (!claims) return { status: 401 };
  const s = q.session.get(claims.sid);
  const now = new Date();
  if (
    !s ||
    s.account_id !== claims.sub ||
    s.kind !== 'access' ||
    s.revoked_at !== null ||
    fromSql(s.expires_at) <= now ||
    !s.is_active ||
    s.s_stamp !== s.a_stamp
  )
    return { status: 401 };
  const perms = new Set((s.perms ?? '').split(',').filter(Boolean));
  if (!perms.has(permission)) return { status: 403 };
  return {
    id: claims.sub,
    sid: claims.sid,
    name: s.user_name,
    perms,
    verifiedAt: fromSql(s.mfa_verified_at),
  };
}

const reset = db.transaction((actor, target, context) => {
  const now = new Date();
  const stamp = randomBytes(16).toString('hex');
  q.clear.run(stamp, sqlTime(now), target.id);
  q.codes.run(target.id);
  const sessionsRevoked = q.revoke.run(sqlTime(now), target.id, sqlTime(now)).changes;
  q.outbox.run(
    randomUUID(),
    target.id,
    JSON.stringify({
      at: now.toISOString(),
      clientIp: context.ip,
      actorName: actor.name,
      own: false,
    }),
    sqlTime(now),
    sqlTime(now),
    target.id,
  );
  const mfaWasEnabled = target.mfa_enrolled_at !== null;
  const head = q.head.get();
  const row = {
    seq: (head?.seq ?? 0) + 1,
    id: randomUUID(),
    occurredAt: now,
    action: 'mfa.reset',
    outcome: 'success',
    actorId: actor.id,
    actorName: actor.name,
    targetId: target.id,
    targetName: target.user_name,
    clientIp: context.ip,
    userAgent: context.ua,
    traceId: context.traceId,
    details: JSON.stringify({ mfaWasEnabled, sessionsRevoked, batch: false }),
    prevHash: head?.hash ?? '0'.repeat(64),
  };
  const hash = chainHash(row);
  q.append.run(
    row.seq,
    row.id,
    sqlTime(now),
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
  );
  q.moveHead.run(row.seq, hash, CHAIN_KEY_ID, headMac(row.seq, hash));
  return { id: target.id, userName: target.user_name, mfaWasEnabled, sessionsRevoked };
});

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
const ACCOUNT = '/api/v1/ManagedAccount/';

http
  .createServer((req, res) => {
    const isReset = req.method === 'PUT' && req.url.startsWith(RESET);
    const isRead = req.method === 'GET' && req.url.startsWith(ACCOUNT);
    if (!isReset && !isRead) return send(res, 404, { status: 404 });
    req.resume();
    req.on('end', () => {
      try {
        const who = caller(req, isReset ? 'edit-other-user-totp' : 'view-accounts');
        if (who.status) return send(res, who.status, { status: who.status });
        const id = req.url.slice(isReset ? RESET.length : ACCOUNT.length);
        if (!UUID.test(id)) return send(res, 400, { status: 400, errors: { id: ['not a uuid'] } });
        if (isRead) {
          const a = q.account.get(id.toLowerCase());
          if (!a) return send(res, 404, { status: 404 });
          return send(res, 200, {
            id: a.id,
            userName: a.user_name,
            displayName: a.display_name,
            email: a.email,
            roles: (a.roles ?? '').split(',').filter(Boolean).sort(),
            isActive: !!a.is_active,
            mfaEnabled: a.mfa_enrolled_at !== null,
            mfaEnrolledAt: fromSql(a.mfa_enrolled_at)?.toISOString() ?? null,
            lockedUntil: null,
            createdAt: fromSql(a.created_at).toISOString(),
          });
        }
        if (!who.verifiedAt || Date.now() - who.verifiedAt.getTime() > stepUpMaxAge)
          return send(res, 400, { status: 400, errorType: 'totp-required' });
        const target = q.target.get(who.id, id.toLowerCase());
        if (!target) return send(res, 404, { status: 404 });
        // An unlimited budget (the bench's Admin) writes no count, as in the product.
        const budgets = (target.budgets ?? '').split(',').filter(Boolean);
        if (budgets.length > 0 && budgets.every((b) => !b.endsWith(':')))
          return send(res, 500, { status: 500, detail: 'the floor does not count budgets' });
        const targetPerms = (target.perms ?? '').split(',').filter(Boolean);
        if (!targetPerms.every((p) => who.perms.has(p))) return send(res, 403, { status: 403 });
        const context = {
          ip: req.socket.remoteAddress ?? null,
          ua: req.headers['user-agent'] ?? null,
          traceId: randomBytes(16).toString('hex'),
        };
        send(res, 200, reset(who, target, context));
      } catch (error) {
        console.error(error);
        send(res, 500, { status: 500 });
      }
    });
  })
  .listen(port, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'floor listening', port })));

process.on('SIGTERM', () => {
  db.close();
  process.exit(0);
});
