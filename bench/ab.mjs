// CPU per request of several builds of the service and of the floor, measured in short bursts
// taken in turn (A, B, floor, B, floor, A, ...), so that whatever else the machine does in those
// minutes weighs on each about alike: on two shared cores a figure from one run after another
// drifts by more than a change is worth. Each build runs from its own checkout (its dist/, built
// beforehand) on a database of its own.
//
//   node bench/ab.mjs read|reset <requests per burst> <bursts> <checkout> [<checkout>...]
//   e.g. node bench/ab.mjs read 2000 12 /tmp/base /work/main
//   <checkout>@NAME=value,...: that build with settings of its own, e.g. /work/main@MAX_OLD_SPACE_MIB=1024;
//   NODE_ARGS=<option>+<option>: node options of its own, after start:prod's
// Each checkout needs its node_modules and a built dist/ (npm ci && npm run build there, or a
// `git archive` unpacked with node_modules linked and `npx tsc -p tsconfig.build.json`); this
// folder needs `npm --prefix bench ci`. Ports: 3840 upwards for the builds, 3839 for the floor.
// It prints, per side, the CPU of all its bursts over all their requests (the ratio uses this)
// and, in brackets, the median of the bursts' own figures (a check on the scatter).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { startProdNodeArgs } from './service-command.mjs';
import { cpuSeconds, createTarget, enrolAdmin, waitReady } from './service-client.mjs';

const [kind = 'read', burstArg = '2000', burstsArg = '10', ...roots] = process.argv.slice(2);
const burst = Number(burstArg);
const bursts = Number(burstsArg);
if (roots.length === 0) throw new Error('name at least one checkout');
const here = new URL('..', import.meta.url).pathname;
const ADMIN_PASSWORD = 'Bench-admin-password-1!';

const jwtSecret = randomBytes(48).toString('base64url');
/** How long after a burst its side's CPU is read (BENCH_SETTLE_MS), so deferred work counts. */
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 500);
const children = [];
const dirs = [];

/** Starts one checkout's service on a fresh database; answers what a burst needs. */
async function startProduct(side, index) {
  // <checkout>@NAME=value,NAME=value: that build with settings of its own (MAX_OLD_SPACE_MIB...).
  const [root, settings = ''] = side.split('@');
  const own = Object.fromEntries(
    settings
      .split(',')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  const dir = mkdtempSync(join(os.tmpdir(), 'mfa-ab-'));
  dirs.push(dir);
  const port = 3840 + index;
  const env = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${join(dir, 'mfa.sqlite')}`,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    JWT_SECRET: jwtSecret,
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SIGNIN_RATE_LIMIT: '0',
    STEP_UP_MAX_AGE: '3600',
    ...own,
  };
  // NODE_ARGS (space-separated, `+` for a space inside the setting): node options of this side
  // alone, after start:prod's own, e.g. /work/main@NODE_ARGS=--max-semi-space-size=16.
  const args = startProdNodeArgs(root, env);
  const extra = (own.NODE_ARGS ?? '').split('+').filter(Boolean);
  args.splice(args.length - 1, 0, ...extra);
  const child = spawn(process.execPath, args, {
    cwd: root,
    env,
    stdio: 'ignore',
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitReady(`${base}/health/ready`);
  const { token } = await enrolAdmin(base, ADMIN_PASSWORD);
  const target = await createTarget(base, token);
  return {
    name: basename(root) + (settings ? `@${settings}` : ''),
    base,
    pid: child.pid,
    token,
    target,
    dir,
    env,
  };
}

const pathOf = (target) =>
  kind === 'reset'
    ? `/api/v1/ManagedAccount/ResetMFA/${target.id}`
    : `/api/v1/ManagedAccount/${target.id}`;
const method = kind === 'reset' ? 'PUT' : 'GET';

async function load(side, amount) {
  const result = await autocannon({
    url: side.base + pathOf(side.target),
    method,
    connections: 64,
    amount,
    headers: { authorization: `Bearer ${side.token}` },
  });
  if (result.non2xx > 0) throw new Error(`${side.name}: ${result.non2xx} answers not 2xx`);
  return result.requests.total;
}

try {
  const sides = [];
  for (const [i, root] of roots.entries()) sides.push(await startProduct(root, i));
  // Two sides of one name (/tmp/a/main and /tmp/b/main) are told apart by their place.
  const names = sides.map((side) => side.name);
  for (const [i, side] of sides.entries())
    if (names.filter((name) => name === names[i]).length > 1) side.name += ` #${i + 1}`;
  // The floor, on a copy of the first build's database (the rows may still be in its WAL).
  const first = sides[0];
  for (const suffix of ['', '-wal'])
    copyFileSync(join(first.dir, `mfa.sqlite${suffix}`), join(first.dir, `floor.sqlite${suffix}`));
  const floor = spawn(process.execPath, [join(here, 'bench/floor.mjs')], {
    cwd: here,
    env: { ...first.env, PORT: '3839', DB_FILE: join(first.dir, 'floor.sqlite') },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(floor);
  await sleep(500);
  sides.push({ ...first, name: 'floor', base: 'http://127.0.0.1:3839', pid: floor.pid });

  for (const side of sides) await load(side, Math.max(5000, burst));
  const totals = sides.map(() => ({ cpu: 0, requests: 0, perBurst: [] }));
  for (let b = 0; b < bursts; b++) {
    // A different order each burst, so that no side always follows the same one.
    const order = sides.map((_, i) => (i + b) % sides.length);
    for (const i of b % 2 === 0 ? order : order.reverse()) {
      const before = cpuSeconds(sides[i].pid);
      const requests = await load(sides[i], burst);
      // What a burst leaves to do after its last answer (the product's outbox worker delivering
      // its messages, a collection) is its cost too: read the CPU once the side has settled.
      await sleep(SETTLE_MS);
      const used = cpuSeconds(sides[i].pid) - before;
      totals[i].cpu += used;
      totals[i].requests += requests;
      totals[i].perBurst.push((used / requests) * 1e6);
    }
  }
  const floorIndex = sides.length - 1;
  const perRequest = (i) => (totals[i].cpu / totals[i].requests) * 1e6;
  const median = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  console.log(
    `${kind}: ${bursts} bursts of ${burst} requests each, taken in turn (${new Date().toISOString()})`,
  );
  for (const [i, side] of sides.entries()) {
    const ratio =
      i === floorIndex
        ? ''
        : `, floor / this ${(perRequest(floorIndex) / perRequest(i)).toFixed(2)}`;
    console.log(
      `${side.name.padEnd(24)} ${Math.round(perRequest(i))} us CPU per request (median of bursts ${Math.round(median(totals[i].perBurst))})${ratio}`,
    );
  }
} finally {
  for (const child of children) child.kill('SIGTERM');
  await sleep(500);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
