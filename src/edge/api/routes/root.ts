import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { SERVICE_VERSION } from '../openapi.ts';
import { RootAnswer } from '../../../runtime/requests/answers.ts';
import { problemResponses } from '../schemas/problem.ts';
import { prefersHtml, sendPage } from './web.ts';
import { NO_KEY } from '../schemas/security.ts';

/** GET /: the map page for browsers (`Accept: text/html`); for API clients, what this is and where its documentation is. */
export const rootRoute: FastifyPluginAsync = async (app) => {
  app.get(
    '/',
    {
      schema: {
        operationId: 'getIndex',
        tags: ['operations'],
        security: NO_KEY,
        summary: 'The map page for browsers; otherwise where the documentation is, and the endpoints',
        description: 'By `Accept`: `text/html` preferred to `application/json` → the map page (src/edge/web); anything else → this JSON.',
        response: {
          200: {
            description: 'The JSON index, or the map page',
            content: { 'application/json': { schema: RootAnswer }, 'text/html': { schema: Type.String({ description: 'the map page' }) } },
          },
          ...problemResponses(),
        },
      },
    },
    async (request, reply) => {
      // Caches must keep the page and the JSON apart.
      reply.header('vary', 'accept');
      if (prefersHtml(request.headers.accept)) return sendPage(request, reply);
      return {
        service: 'lifecircle' as const,
        version: SERVICE_VERSION,
        docs: '/docs',
        openapi: '/docs/json',
        endpoints: ['GET /health', 'GET /ready', 'POST /v1/isochrones', 'POST /v1/travel-times', 'POST /v1/route', 'POST /v1/coverage', 'POST /v1/siting', 'GET /v1/standards', 'GET /v1/standards/:id', 'GET /v1/categories', 'POST /v1/categorize', 'GET /v1/defaults', 'GET /v1/defaults/network', 'GET /v1/defaults/facilities', 'GET /v1/defaults/communities', 'POST /v1/datasets/networks', 'POST /v1/datasets/facilities', 'POST /v1/datasets/communities', 'GET /v1/datasets', 'GET /v1/datasets/:id', 'PUT /v1/datasets/:id', 'DELETE /v1/datasets/:id', 'POST /v1/jobs', 'GET /v1/jobs', 'GET /v1/jobs/:id', 'DELETE /v1/jobs/:id', 'GET /v1/runs', 'GET /v1/runs/:id', 'GET /v1/runs/:a/diff/:b'],
      };
    },
  );
};
