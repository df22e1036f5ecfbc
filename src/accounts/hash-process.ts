import { ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import type { HashReply, HashRequest } from './hash-protocol';

/** The hashing process is unavailable (it died, could not start, stopped answering, or failed). */
export class HasherUnavailableError extends Error {
  constructor(reason: string) {
    super(`password hasher unavailable: ${reason}`);
    this.name = 'HasherUnavailableError';
  }
}

export interface HashProcessOptions {
  /** libuv pool threads of the hashing process: the hashes it computes at once. */
  readonly threads: number;
  /**
   * A call not answered in this time, while the process has used no CPU since the call was sent
   * or last looked at, kills the process (and fails every call it held): it is stuck. A process
   * still working (slowed by busy cores: it runs below the service's priority) is given
   * another `deadlineMs`, up to `longestMs` in all.
   */
  readonly deadlineMs: number;
  readonly longestMs: number;
  /**
   * Told why, when the process fails: it could not start, died, stopped answering, or argon2
   * failed; with the end of what the process wrote on stderr (never a password).
   */
  readonly onFailure: (reason: string, stderr: string) => void;
  /** The script forked (the compiled hash-worker.ts beside this file unless a test says otherwise). */
  readonly script?: string;
}

export type HashWork =
  { op: 'hash'; password: string } | { op: 'verify'; hash: string; password: string };

/** A settled call: the value, or that the stored hash was unreadable. */
export type HashAnswer = { ok: true; value: string | boolean } | { ok: false; unreadable: true };

interface Call {
  readonly child: ChildProcess;
  readonly resolve: (answer: HashAnswer) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** CPU time (clock ticks) a process has used, from /proc; nothing where that cannot be read. */
function cpuTicks(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** The first wait before a failed process is started again; it doubles while failures go on. */
const FIRST_RETRY_MS = 250;
const LONGEST_RETRY_MS = 30_000;
/** What is kept of the process's stderr, for the failure's log line. */
const STDERR_KEPT = 2000;

/**
 * The service's handle on its password-hashing process (hash-worker.ts): started at the first
 * call, started again after it fails (not before a wait that doubles while it keeps failing, so a
 * process that cannot run is not forked once per request), stopped by close(). While no call is
 * in flight it holds nothing open, so it never keeps the service running. Bounding how many calls
 * are made at once is the caller's concern (PasswordHasher).
 */
export class HashProcess {
  private child: ChildProcess | undefined;
  private readonly calls = new Map<number, Call>();
  private lastId = 0;
  private closed = false;
  private failures = 0;
  private notBefore = 0;
  /** The end of what each process wrote on stderr. */
  private readonly stderrOf = new WeakMap<ChildProcess, string>();

  constructor(private readonly options: HashProcessOptions) {}

  /** Answers the worker's result, or fails with HasherUnavailableError. */
  run(work: HashWork): Promise<HashAnswer> {
    let child: ChildProcess;
    try {
      child = this.ready();
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const id = ++this.lastId;
    const request: HashRequest = { id, ...work };
    return new Promise<HashAnswer>((resolve, reject) => {
      this.calls.set(id, { child, resolve, reject, timer: this.deadline(id, child) });
      if (this.calls.size === 1) this.hold(child, true);
      child.send(request, (error) => {
        if (error) this.settle(id, new HasherUnavailableError(error.message));
      });
    });
  }

  /** Stops the process (it exits when its channel closes) and fails any call still in flight. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (child === undefined) return;
    this.end(child, new HasherUnavailableError('closed'));
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.disconnect();
    const late = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(late);
  }

  /** The running process, or one started now; HasherUnavailableError when there can be none. */
  private ready(): ChildProcess {
    if (this.closed) throw new HasherUnavailableError('closed');
    if (this.child !== undefined) return this.child;
    if (Date.now() < this.notBefore) throw new HasherUnavailableError('starting again shortly');
    let child: ChildProcess | undefined;
    try {
      child = this.start();
    } catch (error) {
      this.failed(`could not start: ${(error as Error).message}`);
    }
    if (child === undefined) throw new HasherUnavailableError('could not start');
    return child;
  }

  /** The timer of call `id`: past the deadline, another one while the process keeps working. */
  private deadline(id: number, child: ChildProcess): NodeJS.Timeout {
    const sent = Date.now();
    let cpu = cpuTicks(child.pid);
    const late = () => {
      const call = this.calls.get(id);
      if (call === undefined) return;
      const now = cpuTicks(child.pid);
      const working = now !== undefined && cpu !== undefined && now > cpu;
      if (working && Date.now() - sent + this.options.deadlineMs <= this.options.longestMs) {
        cpu = now;
        call.timer = setTimeout(late, this.options.deadlineMs);
        return;
      }
      // A hash takes milliseconds: a process this late is stuck, and every call it holds with it.
      this.end(child, new HasherUnavailableError('no answer in time'));
      child.kill('SIGKILL');
      this.failed(`no answer in ${Date.now() - sent} ms: killed`, child);
    };
    return setTimeout(late, this.options.deadlineMs);
  }

  /** The process started, or nothing when it could not be. */
  private start(): ChildProcess | undefined {
    const child = fork(this.options.script ?? join(__dirname, 'hash-worker.js'), [], {
      // Nothing of the service's environment or node options: only the size of its pool.
      env: { UV_THREADPOOL_SIZE: String(this.options.threads) },
      execArgv: [],
      // stderr is kept for the log line of a failure, not mixed into the service's JSON log.
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.stderrOf.set(child, '');
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderrOf.set(child, ((this.stderrOf.get(child) ?? '') + text).slice(-STDERR_KEPT));
    });
    child.on('message', (reply: HashReply) => this.answer(reply, child));
    child.on('error', (error) => {
      if (this.closed || this.child !== child) return;
      this.end(child, new HasherUnavailableError(error.message));
      this.failed(error.message, child);
    });
    let unexpected = false;
    child.on('exit', () => {
      if (this.closed || this.child !== child) return;
      unexpected = true;
      this.end(child, new HasherUnavailableError('exited'));
    });
    // Reported once its stderr is read to the end (what it wrote last says why).
    child.on('close', (code, signal) => {
      if (unexpected) this.failed(`exited (code ${code}, signal ${signal})`, child);
    });
    // A process that could not be spawned (no file descriptors, no memory) has no channel; its
    // 'error' comes later, and says why.
    if (child.pid === undefined || typeof child.send !== 'function') {
      this.notBefore = Date.now() + FIRST_RETRY_MS;
      child.once('error', (error) => this.failed(`could not start: ${error.message}`, child));
      return undefined;
    }
    this.child = child;
    this.hold(child, false);
    return child;
  }

  private answer(reply: HashReply, child: ChildProcess): void {
    if (reply.ok || 'unreadable' in reply) {
      this.failures = 0;
      this.settle(
        reply.id,
        reply.ok ? { ok: true, value: reply.value } : { ok: false, unreadable: true },
      );
    } else {
      this.settle(reply.id, new HasherUnavailableError('argon2 failed'));
      this.failed(`argon2 failed: ${reply.failure}`, child);
    }
  }

  /** Answers one call: with the answer, or with an error. */
  private settle(id: number, outcome: HashAnswer | Error): void {
    const call = this.calls.get(id);
    if (call === undefined) return;
    this.calls.delete(id);
    clearTimeout(call.timer);
    if (outcome instanceof Error) call.reject(outcome);
    else call.resolve(outcome);
    if (this.calls.size === 0 && this.child === call.child) this.hold(call.child, false);
  }

  /** The process is done with: forgotten (the next call starts another), and its calls failed. */
  private end(child: ChildProcess, error: Error): void {
    if (this.child === child) this.child = undefined;
    for (const [id, call] of this.calls) {
      if (call.child === child) this.settle(id, error);
    }
  }

  /** Reported, and the next start put off: 250 ms after one failure, doubling up to 30 s. */
  private failed(reason: string, child?: ChildProcess): void {
    this.failures += 1;
    this.notBefore =
      Date.now() + Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1));
    this.options.onFailure(reason, (child && this.stderrOf.get(child))?.trim() ?? '');
  }

  /** While calls are in flight the process and its pipes keep the service's event loop alive. */
  private hold(child: ChildProcess, hold: boolean): void {
    if (hold) {
      child.ref();
      child.channel?.ref();
      (child.stderr as Socket | null)?.ref();
    } else {
      child.unref();
      child.channel?.unref();
      (child.stderr as Socket | null)?.unref();
    }
  }
}
