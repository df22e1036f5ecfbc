// Seeds a database that the service has already migrated, with the service's own code (from
// dist/): its config loader, password hasher, secret cipher and audit chain hash. Rows go in
// through better-sqlite3 in large transactions (a million accounts in well under a minute).
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import Database from 'better-sqlite3';

const require = createRequire(import.meta.url);
const dist = new URL('../dist/src/', import.meta.url).pathname;
const { loadConfig } = require(`${dist}config/app-config.js`);
const { PasswordHasher } = require(`${dist}accounts/password-hasher.js`);
const { SecretCipher } = require(`${dist}mfa/secret-cipher.js`);
const { AuditChainKeys, headMac, rowHash } = require(`${dist}audit/audit-chain.js`);

const sqlTime = (d) => d.toISOString().replace('T', ' ').replace('Z', '');

/**
 * Adds `accounts` accounts named user-0000001... (role User, MFA on with `totpSecret`, password
 * `password`) and `auditRows` audit events continuing the chain. Answers the new accounts' ids.
 */
export async function seed({ env, dbFile, accounts, auditRows, password, totpSecret }) {
  const config = loadConfig(env);
  const hash = await new PasswordHasher(config).hash(password);
  const cipher = new SecretCipher(config);
  const db = new Database(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = new Date();
  const at = sqlTime(now);
  const insertAccount = db.prepare(`INSERT INTO accounts (id, user_name, user_name_normalized,
    display_name, email, password_hash, is_active, security_stamp, mfa_secret, mfa_enrolled_at,
    failed_attempts, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, 0, ?, ?)`);
  const insertRole = db.prepare(
    `INSERT INTO account_roles (account_id, role_name) VALUES (?, 'User')`,
  );
  const ids = [];
  const addAccounts = db.transaction((from, to) => {
    for (let i = from; i < to; i++) {
      const id = randomUUID();
      const name = `user-${String(i + 1).padStart(7, '0')}`;
      insertAccount.run(
        id,
        name,
        name,
        `User ${i + 1}`,
        `${name}@example.com`,
        hash,
        randomBytes(16).toString('hex'),
        cipher.encrypt(totpSecret, id),
        at,
        at,
        at,
      );
      insertRole.run(id);
      ids.push(id);
    }
  });
  for (let from = 0; from < accounts; from += 50_000)
    addAccounts(from, Math.min(accounts, from + 50_000));

  // The chain goes on from its anchored head, signed with the service's own chain key.
  const keys = AuditChainKeys.fromConfig(config);
  const head = db.prepare('SELECT seq, hash FROM audit_chain_head WHERE id = 1').get();
  let seq = head.seq;
  let prevHash = head.hash;
  const insertEvent = db.prepare(`INSERT INTO audit_events (seq, id, occurred_at, action, outcome,
    actor_id, actor_name, target_id, target_name, client_ip, user_agent, trace_id, details,
    key_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const moveHead = db.prepare(
    'UPDATE audit_chain_head SET seq = ?, hash = ?, key_id = ?, mac = ? WHERE id = 1',
  );
  const addEvents = db.transaction((count) => {
    for (let i = 0; i < count; i++) {
      seq += 1;
      const target = ids[seq % ids.length];
      const row = {
        seq,
        id: randomUUID(),
        occurredAt: now,
        action: 'account.created',
        outcome: 'success',
        actorId: null,
        actorName: 'seed',
        targetId: target,
        targetName: null,
        clientIp: '127.0.0.1',
        userAgent: 'bench-seed',
        traceId: null,
        details: null,
        keyId: keys.current.id,
        prevHash,
      };
      const hash = rowHash(keys.current, row);
      insertEvent.run(
        row.seq,
        row.id,
        at,
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
        row.keyId,
        row.prevHash,
        hash,
      );
      prevHash = hash;
    }
    moveHead.run(seq, prevHash, keys.current.id, headMac(keys.current, { seq, hash: prevHash }));
  });
  for (let left = auditRows; left > 0; left -= 50_000) addEvents(Math.min(left, 50_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
  return ids;
}
