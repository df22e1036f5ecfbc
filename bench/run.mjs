// npm run bench: the built service against the bare floor (bench/floor.mjs), side by side in one
// run, with autocannon. Writes bench/results.md and bench/results.json.
//
// Settings (environment): BENCH_DURATION seconds per measured run (default 10), BENCH_ROUNDS
// product/floor pairs per figure (default 3), BENCH_CONNECTIONS (64), BENCH_LARGE=0 skips the
// 1,000,000-account run, BENCH_QUICK=1 measures only ResetMFA at 10,000 accounts (while working on
// it), BENCH_OUT folder for the results (default bench/).
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { seed } from './seed.mjs';
import { startProdNodeArgs } from './service-command.mjs';
import { childrenOf, cpuSeconds } from './service-client.mjs';

const root = new URL('..', import.meta.url).pathname;
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
// BENCH_QUICK=1 (or reset): ResetMFA only; BENCH_QUICK=read: the GET only; =signin: sign-ins only.
const QUICK_READ = process.env.BENCH_QUICK === 'read';
const QUICK_SIGNIN = process.env.BENCH_QUICK === 'signin';
const QUICK =
  process.env.BENCH_QUICK === '1' ||
  process.env.BENCH_QUICK === 'reset' ||
  QUICK_READ ||
  QUICK_SIGNIN;
const LARGE = process.env.BENCH_LARGE !== '0' && !QUICK;
const OUT = process.env.BENCH_OUT ?? join(root, 'bench');
const ADMIN_PASSWORD = 'Bench-admin-password-1!';
const USER_PASSWORD = 'Bench-user-password-1!';
/** One authenticator secret for every seeded account: codes are spent per account, not per secret. */
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const RESET = '/api/v1/ManagedAccount/ResetMFA/';
const ACCOUNT = '/api/v1/ManagedAccount/';

const log = (...args) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...args);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// --- TOTP (RFC 6238), synchronous, for autocannon's request hooks -------------------------------
function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  return Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
}
const TOTP_KEY = base32(TOTP_SECRET);
function totp(at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', TOTP_KEY).update(counter).digest();
  const offset = mac[19] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

// --- processes -------------------------------------------------------------------------------------
function start(command, args, env, name) {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.exited = new Promise((resolve) => child.on('exit', resolve));
  child.output = () => output;
  child.label = name;
  return child;
}

async function waitReady(url, child, timeoutMs = 60_000) {
  const began = performance.now();
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return performance.now() - began;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`${child.label} exited:\n${child.output()}`);
    if (performance.now() - began > timeoutMs)
      throw new Error(`${child.label} not ready:\n${child.output()}`);
    await sleep(5);
  }
}

async function stop(child) {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await child.exited;
}

/**
 * The service as production starts it (`npm run start:prod`); with BENCH_PROFILE, the given start
 * runs that script's node command itself with a CPU profile written there (Node refuses
 * `--cpu-prof` in NODE_OPTIONS).
 */
