"use strict";
var __importDefault = (this && this.__importDefault) || function (mod) {
    return (mod && mod.__esModule) ? mod : { "default": mod };
};
Object.defineProperty(exports, "__esModule", { value: true });
const strict_1 = __importDefault(require("node:assert/strict"));
const node_fs_1 = require("node:fs");
const node_net_1 = require("node:net");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const node_test_1 = require("node:test");
const problem_1 = require("./support/problem");
const service_process_1 = require("./support/service-process");
const test_database_1 = require("./support/test-database");
const READY_WITHIN_MS = 10_000;
const EXIT_WITHIN_MS = 10_000;
function parseLines(service) {
    return service.stdoutLines.map((line) => {
        try {
            return JSON.parse(line);
        }
        catch {
            strict_1.default.fail(`stdout holds a line that is not JSON: ${line}`);
        }
    });
}
/** Reads one HTTP/1.1 answer with a Content-Length from a socket that stays open. */
function readAnswer(socket, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
        let buffer = Buffer.alloc(0);
        const timer = setTimeout(() => done(new Error('no complete answer')), timeoutMs);
        const done = (error, answer) => {
            clearTimeout(timer);
            socket.off('data', onData);
            socket.off('close', onClose);
            if (error)
                reject(error);
            else
                resolve(answer);
        };
        const onClose = () => done(new Error('the connection closed before a complete answer'));
        const onData = (chunk) => {
            buffer = Buffer.concat([buffer, chunk]);
            const split = buffer.indexOf('\r\n\r\n');
            if (split < 0)
                return;
            const [statusLine, ...lines] = buffer.subarray(0, split).toString('latin1').split('\r\n');
            const headers = {};
            for (const line of lines) {
                const colon = line.indexOf(':');
                headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
            }
            const length = Number(headers['content-length'] ?? 0);
            if (buffer.length < split + 4 + length)
                return;
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
(0, node_test_1.describe)('the compiled service as a process', () => {
    let main;
    const dirs = [];
    const services = [];
    const databases = [];
    const tempDir = () => {
        const dir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), 'mfa-admin-process-'));
        dirs.push(dir);
        return dir;
    };
    /** On the PostgreSQL pass, a fresh database; on SQLite, the default file in DATA_DIR. */
    const databaseEnv = async () => {
        if ((0, test_database_1.testDatabaseKind)() !== 'postgres')
            return {};
        const db = await test_database_1.PostgresTestDatabase.create();
        databases.push(db);
        return { DATABASE_URL: db.url };
    };
    const start = (env) => {
        const service = service_process_1.ServiceProcess.start(main, env);
        services.push(service);
        return service;
    };
    (0, node_test_1.before)(() => {
        main = (0, service_process_1.buildService)();
    });
    (0, node_test_1.after)(async () => {
        for (const s of services)
            await s.kill();
        for (const db of databases)
            await db.drop();
        for (const dir of dirs)
            (0, node_fs_1.rmSync)(dir, { recursive: true, force: true });
    });
    (0, node_test_1.describe)('a first start, then a restart on the same data', () => {
        let dataDir;
        let dbEnv;
        let port;
        let service;
        let oneTimePassword;
        (0, node_test_1.before)(async () => {
            dataDir = tempDir();
            dbEnv = await databaseEnv();
            port = await (0, service_process_1.freePort)();
            service = start({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', ...dbEnv });
        });
        (0, node_test_1.it)('answers /health/ready 200 within 10 s', async () => {
            const took = await service.waitForOk(`http://127.0.0.1:${port}/health/ready`, READY_WITHIN_MS);
            strict_1.default.ok(took < READY_WITHIN_MS, `ready after ${took} ms`);
        });
        (0, node_test_1.it)('writes JSON lines (pino) on stdout', () => {
            const lines = parseLines(service);
            strict_1.default.ok(lines.length > 0);
            for (const line of lines) {
                strict_1.default.equal(typeof line.level, 'string', JSON.stringify(line));
                strict_1.default.equal(typeof line.msg, 'string', JSON.stringify(line));
                strict_1.default.ok(line.time !== undefined, JSON.stringify(line));
            }
            strict_1.default.equal(service.stderr, '', 'nothing on stderr');
        });
        (0, node_test_1.it)('prints the one-time password once, at warn', () => {
            const lines = parseLines(service).filter((l) => JSON.stringify(l).includes('one-time password'));
            strict_1.default.equal(lines.length, 1, JSON.stringify(lines));
            strict_1.default.equal(lines[0].level, 'warn');
            const match = /one-time password: (\S+)/.exec(String(lines[0].msg));
            strict_1.default.ok(match, String(lines[0].msg));
            oneTimePassword = match[1];
            strict_1.default.match(oneTimePassword, /^[A-Za-z0-9!@#$%^&*_+=.~-]{16,}$/);
            strict_1.default.ok((0, node_fs_1.existsSync)((0, node_path_1.join)(dataDir, 'jwt-secret.key')), 'the development key was generated');
        });
        (0, node_test_1.it)('logs a request with its traceId, method, route, status and duration', async () => {
            const res = await fetch(`http://127.0.0.1:${port}/health/live`, {
                headers: { traceparent: '00-abcdefabcdefabcdefabcdefabcdef12-00f067aa0ba902b7-01' },
            });
            strict_1.default.equal(res.status, 200);
            await res.text();
            const deadline = Date.now() + 2000;
            let line;
            while (!line && Date.now() < deadline) {
                line = parseLines(service).find((l) => typeof l.traceId === 'string' &&
                    l.traceId.startsWith('00-abcdefabcdefabcdefabcdefabcdef12-'));
                if (!line)
                    await new Promise((resolve) => setTimeout(resolve, 20));
            }
            strict_1.default.ok(line, 'the request was logged');
            strict_1.default.match(line.traceId, problem_1.TRACE_ID);
            strict_1.default.equal(line.level, 'info');
            strict_1.default.equal(line.method, 'GET');
            strict_1.default.equal(line.route, '/health/live');
            strict_1.default.equal(line.status, 200);
            strict_1.default.equal(typeof line.durationMs, 'number');
        });
        (0, node_test_1.it)('on SIGTERM finishes a request in flight, then exits 0 within 10 s', async () => {
            const body = JSON.stringify({ Login: 'admin', Password: oneTimePassword });
            const socket = (0, node_net_1.createConnection)({ host: '127.0.0.1', port });
            await new Promise((resolve) => socket.once('connect', () => resolve()));
            socket.on('error', () => undefined);
            const answer = readAnswer(socket);
            // Head and half the body: the request is in flight when the signal comes.
            socket.write(`POST /signinBody HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
                `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
            await new Promise((resolve) => setTimeout(resolve, 300));
            const signalled = Date.now();
            service.child.kill('SIGTERM');
            await new Promise((resolve) => setTimeout(resolve, 300));
            strict_1.default.equal(service.hasExited, false, 'the process waits for the request in flight');
            socket.write(body.slice(10));
            const res = await answer;
            strict_1.default.equal(res.status, 200, res.body);
            strict_1.default.equal(typeof JSON.parse(res.body), 'string', 'the pre-auth token');
            // The client keeps its (keep-alive) connection open: the service must not wait for it.
            const exit = await service.waitForExit(EXIT_WITHIN_MS);
            const took = Date.now() - signalled;
            socket.destroy();
            strict_1.default.deepEqual(exit, { code: 0, signal: null }, service.stderr);
            strict_1.default.ok(took < EXIT_WITHIN_MS, `exited after ${took} ms`);
            parseLines(service);
        });
        (0, node_test_1.it)('a restart on the same data creates no second administrator and prints no password', async () => {
            port = await (0, service_process_1.freePort)();
            const again = start({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'info', ...dbEnv });
            await again.waitForOk(`http://127.0.0.1:${port}/health/ready`, READY_WITHIN_MS);
            const lines = parseLines(again);
            strict_1.default.equal(lines.filter((l) => /one-time password|Created administrator/.test(String(l.msg))).length, 0, again.stdout);
            // The same generated keys and database: the one-time password still signs in.
            const res = await fetch(`http://127.0.0.1:${port}/signinBody`, {
                method: 'POST',
                headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ Login: 'admin', Password: oneTimePassword }),
            });
            strict_1.default.equal(res.status, 200, await res.text());
            const signalled = Date.now();
            again.child.kill('SIGTERM');
            const exit = await again.waitForExit(EXIT_WITHIN_MS);
            strict_1.default.deepEqual(exit, { code: 0, signal: null }, again.stderr);
            strict_1.default.ok(Date.now() - signalled < EXIT_WITHIN_MS);
        });
    });
    (0, node_test_1.describe)('SIGTERM with a keep-alive client that keeps calling', () => {
        (0, node_test_1.it)('still exits 0 within 10 s (the connection is not held open past the shutdown)', async () => {
            const port = await (0, service_process_1.freePort)();
            const service = start({
                PORT: String(port),
                DATA_DIR: tempDir(),
                LOG_LEVEL: 'warn',
                ...(await databaseEnv()),
            });
            await service.waitForOk(`http://127.0.0.1:${port}/health/ready`, READY_WITHIN_MS);
            const socket = (0, node_net_1.createConnection)({ host: '127.0.0.1', port });
            await new Promise((resolve) => socket.once('connect', () => resolve()));
            socket.on('error', () => undefined);
            let closed = false;
            socket.on('close', () => (closed = true));
            const body = JSON.stringify({ Login: 'admin', Password: 'not-the-password-1!' });
            const answer = readAnswer(socket);
            socket.write(`POST /signinBody HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
                `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`);
            await new Promise((resolve) => setTimeout(resolve, 300));
            const signalled = Date.now();
            service.child.kill('SIGTERM');
            await new Promise((resolve) => setTimeout(resolve, 300));
            socket.write(body.slice(10));
            const first = await answer;
            strict_1.default.equal(first.status, 401, first.body);
            // What a load balancer's health probe or a PowerShell -WebSession does: reuse the connection.
            const statuses = [];
            while (!closed && !service.hasExited && Date.now() - signalled < EXIT_WITHIN_MS + 2000) {
                await new Promise((resolve) => setTimeout(resolve, 500));
                if (closed)
                    break;
                const next = readAnswer(socket, 2000);
                socket.write('GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
                try {
                    statuses.push((await next).status);
                }
                catch {
                    break;
                }
            }
            socket.destroy();
            const exit = await service.waitForExit(EXIT_WITHIN_MS);
            const took = Date.now() - signalled;
            strict_1.default.deepEqual(exit, { code: 0, signal: null }, `exit after ${took} ms; ${statuses.length} requests answered after SIGTERM on the kept-alive ` +
                `connection (answer to the in-flight request said Connection: ${first.headers.connection}); ` +
                `log: ${service.stdout.split('\n').slice(-3).join(' ')}`);
            strict_1.default.ok(took < EXIT_WITHIN_MS, `exited after ${took} ms`);
        });
    });
    (0, node_test_1.describe)('started as API.md says: npm run start:prod, stopped with SIGTERM to npm', () => {
        (0, node_test_1.it)('the service itself stops (no orphaned node keeps the port) and npm exits 0', async () => {
            const port = await (0, service_process_1.freePort)();
            const service = service_process_1.ServiceProcess.startScript('start:prod', {
                PORT: String(port),
                DATA_DIR: tempDir(),
                LOG_LEVEL: 'info',
                ...(await databaseEnv()),
            });
            services.push(service);
            await service.waitForOk(`http://127.0.0.1:${port}/health/ready`, READY_WITHIN_MS);
            // npm's child is node itself (sh exec'd it), so npm's SIGTERM reaches the service.
            const npmPid = service.child.pid;
            const nodePid = (0, node_fs_1.readFileSync)(`/proc/${npmPid}/task/${npmPid}/children`, 'utf8').trim();
            strict_1.default.match(nodePid, /^\d+$/, 'npm has exactly one child');
            strict_1.default.equal((0, node_fs_1.readlinkSync)(`/proc/${nodePid}/exe`), process.execPath, 'not a shell');
            strict_1.default.match((0, node_fs_1.readFileSync)(`/proc/${nodePid}/cmdline`, 'utf8'), /dist\/src\/main\.js/);
            service.child.kill('SIGTERM');
            const exit = await service.waitForExit(EXIT_WITHIN_MS);
            strict_1.default.deepEqual(exit, { code: 0, signal: null }, service.stderr);
            const refused = await new Promise((resolve) => {
                const probe = (0, node_net_1.createConnection)({ host: '127.0.0.1', port });
                probe.once('connect', () => {
                    probe.destroy();
                    resolve(false);
                });
                probe.once('error', () => resolve(true));
            });
            strict_1.default.ok(refused, 'nothing listens on the port after npm exited');
            // npm's own banner ("> mfa-admin@... start:prod") aside, stdout is the service's JSON log.
            const log = service.stdoutLines
                .filter((line) => !line.startsWith('> '))
                .map((line) => JSON.parse(line));
            strict_1.default.ok(log.some((line) => line.msg === 'stopped'), service.stdout);
        });
    });
    (0, node_test_1.describe)('refusing to start', () => {
        /** Starts with this environment and expects a quick non-zero exit with one stderr line. */
        async function refused(env, variable) {
            const port = await (0, service_process_1.freePort)();
            const service = start({ PORT: String(port), DATA_DIR: tempDir(), LOG_LEVEL: 'info', ...env });
            const exit = await service.waitForExit(EXIT_WITHIN_MS);
            strict_1.default.notEqual(exit.code, 0, `exit ${JSON.stringify(exit)}`);
            strict_1.default.ok(exit.code !== null, 'it exits by itself, not by a signal');
            const lines = service.stderr.split('\n').filter((l) => l.trim() !== '');
            strict_1.default.equal(lines.length, 1, `one stderr line: ${JSON.stringify(service.stderr)}`);
            strict_1.default.ok(lines[0].includes(variable), `the line names ${variable}: ${lines[0]}`);
            return lines[0];
        }
        (0, node_test_1.it)('PORT=abc exits non-zero with one stderr line naming PORT', async () => {
            await refused({ PORT: 'abc' }, 'PORT');
        });
        (0, node_test_1.it)('LOG_LEVEL=loud exits non-zero with one stderr line naming LOG_LEVEL', async () => {
            await refused({ LOG_LEVEL: 'loud' }, 'LOG_LEVEL');
        });
        (0, node_test_1.it)('NODE_ENV=production without JWT_SECRET exits non-zero naming JWT_SECRET, generating no key', async () => {
            const dataDir = tempDir();
            await refused({ NODE_ENV: 'production', DATA_DIR: dataDir, MFA_ENCRYPTION_KEY: 'ab'.repeat(32) }, 'JWT_SECRET');
            strict_1.default.equal((0, node_fs_1.existsSync)((0, node_path_1.join)(dataDir, 'jwt-secret.key')), false);
        });
        (0, node_test_1.it)('a port already in use exits non-zero', async () => {
            const port = await (0, service_process_1.freePort)();
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
                strict_1.default.notEqual(exit.code, 0);
                strict_1.default.match(second.stderr + second.stdout, /EADDRINUSE/);
            }
            finally {
                holder.child.kill('SIGTERM');
                await holder.waitForExit(EXIT_WITHIN_MS);
            }
        });
    });
});
//# sourceMappingURL=process.e2e-spec.js.map