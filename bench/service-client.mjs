// What every bench script does with the service it started: read its CPU time from /proc, wait
// until it answers, call its API, enrol its administrator and make an account to work on.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const TICKS = Number(process.env.CLK_TCK ?? 100);

/**
 * CPU seconds (user + system) a process has used so far, every thread of it (main and libuv's
 * pool) and every process it started (the service's password-hashing process: those still
 * running, and those it has waited for), or one thread of it when `task` is given.
 */
export function cpuSeconds(pid, task) {
  if (task !== undefined) return statCpu(`/proc/${pid}/task/${task}/stat`, false);
  let total = statCpu(`/proc/${pid}/stat`, true);
  for (const child of childrenOf(pid)) {
    try {
      total += cpuSeconds(child);
    } catch {
      // It ended between the two reads: its time is in its parent's once waited for.
    }
  }
  return total;
}

function statCpu(file, withWaitedFor) {
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  return (withWaitedFor ? own + Number(fields[13]) + Number(fields[14]) : own) / TICKS;
}

/** The processes `pid` started that are still running (or not yet waited for). */
export function childrenOf(pid) {
  return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
      .split(' ')
      .filter(Boolean)
      .map(Number),
  );
}

/** Waits until `url` answers 200, polling every 50 ms, `tries` times at most. */
export async function waitReady(url, tries = 300) {
  for (let i = 0; i < tries; i++) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      /* not yet */
    }
    await sleep(50);
  }
  throw new Error(`${url} never answered`);
}

/** A JSON call to the API; any answer of 300 or over throws. */
export async function call(base, method, path, token, body) {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** otplib as the service installs it. */
export const { generate } = createRequire(new URL('../package.json', import.meta.url))('otplib');

/**
 * The bootstrap administrator's first sign-in and enrolment on a fresh service: its access token
 * and TOTP secret (the current time step's code is spent).
 */
export async function enrolAdmin(base, password) {
  const preAuth = await call(base, 'POST', '/signinBody', undefined, {
    Login: 'admin',
    Password: password,
  });
  const { secret } = await call(base, 'POST', '/api/v1/Mfa/Enroll', preAuth);
  const { token } = await call(base, 'POST', '/api/v1/Mfa/Enroll/Confirm', preAuth, {
    code: await generate({ secret }),
  });
  return { token, secret };
}

/** A User account to read or reset (`cpu-target`, or `<prefix>-<i>` for one of many). */
export function createTarget(base, token, name = 'cpu-target', displayName = 'CPU target') {
  return call(base, 'POST', '/api/v1/ManagedAccount', token, {
    userName: name,
    displayName,
    email: `${name}@example.com`,
    password: 'Cpu-target-password-1!',
    roles: ['User'],
  });
}
