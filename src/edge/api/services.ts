import { hostname } from 'node:os';
import type { ImportLimits } from '../../runtime/datasets/import-process.ts';
import { DatasetService } from '../../runtime/datasets/service.ts';
import { JobRunner } from '../../runtime/jobs/runner.ts';
import { type Sql, syncApiKeys } from '../../runtime/store/index.ts';
import { KnownKeys } from './known-keys.ts';
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
  /** Each upload is read in a process of its own, within this heap and time (import-process.ts). */
  importLimits?: ImportLimits;
  /**
   * The truth about keys at start (API_KEYS): each is stored and enabled (a key seen before keeps its
   * id, and so its data), every other stored key disabled. Empty or absent: the keys are left as they
   * are, managed with `lifecircle keys` (store/api-keys.ts says why).
   */
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
    /** The store's keys, looked up through a short cache (absent without a store). */
    knownKeys?: KnownKeys;
    datasets?: DatasetService;
    jobRunner?: JobRunner;
    access: { allowAnonymousCompute: boolean };
  }
}

export const servicesPlugin = sharedPlugin<ServicesOptions>('services', async (app, opts) => {
  const { store } = opts;
  app.decorate('store', store);
  app.decorate('knownKeys', store ? new KnownKeys(store) : undefined);
  app.decorate('access', { allowAnonymousCompute: opts.allowAnonymousCompute });
  if (!store) return;
  if (opts.apiKeys?.length) {
    const { keys, disabled } = await syncApiKeys(store, opts.apiKeys);
    app.log.info({ keys: keys.map((k) => k.name) }, `API keys: ${keys.length}`);
    if (disabled.length > 0) app.log.info({ disabled: disabled.map((k) => k.name) }, `API keys no longer in API_KEYS, disabled (their data kept): ${disabled.length}`);
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
  const datasets = new DatasetService(store, opts.dataDir, defaults, opts.importLimits);
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
      log: (message, fields, level = 'info') => app.log[level](fields ?? {}, message),
    });
    runner.start();
  }
  app.decorate('jobRunner', runner);
  app.addHook('onClose', async () => {
    await runner?.stop();
    if (opts.closeStore) await store.close();
  });
});
