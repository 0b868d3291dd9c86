import Fastify, { type FastifyInstance } from 'fastify';
import { defaultMaxHeapUsedBytes } from './api/config.ts';
import { clientErrorHandler, errorHandler, registerErrorHandling } from './api/errors.ts';
import { registerJsonBody } from './api/json-body.ts';
import { lifecyclePlugin } from './api/lifecycle.ts';
import { type LoggerOptions, loggerOptions } from './api/logging.ts';
import { networkPlugin } from './api/network.ts';
import { registerOpenApi } from './api/openapi.ts';
import { sharedPlugin } from './api/plugin.ts';
import { type ProtectionOptions, registerProtection } from './api/protection.ts';
import { coverageRoute } from './api/routes/coverage.ts';
import { sitingRoute } from './api/routes/siting.ts';
import { healthRoute } from './api/routes/health.ts';
import { isochronesRoute } from './api/routes/isochrones.ts';
import { rootRoute } from './api/routes/root.ts';
import { defaultsRoute } from './api/routes/defaults.ts';
import { routeRoute } from './api/routes/route.ts';
import { webRoute } from './api/routes/web.ts';
import { mapDefaultsPlugin } from './api/map-defaults.ts';
import { standardsRoute } from './api/routes/standards.ts';
import { travelTimesRoute } from './api/routes/travel-times.ts';
import { categorizeRoute } from './api/routes/categorize.ts';
import { datasetsRoute } from './api/routes/datasets.ts';
import { jobsRoute } from './api/routes/jobs.ts';
import { runsRoute } from './api/routes/runs.ts';
import { type ServicesOptions, servicesPlugin } from './api/services.ts';
import { type WorkerPoolOptions, workerPoolPlugin } from './api/worker-pool.ts';
import { validatorCompiler } from './api/validator.ts';
import type { Facility } from '../core/facilities/read-facilities.ts';
import type { Graph } from '../core/network/graph.ts';
import type { Sql } from '../runtime/store/index.ts';

export interface BuildAppOptions {
  /** The default network, already in memory. */
  defaultGraph?: Graph;
  /**
   * The default network's file. With `defaultGraph`, a `.lcg` path is what worker threads load;
   * alone, any network file is loaded at start (non-.lcg files compiled once and cached).
   */
  defaultGraphPath?: string;
  /** Where compiled networks are cached. Default `data/cache`. */
  networkCacheDir?: string;
  /** The default facilities, already read. */
  defaultFacilities?: readonly Facility[];
  /** Or their file: GeoJSON, or an OSM file (its points of interest). Default: the OSM default network's. */
  defaultFacilitiesPath?: string;
  /**
   * Load the default network after `ready()` instead of before: the server listens at once and
   * /ready says when the network is there (server.ts). Default false: `ready()` waits for it.
   */
  loadNetworkInBackground?: boolean;
  /** Default 64 MiB. */
  bodyLimitBytes?: number;
  /** Off by default; pino with the given level and stream otherwise (credentials and bodies redacted). */
  logger?: boolean | LoggerOptions;
  /** Receiving a whole request, and an idle socket. Default 120 s. */
  requestTimeoutMs?: number;
  /** Bodies of this size or more are parsed and computed in a worker thread. Default 1 MiB. */
  workerThresholdBytes?: number;
  workerPool?: WorkerPoolOptions;
  /** Rate limit (default 600 a minute) and load-shedding thresholds (default: 1 s event-loop delay, 90% of the heap limit). */
  protection?: Partial<ProtectionOptions>;
  /** fastify's `trustProxy`. Default false. */
  trustProxy?: boolean | number | string;
  /**
   * The store of API keys, datasets, jobs and runs (`openStore`). Without one, only the inline routes
   * work: datasets, jobs and runs answer 401. The caller closes it, unless `closeStore`.
   */
  store?: Sql;
  /** Close `store` when the app closes (server.ts, which opened it). Default false. */
  closeStore?: boolean;
  /** Where network datasets' compiled graphs are kept. Default `data/store`. */
  dataDir?: string;
  /** API_KEYS: the truth at start (services.ts), others in the store disabled; empty leaves them as they are. */
  apiKeys?: { name: string; key: string }[];
  /** Whether isochrones, travel times and coverage answer without an API key. Default true. */
  allowAnonymousCompute?: boolean;
  /** Run queued jobs in this process (default true with a store); tests set a short poll. */
  runJobs?: ServicesOptions['runJobs'];
  /** Largest network upload, spooled to disk. Default 512 MiB. */
  uploadLimitBytes?: number;
  /** Heap and time each dataset upload may take to be read, in a process of its own. Default 4096 MB, 100 s. */
  importLimits?: ServicesOptions['importLimits'];
  /** The communities the map page opens with (GeoJSON file); none by default. */
  defaultCommunitiesPath?: string;
  /** Raster tiles the map page draws under the roads; none by default (the roads are the base map). */
  tiles?: { url: string; attribution?: string };
}

