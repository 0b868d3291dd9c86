import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError } from '../errors.ts';
import type { RequestContext } from '../requests/context.ts';
import { getDataset } from '../store/index.ts';
import { optionalKey } from './access.ts';
import { ApiError } from './errors.ts';
import { DeferredBody } from './json-body.ts';
import { type OperationName, OPERATIONS } from './operations.ts';
import { Rendered, negotiateFormat } from './formats.ts';

/**
 * Runs a request operation where it belongs: small bodies (already parsed) right here, large ones
 * (still bytes) in the worker pool. Routes validate with `attachValidation`, because a large body
 * is not parsed yet when the schema runs: its schema error is ignored here and the worker checks
 * the same top-level shape instead.
 *
 * A key, when sent, is checked (and required unless anonymous compute is allowed). Dataset ids in
 * the body (`network`, `facilities`, `communities`: "ds_…") are the key's datasets, loaded here,
 * before the synchronous core runs; the worker path does not resolve them (it answers 400).
 */
export async function answerOperation(app: FastifyInstance, operation: OperationName, request: FastifyRequest, reply: FastifyReply) {
  const key = await optionalKey(app, request, reply, app.access.allowAnonymousCompute);
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
  const ctx: RequestContext = { defaultGraph: app.network.graph, defaultFacilities: app.network.facilities };
  const resolved = await resolveDatasetIds(app, reply, key?.id, fields, ctx);
  const answer = OPERATIONS[operation](resolved, ctx, format);
  if (answer instanceof Rendered) return reply.type(answer.contentType).send(answer.text);
  return answer;
}

const REFERABLE = ['network', 'facilities', 'communities'] as const;

/**
 * The body with its dataset ids replaced: a network or facility set becomes the context's default
 * (the core then uses it as it would the server's), communities become the stored GeoJSON with its
 * crs. Unknown ids, and other keys' ids, are the same 400.
 */
async function resolveDatasetIds(app: FastifyInstance, reply: FastifyReply, owner: string | undefined, fields: Record<string, unknown>, ctx: RequestContext): Promise<Record<string, unknown>> {
  const refs = REFERABLE.filter((name) => typeof fields[name] === 'string');
  if (refs.length === 0) return fields;
  if (!owner || !app.datasets) {
    reply.header('www-authenticate', 'Bearer realm="lifecircle"');
    throw new ApiError('UNAUTHORIZED', `${refs[0]}: a dataset id needs the API key it belongs to: send it as \`x-api-key: <key>\` or \`Authorization: Bearer <key>\``, refs[0]);
  }
  const body = { ...fields };
  const datasets = app.datasets!;
  if (typeof fields.network === 'string') {
    ctx.defaultGraph = await datasets.network(owner!, fields.network);
    delete body.network;
  }
  if (typeof fields.facilities === 'string') {
    ctx.defaultFacilities = await datasets.facilities(owner!, fields.facilities);
    delete body.facilities;
  }
  if (typeof fields.communities === 'string') {
    const id = fields.communities;
    const dataset = await getDataset(app.store!, owner!, id);
    if (!dataset) throw new InputError('INVALID_PARAMETER', `communities: no dataset ${JSON.stringify(id)} for this key`, { where: 'communities' });
    if (dataset.kind !== 'communities') throw new InputError('INVALID_PARAMETER', `communities: dataset ${JSON.stringify(id)} holds ${dataset.kind}, expected communities`, { where: 'communities' });
    const payload = dataset.payload as { crs: string; source: unknown };
    // `crs` applies to the inline points of the body; the stored set carries its own.
    const inlineFacilities = body.facilities !== undefined;
    const bodyCrs = (body.crs as string | undefined) ?? 'wgs84';
    if ((inlineFacilities || body.crs !== undefined) && bodyCrs !== payload.crs) {
      throw new InputError('INVALID_PARAMETER', `crs: the communities dataset ${id} is in ${payload.crs}, the request's inline data in ${bodyCrs}; convert one, or store the facilities as a dataset too`, { where: 'crs' });
    }
    body.communities = payload.source;
    body.crs = payload.crs;
  }
  return body;
}
