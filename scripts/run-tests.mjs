// Compiles the project and its tests with tsc, runs them with node's test runner, and ends with
// the line CI reads: "tests: N passed, N failed[, N skipped]".
// Usage: node scripts/run-tests.mjs [unit|e2e] [name-filter]
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [layer = 'all', filter = ''] = process.argv.slice(2);
// A separate folder lets several runs share one checkout.
const out = process.env.TEST_OUT_DIR ?? '.test-dist';

rmSync(out, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--outDir', out, '--tsBuildInfoFile', join(out, '.tsbuildinfo')],
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
  return found;
}

const files = [
  ...(layer === 'e2e' ? [] : find(join(out, 'src'), '.spec.js')),
  ...(layer === 'unit' ? [] : find(join(out, 'test'), '.e2e-spec.js')),
].filter((f) => f.includes(filter)).sort();

if (files.length === 0) {
  console.log('tests: 0 passed, 1 failed (no test files found)');
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--enable-source-maps', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
  { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'test' } },
);
const counts = { tests: 0, pass: 0, fail: 0, skipped: 0, todo: 0, cancelled: 0 };
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code) => {
  for (const key of Object.keys(counts)) {
    const match = new RegExp(`^\\S*\\s*${key} (\\d+)$`, 'm').exec(tail);
    if (match) counts[key] = Number(match[1]);
  }
  const failed = counts.fail + counts.cancelled;
  const skipped = counts.skipped + counts.todo;
  const line = `tests: ${counts.pass} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
  console.log(line);
  process.exit(code === 0 && failed === 0 && counts.pass > 0 ? 0 : 1);
});