const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024 * 1024;
const DEFAULT_WORKER_THRESHOLD_BYTES = 1024 * 1024;
const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;
const DEFAULT_RATE_LIMIT_PER_MINUTE = 600;
const DEFAULT_UPLOAD_LIMIT_BYTES = 512 * 1024 * 1024;

/**
 * Builds the HTTP service (without listening): the edge first (errors, body parsing, lifecycle, rate
 * limiting and load shedding, the OpenAPI generator, which must see every route), then the shared
 * services (the default network, the worker pool that needs it, the store with the datasets and
 * the job runner), then one small plugin per route. `await app.ready()` loads it.
 */
export function buildApp(opts: BuildAppOptions = {}): FastifyInstance {
  const bodyLimitBytes = opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const requestTimeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const onError = errorHandler({ bodyLimitBytes });
  const app = Fastify({
    logger: loggerOptions(opts.logger),
    bodyLimit: bodyLimitBytes,
    frameworkErrors: onError,
    clientErrorHandler: clientErrorHandler({ requestTimeoutMs }),
    requestTimeout: requestTimeoutMs,
    connectionTimeout: requestTimeoutMs,
    // Requests arriving while closing are refused by the lifecycle plugin, as problem documents.
    return503OnClosing: false,
    trustProxy: trustProxyOption(opts.trustProxy ?? false),
  });
  // Requests are checked by their TypeBox schemas, compiled by TypeBox (src/edge/api/validator.ts), as the
  // compute workers and the CLI check them: exact types (no "5" for 5), unknown parameters reported,
  // nothing coerced or filled in (schema defaults document the core's defaults).
  app.setValidatorCompiler(validatorCompiler);
  // Answers are sent as the core built them: response schemas document them (OpenAPI) but must not
  // filter or slow them (fast-json-stringify would drop every GeoJSON property it was not told of).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  registerErrorHandling(app, onError);
  registerJsonBody(app, { workerThresholdBytes: opts.workerThresholdBytes ?? DEFAULT_WORKER_THRESHOLD_BYTES });
  app.register(lifecyclePlugin);
  app.register(
    sharedPlugin('protection', (instance) =>
      registerProtection(instance, {
        rateLimitPerMinute: opts.protection?.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
        underPressure: opts.protection?.underPressure ?? { maxEventLoopDelayMs: 1000, maxHeapUsedBytes: defaultMaxHeapUsedBytes(), maxRssBytes: 0 },
      }),
    ),
  );
  app.register(sharedPlugin('openapi', registerOpenApi));
  app.register(networkPlugin, {
    graph: opts.defaultGraph,
    path: opts.defaultGraphPath,
    cacheDir: opts.networkCacheDir ?? 'data/cache',
    facilities: opts.defaultFacilities,
    facilitiesPath: opts.defaultFacilitiesPath,
    background: opts.loadNetworkInBackground ?? false,
  });
  app.register(workerPoolPlugin, opts.workerPool ?? {});
  // After the pool: its onClose hook (stop the job runner, then close the store) follows the pool's.
  app.register(servicesPlugin, {
    store: opts.store,
    closeStore: opts.closeStore,
    dataDir: opts.dataDir ?? 'data/store',
    apiKeys: opts.apiKeys,
    allowAnonymousCompute: opts.allowAnonymousCompute ?? true,
    runJobs: opts.runJobs,
    importLimits: opts.importLimits,
  });
  app.register(mapDefaultsPlugin, { communitiesPath: opts.defaultCommunitiesPath, tiles: opts.tiles });
  app.register(rootRoute);
  app.register(webRoute);
  app.register(defaultsRoute);
  app.register(healthRoute);
  app.register(isochronesRoute);
  app.register(travelTimesRoute);
  app.register(routeRoute);
  app.register(coverageRoute);
  app.register(sitingRoute);
  app.register(standardsRoute);
  app.register(categorizeRoute);
  app.register(datasetsRoute, { uploadLimitBytes: opts.uploadLimitBytes ?? DEFAULT_UPLOAD_LIMIT_BYTES, bodyLimitBytes });
  app.register(jobsRoute);
  app.register(runsRoute);
  return app;
}

/** A number of hops as the function fastify runs for it (its types take no number). */
function trustProxyOption(trust: boolean | number | string): boolean | string | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}
