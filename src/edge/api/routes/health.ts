import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { problemOf, sendProblem } from '../errors.ts';
import { OPERATIONAL_ROUTE } from '../protection.ts';
import { HealthAnswer, ReadyAnswer } from '../../../runtime/requests/answers.ts';
import { Problem, problemResponses } from '../schemas/problem.ts';
import { StoreStatus } from '../store-status.ts';
import { NO_KEY } from '../schemas/security.ts';

/**
 * GET /health (liveness: 200 while the process runs, with what it is doing) and GET /ready
 * (readiness: 200 once the default network is loaded, while the store answers and until shutdown
 * begins, else 503). A store outage makes the server unready, never unhealthy: restarting it would
 * not bring the database back, and it serves the routes that need none meanwhile. Both
 * answer whatever the load, the client's rate or the shutdown (OPERATIONAL_ROUTE): an orchestrator
 * restarts a process whose /health fails, and stops sending traffic to one whose /ready does.
 */
export const healthRoute: FastifyPluginAsync = async (app) => {
  const started = Date.now();
  const store = app.store
    ? new StoreStatus(app.store, {
        onChange: (reason, cause) => (reason ? app.log.warn({ reason, cause }, 'not ready: the store does not answer') : app.log.info('the store answers again: ready')),
      })
    : undefined;
  app.get(
    '/health',
    {
      config: OPERATIONAL_ROUTE,
      schema: {
        operationId: 'getHealth',
        tags: ['operations'],
        security: NO_KEY,
        summary: 'Liveness: 200 while the process runs, with its network and workers',
        response: { 200: HealthAnswer, 500: problemResponses(['INTERNAL'])[500] },
      },
    },
    async () => ({
      status: 'ok' as const,
      uptimeS: Math.round((Date.now() - started) / 1000),
      network: networkSummary(app),
      workers: app.computePool.stats(),
    }),
  );

  app.get(
    '/ready',
    {
      config: OPERATIONAL_ROUTE,
      schema: {
        operationId: 'getReadiness',
        tags: ['operations'],
        security: NO_KEY,
        summary: 'Readiness: 200 once the default network is loaded, while the store answers and until shutdown begins',
        response: {
          200: ReadyAnswer,
          503: {
            description: '`NOT_READY`: the default network is loading (or failed to load), or the server is shutting down; `STORE_UNAVAILABLE`: the store (database) does not answer',
            content: { 'application/problem+json': { schema: Type.Ref(Problem.$id!) } },
          },
        },
      },
    },
    async (request, reply) => {
      const notReady = notReadyBecause(app);
      if (notReady) return sendProblem(reply, problemOf({ code: 'NOT_READY', message: notReady }, request.id));
      const storeDown = await store?.unavailableBecause();
      if (storeDown) return sendProblem(reply, problemOf({ code: 'STORE_UNAVAILABLE', message: storeDown }, request.id));
      return { status: 'ready' as const, network: networkSummary(app) };
    },
  );
};

function notReadyBecause(app: FastifyInstance): string | undefined {
  if (app.lifecycle.shuttingDown || app.lifecycle.closing) return 'the server is shutting down';
  if (app.network.status === 'loading') return 'the default network is still loading';
  if (app.network.status === 'failed') return 'the default network could not be loaded (see the log)';
  return undefined;
}

function networkSummary(app: FastifyInstance) {
  const graph = app.network.graph;
  return graph
    ? { loaded: true, source: graph.meta.source, nodes: graph.nodeCount, edges: graph.edgeCount, lengthKm: graph.meta.report.lengthKm }
    : { loaded: false };
}
