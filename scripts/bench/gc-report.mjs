// Preloaded into a server measured by memory-burst.ts (node --expose-gc --import this): on SIGUSR2,
// two full collections (unless GC_REPORT_NO_GC=1: the steady state as it is), then the process's
// memory as one JSON line on stderr; with
// HEAP_SNAPSHOT_DIR set, a heap snapshot there too (for a before/after diff in Chrome DevTools).
import { writeHeapSnapshot } from 'node:v8';
import { join } from 'node:path';

let count = 0;
process.on('SIGUSR2', () => {
  if (process.env.GC_REPORT_NO_GC !== '1') {
    globalThis.gc?.();
    globalThis.gc?.();
  }
  const memory = process.memoryUsage();
  const snapshot = process.env.HEAP_SNAPSHOT_DIR ? writeHeapSnapshot(join(process.env.HEAP_SNAPSHOT_DIR, `heap-${++count}.heapsnapshot`)) : undefined;
  process.stderr.write(`${JSON.stringify({ gcReport: { ...memory, snapshot } })}\n`);
});
