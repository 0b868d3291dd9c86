import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError } from '../../core/errors.ts';
import type { RequestContext } from '../../runtime/requests/context.ts';
import { type NetworkSize, admit, networkSizeOf } from '../../runtime/requests/cost.ts';
import { getDataset } from '../../runtime/store/index.ts';
import { optionalKey } from './access.ts';
import { type DatasetRefs, withDatasets } from './dataset-refs.ts';
import { ApiError } from './errors.ts';
import { DeferredBody, rawBodyOf } from './json-body.ts';
import { type OperationName, OFFERED_FORMATS, OPERATIONS } from './operations.ts';
import { type AnswerFormat, Rendered, requestedFormat, sendRendered } from './formats.ts';
import { ComputeCancelled } from './worker-pool.ts';

/**
 * Runs a request operation where it belongs, by its cost rather than its size (src/runtime/requests/cost.ts):
 *  - a large body (still bytes) is parsed, estimated and computed in the worker pool;
 *  - a parsed body is estimated here, before any search: an answer over MAX_ANSWER_MB is refused
 *    (422 LIMIT_EXCEEDED), a request of a few milliseconds runs right here, anything more in the
 *    worker pool (under COMPUTE_TIMEOUT_MS and the threads' memory limit), from the bytes it came in.
 * Work in a thread is stopped when its client disconnects.
 *
 * Routes validate with `attachValidation`, because a large body is not parsed yet when the schema
 * runs: its schema error is ignored here and the worker checks the parsed body with the same
 * compiled schema instead (src/runtime/requests/schema-check.ts), so both answer alike.
 *
 * A key, when sent, is checked (and required unless anonymous compute is allowed). Dataset ids in
 * the body (`network`, `facilities`, `communities`: "ds_…") are the key's datasets, resolved here
 * (the store is on this thread) for either place; bodies too large to parse here cannot name them.
 */
export async function answerOperation(app: FastifyInstance, operation: OperationName, request: FastifyRequest, reply: FastifyReply) {
  const key = await optionalKey(app, request, reply, app.access.allowAnonymousCompute);
  const body = request.body;
  const format = requestedFormat(request, OFFERED_FORMATS[operation], { sheets: operation === 'coverage' });
  if (body instanceof DeferredBody) return computeInWorker(app, operation, request, reply, body.bytes, format);
  if (request.validationError) throw request.validationError;
  const fields = body as Record<string, unknown>;
  // While the default network loads (server.ts loads it in the background), requests that bring their own are answered.
  if (app.network.status === 'loading' && (fields.network === undefined || fields.network === null || (operation === 'coverage' && fields.facilities === undefined))) {
    throw new ApiError('NOT_READY', 'the default network is still loading; retry in a few seconds, or send a network');
  }
  const { refs, network } = await resolveDatasetIds(app, reply, key?.id, fields);
  const resolved = withDatasets(fields, refs);
  const pool = app.computePool;
  const graph = refs.graphFile === undefined ? app.network.graph : undefined;
  const estimate = admit(operation, resolved, network ?? (graph && networkSizeOf(graph)), pool.maxAnswerBytes);
  if (estimate.workUs > pool.mainThreadMaxWorkUs) {
    return computeInWorker(app, operation, request, reply, rawBodyOf(request) ?? Buffer.from(JSON.stringify(fields)), format, refs);
  }
  const ctx: RequestContext = {
    defaultGraph: refs.graphFile !== undefined ? await app.datasets!.network(key!.id, fields.network as string) : app.network.graph,
    defaultFacilities: refs.facilities ?? app.network.facilities,
    // The buildings belong to the default network: a request on another network places no homes in them.
    defaultBuildings: fields.network === undefined || fields.network === null ? app.network.buildings : undefined,
    ...(refs.ids ? { datasets: refs.ids } : {}),
  };
  const answer = await OPERATIONS[operation](resolved, ctx, format);
  if (answer instanceof Rendered) return sendRendered(reply, answer);
  return answer;
}

/**
 * Runs the operation in the worker pool on the body's bytes; a client that disconnects first aborts
 * the task (its thread is stopped and replaced) and gets nothing, as it is gone.
 */
async function computeInWorker(app: FastifyInstance, operation: OperationName, request: FastifyRequest, reply: FastifyReply, bytes: Buffer, format: AnswerFormat, datasets?: DatasetRefs) {
  const clientGone = new AbortController();
  // 'close' before the answer is written: the connection was cut (Node's documented way to tell).
  const onClose = () => {
    if (!reply.raw.writableFinished) clientGone.abort();
  };
  reply.raw.once('close', onClose);
  try {
    const answer = await app.computePool.run(operation, bytes, format, { signal: clientGone.signal, datasets });
    return sendRendered(reply, { contentType: answer.contentType, body: answer.bytes, ...(answer.filename ? { filename: answer.filename } : {}) });
  } catch (err) {
    if (!(err instanceof ComputeCancelled)) throw err;
    request.log.info({ operation }, err.message);
    // Nothing to answer, nobody to answer to: fastify is told not to try.
    return reply.hijack();
  } finally {
    reply.raw.off('close', onClose);
  }
}

const REFERABLE = ['network', 'facilities', 'communities'] as const;

/**
 * The datasets the body names, for the core wherever it runs (see DatasetRefs), and the size of a
 * named network (for the estimate; its graph is read only where the request runs). Unknown ids, and
 * other keys' ids, are the same 400.
 */
async function resolveDatasetIds(app: FastifyInstance, reply: FastifyReply, owner: string | undefined, fields: Record<string, unknown>): Promise<{ refs: DatasetRefs; network?: NetworkSize }> {
  const refs: DatasetRefs = {};
  const named = REFERABLE.filter((name) => typeof fields[name] === 'string');
  if (named.length === 0) return { refs };
  refs.ids = Object.fromEntries(named.map((name) => [name, fields[name] as string]));
  if (!owner || !app.datasets) {
    reply.header('www-authenticate', 'Bearer realm="lifecircle"');
    throw new ApiError('UNAUTHORIZED', `${named[0]}: a dataset id needs the API key it belongs to: send it as \`x-api-key: <key>\` or \`Authorization: Bearer <key>\``, named[0]);
  }
  const datasets = app.datasets;
  let network: NetworkSize | undefined;
  if (typeof fields.network === 'string') {
    const file = await datasets.networkFile(owner, fields.network);
    refs.graphFile = file.graphFile;
    network = file.size;
  }
  if (typeof fields.facilities === 'string') refs.facilities = await datasets.facilities(owner, fields.facilities);
  if (typeof fields.communities === 'string') {
    const id = fields.communities;
    const dataset = await getDataset(app.store!, owner, id);
    if (!dataset) throw new InputError('INVALID_PARAMETER', `communities: no dataset ${JSON.stringify(id)} for this key`, { where: 'communities' });
    if (dataset.kind !== 'communities') throw new InputError('INVALID_PARAMETER', `communities: dataset ${JSON.stringify(id)} holds ${dataset.kind}, expected communities`, { where: 'communities' });
    const payload = dataset.payload as { crs: string; source: unknown };
    // The stored set carries its own crs (withDatasets makes it its crs member).
    refs.communities = { crs: payload.crs, source: payload.source };
  }
  return { refs, network };
}
