import type { FastifyPluginAsync } from 'fastify';
import { answerOperation } from '../answer.ts';
import { IsochronesAnswer } from '../schemas/answers.ts';
import { BODY_SCHEMAS } from '../schemas/bodies.ts';
import { COMPUTE_ERRORS, problemResponses } from '../schemas/problem.ts';

/** POST /v1/isochrones: see src/requests/isochrones.ts for the body and the answer. */
export const isochronesRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/v1/isochrones',
    {
      schema: {
        tags: ['routing'],
        summary: 'Isochrones: the area (or road network) reachable from each origin within each budget',
        description:
          'One network expansion per origin serves every budget; polygons come from a grid of exact network times plus the walk off the network (`offNetworkM`), so larger budgets contain smaller ones. `tolerance` states what a polygon promises.',
        consumes: ['application/json', 'application/geo+json'],
        body: BODY_SCHEMAS.isochrones,
        response: { 200: IsochronesAnswer, ...problemResponses(COMPUTE_ERRORS) },
      },
      attachValidation: true,
    },
    (request, reply) => answerOperation(app, 'isochrones', request, reply),
  );
};
