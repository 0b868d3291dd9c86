import type { FastifyPluginAsync } from 'fastify';
import { answerOperation } from '../answer.ts';
import { TravelTimesAnswer } from '../../../runtime/requests/answers.ts';
import { BODY_SCHEMAS } from '../../../runtime/requests/bodies.ts';
import { FormatQuery, GEOPACKAGE, SHAPEFILE_ZIP, TravelTimesCsv, TravelTimesMap, answerContent } from '../schemas/formats.ts';
import { COMPUTE_ERRORS, problemResponses } from '../schemas/problem.ts';
import { computeSecurity } from '../schemas/security.ts';

/** POST /v1/travel-times: see src/runtime/requests/travel-times.ts for the body and the answer. */
export const travelTimesRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/v1/travel-times',
    {
      schema: {
        operationId: 'getTravelTimes',
        tags: ['routing'],
        security: computeSecurity(app.access.allowAnonymousCompute),
        summary: 'Travel times: for each origin, the targets reachable within maxMinutes, nearest first',
        description: 'Times and distances follow the network and include the walked access legs at both ends.',
        consumes: ['application/json', 'application/geo+json'],
        body: BODY_SCHEMAS['travel-times'],
        querystring: FormatQuery,
        response: {
          200: answerContent('The travel times, or as a file by `?format=` / `Accept`', {
            'application/json': TravelTimesAnswer,
            'text/csv': TravelTimesCsv,
            'application/geo+json': TravelTimesMap,
            'application/zip': SHAPEFILE_ZIP,
            'application/geopackage+sqlite3': GEOPACKAGE,
          }),
          ...problemResponses(COMPUTE_ERRORS),
        },
      },
      attachValidation: true,
    },
    (request, reply) => answerOperation(app, 'travel-times', request, reply),
  );
};
