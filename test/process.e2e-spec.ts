import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { Socket, createConnection } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TRACE_ID } from './support/problem';
import { alive, childrenOf } from './support/processes';
import { ServiceProcess, buildService, freePort } from './support/service-process';
import { PostgresTestDatabase, testDatabaseKind } from './support/test-database';

const READY_WITHIN_MS = 10_000;
const EXIT_WITHIN_MS = 10_000;

type LogLine = Record<string, unknown>;

function parseLines(service: ServiceProcess): LogLine[] {
  return service.stdoutLines.map((line) => {
    try {
      return JSON.parse(line) as LogLine;
    } catch {
      assert.fail(`stdout holds a line that is not JSON: ${line}`);
    }
  });
}

interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Reads one HTTP/1.1 answer with a Content-Length from a socket that stays open. */
function readAnswer(socket: Socket, timeoutMs = 10_000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => done(new Error('no complete answer')), timeoutMs);
    const done = (error: Error | undefined, answer?: HttpAnswer) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (error) reject(error);
      else resolve(answer!);
    };
    const onClose = () => done(new Error('the connection closed before a complete answer'));
    const onData = (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const split = buffer.indexOf('\r\n\r\n');
      if (split < 0) return;
      const [statusLine, ...lines] = buffer.subarray(0, split).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (buffer.length < split + 4 + length) return;
      done(undefined, {
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: buffer.subarray(split + 4, split + 4 + length).toString('utf8'),
      });
    };
    socket.on('data', onData);
    socket.on('close', onClose);
  });
}