function startService(env, profile = false) {
  if (profile && process.env.BENCH_PROFILE) {
    const args = startProdNodeArgs(root, env);
    return start(
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`, ...args],
      env,
      'service',
    );
  }
  // BENCH_SERVICE_NODE_OPTIONS: node options for the service alone (a heap limit, say).
  const nodeOptions = process.env.BENCH_SERVICE_NODE_OPTIONS;
  return start(
    'npm',
    ['run', '--silent', 'start:prod'],
    nodeOptions ? { ...env, NODE_OPTIONS: nodeOptions } : env,
    'service',
  );
}

/** The node process npm started (its only child), for its resident memory. */
function servicePid(child) {
  const children = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
  return children === '' ? child.pid : Number(children.split(' ')[0]);
}

/** Resident memory of a process and of the processes it started (the password-hashing one). */
function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  let total = Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024;
  for (const child of childrenOf(pid)) {
    try {
      total += rssMiB(child);
    } catch {
      // ended meanwhile
    }
  }
  return total;
}

/** Samples a process's resident memory every 100 ms; peak() answers the highest since last asked. */
function rssSampler(pid) {
  let highest = 0;
  const timer = setInterval(() => {
    try {
      highest = Math.max(highest, rssMiB(pid));
    } catch {
      // the process is gone
    }
  }, 100);
  return {
    peak() {
      const value = Math.round(Math.max(highest, rssMiB(pid)));
      highest = 0;
      return value;
    },
    stop: () => clearInterval(timer),
  };
}

// --- HTTP helpers ---------------------------------------------------------------------------------
async function call(base, method, path, { token, body, contentType = 'application/json' } = {}) {
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = contentType;
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** The bootstrap admin, enrolled: an access token that has just proved MFA. */
async function enrolAdmin(base) {
  const preAuth = await call(base, 'POST', '/signinBody', {
    body: { Login: 'admin', Password: ADMIN_PASSWORD },
  });
  const { secret } = await call(base, 'POST', '/api/v1/Mfa/Enroll', { token: preAuth });
  const { generate } = createRequire(join(root, 'package.json'))('otplib');
  const code = await generate({ secret });
  const { token } = await call(base, 'POST', '/api/v1/Mfa/Enroll/Confirm', {
    token: preAuth,
    body: { code },
  });
  return { token, secret };
}

/** The code of the next time step: fresh, since the current one was spent by the enrolment. */
async function nextCode(secret) {
  const { generate } = createRequire(join(root, 'package.json'))('otplib');
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 });
}

// --- load ----------------------------------------------------------------------------------------

/**
 * One run against `url`. With `pid` (the process answering), also the CPU time it spent per
 * request, and the load generator's own (this process): requests/s are shared out by the
 * scheduler between the two sides and the generator, CPU per request is not.
 */
async function load(url, options, pid) {
  const cpuBefore = pid === undefined ? 0 : cpuSeconds(pid);
  const generatorBefore = process.cpuUsage();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    ...options,
  });
  const generator = process.cpuUsage(generatorBefore);
  const total = Math.max(1, result.requests.total);
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    ...(pid === undefined
      ? {}
      : { cpuUsPerRequest: Math.round(((cpuSeconds(pid) - cpuBefore) / total) * 1e6) }),
    generatorCpuUsPerRequest: Math.round((generator.user + generator.system) / total),
  };
}

/** `authorization`: the header as sent; default `Bearer <token>`. */
function roundRobin(prefix, ids, token, method, authorization = `Bearer ${token}`) {
  let next = 0;
  return {
    headers: { authorization },
    requests: [
      { method, setupRequest: (req) => ({ ...req, path: prefix + ids[next++ % ids.length] }) },
    ],
  };
}

/**
 * The product alone, two ways alternately (A B A B ...): the ratio is the median of B / A. For
 * what the floor does not do (an API key), against the same call with a bearer token.
 */
async function twoWays(name, url, optionsA, optionsB) {
  log(`${name}: warm-up`);
  await autocannon({ url, connections: CONNECTIONS, duration: 3, ...optionsB });
  const pairs = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const a = await load(url, optionsA);
    const b = await load(url, optionsB);
    pairs.push({ a, b, ratio: b.requestsPerSecond / a.requestsPerSecond });
    log(
      `${name} round ${round}: bearer ${a.requestsPerSecond}/s p99 ${a.p99} ms, key ${b.requestsPerSecond}/s p99 ${b.p99} ms (non-2xx ${b.non2xx}), key / bearer ${(b.requestsPerSecond / a.requestsPerSecond).toFixed(2)}`,
    );
  }
  return {
    ratio: median(pairs.map((p) => p.ratio)),
    bearer: median(pairs.map((p) => p.a.requestsPerSecond)),
    key: median(pairs.map((p) => p.b.requestsPerSecond)),
    keyP99: median(pairs.map((p) => p.b.p99)),
    non2xx: pairs.reduce((n, p) => n + p.b.non2xx + p.b.errors, 0),
  };
}

/**
 * Product and floor alternately (A B A B ...); the ratio is the median of the pairs' ratios. With
 * their pids, CPU per request of each side too, and its ratio (floor / product): the figure to
 * trust on a small machine (see bench/results.md).
 */
async function sideBySide(name, productUrl, floorUrl, options, pids = {}) {
  log(`${name}: warm-up`);
  await autocannon({ url: productUrl, connections: CONNECTIONS, duration: 3, ...options });
  await autocannon({ url: floorUrl, connections: CONNECTIONS, duration: 3, ...options });
  const pairs = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const product = await load(productUrl, options, pids.product);
    const floor = await load(floorUrl, options, pids.floor);
    const cpuRatio =
      product.cpuUsPerRequest && floor.cpuUsPerRequest
        ? floor.cpuUsPerRequest / product.cpuUsPerRequest
        : undefined;
    pairs.push({
      product,
      floor,
      ratio: product.requestsPerSecond / floor.requestsPerSecond,
      cpuRatio,
    });
    log(
      `${name} round ${round}: product ${product.requestsPerSecond}/s p99 ${product.p99} ms cpu ${product.cpuUsPerRequest ?? '?'} us/req (non-2xx ${product.non2xx}), floor ${floor.requestsPerSecond}/s p99 ${floor.p99} ms cpu ${floor.cpuUsPerRequest ?? '?'} us/req, ratio ${(product.requestsPerSecond / floor.requestsPerSecond).toFixed(2)} (req/s), ${cpuRatio?.toFixed(2) ?? '?'} (CPU); load generator ${product.generatorCpuUsPerRequest} / ${floor.generatorCpuUsPerRequest} us/req`,
    );
  }
  const side = (key) => ({
    requestsPerSecond: median(pairs.map((p) => p[key].requestsPerSecond)),
    p50: median(pairs.map((p) => p[key].p50)),
    p99: median(pairs.map((p) => p[key].p99)),
    non2xx: pairs.reduce((n, p) => n + p[key].non2xx + p[key].errors, 0),
    ...(pairs[0][key].cpuUsPerRequest === undefined
      ? {}
      : { cpuUsPerRequest: median(pairs.map((p) => p[key].cpuUsPerRequest)) }),
    generatorCpuUsPerRequest: median(pairs.map((p) => p[key].generatorCpuUsPerRequest)),
  });
  const cpuRatios = pairs.map((p) => p.cpuRatio).filter((r) => r !== undefined);
  return {
    pairs,
    ratio: median(pairs.map((p) => p.ratio)),
    ...(cpuRatios.length === 0 ? {} : { cpuRatio: median(cpuRatios) }),
    product: side('product'),
    floor: side('floor'),
  };
}

/** The sign-in pair (/signinBody then /signin2fa) over many accounts, each once per time step. */
async function signInPairs(productUrl, names) {
  let next = 0;
  const result = await load(productUrl, {
    requests: [
      {
        method: 'POST',
        path: '/signinBody',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ Login: names[next++ % names.length], Password: USER_PASSWORD }),
        }),
        onResponse: (status, body, context) => {
          context.token = status === 200 ? JSON.parse(body) : 'none';
        },
      },
      {
        method: 'POST',
        path: '/signin2fa',
        setupRequest: (req, context) => ({
          ...req,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${context.token}` },
          body: JSON.stringify(totp()),
        }),
      },
    ],
  });
  return { ...result, pairsPerSecond: Math.round(result.requestsPerSecond / 2) };
}

