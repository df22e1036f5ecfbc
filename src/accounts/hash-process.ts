import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { HashReply, HashRequest } from './hash-protocol';

/** The hashing process is gone (it died, could not start, or stopped answering): try again later. */
export class HasherUnavailableError extends Error {
  constructor(reason: string) {
    super(`password hasher unavailable: ${reason}`);
    this.name = 'HasherUnavailableError';
  }
}

export interface HashProcessOptions {
  /** libuv pool threads of the hashing process: the hashes it computes at once. */
  readonly threads: number;
  /** A call not answered in this time kills the process (and fails every call it held). */
  readonly deadlineMs: number;
  /** Told why, when the process fails: it could not start, died, or stopped answering. */
  readonly onFailure: (reason: string) => void;
  /** The script forked (the compiled hash-worker.ts beside this file unless a test says otherwise). */
  readonly script?: string;
}

export type HashWork =
  { op: 'hash'; password: string } | { op: 'verify'; hash: string; password: string };

interface Call {
  readonly child: ChildProcess;
  readonly resolve: (reply: HashReply) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * The service's handle on its password-hashing process (hash-worker.ts): started at the first
 * call, started again at the next call after it dies, stopped by close(). While no call is in
 * flight it holds nothing open, so it never keeps the service running. Bounding how many calls
 * are made at once is the caller's concern (PasswordHasher).
 */
export class HashProcess {
  private child: ChildProcess | undefined;
  private readonly calls = new Map<number, Call>();
  private lastId = 0;
  private closed = false;

  constructor(private readonly options: HashProcessOptions) {}

  /** Resolves with the worker's reply, or fails with HasherUnavailableError. */
  run(work: HashWork): Promise<HashReply> {
    if (this.closed) return Promise.reject(new HasherUnavailableError('closed'));
    let child: ChildProcess;
    try {
      child = this.child ?? this.start();
    } catch (error) {
      this.options.onFailure(`could not start: ${(error as Error).message}`);
      return Promise.reject(new HasherUnavailableError('could not start'));
    }
    const id = ++this.lastId;
    const request: HashRequest = { id, ...work };
    return new Promise<HashReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A hash takes milliseconds: a process this late is stuck, and every call it holds with it.
        this.end(child, new HasherUnavailableError('no answer in time'));
        child.kill('SIGKILL');
        this.options.onFailure(`no answer in ${this.options.deadlineMs} ms: killed`);
      }, this.options.deadlineMs);
      this.calls.set(id, { child, resolve, reject, timer });
      if (this.calls.size === 1) this.hold(child, true);
      child.send(request, (error) => {
        if (error) this.settle(id, () => new HasherUnavailableError(error.message));
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

  private start(): ChildProcess {
    const child = fork(this.options.script ?? join(__dirname, 'hash-worker.js'), [], {
      // Nothing of the service's environment or node options: only the size of its pool.
      env: { UV_THREADPOOL_SIZE: String(this.options.threads) },
      execArgv: [],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      serialization: 'json',
    });
    this.child = child;
    child.on('message', (reply: HashReply) => {
      this.settle(reply.id, () => reply);
    });
    child.on('error', (error) => {
      if (this.closed || this.child !== child) return;
      this.end(child, new HasherUnavailableError(error.message));
      this.options.onFailure(error.message);
    });
    child.on('exit', (code, signal) => {
      if (this.closed || this.child !== child) return;
      this.end(child, new HasherUnavailableError('exited'));
      this.options.onFailure(`exited (code ${code}, signal ${signal})`);
    });
    this.hold(child, false);
    return child;
  }

  /** Answers one call: with the reply, or with an error. */
  private settle(id: number, outcome: () => HashReply | Error): void {
    const call = this.calls.get(id);
    if (call === undefined) return;
    this.calls.delete(id);
    clearTimeout(call.timer);
    const result = outcome();
    if (result instanceof Error) call.reject(result);
    else call.resolve(result);
    if (this.calls.size === 0 && this.child === call.child) this.hold(call.child, false);
  }

  /** The process is done with: forgotten (the next call starts another), and its calls failed. */
  private end(child: ChildProcess, error: Error): void {
    if (this.child === child) this.child = undefined;
    for (const [id, call] of this.calls) {
      if (call.child === child) this.settle(id, () => error);
    }
  }

  /** While calls are in flight the process and its channel keep the service's event loop alive. */
  private hold(child: ChildProcess, hold: boolean): void {
    if (hold) {
      child.ref();
      child.channel?.ref();
    } else {
      child.unref();
      child.channel?.unref();
    }
  }
}
