// What one statement costs through node-sqlite3 (the driver the service uses: every statement is a
// trip through libuv's pool and back) against better-sqlite3 (synchronous, on the calling
// thread): CPU per statement of the whole process (every thread) and of its main thread, for a
// trivial query and for the service's own session check and account read, on a file database in
// WAL mode opened read-only, as the service reads outside transactions.
//
//   node bench/sqlite3-statement.mjs [statements]
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const root = new URL('..', import.meta.url).pathname;
const sqlite3 = createRequire(join(root, 'package.json'))('sqlite3');
const amount = Number(process.argv[2] ?? 20_000);
const ticks = Number(process.env.CLK_TCK ?? 100);

function cpu() {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ');
  const usage = process.cpuUsage();
  return {
    all: (usage.user + usage.system) / 1e6,
    main: (Number(fields[11]) + Number(fields[12])) / ticks,
  };
}

// The tables the queries read, as the service's migrations make them on SQLite.
const dir = mkdtempSync(join(os.tmpdir(), 'sqlite3-statement-'));
const file = join(dir, 'db.sqlite');
const setup = new Database(file);
setup.pragma('journal_mode = WAL');
setup.exec(`
  CREATE TABLE roles (name varchar(64) PRIMARY KEY, permissions text NOT NULL,
    built_in boolean NOT NULL DEFAULT false, updated_at datetime NOT NULL);
  CREATE TABLE accounts (id varchar PRIMARY KEY, user_name varchar(64) NOT NULL,
    user_name_normalized varchar(64) NOT NULL, display_name varchar(200) NOT NULL,
    email varchar(254) NOT NULL, password_hash varchar(255) NOT NULL,
    is_active boolean NOT NULL DEFAULT true, security_stamp varchar(64) NOT NULL,
    mfa_secret text NULL, mfa_enrolled_at datetime NULL, mfa_pending_secret text NULL,
    last_totp_step integer NULL, failed_attempts integer NOT NULL DEFAULT 0,
    locked_until datetime NULL, created_at datetime NOT NULL, updated_at datetime NOT NULL);
  CREATE TABLE account_roles (account_id varchar NOT NULL REFERENCES accounts(id),
    role_name varchar(64) NOT NULL REFERENCES roles(name), PRIMARY KEY (account_id, role_name));
  CREATE TABLE sessions (id varchar PRIMARY KEY, account_id varchar NOT NULL REFERENCES accounts(id),
    kind varchar(16) NOT NULL, security_stamp varchar(64) NOT NULL, created_at datetime NOT NULL,
    expires_at datetime NOT NULL, revoked_at datetime NULL, mfa_verified_at datetime NULL,
    client_ip varchar(64) NULL, user_agent varchar(512) NULL);
  CREATE INDEX IX_sessions_account_id ON sessions (account_id);`);
const at = '2026-12-06 00:00:00.000';
const admin = randomUUID();
const target = randomUUID();
const sessionId = randomUUID();
setup
  .prepare('INSERT INTO roles VALUES (?, ?, 1, ?)')
  .run('Admin', 'view-accounts,manage-accounts,edit-other-user-totp,manage-roles', at);
setup.prepare('INSERT INTO roles VALUES (?, ?, 1, ?)').run('User', 'view-own', at);
const account = setup.prepare(
  `INSERT INTO accounts (id, user_name, user_name_normalized, display_name, email, password_hash,
    security_stamp, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x', 'stamp', ?, ?)`,
);
account.run(admin, 'admin', 'admin', 'Admin', 'admin@example.com', at, at);
account.run(target, 'target', 'target', 'Target', 'target@example.com', at, at);
setup.prepare('INSERT INTO account_roles VALUES (?, ?)').run(admin, 'Admin');
setup.prepare('INSERT INTO account_roles VALUES (?, ?)').run(target, 'User');
setup
  .prepare(
    `INSERT INTO sessions (id, account_id, kind, security_stamp, created_at, expires_at)
    VALUES (?, ?, 'access', 'stamp', ?, '2100-01-01 00:00:00.000')`,
  )
  .run(sessionId, admin, at);
setup.close();