// --- one data size -----------------------------------------------------------------------------
async function scenario({ accounts, auditRows, port, full }) {
  const dir = mkdtempSync(join(os.tmpdir(), 'mfa-bench-'));
  const dbFile = join(dir, 'mfa.sqlite');
  const floorFile = join(dir, 'floor.sqlite');
  const env = {
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: dir,
    DATABASE_URL: `sqlite:${dbFile}`,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    JWT_SECRET: randomBytes(48).toString('base64url'),
    MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SIGNIN_RATE_LIMIT: '0',
    STEP_UP_MAX_AGE: '3600',
  };
  const base = `http://127.0.0.1:${port}`;
  const figures = { accounts, auditRows };
  try {
    log(`${accounts} accounts: migrate and bootstrap`);
    let service = startService(env);
    await waitReady(`${base}/health/ready`, service);
    const { token: adminToken, secret: adminSecret } = await enrolAdmin(base);
    await stop(service);

    log(`${accounts} accounts: seeding ${accounts} accounts and ${auditRows} audit events`);
    const began = performance.now();
    const ids = await seed({
      env,
      dbFile,
      accounts,
      auditRows,
      password: USER_PASSWORD,
      totpSecret: TOTP_SECRET,
    });
    figures.seedSeconds = Math.round((performance.now() - began) / 100) / 10;
    copyFileSync(dbFile, floorFile);

    // Cold start: `npm run start:prod` spawned to the first 200 from /health/ready (median of 3).
    const starts = [];
    for (let i = 0; i < 3; i++) {
      service = startService(env, i === 2);
      starts.push(Math.round(await waitReady(`${base}/health/ready`, service)));
      if (i < 2) await stop(service);
    }
    figures.coldStartMs = median(starts);
    const memory = rssSampler(servicePid(service));
    figures.rssIdleMiB = memory.peak();
    log(`cold start to ready: ${starts.join(', ')} ms`);

    const floorPort = port + 1;
    const floor = start(
      'node',
      [
        ...(process.env.BENCH_PROFILE_FLOOR
          ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_FLOOR]
          : []),
        'bench/floor.mjs',
      ],
      {
        PORT: String(floorPort),
        DB_FILE: floorFile,
        JWT_SECRET: env.JWT_SECRET,
        STEP_UP_MAX_AGE: env.STEP_UP_MAX_AGE,
      },
      'floor',
    );
    await sleep(300);
    const floorBase = `http://127.0.0.1:${floorPort}`;
    try {
      const targets = ids.slice(0, 200);
      // Both answer the same request the same way before anything is measured.
      const probe = (
        await fetch(`${base}${RESET}${targets[0]}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${adminToken}` },
        })
      ).status;
      const floorProbe = (
        await fetch(`${floorBase}${RESET}${targets[0]}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${adminToken}` },
        })
      ).status;
      if (probe !== 200 || floorProbe !== 200)
        throw new Error(
          `probe: product ${probe}, floor ${floorProbe}\n${service.output()}\n${floor.output()}`,
        );

      if (!QUICK_READ && !QUICK_SIGNIN) {
        figures.reset = await sideBySide(
          'ResetMFA',
          base,
          floorBase,
          roundRobin(RESET, targets, adminToken, 'PUT'),
          { product: servicePid(service), floor: floor.pid },
        );
        figures.rssPeakResetMiB = memory.peak();
        figures.rssAfterLoadMiB = Math.round(rssMiB(servicePid(service)));
      }
      if (full) {
        // An unattended job's key (an MFA proof: the step-up grant, made with a code sent with
        // the call, as the grant asks) against the admin's bearer token, same resets.
        const res = await fetch(`${base}/api/v1/ApiKey`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${adminToken}`,
            'content-type': 'application/json',
            'x-2fa-code': await nextCode(adminSecret),
          },
          body: JSON.stringify({
            name: 'bench',
            expiresInDays: 30,
            permissions: ['edit-other-user-totp', 'view-accounts'],
            grants: ['step-up'],
          }),
        });
        if (res.status !== 201) throw new Error(`POST ApiKey: ${res.status} ${await res.text()}`);
        const { key } = await res.json();
        figures.resetByKey = await twoWays(
          'ResetMFA, bearer token vs API key',
          base,
          roundRobin(RESET, targets, adminToken, 'PUT'),
          roundRobin(RESET, targets, adminToken, 'PUT', key),
        );
      }
      if (full || QUICK_READ) {
        figures.read = await sideBySide(
          'GET account',
          base,
          floorBase,
          roundRobin(ACCOUNT, ids.slice(200, 400), adminToken, 'GET'),
          { product: servicePid(service), floor: floor.pid },
        );
        figures.rssPeakReadMiB = memory.peak();
      }
      if (full || QUICK_SIGNIN) {
        log('sign-in pairs');
        const names = Array.from(
          { length: Math.min(accounts, 5000) },
          (_, i) => `user-${String(i + 1001).padStart(7, '0')}`,
        );
        figures.signIn = await signInPairs(base, names);
        log(`sign-in: ${figures.signIn.pairsPerSecond} pairs/s, non-2xx ${figures.signIn.non2xx}`);
        figures.rssPeakSignInMiB = memory.peak();
        figures.rssAfterAllMiB = Math.round(rssMiB(servicePid(service)));
      }
    } finally {
      memory.stop();
      await stop(floor);
      await stop(service);
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

// --- report ----------------------------------------------------------------------------------
function cpuName() {
  const line = readFileSync('/proc/cpuinfo', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('model name'));
  return line ? line.split(':')[1].trim() : os.arch();
}

function report(results) {
  const { small, large } = results;
  const cpu = (side) => side.cpuUsPerRequest ?? '?';
  const row = (name, s) =>
    `| ${name} | ${s.product.requestsPerSecond} | ${s.product.p50} / ${s.product.p99} | ${cpu(s.product)} | ${s.floor.requestsPerSecond} | ${s.floor.p50} / ${s.floor.p99} | ${cpu(s.floor)} | ${s.ratio.toFixed(2)} | **${s.cpuRatio?.toFixed(2) ?? '?'}** | ${s.product.generatorCpuUsPerRequest} / ${s.floor.generatorCpuUsPerRequest} | ${s.product.non2xx} |`;
  const lines = [
    '# Benchmark results',
    '',
    `- Date: ${results.date}`,
    `- Machine: ${results.machine.cpus} × ${results.machine.cpu}, ${results.machine.memoryGiB} GiB, Node.js ${results.machine.node}, ${results.machine.platform}`,
    `- Command: \`${results.command}\``,
    `- Settings: ${CONNECTIONS} connections, ${DURATION} s per run after a 3 s warm-up, ${ROUNDS} product/floor pairs measured alternately (A B A B ...); figures are medians, the ratio is the median of the pairs' ratios.`,
    '- Product: the built service (`npm run start:prod`) on a fresh SQLite file. Floor: `bench/floor.mjs`, node:http + better-sqlite3 doing the same work on a copy of the same database.',
    '',
    `## ${small.accounts.toLocaleString('en')} accounts`,
    '',
    '| figure | product req/s | product p50 / p99 ms | product CPU us/req | floor req/s | floor p50 / p99 ms | floor CPU us/req | product / floor (req/s) | floor / product (CPU per request) | load generator CPU us/req (product / floor runs) | product non-2xx |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...(small.reset ? [row('`PUT ResetMFA/{id}` (200 accounts, round robin)', small.reset)] : []),
    ...(small.read ? [row('`GET ManagedAccount/{id}`', small.read)] : []),
    '',
    ...(small.resetByKey
      ? [
          `- \`PUT ResetMFA/{id}\` with an API key (\`Authorization: <key>\`, step-up grant) against the same with the bearer token, alternately: ${small.resetByKey.key} vs ${small.resetByKey.bearer} req/s, key / bearer **${small.resetByKey.ratio.toFixed(2)}** (key p99 ${small.resetByKey.keyP99} ms, non-2xx ${small.resetByKey.non2xx}). CPU per request, which holds on a busy machine: \`node bench/cpu.mjs reset-key\`.`,
        ]
      : []),
    ...(small.signIn
      ? [
          `- Sign-in pair (\`/signinBody\` + \`/signin2fa\`, argon2id): ${small.signIn.pairsPerSecond} pairs/s (p99 ${small.signIn.p99} ms per call, non-2xx ${small.signIn.non2xx})`,
        ]
      : []),
    `- Cold start to ready (\`npm run start:prod\` spawned to the first 200 of /health/ready, median of 3): ${small.coldStartMs} ms`,
    `- Resident memory of the service, its password-hashing process included (the highest of samples every 100 ms): idle after start ${small.rssIdleMiB} MiB` +
      (small.reset
        ? `; under the reset load ${small.rssPeakResetMiB} MiB (${small.rssAfterLoadMiB} MiB after it)`
        : '') +
      (small.rssAfterAllMiB
        ? `; under the GET load ${small.rssPeakReadMiB} MiB; under the sign-in load ${small.rssPeakSignInMiB} MiB; after every load ${small.rssAfterAllMiB} MiB`
        : ''),
  ];
  if (large) {
    lines.push(
      '',
      `## ${large.accounts.toLocaleString('en')} accounts and ${large.auditRows.toLocaleString('en')} audit events`,
      '',
      '| figure | product req/s | product p50 / p99 ms | product CPU us/req | floor req/s | floor p50 / p99 ms | floor CPU us/req | product / floor (req/s) | floor / product (CPU per request) | load generator CPU us/req (product / floor runs) | product non-2xx |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      row('`PUT ResetMFA/{id}`', large.reset),
      '',
      `- Product at ${large.accounts.toLocaleString('en')} accounts vs ${small.accounts.toLocaleString('en')}: ${((large.reset.product.requestsPerSecond / small.reset.product.requestsPerSecond - 1) * 100).toFixed(1)}% requests/s`,
      `- Cold start at this size: ${large.coldStartMs} ms; resident memory under the reset load ${large.rssPeakResetMiB} MiB; seeding took ${large.seedSeconds} s`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const results = {
  date: new Date().toISOString(),
  command: 'npm run bench',
  machine: {
    cpu: cpuName(),
    cpus: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
};
results.small = await scenario({ accounts: 10_000, auditRows: 10_000, port: 3810, full: !QUICK });
if (LARGE)
  results.large = await scenario({
    accounts: 1_000_000,
    auditRows: 1_000_000,
    port: 3820,
    full: false,
  });
writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
const markdown = report(results);
// results.md keeps its hand-written notes; only the part between the markers is replaced.
const START = '<!-- figures:start (written by npm run bench) -->';
const END = '<!-- figures:end -->';
const file = join(OUT, 'results.md');
const previous = existsSync(file) ? readFileSync(file, 'utf8') : `${START}\n${END}\n`;
const [head, rest] = previous.split(START);
const tail = rest?.split(END)[1] ?? '\n';
writeFileSync(file, `${head}${START}\n${markdown}${END}${tail}`);
console.log(`\n${markdown}`);
