import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { errorHandler, registerErrorHandling } from './api/errors.ts';
import { registerJsonBody } from './api/json-body.ts';
import { networkPlugin } from './api/network.ts';
import { healthRoute } from './api/routes/health.ts';
import { isochronesRoute } from './api/routes/isochrones.ts';
import { rootRoute } from './api/routes/root.ts';
import { travelTimesRoute } from './api/routes/travel-times.ts';
import { type WorkerPoolOptions, workerPoolPlugin } from './api/worker-pool.ts';
import type { Graph } from './network/graph.ts';
import type { Facility } from './facilities/read-facilities.ts';
import { coverageRoute } from './api/routes/coverage.ts';
import { standardsRoute } from './api/routes/standards.ts';

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
  /** Default 64 MiB. */
  bodyLimitBytes?: number;
  logger?: FastifyServerOptions['logger'];
  /** Bodies of this size or more are parsed and computed in a worker thread. Default 1 MiB. */
  workerThresholdBytes?: number;
  workerPool?: WorkerPoolOptions;
}

export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024 * 1024;
export const DEFAULT_WORKER_THRESHOLD_BYTES = 1024 * 1024;

/**
 * Builds the HTTP service (without listening): shared services first (the default network, then
 * the worker pool that may need it), then one small plugin per route. `await app.ready()` loads it.
 */
export function buildApp(opts: BuildAppOptions = {}): FastifyInstance {
  const bodyLimitBytes = opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const onError = errorHandler({ bodyLimitBytes });
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: bodyLimitBytes,
    frameworkErrors: onError,
    // Exact types (no "5" for 5, as the core and the worker path would reject it anyway), unknown
    // parameters reported rather than silently dropped, and the offending value in errors.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, verbose: true } },
  });
  registerErrorHandling(app, onError);
  registerJsonBody(app, { workerThresholdBytes: opts.workerThresholdBytes ?? DEFAULT_WORKER_THRESHOLD_BYTES });
  app.register(networkPlugin, {
    graph: opts.defaultGraph,
    path: opts.defaultGraphPath,
    cacheDir: opts.networkCacheDir ?? 'data/cache',
    facilities: opts.defaultFacilities,
    facilitiesPath: opts.defaultFacilitiesPath,
  });
  app.register(workerPoolPlugin, opts.workerPool ?? {});
  app.register(rootRoute);
  app.register(healthRoute);
  app.register(isochronesRoute);
  app.register(travelTimesRoute);
  app.register(coverageRoute);
  app.register(standardsRoute);
  return app;
}
