import type { FastifyPluginAsync } from 'fastify';
import { SERVICE_VERSION } from '../openapi.ts';
import { RootAnswer } from '../schemas/answers.ts';
import { problemResponses } from '../schemas/problem.ts';

/** GET /: what this is and where its documentation is. */
export const rootRoute: FastifyPluginAsync = async (app) => {
  app.get(
    '/',
    {
      schema: { tags: ['operations'], summary: 'Where the documentation is, and the endpoints', response: { 200: RootAnswer, ...problemResponses() } },
    },
    async () => ({
      service: 'lifecircle' as const,
      version: SERVICE_VERSION,
      docs: '/docs',
      openapi: '/docs/json',
      endpoints: ['GET /health', 'GET /ready', 'POST /v1/isochrones', 'POST /v1/travel-times', 'POST /v1/coverage', 'GET /v1/standards', 'GET /v1/standards/:id', 'GET /v1/categories', 'POST /v1/datasets/networks', 'POST /v1/datasets/facilities', 'POST /v1/datasets/communities', 'GET /v1/datasets', 'GET /v1/datasets/:id', 'PUT /v1/datasets/:id', 'DELETE /v1/datasets/:id', 'POST /v1/jobs', 'GET /v1/jobs', 'GET /v1/jobs/:id', 'DELETE /v1/jobs/:id', 'GET /v1/runs', 'GET /v1/runs/:id', 'GET /v1/runs/:a/diff/:b'],
    }),
  );
};
