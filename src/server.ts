/**
 * Starts the HTTP service: reads the configuration (src/edge/api/config.ts; docs/configuration.md
 * table), builds the app, listens, loads the default network, and closes gracefully.
 *
 * Start-up: the store opens (DATABASE_URL, or the embedded one in DATA_DIR; a locked or too-new
 * store exits 1 with its reason), API_KEYS is made the truth about keys (others disabled), and the
 * job runner starts.
 * The server listens at once (/health 200, /ready 503) and loads the default network;
 * /ready answers 200 when it is loaded. A network that cannot be loaded stops the process (exit 1).
 *
 * SIGTERM / SIGINT: /ready answers 503 (for SHUTDOWN_DELAY_MS, requests are still served, so that a
 * load balancer polling /ready stops sending any), then the server stops accepting connections,
 * requests in flight finish (connections still open after SHUTDOWN_TIMEOUT_MS are cut), the onClose
 * hooks run (the worker pool is destroyed, the job runner stops — a running job goes back to the
 * queue — and the store closes), and the process exits 0. A second signal exits at once. A
 * `memory://` store's folder of graph files goes with the process, however it exits (a folder left by
 * one killed outright is removed at the next start).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConfigError, type ServiceConfig, readConfig } from './edge/api/config.ts';
import { buildApp } from './edge/app.ts';
import { warmImportProcess } from './runtime/datasets/import-process.ts';
import { processScratchDir } from './runtime/files/stale-temporaries.ts';
import { type Sql, StoreError, openStore } from './runtime/store/index.ts';

let config: ServiceConfig;
try {
  config = readConfig();
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`error: ${err.message}`);
  process.exit(2);
}

// The store first: another process holding the embedded store, or a database migrated by a newer
// build, is a clear start-up error rather than a server that fails every dataset request.
let store: Sql;
try {
  store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
} catch (err) {
  // Never the URL itself: it may hold a password (the store's `location` is what is safe to show).
  console.error(err instanceof StoreError ? `error: ${err.code}: ${err.message}` : `error: could not open the store: ${(err as Error).message}`);
  process.exit(1);
}

const app = buildApp({
  store,
  closeStore: true,
  // A throwaway store (memory://) keeps its graph files in a temporary directory, removed at exit.
  dataDir: config.dataDir.startsWith('memory://') ? processScratchDir('lifecircle-graphs-') : config.dataDir,
  apiKeys: config.apiKeys,
  runJobs: { leaseMs: config.jobLeaseMs },
  allowAnonymousCompute: config.allowAnonymousCompute,
  uploadLimitBytes: config.uploadLimitBytes,
  importLimits: { maxMemoryMb: config.importMemoryMb, timeoutMs: config.importTimeoutMs },
  defaultGraphPath: config.network,
  defaultFacilitiesPath: config.facilities,
  defaultCommunitiesPath: config.communities,
  tiles: config.tileUrl ? { url: config.tileUrl, attribution: config.tileAttribution } : undefined,
  networkCacheDir: config.networkCacheDir,
  loadNetworkInBackground: true,
  bodyLimitBytes: config.bodyLimitBytes,
  logger: { level: config.logLevel },
  requestTimeoutMs: config.requestTimeoutMs,
  workerThresholdBytes: config.workerThresholdBytes,
  workerPool: {
    maxThreads: config.workerThreads,
    maxQueue: config.workerQueue,
    computeTimeoutMs: config.computeTimeoutMs,
    memoryMb: config.workerMemoryMb,
    maxAnswerBytes: config.maxAnswerBytes,
  },
  protection: {
    rateLimitPerMinute: config.rateLimitPerMinute,
    underPressure: { maxEventLoopDelayMs: config.maxEventLoopDelayMs, maxHeapUsedBytes: config.maxHeapUsedBytes, maxRssBytes: config.maxRssBytes },
  },
  trustProxy: config.trustProxy,
});
// The first upload finds its import process started (see import-process.ts).
warmImportProcess(config.importMemoryMb);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      app.log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    shutDown(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'error while closing');
        process.exit(1);
      },
    );
  });
}

try {
  await app.listen({ port: config.port, host: config.host });
  await app.network.loaded;
  // Since the process started: module loading and the network included.
  app.log.info({ startMs: Math.round(process.uptime() * 1000) }, 'ready');
} catch (err) {
  app.log.fatal({ err }, 'could not start');
  await app.close().catch(() => {});
  process.exit(1);
}

async function shutDown(signal: string): Promise<void> {
  app.lifecycle.shuttingDown = true;
  app.log.info({ delayMs: config.shutdownDelayMs, timeoutMs: config.shutdownTimeoutMs }, `${signal}: shutting down (/ready answers 503)`);
  if (config.shutdownDelayMs > 0) await sleep(config.shutdownDelayMs);
  // Requests still running at the deadline lose their connection; the close then completes.
  const deadline = setTimeout(() => {
    app.log.warn(`requests still running after ${config.shutdownTimeoutMs} ms: closing their connections`);
    app.server.closeAllConnections();
  }, config.shutdownTimeoutMs);
  deadline.unref();
  await app.close();
  clearTimeout(deadline);
  app.log.info('closed');
}
