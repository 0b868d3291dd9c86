import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './errors.ts';
import { DeferredBody } from './json-body.ts';
import { type OperationName, OPERATIONS } from './operations.ts';
import { Rendered, negotiateFormat } from './formats.ts';

/**
 * Runs a request operation where it belongs: small bodies (already parsed) right here, large ones
 * (still bytes) in the worker pool. Routes validate with `attachValidation`, because a large body
 * is not parsed yet when the schema runs: its schema error is ignored here and the worker checks
 * the same top-level shape instead.
 */
export async function answerOperation(app: FastifyInstance, operation: OperationName, request: FastifyRequest, reply: FastifyReply) {
  const body = request.body;
  const format = negotiateFormat(request.headers.accept);
  if (body instanceof DeferredBody) {
    const answer = await app.computePool.run(operation, body.bytes, format);
    return reply.type(answer.contentType).send(answer.bytes);
  }
  if (request.validationError) throw request.validationError;
  const fields = body as Record<string, unknown>;
  // While the default network loads (server.ts loads it in the background), requests that bring their own are answered.
  if (app.network.status === 'loading' && (fields.network === undefined || fields.network === null || (operation === 'coverage' && fields.facilities === undefined))) {
    throw new ApiError('NOT_READY', 'the default network is still loading; retry in a few seconds, or send a network');
  }
  const answer = OPERATIONS[operation](fields, { defaultGraph: app.network.graph, defaultFacilities: app.network.facilities }, format);
  if (answer instanceof Rendered) return reply.type(answer.contentType).send(answer.text);
  return answer;
}
