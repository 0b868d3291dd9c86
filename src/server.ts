/**
 * Starts the HTTP service: reads the environment, builds the app, listens, and closes gracefully.
 *
 *   PORT           default 3000
 *   HOST           default 0.0.0.0
 *   NETWORK        default network file (.lcg, .geojson, .osm, .osm.pbf); default data/sample/chengdu.osm.pbf.
 *   FACILITIES     default facilities (GeoJSON, or an OSM file's points of interest); default: the
 *                  OSM network's own points of interest.
 *                  Non-.lcg files are compiled once and cached under data/cache/.
 *   BODY_LIMIT_MB  largest request body, default 64
 *   LOG_LEVEL      pino level, default info
 */
import { buildApp, DEFAULT_BODY_LIMIT_BYTES } from './app.ts';

const port = envNumber('PORT', 3000);
const host = process.env.HOST || '0.0.0.0';
const bodyLimitMb = envNumber('BODY_LIMIT_MB', DEFAULT_BODY_LIMIT_BYTES / (1024 * 1024));

const app = buildApp({
  defaultGraphPath: process.env.NETWORK || 'data/sample/chengdu.osm.pbf',
  defaultFacilitiesPath: process.env.FACILITIES || undefined,
  bodyLimitBytes: Math.round(bodyLimitMb * 1024 * 1024),
  logger: { level: process.env.LOG_LEVEL || 'info' },
});

try {
  await app.listen({ port, host });
  // Since the process started: module loading and the network included.
  app.log.info({ startMs: Math.round(process.uptime() * 1000) }, 'ready');
} catch (err) {
  app.log.fatal({ err }, 'could not start');
  await app.close().catch(() => {});
  process.exit(1);
}

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) {
      app.log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    closing = true;
    app.log.info(`${signal}: closing (requests in progress are finished, the worker pool is stopped)`);
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'error while closing');
        process.exit(1);
      },
    );
  });
}

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`error: ${name}=${JSON.stringify(raw)} is not a positive number`);
    process.exit(2);
  }
  return value;
}
