import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { presentedKey } from './access.ts';
import { ApiError } from './errors.ts';

/**
 * What keeps one client, or too much work, from taking the service down:
 *  - rate limiting (@fastify/rate-limit): requests per minute per API key, or per client IP without
 *    one → 429 RATE_LIMITED with `Retry-After`;
 *  - load shedding (@fastify/under-pressure): while the event loop lags or memory runs high, new
 *    requests get 503 SERVER_BUSY with `Retry-After` instead of making it worse.
 * Both before the routes (rate limiting hooks each route as it is added). /health and /ready are
 * exempt (`OPERATIONAL_ROUTE`): an orchestrator must see the process, busy or not.
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
      max: opts.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: rateLimitKey,
      errorResponseBuilder: (_request, context) =>
        new ApiError('RATE_LIMITED', `more than ${context.max} requests a minute; retry in ${context.after}`),
    });
  }
}

/**
 * Whom a request is counted against: its API key when it has one (hashed, so that keys are never
 * held in memory as such), else its client IP. Keys are not checked yet: a made-up key only buys a
 * bucket of its own, as a new IP would (the routes that need a key check it: access.ts).
 */
export function rateLimitKey(request: FastifyRequest): string {
  const value = presentedKey(request);
  if (value) return `key:${createHash('sha256').update(value).digest('base64url').slice(0, 22)}`;
  return `ip:${request.ip}`;
}

const PRESSURE: Record<string, string> = {
  eventLoopDelay: 'event-loop delay',
  heapUsedBytes: 'heap in use',
  rssBytes: 'resident memory',
  eventLoopUtilization: 'event-loop utilisation',
};
