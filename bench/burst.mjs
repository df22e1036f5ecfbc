// node bench/burst.mjs (after `npm run build`): the latency of a cheap authenticated GET
// (`GET /api/v1/Mfa`, sent one after another) while BURST_CLIENTS clients (default 59) keep
// sending wrong-password sign-ins (`POST /signinBody`, each client: send, await the answer, send
// again) for BURST_SECONDS (default 12). The service bounds the hashes run at once
// (PASSWORD_HASH_CONCURRENCY) and runs them in a process of its own, whose libuv pool is theirs
// alone (the sqlite3 driver's statements run on the service's own pool). Measured for SQLite and
// PostgreSQL, each configuration on a fresh database: idle (no burst), bounded (the defaults: 2
// hashes at once), bounded to one hash, and unbounded (64 hashes at once). The service's CPU
// includes its hashing process's.
//
// The load runs in a child process of its own (`node bench/burst.mjs --load ...`); the probe runs
// here. Writes the section "## A burst of wrong passwords (probe latency)" of bench/results.md.
//
// Settings (environment): BURST_SECONDS, BURST_CLIENTS, BURST_DATABASES (sqlite,postgres),
// BURST_CONFIGS (idle,bounded,bounded-1,unbounded), BURST_PG (default
// postgres://root@127.0.0.1:5432), BURST_OUT (folder of results.md, default bench/; "-" writes
// nothing), BURST_QUIET_WAIT (seconds to wait, before each row, for the machine to be idle; 120),
// BURST_ATTEMPTS (3) and BURST_MAX_OTHER (15): a row is measured again, up to BURST_ATTEMPTS times
// in all, while other processes used more than BURST_MAX_OTHER % of a core during the probe;
// BURST_ROOT (a built copy of the service to measure instead of this checkout's dist/: say,
// `git archive HEAD` unpacked, node_modules linked and `npm run build`, while src/ is being edited).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProdNodeArgs } from './service-command.mjs';
import { cpuSeconds } from './service-client.mjs';

const here = new URL('..', import.meta.url).pathname;
const requireApp = createRequire(join(here, 'package.json'));
/** The built service measured: this checkout, or BURST_ROOT (another built copy of it). */
const root = process.env.BURST_ROOT ?? here;
const HOST = '127.0.0.1';
const WRONG = 'wrong-password-123';
/** The burst runs this long before the probe starts (the hash queue fills up). */
const WARM_UP_MS = 1500;

// --- HTTP, keep-alive, 127.0.0.1 only ------------------------------------------------------------
function request(agent, port, method, path, { token, body, timeoutMs = 30_000 } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = Buffer.byteLength(payload);
  }
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port, method, path, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

