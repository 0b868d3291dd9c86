import type { FastifyPluginAsync } from 'fastify';

/** GET /health: is the service up, with which network, and how busy are the workers. */
export const healthRoute: FastifyPluginAsync = async (app) => {
  const started = Date.now();
  app.get('/health', async () => {
    const graph = app.network.graph;
    return {
      status: 'ok',
      uptimeS: Math.round((Date.now() - started) / 1000),
      network: graph
        ? { loaded: true, source: graph.meta.source, nodes: graph.nodeCount, edges: graph.edgeCount, lengthKm: graph.meta.report.lengthKm }
        : { loaded: false },
      workers: app.computePool.stats(),
    };
  });
};
