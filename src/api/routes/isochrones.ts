import type { FastifyPluginAsync } from 'fastify';
import { answerOperation } from '../answer.ts';
import { BODY_SCHEMAS } from '../operations.ts';

/** POST /v1/isochrones: see src/requests/isochrones.ts for the body and the answer. */
export const isochronesRoute: FastifyPluginAsync = async (app) => {
  app.post('/v1/isochrones', { schema: { body: BODY_SCHEMAS.isochrones }, attachValidation: true }, (request, reply) =>
    answerOperation(app, 'isochrones', request, reply),
  );
};
