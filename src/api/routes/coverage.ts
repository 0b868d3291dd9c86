import type { FastifyPluginAsync } from 'fastify';
import { answerOperation } from '../answer.ts';
import { BODY_SCHEMAS } from '../operations.ts';

/**
 * POST /v1/coverage: see src/requests/coverage.ts. The answer's format follows `Accept`: JSON report
 * (default), `application/geo+json` map, or `text/csv` table.
 */
export const coverageRoute: FastifyPluginAsync = async (app) => {
  app.post('/v1/coverage', { schema: { body: BODY_SCHEMAS.coverage }, attachValidation: true }, (request, reply) =>
    answerOperation(app, 'coverage', request, reply),
  );
};
