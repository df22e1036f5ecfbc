// Compiles the project and its tests with tsc, runs them with node's test runner on each database
// (SQLite, then PostgreSQL), and ends with the line CI reads: "tests: N passed, N failed".
//
// Layers: unit (src/**/*.spec.ts, no database), service (test/**/*.service-spec.ts: the rules
// through the services on a real database) and e2e (test/**/*.e2e-spec.ts: the HTTP contract).
//
// Usage: node scripts/run-tests.mjs [all|unit|service|e2e] [path-filter]
//   TEST_DATABASES=sqlite,postgres (default) | sqlite | postgres
//   TEST_POSTGRES_URL=postgres://root@127.0.0.1:5432/postgres (a server where databases may be created)
//   TEST_OUT_DIR=.test-dist (a separate folder lets several runs share one checkout)
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

const [layer = 'all', filter = ''] = process.argv.slice(2);
const out = process.env.TEST_OUT_DIR ?? '.test-dist';
const databases = (process.env.TEST_DATABASES ?? 'sqlite,postgres')
  .split(',')
  .map((d) => d.trim())
  .filter(Boolean);

rmSync(out, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [
    'node_modules/typescript/bin/tsc',
    '-p',
    'tsconfig.json',
    '--outDir',
    out,
    '--tsBuildInfoFile',
    join(out, '.tsbuildinfo'),
  ],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) {
  console.log('tests: 0 passed, 1 failed (compilation)');
  process.exit(1);
}

function find(dir, suffix) {
  let found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(find(path, suffix));
    else if (name.endsWith(suffix)) found.push(path);
  }
  return found.sort();
}

const wants = (name) => layer === 'all' || layer === name;
const unitFiles = wants('unit') ? find(join(out, 'src'), '.spec.js') : [];
const e2eFiles = [
  ...(wants('service') ? find(join(out, 'test'), '.service-spec.js') : []),
  ...(wants('e2e') ? find(join(out, 'test'), '.e2e-spec.js') : []),
];
const postgresOnly = (f) => f.includes(`${sep}test${sep}postgres${sep}`);
// The web console's tests in a browser: the console talks to the API only, so once is enough.
const browserTest = (f) => f.includes(`${sep}test${sep}browser${sep}`);

function passFiles(database, first) {
  const files = [
    ...(first ? unitFiles : []),
    ...e2eFiles.filter(
      (f) => (database === 'postgres' || !postgresOnly(f)) && (first || !browserTest(f)),
    ),
  ];
  return files.filter((f) => f.includes(filter));
}

// The browser tests drive the built console: build it as `npm run build` does.
if (databases.some((d, i) => passFiles(d, i === 0).some(browserTest))) {
  const vite = spawnSync('npm', ['run', 'build', '--workspace', 'console'], { stdio: 'inherit' });
  if (vite.status !== 0) {
    console.log('tests: 0 passed, 1 failed (the console did not build)');
    process.exit(1);
  }
}

function runPass(database, files) {
  return new Promise((resolve) => {
    console.log(`\n=== ${files.length} test files on ${database} ===`);
    const child = spawn(
      process.execPath,
      [
        '--enable-source-maps',
        '--test',
        '--test-reporter=spec',
        '--test-timeout=180000',
        `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
        ...files,
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, NODE_ENV: 'test', TEST_DATABASE: database },
      },
    );
    // The summary lines ("ℹ pass 459"), wherever they fall: the failures' details follow them.
    const counts = { pass: 0, fail: 0, cancelled: 0, skipped: 0, todo: 0 };
    const summary = new RegExp(`^\\S*\\s*(${Object.keys(counts).join('|')}) (\\d+)$`);
    let partial = '';
    // The runner's "✖ failing tests:" section and the lines tests print as "[diagnostics] ...",
    // to be printed again at the very end of the run, where a log's tail shows them.
    const diagnostics = [];
    const failures = [];
    const keep = (line) => {
      if (failures.length > 0 || /^\S*\s*failing tests:$/.test(line)) failures.push(line);
      else if (line.includes('[diagnostics]')) diagnostics.push(line.trim());
    };
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        const match = summary.exec(line);
        if (match) counts[match[1]] = Number(match[2]);
        keep(line);
      }
    });
    child.on('close', (code) => {
      const last = summary.exec(partial);
      if (last) counts[last[1]] = Number(last[2]);
      keep(partial);
      if (failures.length + diagnostics.length > 0)
        failed.push({ database, lines: [...diagnostics, ...failures] });
      // A runner that died without its summary still counts as a failure.
      if (code !== 0 && counts.fail + counts.cancelled === 0) counts.fail = 1;
      console.log(`[${database}] ${counts.pass} passed / ${counts.fail + counts.cancelled} failed`);
      resolve(counts);
    });
  });
}

async function postgresReachable() {
  const { Client } = await import('pg');
  const client = new Client({
    connectionString: process.env.TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/postgres',
    connectionTimeoutMillis: 3000,
  });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch (error) {
    console.log(
      `PostgreSQL is not reachable (${error.message}); start it, or run with TEST_DATABASES=sqlite.`,
    );
    return false;
  }
}

const total = { pass: 0, fail: 0, skipped: 0 };
/** Each pass's failing tests with their errors, shown again last, where a log's tail shows them. */
const failed = [];
for (const [index, database] of databases.entries()) {
  const files = passFiles(database, index === 0);
  if (files.length === 0) continue;
  if (database === 'postgres' && !(await postgresReachable())) {
    total.fail += 1;
    continue;
  }
  const counts = await runPass(database, files);
  total.pass += counts.pass;
  total.fail += counts.fail + counts.cancelled;
  total.skipped += counts.skipped + counts.todo;
}
if (total.pass + total.fail === 0) total.fail = 1;
for (const { database, lines } of failed) {
  // Node's own frames say nothing about the test: left out to keep the summary short.
  const shown = lines.filter(
    (line) => !/^\s+at (node:|.*\(node:|new Promise|Array\.map|async Promise)/.test(line),
  );
  console.log(`\n=== failing tests on ${database}, again ===\n${shown.join('\n').trim()}`);
}
console.log(
  `tests: ${total.pass} passed, ${total.fail} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`,
);
process.exit(total.fail === 0 ? 0 : 1);
