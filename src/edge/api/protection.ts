import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { presentedKey } from './access.ts';
import { ApiError } from './errors.ts';

/**
 * What keeps one client, or too much work, from taking the service down:
 *  - rate limiting (@fastify/rate-limit): requests per minute per known API key, else per client IP
 *    → 429 RATE_LIMITED with `Retry-After`; counted before anything else runs, 401s included;
 *  - load shedding (@fastify/under-pressure): while the event loop lags or memory runs high, new
 *    requests get 503 SERVER_BUSY with `Retry-After` instead of making it worse.
 * Both are `onRequest` hooks of the root, so they run before any route's own hooks (the key checks
 * of the dataset, job and run routes among them). /health and /ready are exempt
 * (`OPERATIONAL_ROUTE`): an orchestrator must see the process, busy or not.
 */
export interface ProtectionOptions {
  /** Requests per minute per key; 0 = no rate limiting. */
  rateLimitPerMinute: number;
  /** Load-shedding thresholds (0 = not checked), or false for none. */
  underPressure:
    | false
    | {
        maxEventLoopDelayMs: number;
        maxHeapUsedBytes: number;
        maxRssBytes: number;
        /** How often the process is sampled. Default 1000 ms; tests use a few ms. */
        sampleIntervalMs?: number;
      };
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** @fastify/under-pressure's per-route handler (its types omit the route config). */
    pressureHandler?: (request: FastifyRequest, reply: FastifyReply, type: string, value: number | undefined) => Promise<void> | void;
    /** A route reporting on the process itself (/health, /ready): answered when busy, limited or closing. */
    operational?: boolean;
  }
}

/** Route config of /health and /ready: they answer even when the server is busy, a client over its limit, or the server closing. */
export const OPERATIONAL_ROUTE = {
  operational: true,
  rateLimit: false,
  // Returning nothing lets the request through (under-pressure's contract).
  pressureHandler: () => undefined,
} as const;

export async function registerProtection(app: FastifyInstance, opts: ProtectionOptions): Promise<void> {
  if (opts.underPressure) {
    const limits = opts.underPressure;
    await app.register(underPressure, {
      maxEventLoopDelay: limits.maxEventLoopDelayMs,
      maxHeapUsedBytes: limits.maxHeapUsedBytes,
      maxRssBytes: limits.maxRssBytes,
      sampleInterval: limits.sampleIntervalMs,
      // Rejected, so that the answer comes from the error handler: a problem document with Retry-After.
      pressureHandler: async (_request, _reply, type) => {
        throw new ApiError('SERVER_BUSY', `the server is overloaded (${PRESSURE[type] ?? type}); retry in a few seconds`);
      },
    });
  }
  if (opts.rateLimitPerMinute > 0) {
    await app.register(rateLimit, {
      // Not hooked route by route (route hooks run after a plugin's own, and the key checks are
      // those): one hook of the root, for every request, unknown routes included.
      global: false,
      max: opts.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: rateLimitKey,
      allowList: (request) => request.routeOptions.config?.rateLimit === false,
      errorResponseBuilder: (_request, context) =>
        new ApiError('RATE_LIMITED', `more than ${context.max} requests a minute; retry in ${context.after}`),
    });
    app.addHook('onRequest', app.rateLimit());
  }
}

/**
 * Whom a request is counted against: a key the store has vouched for (known-keys.ts, without a
 * query), else the client IP. A made-up, disabled or not yet checked key, or none, shares its IP's
 * bucket: inventing keys buys no requests, and each lookup of a key the store does not know is paid
 * for from that budget. A known key's first request after a few idle seconds counts against its IP,
 * the rest against the key.
 */
function rateLimitKey(request: FastifyRequest): string {
  const value = presentedKey(request);
  const id = value ? request.server.knownKeys?.knownId(value) : undefined;
  return id ? `key:${id}` : `ip:${request.ip}`;
}

const PRESSURE: Record<string, string> = {
  eventLoopDelay: 'event-loop delay',
  heapUsedBytes: 'heap in use',
  rssBytes: 'resident memory',
  eventLoopUtilization: 'event-loop utilisation',
};
