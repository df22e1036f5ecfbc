// Preloaded into the service (`--require ./bench/async-count.cjs`, with BENCH_ASYNC_COUNT=<file>):
// counts the asynchronous resources it creates by type, and writes them per HTTP request to the
// file when it exits. node-sqlite3 names each trip through libuv's pool
// (`sqlite3.Statement.All`, `sqlite3.Statement.Prepare`, `sqlite3.Database.Exec`...), so this
// counts statements, round trips and pool hops per request without touching the service.
// SIGUSR2 appends the counts so far to the file (a bench takes them before and after a phase).
'use strict';
const { createHook } = require('node:async_hooks');
const { subscribe } = require('node:diagnostics_channel');
const { appendFileSync, writeFileSync } = require('node:fs');

const counts = new Map();
let requests = 0;
subscribe('http.server.request.start', () => requests++);
createHook({
  init(_id, type) {
    counts.set(type, (counts.get(type) ?? 0) + 1);
  },
}).enable();

function report(perRequest) {
  const lines = [...counts]
    .filter(([type]) => type.startsWith('sqlite3.'))
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) =>
      perRequest
        ? `${type}: ${n} (${(n / Math.max(1, requests)).toFixed(3)} per request)`
        : `${type}: ${n}`,
    );
  return `HTTP requests: ${requests}\n${lines.join('\n')}\n`;
}

process.on('SIGUSR2', () =>
  appendFileSync(process.env.BENCH_ASYNC_COUNT, `--- snapshot\n${report(false)}`),
);
process.on('exit', () =>
  appendFileSync(process.env.BENCH_ASYNC_COUNT, `--- at exit\n${report(true)}`),
);
writeFileSync(process.env.BENCH_ASYNC_COUNT, '');
