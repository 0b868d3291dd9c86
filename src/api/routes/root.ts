import type { FastifyPluginAsync } from 'fastify';

/** GET /: where to read about the API (an OpenAPI document will live here later). */
export const rootRoute: FastifyPluginAsync = async (app) => {
  app.get('/', async () => ({
    service: 'lifecircle',
    docs: 'README.md of the repository: one section per endpoint, with curl examples',
    endpoints: ['GET /health', 'POST /v1/isochrones', 'POST /v1/travel-times', 'POST /v1/coverage', 'GET /v1/standards', 'GET /v1/standards/:id', 'GET /v1/categories'],
  }));
};
