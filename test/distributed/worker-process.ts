/**
 * A partition worker for the distributed test, run as its own process:
 *
 *   node --import tsx test/distributed/worker-process.ts <database-url> <worker-id> <stall-on>
 *
 * The same `startWorker` as `lifecircle worker`, with the compute function wrapped (it is a parameter
 * for exactly this kind of swap): the `stall-on`-th partition it takes never finishes, so the test can
 * kill the process in the middle of it. Events are JSON lines on stdout.
 */
import { computeCityCoverageSync } from '../../src/core/coverage/city-wide/city-coverage.ts';
import { startWorker } from '../../src/runtime/distributed/worker.ts';

const [databaseUrl, workerId, stallOn] = process.argv.slice(2);
const say = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
let taken = 0;

await startWorker({
  databaseUrl,
  workerId,
  pollingIntervalSeconds: 0.5,
  maintenanceIntervalSeconds: 1,
  log: say,
  onError: (err) => say({ event: 'queue-error', message: err.message }),
  async compute(graph, communities, facilities, standards, opts) {
    taken++;
    if (taken === Number(stallOn)) {
      say({ event: 'stalling', worker: workerId });
      await new Promise(() => {}); // until killed
    }
    // The engine `lifecircle worker` runs (worker B): both workers' partitions merge into one report.
    const { detail: _detail, ...report } = computeCityCoverageSync(graph, communities, facilities, standards, { ...opts, threads: 1 });
    return report;
  },
});
say({ event: 'ready', worker: workerId });
