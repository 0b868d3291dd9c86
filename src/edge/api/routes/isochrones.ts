import type { FastifyPluginAsync } from 'fastify';
import { answerOperation } from '../answer.ts';
import { IsochronesAnswer } from '../../../runtime/requests/answers.ts';
import { BODY_SCHEMAS } from '../../../runtime/requests/bodies.ts';
import { FormatQuery, GEOPACKAGE, SHAPEFILE_ZIP, answerContent } from '../schemas/formats.ts';
import { COMPUTE_ERRORS, problemResponses } from '../schemas/problem.ts';
import { computeSecurity } from '../schemas/security.ts';

/** POST /v1/isochrones: see src/runtime/requests/isochrones.ts for the body and the answer. */
export const isochronesRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/v1/isochrones',
    {
      schema: {
        operationId: 'getIsochrones',
        tags: ['routing'],
        security: computeSecurity(app.access.allowAnonymousCompute),
        summary: 'Isochrones: the area (or road network) reachable from each origin within each budget',
        description:
          'One network expansion per origin serves every budget; polygons come from a grid of exact network times plus the walk off the network (`offNetworkM`), so larger budgets contain smaller ones. `tolerance` states what a polygon promises.',
        consumes: ['application/json', 'application/geo+json'],
        body: BODY_SCHEMAS.isochrones,
        querystring: FormatQuery,
        response: {
          200: answerContent('The isochrones (GeoJSON), or as a file by `?format=` / `Accept`', {
            'application/json': IsochronesAnswer,
            'application/geo+json': IsochronesAnswer,
            'application/zip': SHAPEFILE_ZIP,
            'application/geopackage+sqlite3': GEOPACKAGE,
          }),
          ...problemResponses(COMPUTE_ERRORS),
        },
      },
      attachValidation: true,
    },
    (request, reply) => answerOperation(app, 'isochrones', request, reply),
  );
};
