import { startWorker } from '../../../runtime/distributed/worker.ts';
import type { Command } from '../command.ts';
import { note } from '../command.ts';
import { BadInputError } from '../errors.ts';
import { numberOption } from '../io.ts';

export const workerCommand: Command = {
  name: 'worker',
  help: `usage: lifecircle worker [--queue <postgres-url>] [options]

Computes coverage partitions of distributed runs (see docs/distributed.md): takes one
partition job at a time from the pg-boss queue on the PostgreSQL server, computes the coverage of
the partition's communities on its buffered piece of the network, and stores the result there.
Start as many as you like, on any machines that reach the server (one per core). Runs until
SIGINT or SIGTERM, then finishes the partition in hand (or hands it back to the queue after
--stop-timeout-s). A worker that dies has its partition retried elsewhere once the job expires.

options:
  --queue <url>             PostgreSQL server of the queue (default: DATABASE_URL)
  --id <name>               this worker's name in the records (default: host:pid)
  --poll-s <n>              seconds between looks at an empty queue (default 2, at least 0.5)
  --maintenance-s <n>       seconds between looks for expired jobs (default 30)
  --stop-timeout-s <n>      on SIGTERM, how long the partition in hand may take (default 30)
  -h, --help                this help`,
  options: {
    queue: { type: 'string' },
    id: { type: 'string' },
    'poll-s': { type: 'string' },
    'maintenance-s': { type: 'string' },
    'stop-timeout-s': { type: 'string' },
  },
  positionals: 0,
  async run(values) {
    const str = (name: string) => values[name] as string | undefined;
    const databaseUrl = str('queue') ?? process.env.DATABASE_URL;
    if (!databaseUrl) throw new BadInputError('worker: no queue: give --queue postgres://… or set DATABASE_URL');
    const pollingIntervalSeconds = numberOption(str('poll-s'), '--poll-s');
    const maintenanceIntervalSeconds = numberOption(str('maintenance-s'), '--maintenance-s');
    const stopTimeoutS = numberOption(str('stop-timeout-s'), '--stop-timeout-s') ?? 30;
    if (pollingIntervalSeconds !== undefined && pollingIntervalSeconds < 0.5) throw new BadInputError(`--poll-s: got ${pollingIntervalSeconds}, expected at least 0.5`);
    if (maintenanceIntervalSeconds !== undefined && maintenanceIntervalSeconds < 1) throw new BadInputError(`--maintenance-s: got ${maintenanceIntervalSeconds}, expected at least 1`);

    const worker = await startWorker({
      databaseUrl,
      workerId: str('id'),
      pollingIntervalSeconds,
      maintenanceIntervalSeconds,
      onError: (err) => note(`worker: queue error: ${err.message}`),
      log: (e) => {
        if (e.event === 'started') note(`worker ${e.worker}: run ${e.runId} partition ${e.partition} started`);
        else if (e.event === 'finished') note(`worker ${e.worker}: run ${e.runId} partition ${e.partition} ${e.outcome} (${e.communities} communities, ${e.ms} ms)`);
        else note(`worker ${e.worker}: run ${e.runId} partition ${e.partition} failed: ${e.error}`);
      },
    });
    note(`worker ${worker.id}: waiting for partitions (SIGTERM or Ctrl-C to stop)`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    });
    note(`worker ${worker.id}: ${signal}, stopping`);
    await worker.stop(stopTimeoutS * 1000);
  },
};
