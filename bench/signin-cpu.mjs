// The sign-in pair's cost apart from argon2id: CPU per pair (/signinBody, then /signin2fa with the
// current code) of the service, its password-hashing process included, minus the CPU one argon2id
// verification with the service's parameters costs (measured here, in this process, the same
// number of times, as many at once). An upper bound: what argon2id costs the service beyond the
// bare verification (its 19 MiB allocated and faulted in per hash, the password's trip to the
// hashing process and back) is counted as the rest.
//
//   npm run build && node bench/signin-cpu.mjs [accounts]
//   BENCH_PROFILE=<dir> node bench/signin-cpu.mjs [accounts]: and a CPU profile of the service
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startProdNodeArgs } from './service-command.mjs';
import { cpuSeconds } from './service-client.mjs';

const root = new URL('..', import.meta.url).pathname;
const require = createRequire(join(root, 'package.json'));
const argon2 = require('argon2');
const { generate } = require('otplib');
const accounts = Number(process.argv[2] ?? 100);
const ADMIN_PASSWORD = 'Bench-admin-password-1!';
const PASSWORD = 'Bench-user-password-1!';
/** The service's argon2id parameters (src/accounts/password-hasher.ts). */
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

async function call(base, method, path, { token, body, raw } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      'content-type': 'application/json',
    },
    body: raw ?? (body ? JSON.stringify(body) : undefined),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** `work` over the items, `width` at a time. */
async function inParallel(items, width, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

const dir = mkdtempSync(join(os.tmpdir(), 'mfa-signin-cpu-'));
const env = {
  ...process.env,
  NODE_ENV: 'development',
  PORT: '3850',
  DATA_DIR: dir,
  DATABASE_URL: `sqlite:${join(dir, 'mfa.sqlite')}`,
  LOG_LEVEL: 'warn',
  BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
  JWT_SECRET: randomBytes(48).toString('base64url'),
  MFA_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
  SIGNIN_RATE_LIMIT: '0',
};
// BENCH_PROFILE=<dir>: a CPU profile of the service's main thread (argon2id runs in the hashing
// process, outside it: the profile is the rest of the pair, setup included).
// BENCH_ASYNC_COUNT=<file>: the sqlite3 statements of the pairs (bench/async-count.cjs).
const profile = [
  ...(process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : []),
  ...(process.env.BENCH_ASYNC_COUNT ? ['--require', join(root, 'bench/async-count.cjs')] : []),
];
const service = spawn(process.execPath, [...profile, ...startProdNodeArgs(root, env)], {
  cwd: root,
  env,
  stdio: 'ignore',
});
const base = 'http://127.0.0.1:3850';
try {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/health/ready`)).status === 200) break;
    } catch {
      /* not yet */
    }
    await sleep(50);
  }
  const adminPre = await call(base, 'POST', '/signinBody', {
    body: { Login: 'admin', Password: ADMIN_PASSWORD },
  });
  const { secret: adminSecret } = await call(base, 'POST', '/api/v1/Mfa/Enroll', {
    token: adminPre,
  });
  const { token } = await call(base, 'POST', '/api/v1/Mfa/Enroll/Confirm', {
    token: adminPre,
    body: { code: await generate({ secret: adminSecret }) },
  });
  // Accounts, each enrolled (its secret kept): a code counts once, so each signs in once.
  const users = Array.from({ length: accounts }, (_, i) => ({ name: `signin-${i}` }));
  await inParallel(users, 4, async (user) => {
    await call(base, 'POST', '/api/v1/ManagedAccount', {
      token,
      body: {
        userName: user.name,
        displayName: user.name,
        email: `${user.name}@example.com`,
        password: PASSWORD,
        roles: ['User'],
      },
    });
    const pre = await call(base, 'POST', '/signinBody', {
      body: { Login: user.name, Password: PASSWORD },
    });
    const { secret } = await call(base, 'POST', '/api/v1/Mfa/Enroll', { token: pre });
    user.secret = secret;
    await call(base, 'POST', '/api/v1/Mfa/Enroll/Confirm', {
      token: pre,
      body: { code: await generate({ secret }) },
    });
  });
  // The next time step: the enrolment's codes are spent.
  await sleep((30 - (Math.floor(Date.now() / 1000) % 30) + 1) * 1000);
  const codes = new Map();
  for (const user of users) codes.set(user.name, await generate({ secret: user.secret }));
  const before = cpuSeconds(service.pid);
  const started = Date.now();
  const pairsFrom = process.hrtime.bigint();
  if (process.env.BENCH_ASYNC_COUNT) process.kill(service.pid, 'SIGUSR2');
  await inParallel(users, 8, async (user) => {
    const pre = await call(base, 'POST', '/signinBody', {
      body: { Login: user.name, Password: PASSWORD },
    });
    await call(base, 'POST', '/signin2fa', {
      token: pre,
      raw: JSON.stringify(codes.get(user.name)),
    });
  });
  const pairCpu = ((cpuSeconds(service.pid) - before) / accounts) * 1e6;
  if (process.env.BENCH_ASYNC_COUNT) process.kill(service.pid, 'SIGUSR2');
  // The pairs' span on the monotonic clock the profile's timestamps use (microseconds).
  const window = [Number(pairsFrom / 1000n), Number(process.hrtime.bigint() / 1000n)];
  const seconds = (Date.now() - started) / 1000;
  // One argon2id verification per pair, as the service does, measured here.
  const hash = await argon2.hash(PASSWORD, ARGON2);
  // As many at once as the sign-ins above were (the service hashes two at a time by default).
  const mine = process.cpuUsage();
  await inParallel(Array.from({ length: accounts }), 8, () => argon2.verify(hash, PASSWORD));
  const used = process.cpuUsage(mine);
  const argonCpu = (used.user + used.system) / accounts;
  console.log(
    JSON.stringify({
      pairs: accounts,
      pairsPerSecond: Number((accounts / seconds).toFixed(1)),
      cpuUsPerPair: Math.round(pairCpu),
      argon2idVerifyCpuUs: Math.round(argonCpu),
      cpuUsPerPairWithoutArgon2: Math.round(pairCpu - argonCpu),
      ...(process.env.BENCH_PROFILE ? { profileWindowUs: window } : {}),
    }),
  );
} finally {
  service.kill('SIGTERM');
  await sleep(500);
  rmSync(dir, { recursive: true, force: true });
}
