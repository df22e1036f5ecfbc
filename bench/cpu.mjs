// CPU time per request, product and floor, for one request kind: robust on a busy machine, where
// requests/s are not. Counts the whole process (main thread and libuv pool) from /proc.
//
//   npm run build && node bench/cpu.mjs [read|reset|reset-key] [requests]
//   reset-key: the reset by bearer token and by API key (with the step-up grant), side by side
//   BENCH_THREADS=1 (CPU per thread), BENCH_FLOOR=0 (no floor), BENCH_BASELINE=1 (/health/live
//   too), BENCH_ROUNDS (4: the sides measured in turn, see measureInRounds), BENCH_PROFILE=<dir>,
//   BENCH_SERVICE_NODE_ARGS, BENCH_SERVICE_LOG: see below
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { startProdNodeArgs } from './service-command.mjs';
import { cpuSeconds, createTarget, enrolAdmin, generate, waitReady } from './service-client.mjs';

const root = new URL('..', import.meta.url).pathname;
const kind = process.argv[2] ?? 'read';
const amount = Number(process.argv[3] ?? 20_000);
const ADMIN_PASSWORD = 'Bench-admin-password-1!';
/** How long after the load a side's CPU is read (BENCH_SETTLE_MS), so deferred work counts. */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 1000);

/** CPU seconds per thread of a process, from /proc. */
function cpuByThread(pid) {
  const byName = new Map();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      // Node 20 names no thread: the number tells them apart (V8's workers come first, then
      // libuv's pool as it starts).
      const name = Number(task) === pid ? 'main' : `thread+${Number(task) - pid}`;
      byName.set(name, (byName.get(name) ?? 0) + cpuSeconds(pid, task));
    } catch {
      /* the thread ended */
    }
  }
  return byName;
}

/**
 * One side measured: warmed up once, then loaded in bursts (one per round); the CPU of all its
 * bursts over all their requests is its figure.
 */
function side(name, base, path, method, authorization, pid) {
  const opts = { url: base + path, method, connections: 64, headers: { authorization } };
  const total = { cpu: 0, main: 0, requests: 0, non2xx: 0, threads: new Map(), rounds: [] };
  return {
    name,
    total,
    warm: () => autocannon({ ...opts, amount: Math.min(5000, amount) }),
    async burst(requests) {
      const before = cpuSeconds(pid);
      const mainBefore = cpuSeconds(pid, pid);
      const threadsBefore = cpuByThread(pid);
      const result = await autocannon({ ...opts, amount: requests });
      // What the load leaves to do after its last answer (the product's outbox worker delivering
      // its messages, a collection) is its cost too: read the CPU once the process has settled.
      await sleep(SETTLE_MS);
      const used = cpuSeconds(pid) - before;
      total.cpu += used;
      total.main += cpuSeconds(pid, pid) - mainBefore;
      total.requests += result.requests.total;
      total.non2xx += result.non2xx;
      total.rounds.push((used / result.requests.total) * 1e6);
      for (const [thread, seconds] of cpuByThread(pid))
        total.threads.set(
          thread,
          (total.threads.get(thread) ?? 0) + seconds - (threadsBefore.get(thread) ?? 0),
        );
    },
    /** Prints the side's figure and answers its CPU per request (us). */
    report() {
      const perRequest = (total.cpu / total.requests) * 1e6;
      const mainPerRequest = (total.main / total.requests) * 1e6;
      console.log(
        `${name}: ${Math.round(perRequest)} us CPU per request, ${Math.round(mainPerRequest)} of them on the main thread (${total.requests} requests, non-2xx ${total.non2xx}; rounds ${total.rounds.map(Math.round).join(', ')})`,
      );
      // BENCH_THREADS=1: the same per thread name (libuv's pool, V8's GC and compiler workers...).
      if (process.env.BENCH_THREADS === '1') {
        const perThread = [...total.threads]
          .filter(([, seconds]) => seconds > 0)
          .map(([thread, seconds]) => `${thread} ${Math.round((seconds / total.requests) * 1e6)}`);
        console.log(`  us per request by thread: ${perThread.join(', ')}`);
      }
      return perRequest;
    },
  };
}

/**
 * The sides in rounds (BENCH_ROUNDS, default 4), each round's requests an equal share, in turn
 * and in mirrored order (A B, B A, A B...): whatever else the machine does in those minutes weighs
 * on every side about alike, where one side measured after the other would take all of a drift.
 */
async function measureInRounds(sides) {
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 4));
  const share = Math.ceil(amount / rounds);
  for (const s of sides) await s.warm();
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const s of order) await s.burst(share);
  }
  return sides.map((s) => s.report());
}

