import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { InputError } from '../../../core/errors.ts';
import { JOB_BODIES, JOB_BODY, JOB_KIND, type JobBody } from '../../../runtime/requests/job-bodies.ts';
import { StringEnum } from '../../../runtime/requests/schema.ts';
import { readBody } from '../../../runtime/requests/schema-check.ts';
import { checkCandidateSites, sitingParams } from '../../../runtime/requests/siting.ts';
import { resolveStandards } from '../../../runtime/files/standards-catalogue.ts';
import { type JobKind, type Job as StoredJob, cancelJob, enqueueJob, getDatasetHead, getJob, listJobs } from '../../../runtime/store/index.ts';
import { authenticate, ownerOf } from '../access.ts';
import { ApiError } from '../errors.ts';
import { problemResponses } from '../schemas/problem.ts';
import { IdParams, Job, JobList } from '../schemas/resources.ts';
import { KEY_REQUIRED } from '../schemas/security.ts';

/**
 * Coverage and siting jobs, for whole cities (no per-request community or candidate limit, no compute timeout):
 *  - POST /v1/jobs queues one over stored datasets → 202 with the job and its `Location`;
 *  - GET /v1/jobs/:id says where it is (state, progress, error, and its run once succeeded);
 *  - GET /v1/jobs lists the key's jobs; DELETE /v1/jobs/:id cancels a queued or running one.
 * Everything a job refers to is checked before it is queued, so that a typo is a 400 now rather
 * than a failed job later.
 */
export const jobsRoute: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', (request, reply) => authenticate(app, request, reply).then(() => undefined));

  app.post<{ Body: Record<string, unknown> }>(
    '/v1/jobs',
    {
      schema: {
        operationId: 'createJob',
        tags: ['jobs'],
        security: KEY_REQUIRED,
        summary: 'Queue a coverage or siting job over stored datasets',
        description:
          'Answers 202 at once; poll `Location` (the job) until `state` is `succeeded`, then fetch its run (`runHref`): a coverage report, or — `kind: "siting"` — the siting answer of POST /v1/siting as JSON, GeoJSON or CSV. The body is checked against its kind\'s schema, and every dataset it names, before it is queued.',
        body: JOB_BODY,
        response: { 202: Type.Ref(Job.$id!), ...problemResponses(['UNAUTHORIZED', 'INVALID_JSON', 'INVALID_PARAMETER', 'NO_USABLE_INPUT', 'UNSUPPORTED_MEDIA_TYPE', 'BODY_TOO_LARGE']) },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request);
      const { kind } = readBody(JOB_KIND, request.body);
      const body = readBody(JOB_BODIES[kind], request.body);
      await checkJobParams(app, owner, body);
      const { kind: _kind, ...params } = body;
      const job = await enqueueJob(app.store!, owner, { kind, params });
      app.jobRunner?.poke();
      return reply.code(202).header('location', jobHref(job)).send(jobAnswer(job));
    },
  );

  app.get<{ Querystring: { state?: StoredJob['state'] } }>(
    '/v1/jobs',
    {
      schema: {
        operationId: 'listJobs',
        tags: ['jobs'],
        security: KEY_REQUIRED,
        summary: 'The key\'s jobs, newest first',
        querystring: Type.Object(
          { state: Type.Optional(StringEnum<StoredJob['state']>(['queued', 'running', 'succeeded', 'failed', 'cancelled'])) },
          { additionalProperties: false },
        ),
        response: { 200: JobList, ...problemResponses(['UNAUTHORIZED', 'INVALID_PARAMETER']) },
      },
    },
    async (request) => ({ jobs: (await listJobs(app.store!, ownerOf(request), { state: request.query.state })).map(jobAnswer) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/jobs/:id',
    {
      schema: {
        operationId: 'getJob',
        tags: ['jobs'],
        security: KEY_REQUIRED,
        summary: 'One job: state, progress, error, and its run once succeeded',
        params: IdParams,
        response: { 200: Type.Ref(Job.$id!), ...problemResponses(['UNAUTHORIZED', 'NOT_FOUND']) },
      },
    },
    async (request) => {
      const job = await getJob(app.store!, ownerOf(request), request.params.id);
      if (!job) throw notFound(request.params.id);
      return jobAnswer(job);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/jobs/:id',
    {
      schema: {
        operationId: 'cancelJob',
        tags: ['jobs'],
        security: KEY_REQUIRED,
        summary: 'Cancel a queued or running job (a finished one is answered unchanged)',
        params: IdParams,
        response: { 200: Type.Ref(Job.$id!), ...problemResponses(['UNAUTHORIZED', 'NOT_FOUND']) },
      },
    },
    async (request) => {
      const job = await cancelJob(app.store!, ownerOf(request), request.params.id);
      if (!job) throw notFound(request.params.id);
      return jobAnswer(job);
    },
  );
};

/** What answers show of a job: not its owner or lease. */
function jobAnswer(job: StoredJob) {
  const { owner: _owner, leaseOwner: _leaseOwner, leaseExpiresAt: _leaseExpiresAt, maxAttempts: _maxAttempts, ...shown } = job;
  return { ...shown, href: jobHref(job), ...(job.runId ? { runHref: `/v1/runs/${encodeURIComponent(job.runId)}` } : {}) };
}

function jobHref(job: { id: string }): string {
  return `/v1/jobs/${encodeURIComponent(job.id)}`;
}

function notFound(id: string): ApiError {
  return new ApiError('NOT_FOUND', `no job ${JSON.stringify(id)} for this key`, 'id');
}

// Every kind the store queues has its body (a compile-time check).
JOB_BODIES satisfies Record<JobKind, unknown>;

/**
 * Beyond the kind's schema (checked by the caller): the standards (or the siting parameters)
 * resolved, and each dataset the key's and of the right kind.
 */
async function checkJobParams(app: FastifyInstance, owner: string, params: JobBody): Promise<void> {
  if (params.kind === 'siting') checkCandidateSites(params.candidates, sitingParams(params).crs);
  else resolveStandards(params.standards, params.standard);
  // As for POST /v1/coverage: the server's facilities lie on the server's network, not on this one.
  if (params.network !== undefined && params.facilities === undefined) {
    throw new InputError('INVALID_PARAMETER', `facilities: is required when the job names its own network (dataset ${params.network}): the server's default facilities belong to the server's network; upload the facilities as a dataset and name it`, { where: 'facilities' });
  }
  const named: Partial<Record<'communities' | 'network' | 'facilities' | 'declarations' | 'homes', string>> = params;
  for (const kind of ['communities', 'network', 'facilities', 'declarations', 'homes'] as const) {
    const id = named[kind];
    if (id === undefined) {
      if (kind === 'declarations' || kind === 'homes') continue; // optional, no default
      const fallback = kind === 'network' ? app.network.graph ?? app.network.status === 'loading' : app.network.facilities;
      if (kind !== 'communities' && !fallback) throw new InputError('INVALID_PARAMETER', `${kind}: no dataset given and the server has no default ${kind}`, { where: kind });
      continue;
    }
    const dataset = await getDatasetHead(app.store!, owner, id as string);
    if (!dataset) throw new InputError('INVALID_PARAMETER', `${kind}: no dataset ${JSON.stringify(id)} for this key`, { where: kind });
    if (dataset.kind !== kind) throw new InputError('INVALID_PARAMETER', `${kind}: dataset ${JSON.stringify(id)} holds ${dataset.kind}, expected ${kind}`, { where: kind });
  }
}
