import type { FastifyPluginAsync } from 'fastify';
import { answerOperation } from '../answer.ts';
import { CoverageCsv, CoverageMap, CoverageReport } from '../schemas/answers.ts';
import { BODY_SCHEMAS } from '../schemas/bodies.ts';
import { COMPUTE_ERRORS, problemResponses } from '../schemas/problem.ts';

/**
 * POST /v1/coverage: see src/requests/coverage.ts. The answer's format follows `Accept`: JSON report
 * (default), `application/geo+json` map, or `text/csv` table.
 */
export const coverageRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/v1/coverage',
    {
      schema: {
        tags: ['coverage'],
        summary: 'Coverage: which indicator items of its life-service circle each community reaches, and how the city stands',
        description:
          'Reachability is network time from the community to each facility\'s snapped point, never a polygon test. The answer follows `Accept`: `application/json` (default; also for `*/*` or a type it does not know), `application/geo+json`, or `text/csv`; with q-values, the client\'s preferred one.',
        consumes: ['application/json', 'application/geo+json'],
        body: BODY_SCHEMAS.coverage,
        response: {
          200: {
            description: 'The report, the map or the table, by `Accept`',
            content: {
              'application/json': { schema: CoverageReport },
              'application/geo+json': { schema: CoverageMap },
              'text/csv': { schema: CoverageCsv },
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