const dir = mkdtempSync(join(os.tmpdir(), 'mfa-cpu-'));
const env = {
  ...process.env,
  NODE_ENV: 'development',
  PORT: '3830',
  DATA_DIR: dir,
  DATABASE_URL: `sqlite:${join(dir, 'mfa.sqlite')}`,
  LOG_LEVEL: 'warn',
  BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
  JWT_SECRET: randomBytes(48).toString('base64url'),
  MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  SIGNIN_RATE_LIMIT: '0',
  STEP_UP_MAX_AGE: '3600',
};
const args = startProdNodeArgs(root, env);
// BENCH_PROFILE=<dir>: a CPU profile of the service, written when it stops.
// BENCH_HEAP_PROFILE=<dir>: a sampling heap profile (where the allocations are made).
const profile = [
  ...(process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : []),
  ...(process.env.BENCH_HEAP_PROFILE
    ? [
        '--heap-prof',
        '--heap-prof-interval=4096',
        `--heap-prof-dir=${process.env.BENCH_HEAP_PROFILE}`,
      ]
    : []),
];
// BENCH_SERVICE_NODE_ARGS: node options for the service alone, after start:prod's own (so they
// win: a GC flag, say).
const extra = process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
const nodeArgs = [...profile, ...args.slice(0, -1), ...extra, ...args.slice(-1)];
const service = spawn(process.execPath, nodeArgs, {
  cwd: root,
  env,
  // BENCH_SERVICE_LOG=<file>: the service's output (with --trace-gc, say), else none.
  stdio: process.env.BENCH_SERVICE_LOG
    ? ['ignore', openSync(process.env.BENCH_SERVICE_LOG, 'w'), 'inherit']
    : 'ignore',
});
let floor;
try {
  const base = 'http://127.0.0.1:3830';
  await waitReady(`${base}/health/ready`, 600);
  const { token, secret } = await enrolAdmin(base, ADMIN_PASSWORD);
  const target = await createTarget(base, token);
  // The floor works on a copy; the rows written so far may still be in the write-ahead log.
  for (const suffix of ['', '-wal'])
    copyFileSync(join(dir, `mfa.sqlite${suffix}`), join(dir, `floor.sqlite${suffix}`));
  // BENCH_PROFILE: the floor's profile too (floor-*.cpuprofile), to compare function by function.
  const floorProfile = process.env.BENCH_PROFILE
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${process.env.BENCH_PROFILE}`,
        '--cpu-prof-name=floor.cpuprofile',
      ]
    : [];
  floor = spawn(process.execPath, [...floorProfile, join(root, 'bench/floor.mjs')], {
    cwd: root,
    env: { ...env, PORT: '3831', DB_FILE: join(dir, 'floor.sqlite') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await sleep(500);
  const reset = kind === 'reset' || kind === 'reset-key';
  const path = reset
    ? `/api/v1/ManagedAccount/ResetMFA/${target.id}`
    : `/api/v1/ManagedAccount/${target.id}`;
  const method = reset ? 'PUT' : 'GET';
  const bearer = `Bearer ${token}`;
  const sides = [side('product', base, path, method, bearer, service.pid)];
  if (process.env.BENCH_BASELINE === '1')
    sides.push(
      side(
        'product /health/live (no token, no database)',
        base,
        '/health/live',
        'GET',
        bearer,
        service.pid,
      ),
    );
  if (kind === 'reset-key') {
    // A key that is an MFA proof (the step-up grant), as an unattended job holds: created with
    // the next time step's code (the current one was spent by the enrolment).
    const res = await fetch(`${base}/api/v1/ApiKey`, {
      method: 'POST',
      headers: {
        authorization: bearer,
        'content-type': 'application/json',
        'x-2fa-code': await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }),
      },
      body: JSON.stringify({
        name: 'bench',
        expiresInDays: 30,
        permissions: ['edit-other-user-totp', 'view-accounts'],
        grants: ['step-up'],
      }),
    });
    if (res.status !== 201)
      throw new Error(`POST /api/v1/ApiKey: ${res.status} ${await res.text()}`);
    const { key } = await res.json();
    sides.push(side('product, API key', base, path, method, key, service.pid));
  }
  // BENCH_FLOOR=0: the product alone (builds compared with each other, one after the other).
  const withFloor = process.env.BENCH_FLOOR !== '0';
  if (withFloor)
    sides.push(side('floor', 'http://127.0.0.1:3831', path, method, bearer, floor.pid));
  const figures = await measureInRounds(sides);
  const product = figures[0];
  if (kind === 'reset-key') {
    const byKey = figures[sides.findIndex((s) => s.name === 'product, API key')];
    console.log(`API key / bearer token CPU per request: ${(byKey / product).toFixed(2)}`);
  }
  if (withFloor) {
    console.log(`floor / product CPU per request: ${(figures.at(-1) / product).toFixed(2)}`);
  }
} finally {
  service.kill('SIGTERM');
  floor?.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