describe('the compiled service as a process', () => {
  let main: string;
  const dirs: string[] = [];
  const services: ServiceProcess[] = [];
  const databases: PostgresTestDatabase[] = [];

  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mfa-admin-process-'));
    dirs.push(dir);
    return dir;
  };

  /** On the PostgreSQL pass, a fresh database; on SQLite, the default file in DATA_DIR. */
  const databaseEnv = async (): Promise<Record<string, string>> => {
    if (testDatabaseKind() !== 'postgres') return {};
    const db = await PostgresTestDatabase.create();
    databases.push(db);
    return { DATABASE_URL: db.url };
  };

  const start = (env: Record<string, string>) => {
    const service = ServiceProcess.start(main, env);
    services.push(service);
    return service;
  };

  before(() => {
    main = buildService();
  });

  after(async () => {
    for (const s of services) await s.kill();
    for (const db of databases) await db.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  describe('a first start, then a restart on the same data', () => {
    let dataDir: string;
    let dbEnv: Record<string, string>;
    let port: number;
    let service: ServiceProcess;
    let oneTimePassword: string;

    before(async () => {
      dataDir = tempDir();
      dbEnv = await databaseEnv();
      port = await freePort();
      service = start({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', ...dbEnv });
    });

    it('answers /health/ready 200 within 10 s', async () => {
      const took = await service.waitForOk(
        `http://127.0.0.1:${port}/health/ready`,
        READY_WITHIN_MS,
      );
      assert.ok(took < READY_WITHIN_MS, `ready after ${took} ms`);
    });

    it('writes JSON lines (pino) on stdout', () => {
      const lines = parseLines(service);
      assert.ok(lines.length > 0);
      for (const line of lines) {
        assert.equal(typeof line.level, 'string', JSON.stringify(line));
        assert.equal(typeof line.msg, 'string', JSON.stringify(line));
        assert.ok(line.time !== undefined, JSON.stringify(line));
      }
      assert.equal(service.stderr, '', 'nothing on stderr');
    });

    it('prints the one-time password once, at warn', () => {
      const lines = parseLines(service).filter((l) =>
        JSON.stringify(l).includes('one-time password'),
      );
      assert.equal(lines.length, 1, JSON.stringify(lines));
      assert.equal(lines[0].level, 'warn');
      const match = /one-time password: (\S+)/.exec(String(lines[0].msg));
      assert.ok(match, String(lines[0].msg));
      oneTimePassword = match[1];
      assert.match(oneTimePassword, /^[A-Za-z0-9!@#$%^&*_+=.~-]{16,}$/);
      assert.ok(existsSync(join(dataDir, 'jwt-secret.key')), 'the development key was generated');
    });

    it("413 reaches a client that sends 5 MB without waiting (Node's fetch and http), every time", async () => {
      const size = 5 * 1024 * 1024;
      const statuses: (number | string)[] = [];
      for (let i = 0; i < 5; i++) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/signinBody`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: 'x'.repeat(size),
          });
          await res.text();
          statuses.push(res.status);
        } catch (error) {
          statuses.push(String((error as { cause?: { code?: string } }).cause?.code ?? error));
        }
        statuses.push(
          await new Promise<number | string>((resolve) => {
            const req = httpRequest(
              { port, method: 'POST', path: '/signinBody', headers: { 'content-length': size } },
              (res) => {
                res.resume();
                res.on('end', () => resolve(res.statusCode ?? 0));
              },
            );
            req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
            req.end(Buffer.alloc(size, 120));
          }),
        );
      }
      assert.deepEqual(statuses, Array(10).fill(413));
    });

    it('says little at start at info: the one-time password is not lost among route lines', () => {
      // Read before any request is logged: only what the start wrote.
      const lines = parseLines(service).filter((l) => l.msg !== 'request completed');
      const summary = lines.map((l) => `${String(l.level)} ${String(l.msg)}`);
      assert.ok(lines.length <= 8, `${lines.length} start-up lines:\n${summary.join('\n')}`);
      assert.ok(!summary.some((l) => /Mapped \{/.test(l)), 'route mapping is logged at debug');
      const listening = lines.find((l) => l.msg === 'listening');
      assert.equal(listening?.host, '127.0.0.1', 'loopback only outside production by default');
    });

    it("is not reachable on the machine's other addresses by default", async () => {
      const outside = Object.values(networkInterfaces())
        .flat()
        .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal);
      if (outside === undefined) return; // a machine with loopback only: nothing to try
      await assert.rejects(fetch(`http://${outside.address}:${port}/health/live`));
    });

    it('logs a request with its traceId, method, route, status and duration', async () => {
      const res = await fetch(`http://127.0.0.1:${port}/health/live`, {
        headers: { traceparent: '00-abcdefabcdefabcdefabcdefabcdef12-00f067aa0ba902b7-01' },
      });
      assert.equal(res.status, 200);
      await res.text();
      const deadline = Date.now() + 2000;
      let line: LogLine | undefined;
      while (!line && Date.now() < deadline) {
        line = parseLines(service).find(
          (l) =>
            typeof l.traceId === 'string' &&
            l.traceId.startsWith('00-abcdefabcdefabcdefabcdefabcdef12-'),
        );
        if (!line) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(line, 'the request was logged');
      assert.match(line.traceId as string, TRACE_ID);
      assert.equal(line.level, 'info');
      assert.equal(line.method, 'GET');
      assert.equal(line.route, '/health/live');
      assert.equal(line.status, 200);
      assert.equal(typeof line.durationMs, 'number');
    });

    it('on SIGTERM finishes a request in flight, then exits 0 within 10 s', async () => {
      // The password-hashing process (started by the administrator's creation): signalled too,
      // as systemd signals a whole control group, it still checks the password in flight.
      const hashers = childrenOf(service.child.pid!);
      assert.equal(hashers.length, 1, 'one password-hashing process');
      const body = JSON.stringify({ Login: 'admin', Password: oneTimePassword });
      const socket = createConnection({ host: '127.0.0.1', port });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.on('error', () => undefined);
      const answer = readAnswer(socket);
      // Head and half the body: the request is in flight when the signal comes.
      socket.write(
        `POST /signinBody HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const signalled = Date.now();
      service.child.kill('SIGTERM');
      process.kill(hashers[0], 'SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(service.hasExited, false, 'the process waits for the request in flight');
      socket.write(body.slice(10));
      const res = await answer;
      assert.equal(res.status, 200, res.body);
      assert.equal(typeof JSON.parse(res.body), 'string', 'the pre-auth token');
      // The client keeps its (keep-alive) connection open: the service must not wait for it.
      const exit = await service.waitForExit(EXIT_WITHIN_MS);
      const took = Date.now() - signalled;
      socket.destroy();
      assert.deepEqual(exit, { code: 0, signal: null }, service.stderr);
      assert.ok(took < EXIT_WITHIN_MS, `exited after ${took} ms`);
      assert.equal(alive(hashers[0]), false, 'the hashing process ends with the service');
      parseLines(service);
    });

    it('a restart on the same data creates no second administrator and prints no password', async () => {
      port = await freePort();
      const again = start({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', ...dbEnv });
      await again.waitForOk(`http://127.0.0.1:${port}/health/ready`, READY_WITHIN_MS);
      const lines = parseLines(again);
      assert.equal(
        lines.filter((l) => /one-time password|Created administrator/.test(String(l.msg))).length,
        0,
        again.stdout,
      );
      // The same generated keys and database: the one-time password still signs in.
      const res = await fetch(`http://127.0.0.1:${port}/signinBody`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ Login: 'admin', Password: oneTimePassword }),
      });
      assert.equal(res.status, 200, await res.text());
      const signalled = Date.now();
      again.child.kill('SIGTERM');
      const exit = await again.waitForExit(EXIT_WITHIN_MS);
      assert.deepEqual(exit, { code: 0, signal: null }, again.stderr);
      assert.ok(Date.now() - signalled < EXIT_WITHIN_MS);
    });
  });

  describe('SIGTERM with a keep-alive client that keeps calling', () => {
    it('still exits 0 within 10 s (the connection is not held open past the shutdown)', async () => {
      const port = await freePort();
      const service = start({
        PORT: String(port),
        DATA_DIR: tempDir(),
        LOG_LEVEL: 'warn',
        ...(await databaseEnv()),
      });
      await service.waitForOk(`http://127.0.0.1:${port}/health/ready`, READY_WITHIN_MS);
      const socket = createConnection({ host: '127.0.0.1', port });
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.on('error', () => undefined);
      let closed = false;
      socket.on('close', () => (closed = true));
      const body = JSON.stringify({ Login: 'admin', Password: 'not-the-password-1!' });
      const answer = readAnswer(socket);
      socket.write(
        `POST /signinBody HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      const signalled = Date.now();
      service.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      socket.write(body.slice(10));
      const first = await answer;
      assert.equal(first.status, 401, first.body);
      // What a load balancer's health probe or a PowerShell -WebSession does: reuse the connection.
      const statuses: number[] = [];
      while (!closed && !service.hasExited && Date.now() - signalled < EXIT_WITHIN_MS + 2000) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        if (closed) break;
        const next = readAnswer(socket, 2000);
        socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
        try {
          statuses.push((await next).status);
        } catch {
          break;
        }
      }
      socket.destroy();
      const exit = await service.waitForExit(EXIT_WITHIN_MS);
      const took = Date.now() - signalled;
      assert.deepEqual(
        exit,
        { code: 0, signal: null },
        `exit after ${took} ms; ${statuses.length} requests answered after SIGTERM on the kept-alive ` +
          `connection (answer to the in-flight request said Connection: ${first.headers.connection}); ` +
          `log: ${service.stdout.split('\n').slice(-3).join(' ')}`,
      );
      assert.ok(took < EXIT_WITHIN_MS, `exited after ${took} ms`);
    });
  });

  describe('started as the README says: npm run start:prod, stopped with SIGTERM to npm', () => {
    it('the service itself stops (no orphaned node keeps the port) and npm exits 0', async () => {
      const port = await freePort();
      const service = ServiceProcess.startScript('start:prod', {
        PORT: String(port),
        DATA_DIR: tempDir(),
        LOG_LEVEL: 'info',
        ...(await databaseEnv()),
      });
      services.push(service);
      await service.waitForOk(`http://127.0.0.1:${port}/health/ready`, READY_WITHIN_MS);
      // npm's child is node itself (sh exec'd it), so npm's SIGTERM reaches the service.
      const npmPid = service.child.pid!;
      const nodePid = readFileSync(`/proc/${npmPid}/task/${npmPid}/children`, 'utf8').trim();
      assert.match(nodePid, /^\d+$/, 'npm has exactly one child');
      assert.equal(readlinkSync(`/proc/${nodePid}/exe`), process.execPath, 'not a shell');
      assert.match(readFileSync(`/proc/${nodePid}/cmdline`, 'utf8'), /dist\/src\/main\.js/);
      service.child.kill('SIGTERM');
      const exit = await service.waitForExit(EXIT_WITHIN_MS);
      assert.deepEqual(exit, { code: 0, signal: null }, service.stderr);
      const refused = await new Promise<boolean>((resolve) => {
        const probe = createConnection({ host: '127.0.0.1', port });
        probe.once('connect', () => {
          probe.destroy();
          resolve(false);
        });
        probe.once('error', () => resolve(true));
      });
      assert.ok(refused, 'nothing listens on the port after npm exited');
      // npm's own banner ("> mfa-admin@... start:prod") aside, stdout is the service's JSON log.
      const log = service.stdoutLines
        .filter((line) => !line.startsWith('> '))
        .map((line) => JSON.parse(line) as LogLine);
      assert.ok(
        log.some((line) => line.msg === 'stopped'),
        service.stdout,
      );
    });
  });

  describe('refusing to start', () => {
    /** Starts with this environment and expects a quick non-zero exit with one stderr line. */
    async function refused(env: Record<string, string>, variable: string): Promise<string> {
      const port = await freePort();
      const service = start({ PORT: String(port), DATA_DIR: tempDir(), LOG_LEVEL: 'info', ...env });
      const exit = await service.waitForExit(EXIT_WITHIN_MS);
      assert.notEqual(exit.code, 0, `exit ${JSON.stringify(exit)}`);
      assert.ok(exit.code !== null, 'it exits by itself, not by a signal');
      const lines = service.stderr.split('\n').filter((l) => l.trim() !== '');
      assert.equal(lines.length, 1, `one stderr line: ${JSON.stringify(service.stderr)}`);
      assert.ok(lines[0].includes(variable), `the line names ${variable}: ${lines[0]}`);
      return lines[0];
    }

    it('PORT=abc exits non-zero with one stderr line naming PORT', async () => {
      await refused({ PORT: 'abc' }, 'PORT');
    });

    it('HOST=example.com, and a HOST that is no address of this machine, exit naming HOST', async () => {
      await refused({ HOST: 'example.com' }, 'HOST');
      await refused({ HOST: '10.1.2.3' }, 'HOST');
    });

    it('LOG_LEVEL=loud exits non-zero with one stderr line naming LOG_LEVEL', async () => {
      await refused({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL');
    });

    it('NODE_ENV=production without JWT_SECRET exits non-zero naming JWT_SECRET, generating no key', async () => {
      const dataDir = tempDir();
      await refused(
        { NODE_ENV: 'production', DATA_DIR: dataDir, MFA_ENCRYPTION_KEY: 'ab'.repeat(32) },
        'JWT_SECRET',
      );
      assert.equal(existsSync(join(dataDir, 'jwt-secret.key')), false);
    });

    it('a port already in use exits non-zero', async () => {
      const port = await freePort();
      const holder = start({
        PORT: String(port),
        DATA_DIR: tempDir(),
        LOG_LEVEL: 'warn',
        ...(await databaseEnv()),
      });
      try {
        await holder.waitForOk(`http://127.0.0.1:${port}/health/live`, READY_WITHIN_MS);
        const second = start({
          PORT: String(port),
          DATA_DIR: tempDir(),
          LOG_LEVEL: 'warn',
          ...(await databaseEnv()),
        });
        const exit = await second.waitForExit(EXIT_WITHIN_MS);
        assert.notEqual(exit.code, 0);
        assert.match(second.stderr + second.stdout, /EADDRINUSE/);
      } finally {
        holder.child.kill('SIGTERM');
        await holder.waitForExit(EXIT_WITHIN_MS);
      }
    });
  });
});