async function json(agent, port, method, path, options) {
  const { status, text } = await request(agent, port, method, path, options);
  if (status >= 300) throw new Error(`${method} ${path}: ${status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

// --- the load: a child process ---------------------------------------------------------------------
async function loadMain(port, clients, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const counts = {};
  let errors = 0;
  const cpuBefore = process.cpuUsage();
  const began = performance.now();
  const deadline = began + ms;
  const body = { Login: 'admin', Password: WRONG };
  process.send?.({ started: true });
  const client = async () => {
    while (performance.now() < deadline) {
      try {
        const { status } = await request(agent, port, 'POST', '/signinBody', {
          body,
          timeoutMs: Math.max(1000, deadline - performance.now() + 10_000),
        });
        counts[status] = (counts[status] ?? 0) + 1;
      } catch {
        errors++;
        await sleep(10);
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const elapsedMs = performance.now() - began;
  const cpu = process.cpuUsage(cpuBefore);
  agent.destroy();
  process.send({ counts, errors, elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 });
}

/** CPU time (ms) the whole machine has been busy so far, every core summed (/proc/stat). */
function machineBusyMs() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) * 10; // clock ticks of 10 ms
}

/** CPU time (ms) per process of the PostgreSQL backends serving a database (by their titles). */
function pgBackendsCpuMs(dbName) {
  const cpu = new Map();
  if (!dbName) return cpu;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres:') && title.includes(` ${dbName} `))
        cpu.set(entry, cpuMsOf(entry));
    } catch {
      // gone
    }
  }
  return cpu;
}
const pgCpuBetween = (before, after) =>
  [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);

/**
 * Waits (at most QUIET_WAIT_MS) for a second in which the machine is busy less than a quarter of
 * a core: other work on this 2-core machine (a test run, say) shows in every figure. Answers the
 * busy share of the last second measured.
 */
const QUIET_WAIT_MS = Number(process.env.BURST_QUIET_WAIT ?? 120) * 1000;
async function waitQuiet() {
  const began = performance.now();
  for (;;) {
    const before = machineBusyMs();
    await sleep(1000);
    const busy = (machineBusyMs() - before) / 1000;
    if (busy < 0.25 || performance.now() - began > QUIET_WAIT_MS) return busy;
  }
}

// --- the service -----------------------------------------------------------------------------------
function startService(env) {
  const child = spawn(process.execPath, startProdNodeArgs(root, env), {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.exited = new Promise((resolve) => child.on('exit', resolve));
  child.output = () => output;
  return child;
}

async function waitReady(port, child, timeoutMs = 60_000) {
  const began = performance.now();
  const agent = new http.Agent({ keepAlive: false });
  for (;;) {
    try {
      const { status } = await request(agent, port, 'GET', '/health/ready', { timeoutMs: 2000 });
      if (status === 200) return;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`service exited:\n${child.output()}`);
    if (performance.now() - began > timeoutMs) throw new Error(`not ready:\n${child.output()}`);
    await sleep(20);
  }
}

async function stopService(child) {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await child.exited;
    clearTimeout(timer);
  }
}

/** CPU time (user + system, ms) a process and the processes it started have used so far. */
function cpuMsOf(pid) {
  return cpuSeconds(pid) * 1000;
}

/** The bootstrap admin, enrolled: an access token that has just proved MFA. */
async function enrolAdmin(port, password) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const preAuth = await json(agent, port, 'POST', '/signinBody', {
    body: { Login: 'admin', Password: password },
  });
  const { secret } = await json(agent, port, 'POST', '/api/v1/Mfa/Enroll', { token: preAuth });
  const code = await requireApp('otplib').generate({ secret });
  const { token } = await json(agent, port, 'POST', '/api/v1/Mfa/Enroll/Confirm', {
    token: preAuth,
    body: { code },
  });
  agent.destroy();
  return token;
}

// --- PostgreSQL: a fresh database per run ------------------------------------------------------------
const PG = process.env.BURST_PG ?? 'postgres://root@127.0.0.1:5432';
async function pgAdmin(sql) {
  const { Client } = requireApp('pg');
  const client = new Client({ connectionString: `${PG}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// --- one measurement ---------------------------------------------------------------------------------
const quantile = (sorted, q) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];

async function measure({ database, config, port, seconds, clients }) {
  const dir = mkdtempSync(join(os.tmpdir(), 'mfa-burst-'));
  const dbName = `mfa_burst_${process.pid}_${port}`;
  const password = 'Burst-admin-password-1!';
  const env = { ...process.env };
  for (const name of ['UV_THREADPOOL_SIZE', 'PASSWORD_HASH_CONCURRENCY', 'PASSWORD_HASH_QUEUE'])
    delete env[name];
  delete env.NODE_OPTIONS;
  Object.assign(env, {
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: dir,
    DATABASE_URL: database === 'sqlite' ? `sqlite:${join(dir, 'mfa.sqlite')}` : `${PG}/${dbName}`,
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_PASSWORD: password,
    SIGNIN_RATE_LIMIT: '0',
    ...config.env,
  });
  const busyBefore = await waitQuiet();
  if (busyBefore >= 0.25)
    console.log(`[burst]   the machine is busy (${Math.round(busyBefore * 100)}% of a core)`);
  if (database === 'postgres') await pgAdmin(`CREATE DATABASE ${dbName}`);
  const service = startService(env);
  try {
    await waitReady(port, service);
    const token = await enrolAdmin(port, password);
    const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // A short warm-up of the probe itself (JIT, prepared statements).
    for (let i = 0; i < 200; i++) await json(probeAgent, port, 'GET', '/api/v1/Mfa', { token });

    let load;
    let loadResult;
    if (config.burst) {
      load = spawn(
        process.execPath,
        [
          new URL(import.meta.url).pathname,
          '--load',
          String(port),
          String(clients),
          String(WARM_UP_MS + seconds * 1000 + 500),
        ],
        { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      loadResult = new Promise((resolve, reject) => {
        load.on('message', (m) => {
          if (!m.started) resolve(m);
        });
        load.on('exit', (code) => code !== 0 && reject(new Error(`load exited ${code}`)));
      });
      await Promise.race([new Promise((resolve) => load.once('message', resolve)), loadResult]);
      await sleep(WARM_UP_MS);
    }

    const latencies = [];
    let failures = 0;
    const serviceCpuBefore = cpuMsOf(service.pid);
    const machineBefore = machineBusyMs();
    const pgBefore = pgBackendsCpuMs(database === 'postgres' && dbName);
    const selfBefore = process.cpuUsage();
    const began = performance.now();
    const end = began + seconds * 1000;
    while (performance.now() < end) {
      const t0 = performance.now();
      const { status } = await request(probeAgent, port, 'GET', '/api/v1/Mfa', { token });
      latencies.push(performance.now() - t0);
      if (status !== 200) failures++;
    }
    const probeMs = performance.now() - began;
    const serviceCpu = (cpuMsOf(service.pid) - serviceCpuBefore) / probeMs;
    const machine = (machineBusyMs() - machineBefore) / probeMs;
    const pgCpu =
      pgCpuBetween(pgBefore, pgBackendsCpuMs(database === 'postgres' && dbName)) / probeMs;
    const self = process.cpuUsage(selfBefore);
    const probeCpu = (self.user + self.system) / 1000 / probeMs;
    probeAgent.destroy();
    const burst = config.burst ? await loadResult : undefined;
    const loadCpu = burst ? burst.cpuMs / burst.elapsedMs : 0;
    latencies.sort((a, b) => a - b);
    return {
      database,
      config: config.name,
      probes: latencies.length,
      probeFailures: failures,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: latencies[latencies.length - 1],
      serviceCpuPercent: Math.round(serviceCpu * 100),
      probeCpuPercent: Math.round(probeCpu * 100),
      postgresCpuPercent: Math.round(pgCpu * 100),
      // Everything else on the machine during the probe (the load generator's share estimated
      // from its average): other work here makes the figures noisy.
      otherCpuPercent: Math.max(
        0,
        Math.round((machine - serviceCpu - pgCpu - probeCpu - loadCpu) * 100),
      ),
      ...(burst && {
        signInsPerSecond:
          (Object.values(burst.counts).reduce((a, b) => a + b, 0) * 1000) / burst.elapsedMs,
        status401: burst.counts[401] ?? 0,
        status503: burst.counts[503] ?? 0,
        otherStatuses: Object.fromEntries(
          Object.entries(burst.counts).filter(([s]) => s !== '401' && s !== '503'),
        ),
        loadErrors: burst.errors,
        loadCpuPercent: Math.round(loadCpu * 100),
      }),
    };
  } finally {
    await stopService(service);
    rmSync(dir, { recursive: true, force: true });
    if (database === 'postgres') await pgAdmin(`DROP DATABASE IF EXISTS ${dbName}`);
  }
}

// --- the report ------------------------------------------------------------------------------------
const CONFIGS = [
  { name: 'idle', label: 'idle (no burst; defaults)', burst: false, env: {} },
  {
    name: 'bounded',
    label: 'bounded: defaults (2 hashes at once)',
    burst: true,
    env: {},
  },
  {
    name: 'bounded-1',
    label: 'bounded: `PASSWORD_HASH_CONCURRENCY=1`',
    burst: true,
    env: { PASSWORD_HASH_CONCURRENCY: '1' },
  },
  {
    name: 'unbounded',
    label: 'unbounded: `PASSWORD_HASH_CONCURRENCY=64`',
    burst: true,
    env: { PASSWORD_HASH_CONCURRENCY: '64' },
  },
];

const ms = (x) => (x < 10 ? x.toFixed(1) : String(Math.round(x)));

function table(results) {
  const rows = [
    [
      'configuration',
      'database',
      'probes',
      'probe p50 / p99 / max ms',
      'sign-ins/s',
      '401s',
      '503s',
      'other answers',
      'CPU %: service / PostgreSQL / load / probe / other',
    ],
  ];
  for (const r of results) {
    const other = Object.entries(r.otherStatuses ?? {})
      .map(([s, n]) => `${n}x${s}`)
      .concat(r.loadErrors ? [`${r.loadErrors} errors`] : [])
      .concat(r.probeFailures ? [`${r.probeFailures} probe non-200`] : []);
    rows.push([
      CONFIGS.find((c) => c.name === r.config).label,
      r.database === 'sqlite' ? 'SQLite' : 'PostgreSQL',
      String(r.probes),
      `${ms(r.p50)} / ${ms(r.p99)} / ${ms(r.max)}`,
      r.signInsPerSecond === undefined ? '-' : r.signInsPerSecond.toFixed(1),
      r.status401 === undefined ? '-' : String(r.status401),
      r.status503 === undefined ? '-' : String(r.status503),
      other.length ? other.join(', ') : '-',
      [
        r.serviceCpuPercent,
        r.database === 'postgres' ? r.postgresCpuPercent : '-',
        r.loadCpuPercent ?? '-',
        r.probeCpuPercent,
        r.otherCpuPercent,
      ].join(' / '),
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  return [
    line(rows[0]),
    `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`,
    ...rows.slice(1).map(line),
  ].join('\n');
}

/** A row is measured again (ATTEMPTS in all at most) while other work used more than MAX_OTHER. */
const ATTEMPTS = Number(process.env.BURST_ATTEMPTS ?? 3);
const MAX_OTHER = Number(process.env.BURST_MAX_OTHER ?? 15);

async function main() {
  const seconds = Number(process.env.BURST_SECONDS ?? 12);
  const clients = Number(process.env.BURST_CLIENTS ?? 59);
  if (!(seconds > 0 && seconds <= 600) || !(clients >= 1 && clients <= 1000))
    throw new Error('BURST_SECONDS must be in (0, 600], BURST_CLIENTS in [1, 1000]');
  if (!existsSync(join(root, 'dist/src/main.js'))) throw new Error('run `npm run build` first');
  const databases = (process.env.BURST_DATABASES ?? 'sqlite,postgres').split(',');
  const wanted = (process.env.BURST_CONFIGS ?? CONFIGS.map((c) => c.name).join(',')).split(',');
  const configs = CONFIGS.filter((c) => wanted.includes(c.name));
  const results = [];
  let port = 3870;
  for (const database of databases) {
    for (const config of configs) {
      console.log(`[burst] ${database} ${config.name} (${seconds} s, ${clients} clients)`);
      // Other work on the machine during the probe: measured again (at most ATTEMPTS in all), the
      // attempt with the least other work kept.
      let best;
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const result = await measure({ database, config, port: port++, seconds, clients });
        console.log(`[burst]   ${JSON.stringify(result)}`);
        if (!best || result.otherCpuPercent < best.otherCpuPercent) best = { ...result, attempt };
        if (result.otherCpuPercent <= MAX_OTHER) break;
        if (attempt < ATTEMPTS)
          console.log(`[burst]   other work used ${result.otherCpuPercent}% of a core: again`);
      }
      results.push(best);
    }
  }
  const settings = ['SECONDS', 'CLIENTS', 'DATABASES', 'CONFIGS', 'ATTEMPTS', 'MAX_OTHER', 'ROOT']
    .map((name) => `BURST_${name}`)
    .filter((name) => process.env[name] !== undefined)
    .map((name) => `${name}=${process.env[name]}`);
  const command = [...settings, 'node bench/burst.mjs'].join(' ');
  const text = table(results);
  console.log(`\n${text}\n`);
  const out = process.env.BURST_OUT ?? join(here, 'bench');
  if (out === '-') return;
  writeSection(join(out, 'results.md'), command, seconds, clients, text);
}

// results.md: the section's figures sit between markers of their own and are replaced on every
// run; the section and the rest of the file are kept as they are (the section is appended if new).
const HEADING = '## A burst of wrong passwords (probe latency)';
const START = '<!-- burst:start (written by node bench/burst.mjs) -->';
const END = '<!-- burst:end -->';
function writeSection(file, command, seconds, clients, text) {
  const figures = [
    `- Command: \`${command}\` (after \`npm run build\`${root === here ? '' : ' there'})`,
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${os.cpus().length} x ${os.cpus()[0].model.trim()}, Node.js ${process.version}`,
    `- Load: ${clients} clients, each sending \`POST /signinBody\` {"Login":"admin","Password":"${WRONG}"} ` +
      `and sending again on the answer; the probe: \`GET /api/v1/Mfa\` with an access token, one ` +
      `after another, for ${seconds} s starting ${WARM_UP_MS / 1000} s into the burst; each row a fresh ` +
      `service on a fresh database. Sign-ins/s counts every answer of the burst over its whole length. ` +
      `CPU in % of one core during the probe (the machine has ${os.cpus().length}): the service, PostgreSQL's ` +
      `backends for its database, the load generator (a process of its own), the probe (this script), ` +
      `and everything else on the machine (other work makes the figures noisy; a row is measured again, ` +
      `${ATTEMPTS} times at most, while that is over ${MAX_OTHER}%, and the quietest attempt kept).`,
    '',
    text,
    '',
  ].join('\n');
  const previous = existsSync(file) ? readFileSync(file, 'utf8') : '';
  let next;
  if (previous.includes(START) && previous.includes(END)) {
    const [head, rest] = previous.split(START);
    next = `${head}${START}\n\n${figures}\n${END}${rest.split(END)[1]}`;
  } else {
    const base = previous === '' || previous.endsWith('\n') ? previous : `${previous}\n`;
    next = `${base}\n${HEADING}\n\nThe figures come from \`node bench/burst.mjs\`.\n\n${START}\n\n${figures}\n${END}\n`;
  }
  writeFileSync(file, next);
  console.log(`[burst] ${file}: section "${HEADING}" written`);
}

if (process.argv[2] === '--load') {
  const [port, clients, ms] = process.argv.slice(3).map(Number);
  await loadMain(port, clients, ms);
} else {
  await main();
}
