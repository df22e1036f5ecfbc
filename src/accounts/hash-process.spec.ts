import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { alive, childrenOf } from '../../test/support/processes';
import { DomainError, ErrorCode } from '../common/problem/domain-error';
import type { AppLogger } from '../common/logging/logger';
import type { AppConfig } from '../config/app-config';
import { HashProcess, HasherUnavailableError } from './hash-process';
import { PasswordHasher } from './password-hasher';

/** Answers, when called, the child processes of this one started since. */
function childrenFromNow(): () => number[] {
  const before = childrenOf(process.pid);
  return () => childrenOf(process.pid).filter((p) => !before.includes(p));
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(20);
  }
}

const failures: string[] = [];
const stderrs: string[] = [];
const options = {
  threads: 2,
  deadlineMs: 10_000,
  longestMs: 60_000,
  onFailure: (reason: string, stderr: string) => {
    failures.push(reason);
    stderrs.push(stderr);
  },
};
const scratch = mkdtempSync(join(tmpdir(), 'hash-process-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('HashProcess (argon2id in a process of its own)', () => {
  it('hashes with argon2id at the fixed cost and checks passwords, in a child process', async () => {
    const born = childrenFromNow();
    const hasher = new HashProcess(options);
    try {
      const hashed = await hasher.run({ op: 'hash', password: 'correct horse' });
      assert.equal(hashed.ok, true);
      const hash = hashed.ok ? String(hashed.value) : '';
      assert.match(
        hash,
        /^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
      );
      const right = await hasher.run({ op: 'verify', hash, password: 'correct horse' });
      const wrong = await hasher.run({ op: 'verify', hash, password: 'correct horsE' });
      assert.deepEqual([right.ok && right.value, wrong.ok && wrong.value], [true, false]);
      // A stored hash argon2 cannot read is answered without argon2's message.
      const unreadable = await hasher.run({ op: 'verify', hash: 'plain', password: 'plain' });
      assert.deepEqual(unreadable, { ok: false, unreadable: true });
      // A readable hash argon2 cannot check (no lanes: a tampered row) is a failure, not a "no".
      failures.length = 0;
      await assert.rejects(
        hasher.run({ op: 'verify', hash: hash.replace('p=1', 'p=0'), password: 'x' }),
        /argon2 failed/,
      );
      assert.deepEqual(failures, ['argon2 failed: Too few lanes']);
      const started = born();
      assert.equal(started.length, 1);
    } finally {
      await hasher.close();
    }
  });

  it('gives the child nothing of the environment but the size of its pool', async () => {
    process.env.HASH_PROCESS_SPEC_SECRET = 'not for the child';
    const born = childrenFromNow();
    const hasher = new HashProcess({ ...options, threads: 3 });
    try {
      await hasher.run({ op: 'hash', password: 'x' });
      const [child] = born();
      const environ = readFileSync(`/proc/${child}/environ`, 'utf8')
        .split('\0')
        .filter((v) => v !== '' && !v.startsWith('NODE_CHANNEL_')); // node's own, for the channel
      assert.deepEqual(environ, ['UV_THREADPOOL_SIZE=3']);
      const cmdline = readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').filter(Boolean);
      assert.deepEqual(cmdline.slice(1), [join(__dirname, 'hash-worker.js')]);
    } finally {
      delete process.env.HASH_PROCESS_SPEC_SECRET;
      await hasher.close();
    }
  });

  it('hashes below the priority of the service (nice 10), pool threads included', async () => {
    const born = childrenFromNow();
    const hasher = new HashProcess({ ...options, threads: 2 });
    try {
      await Promise.all([
        hasher.run({ op: 'hash', password: 'a' }),
        hasher.run({ op: 'hash', password: 'b' }),
      ]);
      const [child] = born();
      const niceOf = (stat: string) =>
        Number(readFileSync(stat, 'utf8').split(') ')[1].split(' ')[16]);
      const nice = (task: string) => niceOf(`/proc/${child}/task/${task}/stat`);
      const tasks = readdirSync(`/proc/${child}/task`);
      assert.equal(nice(String(child)), 10, 'the main thread');
      // libuv's pool (the two threads that hash) starts after the priority is set.
      const pool = tasks
        .map(Number)
        .sort((a, b) => a - b)
        .slice(-2)
        .map(String);
      assert.deepEqual(
        pool.map(nice),
        [10, 10],
        `threads ${tasks.map((t) => `${t}:${nice(t)}`).join(' ')}`,
      );
      assert.equal(niceOf('/proc/self/stat'), 0, 'the service itself');
    } finally {
      await hasher.close();
    }
  });

  it('computes calls sent together, each answered by its own id', async () => {
    const hasher = new HashProcess(options);
    try {
      const passwords = Array.from({ length: 6 }, (_, i) => `password ${i}`);
      const hashes = await Promise.all(
        passwords.map((password) => hasher.run({ op: 'hash', password })),
      );
      const checks = await Promise.all(
        hashes.map((h, i) =>
          hasher.run({ op: 'verify', hash: h.ok ? String(h.value) : '', password: passwords[i] }),
        ),
      );
      assert.deepEqual(
        checks.map((c) => c.ok && c.value),
        passwords.map(() => true),
      );
      // Crossed over: each hash is its own password's only.
      const crossed = await hasher.run({
        op: 'verify',
        hash: hashes[0].ok ? String(hashes[0].value) : '',
        password: passwords[1],
      });
      assert.equal(crossed.ok && crossed.value, false);
    } finally {
      await hasher.close();
    }
  });

  it('fails the calls of a child that dies, says so, and starts another after a short wait', async () => {
    failures.length = 0;
    const born = childrenFromNow();
    const hasher = new HashProcess(options);
    try {
      await hasher.run({ op: 'hash', password: 'warm' });
      const [first] = born();
      const inFlight = hasher.run({ op: 'hash', password: 'lost' });
      process.kill(first, 'SIGKILL');
      await assert.rejects(inFlight, HasherUnavailableError);
      await until(() => failures.length === 1);
      assert.deepEqual(failures, ['exited (code null, signal SIGKILL)']);
      await assert.rejects(hasher.run({ op: 'hash', password: 'soon' }), /starting again shortly/);
      await sleep(300);
      const again = await hasher.run({ op: 'hash', password: 'again' });
      assert.equal(again.ok, true);
      const [second] = born();
      assert.notEqual(second, first);
    } finally {
      await hasher.close();
    }
  });

  it('finishes a hash in flight when its process group is signalled (SIGTERM, SIGINT)', async () => {
    failures.length = 0;
    const born = childrenFromNow();
    const hasher = new HashProcess(options);
    try {
      await hasher.run({ op: 'hash', password: 'warm' });
      const [child] = born();
      const inFlight = hasher.run({ op: 'hash', password: 'kept' });
      process.kill(child, 'SIGTERM');
      process.kill(child, 'SIGINT');
      assert.equal((await inFlight).ok, true);
      assert.equal(alive(child), true);
      assert.deepEqual(failures, []);
    } finally {
      await hasher.close();
    }
  });

  it('kills a child that does not answer in time and fails its calls', async () => {
    failures.length = 0;
    const mute = join(scratch, 'mute.js');
    writeFileSync(
      mute,
      "process.on('message', () => {}); process.on('disconnect', () => process.exit(0));",
    );
    const born = childrenFromNow();
    const hasher = new HashProcess({ ...options, deadlineMs: 300, script: mute });
    try {
      const started = Date.now();
      const calls = [
        hasher.run({ op: 'hash', password: 'a' }),
        hasher.run({ op: 'hash', password: 'b' }),
      ];
      const [child] = born();
      for (const call of calls) await assert.rejects(call, /no answer in time/);
      assert.ok(Date.now() - started < 2000);
      assert.equal(failures.length, 1);
      assert.match(failures[0], /^no answer in \d+ ms: killed$/);
      await until(() => !alive(child));
    } finally {
      await hasher.close();
    }
  });

  it('waits before starting a failing process again, doubling the wait, and logs its stderr', async () => {
    failures.length = 0;
    stderrs.length = 0;
    const broken = join(scratch, 'broken.js');
    writeFileSync(broken, "process.stderr.write('cannot run here\\n'); process.exit(3);");
    const born = childrenFromNow();
    const hasher = new HashProcess({ ...options, script: broken });
    try {
      await assert.rejects(hasher.run({ op: 'hash', password: 'a' }), /exited/);
      await until(() => failures.length === 1);
      assert.deepEqual(failures, ['exited (code 3, signal null)']);
      assert.deepEqual(stderrs, ['cannot run here']);
      // Within the wait: refused at once, nothing forked.
      for (let i = 0; i < 20; i++)
        await assert.rejects(hasher.run({ op: 'hash', password: 'b' }), /starting again shortly/);
      assert.deepEqual(born(), []);
      assert.equal(failures.length, 1);
      // After it (250 ms), one more try, then twice the wait.
      await sleep(300);
      await assert.rejects(hasher.run({ op: 'hash', password: 'c' }), /exited/);
      await until(() => failures.length === 2);
      await sleep(300);
      await assert.rejects(hasher.run({ op: 'hash', password: 'd' }), /starting again shortly/);
      await sleep(300);
      await assert.rejects(hasher.run({ op: 'hash', password: 'e' }), /exited/);
    } finally {
      await hasher.close();
    }
  });

  it('gives a process that is still working (busy cores) more time, up to the longest', async () => {
    failures.length = 0;
    const slow = join(scratch, 'slow.js');
    writeFileSync(
      slow,
      `process.on('message', (r) => {
        const end = Date.now() + 1200;
        while (Date.now() < end);
        process.send({ id: r.id, ok: true, value: 'slow' });
      });
      process.on('disconnect', () => process.exit(0));`,
    );
    const spinning = join(scratch, 'spinning.js');
    writeFileSync(spinning, "process.on('message', () => { for (;;); });");
    const patient = new HashProcess({ ...options, deadlineMs: 300, script: slow });
    const stuck = new HashProcess({
      ...options,
      deadlineMs: 300,
      longestMs: 1000,
      script: spinning,
    });
    try {
      // 1.2 s of work against a 300 ms deadline: answered, since it kept using CPU.
      assert.deepEqual(await patient.run({ op: 'hash', password: 'a' }), {
        ok: true,
        value: 'slow',
      });
      assert.deepEqual(failures, []);
      // Working for ever: killed at the longest (1 s, the next deadline would pass it).
      const started = Date.now();
      await assert.rejects(stuck.run({ op: 'hash', password: 'b' }), /no answer in time/);
      assert.ok(Date.now() - started < 2000, `${Date.now() - started} ms`);
      assert.equal(failures.length, 1);
      assert.match(failures[0], /^no answer in \d+ ms: killed$/);
    } finally {
      await patient.close();
      await stuck.close();
    }
  });

  it('close() fails what is in flight, ends the child, and refuses later calls', async () => {
    const born = childrenFromNow();
    const hasher = new HashProcess(options);
    await hasher.run({ op: 'hash', password: 'warm' });
    const [child] = born();
    const inFlight = assert.rejects(hasher.run({ op: 'hash', password: 'cut' }), /closed/);
    await hasher.close();
    await inFlight;
    assert.equal(alive(child), false);
    await assert.rejects(hasher.run({ op: 'hash', password: 'late' }), /closed/);
  });

  it('never keeps the service running when idle, and its child ends with the service', () => {
    const script = `
      const { readdirSync, readFileSync } = require('node:fs');
      const { HashProcess } = require(${JSON.stringify(join(__dirname, 'hash-process.js'))});
      const hasher = new HashProcess({ threads: 1, deadlineMs: 10000, onFailure: () => {} });
      hasher.run({ op: 'hash', password: 'x' }).then((reply) => {
        const children = readdirSync('/proc/self/task').flatMap((t) =>
          readFileSync('/proc/self/task/' + t + '/children', 'utf8').split(' ').filter(Boolean));
        console.log(JSON.stringify({ ok: reply.ok, children }));
      });`;
    const run = spawnSync(process.execPath, ['-e', script], { timeout: 15_000, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const { ok, children } = JSON.parse(run.stdout) as { ok: boolean; children: string[] };
    assert.equal(ok, true);
    assert.equal(children.length, 1);
    return until(() => !alive(Number(children[0])));
  });
});

describe('PasswordHasher', () => {
  const config = { passwordHashConcurrency: 1, passwordHashQueue: 1 } as AppConfig;
  const errors: unknown[] = [];
  const logger = { error: (...args: unknown[]) => errors.push(args) } as unknown as AppLogger;

  it('answers 503 (overloaded), not "wrong password", while the hashing process is gone', async () => {
    const born = childrenFromNow();
    const hasher = new PasswordHasher(config, logger);
    try {
      const hash = await hasher.hash('secret');
      assert.equal(await hasher.verify(hash, 'secret'), true);
      assert.equal(await hasher.verify(hash, 'other'), false);
      assert.equal(await hasher.verify('not a hash', 'other'), false);
      const [child] = born();
      const inFlight = hasher.verify(hash, 'secret');
      process.kill(child, 'SIGKILL');
      await assert.rejects(
        inFlight,
        (e: unknown) => e instanceof DomainError && e.code === ErrorCode.Overloaded,
      );
      await until(() => errors.length === 1);
      // The next call, after a short wait, is served by a new process.
      await sleep(300);
      assert.equal(await hasher.verify(hash, 'secret'), true);
      assert.equal(await hasher.verifyDummy('anything'), false);
    } finally {
      await hasher.onApplicationShutdown();
    }
  });

  it('checks unknown users in turns too: the dummy hash is made and checked inside one', async () => {
    const hasher = new PasswordHasher(config, logger);
    try {
      const calls = [hasher.verifyDummy('a'), hasher.verifyDummy('b')];
      assert.throws(
        () => hasher.assertRoom(),
        (e: unknown) => e instanceof DomainError && e.code === ErrorCode.Overloaded,
      );
      await assert.rejects(hasher.verifyDummy('c'), (e: unknown) => e instanceof DomainError);
      assert.deepEqual(await Promise.all(calls), [false, false]);
      hasher.assertRoom();
    } finally {
      await hasher.onApplicationShutdown();
    }
  });

  it('refuses past its queue with 503, and the turns it held are given back', async () => {
    const hasher = new PasswordHasher(config, logger);
    try {
      const calls = [hasher.hash('a'), hasher.hash('b')];
      assert.throws(
        () => hasher.assertRoom(),
        (e: unknown) => e instanceof DomainError && e.code === ErrorCode.Overloaded,
      );
      await assert.rejects(hasher.hash('c'), (e: unknown) => e instanceof DomainError);
      await Promise.all(calls);
      hasher.assertRoom();
      assert.match(await hasher.hash('d'), /^\$argon2id\$/);
    } finally {
      await hasher.onApplicationShutdown();
    }
  });
});
