import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** The checkout: the nearest folder above this file with a package.json. */
export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts'))
      newest = Math.max(newest, stat.mtimeMs);
  }
  return newest;
}

/**
 * Compiles the service as `npm run build` does (tsc -p tsconfig.build.json, into dist/) when
 * dist/src/main.js is missing or older than a source; answers the path of main.js.
 */
export function buildService(root: string = projectRoot()): string {
  const main = join(root, 'dist', 'src', 'main.js');
  const stamp = join(root, 'dist', '.tsbuildinfo');
  const built = existsSync(main) && existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  if (built < newestMtime(join(root, 'src'))) {
    const tsc = spawnSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      { cwd: root, encoding: 'utf8' },
    );
    if (tsc.status !== 0) throw new Error(`the build failed:\n${tsc.stdout}${tsc.stderr}`);
  }
  return main;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The variables the service reads, removed from what the child inherits. */
const SERVICE_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'DATA_DIR',
  'DATABASE_URL',
  'DATABASE_POOL_SIZE',
  'DATABASE_STATEMENT_TIMEOUT_MS',
  'DATABASE_SSL',
  'LOG_LEVEL',
  'JWT_SECRET',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'MFA_ENCRYPTION_KEY',
  'MFA_ENCRYPTION_KEYS_PREVIOUS',
  'MFA_ISSUER',
  'BOOTSTRAP_ADMIN_PASSWORD',
  'STEP_UP_MAX_AGE',
  'ACCESS_TOKEN_TTL',
  'LOCKOUT_THRESHOLD',
  'LOCKOUT_MINUTES',
  'SIGNIN_RATE_LIMIT',
  'TRUST_PROXY',
  'SMTP_URL',
  'MAIL_FROM',
  'RESET_REASON_REQUIRED',
  'RESET_ENROLLMENT_CODE',
  'ENROLLMENT_CODE_TTL',
  'ENROLLMENT_CODE_IN_MESSAGE',
];

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** `node dist/src/main.js` as a child process, its stdout and stderr captured. */
export class ServiceProcess {
  private stdoutText = '';
  private stderrText = '';
  readonly exited: Promise<Exit>;
  private exitInfo: Exit | undefined;

  private constructor(
    readonly child: ChildProcess,
    private readonly group: boolean,
  ) {
    child.stdout?.on('data', (c: Buffer) => (this.stdoutText += c.toString('utf8')));
    child.stderr?.on('data', (c: Buffer) => (this.stderrText += c.toString('utf8')));
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve(this.exitInfo);
      }),
    );
  }

  static start(main: string, env: Record<string, string>): ServiceProcess {
    return ServiceProcess.spawn(process.execPath, [main], env, false);
  }

  /**
   * `npm run <script>` (start:prod, as the README starts the service), the child being npm itself,
   * in a process group of its own so that kill() also ends what npm started.
   */
  static startScript(script: string, env: Record<string, string>): ServiceProcess {
    return ServiceProcess.spawn('npm', ['run', script], env, true);
  }

  private static spawn(
    command: string,
    args: string[],
    env: Record<string, string>,
    group: boolean,
  ): ServiceProcess {
    const inherited = { ...process.env };
    for (const name of SERVICE_VARIABLES) delete inherited[name];
    const child = spawn(command, args, {
      cwd: projectRoot(),
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: group,
    });
    return new ServiceProcess(child, group);
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** The non-empty lines of stdout. */
  get stdoutLines(): string[] {
    return this.stdoutText.split('\n').filter((l) => l.trim() !== '');
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** Resolves with the exit, or rejects when the process is still running after the timeout. */
  async waitForExit(timeoutMs: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.exited,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`still running after ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Polls GET url until it answers 200; answers the time taken in ms. */
  async waitForOk(url: string, timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      if (this.exitInfo)
        throw new Error(`exited (${JSON.stringify(this.exitInfo)}) before ${url} answered 200`);
      const status = await new Promise<number>((resolve) => {
        const req = get(url, { agent: false }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => resolve(0));
        req.setTimeout(1000, () => req.destroy());
      });
      if (status === 200) return Date.now() - started;
      if (Date.now() - started > timeoutMs)
        throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last ${status})`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Ends the process if it is still running (clean-up after a failed test). */
  async kill(): Promise<void> {
    if (this.group && this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGKILL');
      } catch {
        // the group is already gone
      }
    }
    if (this.exitInfo) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
