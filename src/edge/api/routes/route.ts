import type { FastifyPluginAsync } from 'fastify';
import { answerOperation } from '../answer.ts';
import { BODY_SCHEMAS } from '../../../runtime/requests/bodies.ts';
import { FormatQuery, GEOPACKAGE, SHAPEFILE_ZIP, answerContent } from '../schemas/formats.ts';
import { COMPUTE_ERRORS, problemResponses } from '../schemas/problem.ts';
import { RouteAnswer } from '../schemas/route.ts';
import { computeSecurity } from '../schemas/security.ts';

/** POST /v1/route: see src/runtime/requests/route.ts for the body and the answer. */
export const routeRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/v1/route',
    {
      schema: {
        operationId: 'getRoute',
        tags: ['routing'],
        security: computeSecurity(app.access.allowAnonymousCompute),
        summary: 'Route: the fastest way from the origins to the nearest target, with its geometry',
        description:
          'One search from all origins together (a community\'s entrances, as coverage treats them), followed back from the nearest target reached within `maxMinutes`. The time is the one travel-times reports for the pair; the geometry runs along the roads from snapped point to snapped point, plus the two walked access legs. Points that cannot be placed are listed in `errors`, the others are used; no reachable target is an answer with `route: null` and a `reason`, not an error.',
        consumes: ['application/json', 'application/geo+json'],
        body: BODY_SCHEMAS.route,
        querystring: FormatQuery,
        response: {
          200: answerContent('The route (GeoJSON), or as a file by `?format=` / `Accept`', {
            'application/json': RouteAnswer,
            'application/geo+json': RouteAnswer,
            'application/zip': SHAPEFILE_ZIP,
            'application/geopackage+sqlite3': GEOPACKAGE,
          }),
          ...problemResponses(COMPUTE_ERRORS),
        },
      },
      attachValidation: true,
    },
    (request, reply) => answerOperation(app, 'route', request, reply),
  );
};
