"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ServiceProcess = void 0;
exports.projectRoot = projectRoot;
exports.buildService = buildService;
exports.freePort = freePort;
const node_child_process_1 = require("node:child_process");
const node_fs_1 = require("node:fs");
const node_http_1 = require("node:http");
const node_net_1 = require("node:net");
const node_path_1 = require("node:path");
/** The checkout: the nearest folder above this file with a package.json. */
function projectRoot(from = __dirname) {
    let dir = from;
    while (!(0, node_fs_1.existsSync)((0, node_path_1.join)(dir, 'package.json'))) {
        const parent = (0, node_path_1.dirname)(dir);
        if (parent === dir)
            throw new Error(`no package.json above ${from}`);
        dir = parent;
    }
    return dir;
}
function newestMtime(dir) {
    let newest = 0;
    for (const name of (0, node_fs_1.readdirSync)(dir)) {
        const path = (0, node_path_1.join)(dir, name);
        const stat = (0, node_fs_1.statSync)(path);
        if (stat.isDirectory())
            newest = Math.max(newest, newestMtime(path));
        else if (name.endsWith('.ts') && !name.endsWith('.spec.ts'))
            newest = Math.max(newest, stat.mtimeMs);
    }
    return newest;
}
/**
 * Compiles the service as `npm run build` does (tsc -p tsconfig.build.json, into dist/) when
 * dist/src/main.js is missing or older than a source; answers the path of main.js.
 */
function buildService(root = projectRoot()) {
    const main = (0, node_path_1.join)(root, 'dist', 'src', 'main.js');
    const stamp = (0, node_path_1.join)(root, 'dist', '.tsbuildinfo');
    const built = (0, node_fs_1.existsSync)(main) && (0, node_fs_1.existsSync)(stamp) ? (0, node_fs_1.statSync)(stamp).mtimeMs : 0;
    if (built < newestMtime((0, node_path_1.join)(root, 'src'))) {
        const tsc = (0, node_child_process_1.spawnSync)(process.execPath, [(0, node_path_1.join)(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
        if (tsc.status !== 0)
            throw new Error(`the build failed:\n${tsc.stdout}${tsc.stderr}`);
    }
    return main;
}
/** A port nobody listens on right now. */
async function freePort() {
    const server = (0, node_net_1.createServer)();
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    await new Promise((resolve) => server.close(() => resolve()));
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
];
/** `node dist/src/main.js` as a child process, its stdout and stderr captured. */
class ServiceProcess {
    child;
    group;
    stdoutText = '';
    stderrText = '';
    exited;
    exitInfo;
    constructor(child, group) {
        this.child = child;
        this.group = group;
        child.stdout?.on('data', (c) => (this.stdoutText += c.toString('utf8')));
        child.stderr?.on('data', (c) => (this.stderrText += c.toString('utf8')));
        this.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
            this.exitInfo = { code, signal };
            resolve(this.exitInfo);
        }));
    }
    static start(main, env) {
        return ServiceProcess.spawn(process.execPath, [main], env, false);
    }
    /**
     * `npm run <script>` (start:prod, as API.md starts the service), the child being npm itself,
     * in a process group of its own so that kill() also ends what npm started.
     */
    static startScript(script, env) {
        return ServiceProcess.spawn('npm', ['run', script], env, true);
    }
    static spawn(command, args, env, group) {
        const inherited = { ...process.env };
        for (const name of SERVICE_VARIABLES)
            delete inherited[name];
        const child = (0, node_child_process_1.spawn)(command, args, {
            cwd: projectRoot(),
            env: { ...inherited, ...env },
            stdio: ['ignore', 'pipe', 'pipe'],
            detached: group,
        });
        return new ServiceProcess(child, group);
    }
    get stdout() {
        return this.stdoutText;
    }
    get stderr() {
        return this.stderrText;
    }
    /** The non-empty lines of stdout. */
    get stdoutLines() {
        return this.stdoutText.split('\n').filter((l) => l.trim() !== '');
    }
    get hasExited() {
        return this.exitInfo !== undefined;
    }
    /** Resolves with the exit, or rejects when the process is still running after the timeout. */
    async waitForExit(timeoutMs) {
        let timer;
        try {
            return await Promise.race([
                this.exited,
                new Promise((_, reject) => {
                    timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms`)), timeoutMs);
                }),
            ]);
        }
        finally {
            clearTimeout(timer);
        }
    }
    /** Polls GET url until it answers 200; answers the time taken in ms. */
    async waitForOk(url, timeoutMs) {
        const started = Date.now();
        for (;;) {
            if (this.exitInfo)
                throw new Error(`exited (${JSON.stringify(this.exitInfo)}) before ${url} answered 200`);
            const status = await new Promise((resolve) => {
                const req = (0, node_http_1.get)(url, { agent: false }, (res) => {
                    res.resume();
                    resolve(res.statusCode ?? 0);
                });
                req.on('error', () => resolve(0));
                req.setTimeout(1000, () => req.destroy());
            });
            if (status === 200)
                return Date.now() - started;
            if (Date.now() - started > timeoutMs)
                throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last ${status})`);
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
    }
    /** Ends the process if it is still running (clean-up after a failed test). */
    async kill() {
        if (this.group && this.child.pid !== undefined) {
            try {
                process.kill(-this.child.pid, 'SIGKILL');
            }
            catch {
                // the group is already gone
            }
        }
        if (this.exitInfo)
            return;
        this.child.kill('SIGKILL');
        await this.exited;
    }
}
exports.ServiceProcess = ServiceProcess;
//# sourceMappingURL=service-process.js.map