// The service's statements (src/sessions/sessions.repository.ts, src/accounts/accounts.repository.ts).
const queries = {
  'trivial (SELECT ? AS x)': { sql: 'SELECT ? AS x', params: [1] },
  'session check': {
    sql: `SELECT s.id, s.account_id, s.kind, s.security_stamp AS session_stamp,
        s.expires_at, s.revoked_at, s.mfa_verified_at, a.user_name, a.is_active,
        a.security_stamp AS account_stamp, a.mfa_enrolled_at, a.locked_until,
        (SELECT group_concat(ar.role_name, ',') FROM account_roles ar
          WHERE ar.account_id = a.id) AS roles,
        (SELECT group_concat(r.permissions, ',') FROM account_roles ar
          JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id) AS permissions
      FROM sessions s JOIN accounts a ON a.id = s.account_id
      WHERE s.id = ?`,
    params: [sessionId],
  },
  'session check with the account read (one statement, since 2026-12-06)': {
    sql: `SELECT s.id, s.account_id, s.kind, s.security_stamp AS session_stamp,
        s.expires_at, s.revoked_at, s.mfa_verified_at, a.user_name, a.is_active,
        a.security_stamp AS account_stamp, a.mfa_enrolled_at, a.locked_until,
        (SELECT group_concat(ar.role_name, ',') FROM account_roles ar
          WHERE ar.account_id = a.id) AS roles,
        (SELECT group_concat(r.permissions, ',') FROM account_roles ar
          JOIN roles r ON r.name = ar.role_name WHERE ar.account_id = a.id) AS permissions,
        t.id AS t_id, t.user_name AS t_user_name, t.display_name AS t_display_name,
        t.email AS t_email, t.is_active AS t_is_active, t.mfa_enrolled_at AS t_mfa_enrolled_at,
        t.locked_until AS t_locked_until, t.created_at AS t_created_at,
        (SELECT group_concat(ar.role_name, ',') FROM account_roles ar
          WHERE ar.account_id = t.id) AS t_roles
      FROM sessions s JOIN accounts a ON a.id = s.account_id
        LEFT JOIN accounts t ON t.id = ?
      WHERE s.id = ?`,
    params: [target, sessionId],
  },
  'account read': {
    sql: `SELECT a.id, a.user_name, a.display_name, a.email, a.is_active,
        a.mfa_enrolled_at, a.locked_until, a.created_at,
        (SELECT group_concat(ar.role_name, ',') FROM account_roles ar
          WHERE ar.account_id = a.id) AS roles
      FROM accounts a WHERE a.id = ?`,
    params: [target],
  },
};

function report(name, before, after, count) {
  const all = ((after.all - before.all) / count) * 1e6;
  const main = ((after.main - before.main) / count) * 1e6;
  console.log(
    `${name.padEnd(58)} ${all.toFixed(1).padStart(6)} us per statement, ${main.toFixed(1).padStart(5)} on the main thread`,
  );
}

/** node-sqlite3: `inFlight` calls at a time of one prepared statement (`all`, as the service). */
async function viaSqlite3(db, sql, params, inFlight) {
  const statement = await new Promise((resolve, reject) => {
    const s = db.prepare(sql, (error) => (error ? reject(error) : resolve(s)));
  });
  const once = () =>
    new Promise((resolve, reject) =>
      statement.all(params, (error, rows) => (error ? reject(error) : resolve(rows))),
    );
  const run = async (count) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next++ < count) await once();
      }),
    );
  };
  await run(Math.min(2000, amount));
  const before = cpu();
  await run(amount);
  const after = cpu();
  await new Promise((resolve) => statement.finalize(resolve));
  return [before, after];
}

const reader = await new Promise((resolve, reject) => {
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) =>
    error ? reject(error) : resolve(db),
  );
});
const better = new Database(file, { readonly: true });
console.log(`${amount} statements each, Node.js ${process.version}, ${os.cpus().length} cores`);
for (const [name, { sql, params }] of Object.entries(queries)) {
  for (const inFlight of [1, 64]) {
    const [before, after] = await viaSqlite3(reader, sql, params, inFlight);
    report(`sqlite3 ${name}, ${inFlight} in flight`, before, after, amount);
  }
  const statement = better.prepare(sql);
  for (let i = 0; i < Math.min(2000, amount); i++) statement.all(...params);
  const before = cpu();
  for (let i = 0; i < amount; i++) statement.all(...params);
  report(`better-sqlite3 ${name}`, before, cpu(), amount);
}
better.close();
await new Promise((resolve) => reader.close(resolve));
rmSync(dir, { recursive: true, force: true });
