import type { FastifyPluginAsync } from 'fastify';
import { answerOperation } from '../answer.ts';
import { SitingAnswer, SitingCsv, SitingMap } from '../../../runtime/requests/answers.ts';
import { BODY_SCHEMAS } from '../../../runtime/requests/bodies.ts';
import { FormatQuery } from '../schemas/formats.ts';
import { COMPUTE_ERRORS, problemResponses } from '../schemas/problem.ts';
import { computeSecurity } from '../schemas/security.ts';

/**
 * POST /v1/siting: where to build next (src/runtime/requests/siting.ts, src/core/siting/). JSON (default),
 * `application/geo+json` map of the sites ranked, or `text/csv`; with `add`, the what-if coverage report.
 */
export const sitingRoute: FastifyPluginAsync = async (app) => {
  app.post(
    '/v1/siting',
    {
      schema: {
        operationId: 'computeSiting',
        tags: ['siting'],
        security: computeSecurity(app.access.allowAnonymousCompute),
        summary: 'Siting: where new facilities of an item serve the most residents (or communities), exactly or with a proven bound',
        description:
          'Who is served now comes from the coverage engine (homes, metShare); each candidate\'s reach is one bounded reverse search (one-way streets count home → site). `method`: `exact` (a mixed-integer program, HiGHS), `greedy` (lazy greedy; `bound` is a proven upper bound), `auto` (exact within `timeLimitSeconds`, else greedy). With `k`, `targetShare` or `budget`. Candidates: a FeatureCollection (points or parcels, optional `cost`) or `{"grid": metres}`. With `add` (hypothetical facilities), the answer is the coverage report as if they existed, with the changes per community (JSON only). The answer follows `?format=` (`json`, `geojson`, `csv`), else `Accept`. A programme item or a missing `k`/`targetShare`/`budget` is 400; candidates reaching no unserved home are 422 `NO_USABLE_INPUT`; `k` above the useful candidates and an unreachable target are answered, with a note saying what was reachable.',
        consumes: ['application/json', 'application/geo+json'],
        body: BODY_SCHEMAS.siting,
        querystring: FormatQuery,
        response: {
          200: {
            description: 'The sites, the map or the table, by `Accept`',
            content: {
              'application/json': { schema: SitingAnswer },
              'application/geo+json': { schema: SitingMap },
              'text/csv': { schema: SitingCsv },
            },
          },
          ...problemResponses(COMPUTE_ERRORS),
        },
      },
      attachValidation: true,
    },
    (request, reply) => answerOperation(app, 'siting', request, reply),
  );
};
