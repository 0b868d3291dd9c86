import { hostname } from 'node:os';
import { DatasetService } from '../datasets/service.ts';
import { JobRunner } from '../jobs/runner.ts';
import { type Sql, ensureApiKeys } from '../store/index.ts';
import { sharedPlugin } from './plugin.ts';

/**
 * The stateful services: the store (API keys, datasets, jobs, runs), the dataset service over it,
 * and the job runner that turns queued coverage jobs into runs. Without a store the app still serves
 * everything inline; the dataset, job and run routes then answer 401 (there are no keys).
 *
 * On close, after the requests in flight were answered: the runner stops (a running job is released
 * to the queue at its next chunk, for this or another process to run again), then the store closes
 * if the app owns it (server.ts opened it; tests keep theirs).
 */
export interface ServicesOptions {
  store?: Sql;
  /** Where network datasets' graph files are kept. */
  dataDir: string;
  /** Ensured in the store at start (a key seen before keeps its id, and so its data). */
  apiKeys?: readonly { name: string; key: string }[];
  /** Close the store with the app. Default false: whoever opened it closes it. */
  closeStore?: boolean;
  /** Whether the compute routes answer without an API key. */
  allowAnonymousCompute: boolean;
  /** Run queued jobs in this process (default true when there is a store). */
  runJobs?: boolean | { workerId?: string; pollMs?: number; chunk?: number; leaseMs?: number };
}

declare module 'fastify' {
  interface FastifyInstance {
    store?: Sql;
    datasets?: DatasetService;
    jobRunner?: JobRunner;
    access: { allowAnonymousCompute: boolean };
  }
}

export const servicesPlugin = sharedPlugin<ServicesOptions>('services', async (app, opts) => {
  const { store } = opts;
  app.decorate('store', store);
  app.decorate('access', { allowAnonymousCompute: opts.allowAnonymousCompute });
  if (!store) return;
  if (opts.apiKeys?.length) {
    const keys = await ensureApiKeys(store, opts.apiKeys);
    app.log.info({ keys: keys.map((k) => k.name) }, `API keys: ${keys.length}`);
  }
  // The defaults are read when a job or request needs them: the default network may load after start.
  const network = app.network;
  const defaults = {
    get graph() {
      return network.graph;
    },
    get facilities() {
      return network.facilities;
    },
  };
  const datasets = new DatasetService(store, opts.dataDir, defaults);
  app.decorate('datasets', datasets);
  const runJobs = opts.runJobs ?? true;
  let runner: JobRunner | undefined;
  if (runJobs) {
    const settings = runJobs === true ? {} : runJobs;
    runner = new JobRunner(store, datasets, {
      workerId: settings.workerId ?? `${hostname()}:${process.pid}`,
      pollMs: settings.pollMs,
      chunk: settings.chunk,
      leaseMs: settings.leaseMs,
      log: (message, fields) => app.log.info(fields ?? {}, message),
    });
    runner.start();
  }
  app.decorate('jobRunner', runner);
  app.addHook('onClose', async () => {
    await runner?.stop();
    if (opts.closeStore) await store.close();
  });
});
