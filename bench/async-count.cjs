// Preloaded into the service (`--require ./bench/async-count.cjs`, with BENCH_ASYNC_COUNT=<file>):
// counts the asynchronous resources it creates by type, and writes them per HTTP request to the
// file when it exits. node-sqlite3 names each trip through libuv's pool
// (`sqlite3.Statement.All`, `sqlite3.Statement.Prepare`, `sqlite3.Database.Exec`...), so this
// counts statements, round trips and pool hops per request without touching the service.
'use strict';
const { createHook } = require('node:async_hooks');
const { subscribe } = require('node:diagnostics_channel');
const { writeFileSync } = require('node:fs');

const counts = new Map();
let requests = 0;
subscribe('http.server.request.start', () => requests++);
createHook({
  init(_id, type) {
    counts.set(type, (counts.get(type) ?? 0) + 1);
  },
}).enable();

process.on('exit', () => {
  const lines = [...counts]
    .filter(([type]) => type.startsWith('sqlite3.'))
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => `${type}: ${n} (${(n / Math.max(1, requests)).toFixed(3)} per request)`);
  writeFileSync(process.env.BENCH_ASYNC_COUNT, `HTTP requests: ${requests}\n${lines.join('\n')}\n`);
});
