import type { FastifyPluginAsync } from 'fastify';
import { answerOperation } from '../answer.ts';
import { CoverageCsv, CoverageMap, CoverageReport } from '../../../runtime/requests/answers.ts';
import { BODY_SCHEMAS } from '../../../runtime/requests/bodies.ts';
import { FormatQuery, GEOPACKAGE, SHAPEFILE_ZIP } from '../schemas/formats.ts';
import { COMPUTE_ERRORS, problemResponses } from '../schemas/problem.ts';
import { computeSecurity } from '../schemas/security.ts';

/**
 * POST /v1/coverage: see src/runtime/requests/coverage.ts. The answer's format follows `Accept`: JSON report
 * (default), `application/geo+json` map, or `text/csv` table.
 */
export const coverageRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/v1/coverage',
    {
      schema: {
        operationId: 'computeCoverage',
        tags: ['coverage'],
        security: computeSecurity(app.access.allowAnonymousCompute),
        summary: 'Coverage: which indicator items of its life-service circle each community reaches, and how the city stands',
        description:
          'Reachability is network time from the community to each facility\'s snapped point, never a polygon test. The answer follows `?format=` (`json`, `geojson`, `csv`, `shp`, `gpkg`; `?sheet=communities` for the per-community CSV), else `Accept`: `application/json` (default; also for `*/*` or a type it does not know), `application/geo+json`, `text/csv`, `application/zip` (shapefile) or `application/geopackage+sqlite3`; with q-values, the client\'s preferred one. Files are named (`Content-Disposition`) after the standard, mode, minutes and date. A request with its own network must send its facilities (400 otherwise); one in which no community could be assessed is 422 `NO_USABLE_INPUT` with each one\'s reason.',
        consumes: ['application/json', 'application/geo+json'],
        body: BODY_SCHEMAS.coverage,
        querystring: FormatQuery,
        response: {
          200: {
            description: 'The report, the map or the table, by `Accept`',
            content: {
              'application/json': { schema: CoverageReport },
              'application/geo+json': { schema: CoverageMap },
              'text/csv': { schema: CoverageCsv },
              'application/zip': { schema: SHAPEFILE_ZIP },
              'application/geopackage+sqlite3': { schema: GEOPACKAGE },
            },
          },
          ...problemResponses(COMPUTE_ERRORS),
        },
      },
      attachValidation: true,
    },
    (request, reply) => answerOperation(app, 'coverage', request, reply),
  );
};
