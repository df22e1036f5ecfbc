// Preloaded into the service (`--require ./bench/alloc-profile.cjs`, with
// BENCH_ALLOC_PROFILE=<file>): a sampling heap profile of every allocation, the ones garbage
// collection has already taken included (node's --heap-prof keeps only what is still alive), so
// it says where the bytes a request allocates are allocated. Written when the service exits;
// open it in Chrome's DevTools (Memory) or sum it by function with a small script.
'use strict';
const { Session } = require('node:inspector');
const { writeFileSync } = require('node:fs');

const session = new Session();
session.connect();
session.post('HeapProfiler.startSampling', {
  samplingInterval: 1024,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
process.on('exit', () => {
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (!error) writeFileSync(process.env.BENCH_ALLOC_PROFILE, JSON.stringify(result.profile));
  });
});
