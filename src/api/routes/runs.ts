import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { CoverageReport } from '../../coverage/coverage.ts';
import { diffRuns } from '../../coverage/diff.ts';
import { coverageCsv, coverageGeoJson } from '../../coverage/outputs.ts';
import { InputError } from '../../errors.ts';
import { type Run, type RunSummary, getRun, listRuns } from '../../store/index.ts';
import { authenticate, ownerOf } from '../access.ts';
import { ApiError } from '../errors.ts';
import { negotiateFormat } from '../formats.ts';
import { CoverageCsv, CoverageMap, CoverageReport as CoverageReportSchema } from '../schemas/answers.ts';
import { problemResponses } from '../schemas/problem.ts';
import { IdParams, RunDiff, RunList } from '../schemas/resources.ts';

/**
 * The runs coverage jobs leave behind, one key's own:
 *  - GET /v1/runs lists them (summaries, newest first);
 *  - GET /v1/runs/:id is the report, by `Accept`: JSON (as stored), GeoJSON (the communities of the
 *    run's communities dataset, coloured by coverage) or CSV;
 *  - GET /v1/runs/:a/diff/:b says what changed from run a to run b.
 */
export const runsRoute: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', (request, reply) => authenticate(app, request, reply).then(() => undefined));

  app.get(
    '/v1/runs',
    {
      schema: { tags: ['jobs'], summary: 'The key\'s runs, newest first (summaries)', security: [{ apiKey: [] }], response: { 200: RunList, ...problemResponses(['UNAUTHORIZED']) } },
    },
    async (request) => ({ runs: (await listRuns(app.store!, ownerOf(request))).map(runSummaryAnswer) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/runs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'A run\'s coverage report, map or table, by `Accept`',
        description: 'The same three answers as POST /v1/coverage. The map needs the run\'s communities dataset: 404 once it is deleted or no longer holds the run\'s communities.',
        security: [{ apiKey: [] }],
        params: IdParams,
        response: {
          200: {
            description: 'The report, the map or the table, by `Accept`',
            content: {
              'application/json': { schema: CoverageReportSchema },
              'application/geo+json': { schema: CoverageMap },
              'text/csv': { schema: CoverageCsv },
            },
          },
          ...problemResponses(['UNAUTHORIZED', 'NOT_FOUND']),
        },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request);
      const run = await findRun(app, owner, request.params.id);
      const report = run.report as CoverageReport;
      const format = negotiateFormat(request.headers.accept);
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(coverageCsv(report));
      if (format === 'geojson') {
        const communities = await runCommunities(app, owner, run);
        return reply.type('application/geo+json; charset=utf-8').send(JSON.stringify(coverageGeoJson(report, communities)));
      }
      return report;
    },
  );

  app.get<{ Params: { a: string; b: string } }>(
    '/v1/runs/:a/diff/:b',
    {
      schema: {
        tags: ['jobs'],
        summary: 'What changed from run a to run b: communities that gained or lost items, and the city shares',
        security: [{ apiKey: [] }],
        params: Type.Object({ a: Type.String({ description: 'the earlier run' }), b: Type.String({ description: 'the later run' }) }),
        response: { 200: RunDiff, ...problemResponses(['UNAUTHORIZED', 'NOT_FOUND']) },
      },
    },
    async (request) => {
      const owner = ownerOf(request);
      const [a, b] = await Promise.all([findRun(app, owner, request.params.a), findRun(app, owner, request.params.b)]);
      return diffRuns(a.report as CoverageReport, b.report as CoverageReport);
    },
  );
};

async function findRun(app: FastifyInstance, owner: string, id: string): Promise<Run> {
  const run = await getRun(app.store!, owner, id);
  if (!run) throw new ApiError('NOT_FOUND', `no run ${JSON.stringify(id)} for this key`, 'id');
  return run;
}

/** The communities a run assessed, from its communities dataset, as long as it still holds them all. */
async function runCommunities(app: FastifyInstance, owner: string, run: Run) {
  const ref = run.communities as { dataset?: string } | null;
  const gone = (why: string) => new ApiError('NOT_FOUND', `run ${run.id}: no map: ${why}; the JSON and CSV answers remain`, 'communities');
  if (!ref?.dataset) throw gone('it refers to no communities dataset');
  let communities;
  try {
    communities = await app.datasets!.communities(owner, ref.dataset);
  } catch (err) {
    if (err instanceof InputError) throw gone(`its communities dataset ${ref.dataset} was deleted`);
    throw err;
  }
  const ids = new Set(communities.map((c) => c.id));
  if (!(run.report as CoverageReport).communities.every((c) => ids.has(c.id))) throw gone(`its communities dataset ${ref.dataset} was replaced without some of them`);
  return communities;
}

function runSummaryAnswer(run: RunSummary) {
  const { owner: _owner, ...shown } = run;
  return { ...shown, href: `/v1/runs/${encodeURIComponent(run.id)}` };
}
