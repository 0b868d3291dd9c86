import type { FastifyPluginAsync } from 'fastify';
import { answerOperation } from '../answer.ts';
import { BODY_SCHEMAS } from '../operations.ts';

/** POST /v1/travel-times: see src/requests/travel-times.ts for the body and the answer. */
export const travelTimesRoute: FastifyPluginAsync = async (app) => {
  app.post('/v1/travel-times', { schema: { body: BODY_SCHEMAS['travel-times'] }, attachValidation: true }, (request, reply) =>
    answerOperation(app, 'travel-times', request, reply),
  );
};
