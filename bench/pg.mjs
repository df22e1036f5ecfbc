// ResetMFA on PostgreSQL: the product with one instance, then two sharing the database, against
// bench/floor-pg.mjs doing the same reset with `pg`. CPU per request (every thread, from /proc;
// for two instances, the two processes summed) beside requests/s. PostgreSQL's own processes
// serve both sides and are not counted.
//
//   npm run build && node bench/pg.mjs     (PostgreSQL at 127.0.0.1:5432, trust auth; makes and
//   drops a database of its own; BENCH_PG_URL=postgres://user@host:port to use another server)
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { startProdNodeArgs } from './service-command.mjs';
import { cpuSeconds, createTarget, enrolAdmin, waitReady } from './service-client.mjs';

const root = new URL('..', import.meta.url).pathname;
const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const TARGETS = 200;
const ADMIN_PASSWORD = 'Bench-admin-password-1!';

const log = (msg) => console.error(`[pg-bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** Round robin over the targets, `connections` at once, against one base URL. */
function run(base, ids, token, connections) {
  let next = 0;
  return autocannon({
    url: base,
    connections,
    duration: DURATION,
    headers: { authorization: `Bearer ${token}` },
    requests: [
      {
        method: 'PUT',
        setupRequest: (req) => ({
          ...req,
          path: `/api/v1/ManagedAccount/ResetMFA/${ids[next++ % ids.length]}`,
        }),
      },
    ],
  });
}

/** The same load spread over the bases; CPU of the pids summed per request answered. */
async function measure(name, bases, pids, ids, token) {
  await Promise.all(bases.map((b) => run(b, ids, token, Math.floor(CONNECTIONS / bases.length))));
  const before = pids.map((pid) => cpuSeconds(pid));
  const results = await Promise.all(
    bases.map((b) => run(b, ids, token, Math.floor(CONNECTIONS / bases.length))),
  );
  const used = pids.reduce((sum, pid, i) => sum + cpuSeconds(pid) - before[i], 0);
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  const figure = {
    name,
    requestsPerSecond: Math.round(results.reduce((n, r) => n + r.requests.average, 0)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    cpuUsPerRequest: Math.round((used / total) * 1e6),
    non2xx: results.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
    statusCodes: results.map((r) => r.statusCodeStats),
  };
  log(
    `${name}: ${figure.requestsPerSecond} req/s, p99 ${figure.p99} ms, ${figure.cpuUsPerRequest} us CPU per request, non-2xx ${figure.non2xx}`,
  );
  return figure;
}

const dbName = `bench_pg_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: `${server}/postgres` });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = `${server}/${dbName}`;
const dir = mkdtempSync(join(os.tmpdir(), 'mfa-pg-bench-'));
const env = {
  ...process.env,
  NODE_ENV: 'development',
  DATA_DIR: dir,
  DATABASE_URL: url,
  LOG_LEVEL: 'warn',
  BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
  JWT_SECRET: randomBytes(48).toString('base64url'),
  MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  SIGNIN_RATE_LIMIT: '0',
  STEP_UP_MAX_AGE: '3600',
};
const children = [];
const startProduct = (port) => {
  // BENCH_PG_LOGS=<dir>: each instance's JSON log there (LOG_LEVEL warn).
  const logs = process.env.BENCH_PG_LOGS;
  const out = logs === undefined ? 'ignore' : openSync(join(logs, `product-${port}.log`), 'w');
  const child = spawn(process.execPath, startProdNodeArgs(root, env), {
    cwd: root,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', out, out],
  });
  children.push(child);
  return child;
};
try {
  const a = startProduct(3840);
  const baseA = 'http://127.0.0.1:3840';
  await waitReady(`${baseA}/health/ready`);
  const { token } = await enrolAdmin(baseA, ADMIN_PASSWORD);
  const ids = [];
  for (let i = 0; i < TARGETS; i++) {
    const account = await createTarget(baseA, token, `pg-target-${i}`, `Target ${i}`);
    ids.push(account.id);
  }
  const figures = [];
  figures.push(await measure('product, one instance', [baseA], [a.pid], ids, token));
  const b = startProduct(3841);
  const baseB = 'http://127.0.0.1:3841';
  await waitReady(`${baseB}/health/ready`);
  figures.push(await measure('product, two instances', [baseA, baseB], [a.pid, b.pid], ids, token));
  // The floor last: it appends to the same audit chain under a key of its own, which the
  // product rightly refuses to continue (it would answer 500 after it).
  a.kill('SIGTERM');
  b.kill('SIGTERM');
  const floor = spawn(process.execPath, [join(root, 'bench/floor-pg.mjs')], {
    cwd: root,
    env: { ...env, PORT: '3842' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(floor);
  await sleep(500);
  figures.push(
    await measure('floor (pg), one process', ['http://127.0.0.1:3842'], [floor.pid], ids, token),
  );
  const floorCpu = figures[2].cpuUsPerRequest;
  console.log(
    JSON.stringify(
      {
        connections: CONNECTIONS,
        durationSeconds: DURATION,
        figures,
        floorOverProductCpu: {
          oneInstance: Number((floorCpu / figures[0].cpuUsPerRequest).toFixed(2)),
          twoInstances: Number((floorCpu / figures[1].cpuUsPerRequest).toFixed(2)),
        },
      },
      null,
      2,
    ),
  );
} finally {
  for (const child of children) child.kill('SIGTERM');
  await sleep(1000);
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}
