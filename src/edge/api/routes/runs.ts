import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Geometry } from 'geojson';
import type { CoverageReport } from '../../../core/coverage/coverage.ts';
import { InputError } from '../../../core/errors.ts';
import { type RunPage, pageRange, readRunBatches, runCommunityCount, runReportRest } from '../../../runtime/jobs/run-reader.ts';
import { StatusesBuilder, diffStatuses } from '../../../runtime/nightly/statuses.ts';
import { type Run, type RunSummary, getRun, listRuns } from '../../../runtime/store/index.ts';
import { authenticate, ownerOf } from '../access.ts';
import { ApiError } from '../errors.ts';
import { type SizedBody, sendRanged } from '../byte-ranges.ts';
import { OFFERED_FORMATS } from '../operations.ts';
import { renderSiting } from '../../../runtime/requests/siting-answer.ts';
import type { SitingResponse } from '../../../runtime/requests/siting.ts';
import { type AnswerFormat, CONTENT_TYPES, Rendered } from '../../../runtime/requests/rendered.ts';
import { GEOPACKAGE, SHAPEFILE_ZIP } from '../schemas/formats.ts';
import { requestedFormat } from '../formats.ts';
import { runExport } from '../run-exports.ts';
import { CoverageCsv, CoverageMap, CoverageRunReport, SitingAnswer, SitingCsv, SitingMap } from '../../../runtime/requests/answers.ts';
import { problemResponses } from '../schemas/problem.ts';
import { IdParams, RunDiff, RunList, RunPageQuery, RunReportSummary } from '../schemas/resources.ts';
import { KEY_REQUIRED } from '../schemas/security.ts';

/**
 * The runs jobs leave behind, one key's own (a siting job's: its answer, read back whole):
 *  - GET /v1/runs lists them (summaries, newest first);
 *  - GET /v1/runs/:id is the report, by `Accept`: JSON, GeoJSON (the communities coloured by
 *    coverage) or CSV — streamed from the stored pieces, optionally a page of communities
 *    (`?offset=&limit=`, with `Link: rel="next"` and `X-Total-Count`);
 *  - GET /v1/runs/:id/summary is the report without its communities;
 *  - GET /v1/runs/:a/diff/:b says what changed from run a to run b (read from both runs' statuses,
 *    piece by piece: never two whole reports in memory).
 */
export const runsRoute: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', (request, reply) => authenticate(app, request, reply).then(() => undefined));

  app.get(
    '/v1/runs',
    {
      schema: { operationId: 'listRuns', tags: ['jobs'], security: KEY_REQUIRED, summary: 'The key\'s runs, newest first (summaries)', response: { 200: RunList, ...problemResponses(['UNAUTHORIZED']) } },
    },
    async (request) => ({ runs: (await listRuns(app.store!, ownerOf(request))).map(runSummaryAnswer) }),
  );

  app.get<{ Params: { id: string }; Querystring: { offset?: string; limit?: string } }>(
    '/v1/runs/:id',
    {
      schema: {
        operationId: 'getRun',
        tags: ['jobs'],
        security: KEY_REQUIRED,
        summary: 'A run\'s coverage report (or siting answer), map or table, by `Accept`, whole or a page of its communities',
        description:
          'The same answers as POST /v1/coverage (JSON, GeoJSON, CSV either sheet, zipped shapefile, GeoPackage; by `Accept` or `?format=`/`?sheet=`), written once from the stored pieces (a piece in memory at a time) and served with `Content-Length`, `ETag` and byte ranges (`Range: bytes=…` → 206), so GDAL\'s `/vsicurl/` and QGIS open them from the URL. `offset` (default 0) and `limit` (default: every community from `offset`; no maximum, the answer is streamed) page the communities in the run\'s order; a page that ends before the run does has a `Link: <…>; rel="next"` header, and every answer says `X-Total-Count` (communities in the run). Each page is a whole document (the JSON with the summary, the CSV with its header). The map of a run stored before reports were kept in pieces needs the run\'s communities dataset: 404 once it is deleted or no longer holds the run\'s communities. A siting job\'s run (`kind: "siting"`) is its answer as POST /v1/siting gives it — JSON, GeoJSON (the sites ranked) or CSV (one row per site) — whole: `offset` and `limit` do not apply to it.',
        params: IdParams,
        querystring: RunPageQuery,
        response: {
          200: {
            description: 'The report, the map or the table, by `Accept`',
            headers: {
              'X-Total-Count': { type: 'integer', description: 'communities in the run' },
              Link: { type: 'string', description: '`<…?offset=…&limit=…>; rel="next"` while communities remain after the page' },
            },
            content: {
              'application/json': { schema: Type.Union([Type.Ref(CoverageRunReport.$id!), SitingAnswer]) },
              'application/geo+json': { schema: Type.Union([CoverageMap, SitingMap]) },
              'text/csv': { schema: Type.String({ description: `${CoverageCsv.description} — a siting run: ${SitingCsv.description}` }) },
              'application/zip': { schema: SHAPEFILE_ZIP },
              'application/geopackage+sqlite3': { schema: GEOPACKAGE },
            },
          },
          ...problemResponses(['UNAUTHORIZED', 'NOT_FOUND', 'INVALID_PARAMETER']),
        },
      },
    },
    async (request, reply) => {
      const owner = ownerOf(request);
      const run = await findRun(app, owner, request.params.id);
      if (run.kind === 'siting') return sendRanged(request, reply, sitingRunAnswer(run, requestedFormat(request, OFFERED_FORMATS.siting)));
      const { offset, limit } = request.query;
      const page: RunPage = { offset: offset === undefined ? 0 : Number(offset), ...(limit !== undefined ? { limit: Number(limit) } : {}) };
      const format = requestedFormat(request, ['geojson', 'csv', 'shp', 'gpkg'], { sheets: true });
      // Checked before the answer starts: a stream cannot turn into a 404 half-way.
      const geometryOf = (format === 'geojson' || format === 'shp' || format === 'gpkg') && !run.pieces ? await legacyGeometries(app, owner, run) : undefined;
      // Written once to a file of known size: Content-Length and byte ranges, for GDAL's /vsicurl/.
      const body = await runExport(app.store!, run, format, page, geometryOf);
      pagingHeaders(reply, run, page, request.url);
      return sendRanged(request, reply, body);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/runs/:id/summary',
    {
      schema: {
        operationId: 'getRunSummary',
        tags: ['jobs'],
        security: KEY_REQUIRED,
        summary: 'A run\'s report without its communities: the city summary, facilities, inputs, and how many communities',
        params: IdParams,
        response: { 200: RunReportSummary, ...problemResponses(['UNAUTHORIZED', 'NOT_FOUND']) },
      },
    },
    async (request) => {
      const run = await findRun(app, ownerOf(request), request.params.id);
      const href = `/v1/runs/${encodeURIComponent(run.id)}`;
      if (run.kind === 'siting') {
        // The answer without its sites and communities (the run itself has them).
        const { sites: _sites, communities, ...rest } = run.report as SitingResponse;
        return { summary: run.summary, ...rest, communityCount: communities.length, href };
      }
      return { ...runReportRest(run), communityCount: runCommunityCount(run), href };
    },
  );

  app.get<{ Params: { a: string; b: string } }>(
    '/v1/runs/:a/diff/:b',
    {
      schema: {
        operationId: 'diffRuns',
        tags: ['jobs'],
        security: KEY_REQUIRED,
        summary: 'What changed from run a to run b: communities that gained or lost items, and the city shares',
        params: Type.Object({ a: Type.String({ description: 'the earlier run' }), b: Type.String({ description: 'the later run' }) }),
        response: { 200: RunDiff, ...problemResponses(['UNAUTHORIZED', 'NOT_FOUND', 'INVALID_PARAMETER']) },
      },
    },
    async (request) => {
      const owner = ownerOf(request);
      const [a, b] = await Promise.all([findRun(app, owner, request.params.a), findRun(app, owner, request.params.b)]);
      const siting = [a, b].find((run) => run.kind !== 'coverage');
      if (siting) throw new InputError('INVALID_PARAMETER', `run ${siting.id} is a ${siting.kind} run: a diff compares two coverage runs (a siting answer says its own before and after)`, { where: siting === a ? 'a' : 'b' });
      // One after the other: one piece in memory at a time, and of each run only its statuses (a letter per item).
      const before = await statusesOfRun(app, a);
      const after = await statusesOfRun(app, b);
      return diffStatuses(before, runReportRest(a).summary, after, runReportRest(b).summary);
    },
  );
};

async function statusesOfRun(app: FastifyInstance, run: Run) {
  const statuses = new StatusesBuilder();
  for await (const batch of readRunBatches(app.store!, run, { offset: 0 }, { geometries: false })) statuses.add(batch.reports);
  return statuses.result();
}

/** `X-Total-Count`, and the next page's `Link` while communities remain after this one. */
function pagingHeaders(reply: FastifyReply, run: Run, page: RunPage, url: string): void {
  const total = runCommunityCount(run);
  reply.header('X-Total-Count', String(total));
  const { to } = pageRange(run, page);
  if (page.limit === undefined || to >= total) return;
  const next = new URL(url, 'http://x');
  next.searchParams.set('offset', String(to));
  next.searchParams.set('limit', String(page.limit));
  reply.header('Link', `<${next.pathname}${next.search}>; rel="next"`);
}

async function findRun(app: FastifyInstance, owner: string, id: string): Promise<Run> {
  const run = await getRun(app.store!, owner, id);
  if (!run) throw new ApiError('NOT_FOUND', `no run ${JSON.stringify(id)} for this key`, 'id');
  return run;
}

/**
 * The geometry of each community of a run stored before pieces (which kept none), from its
 * communities dataset, as long as it still holds them all.
 */
async function legacyGeometries(app: FastifyInstance, owner: string, run: Run): Promise<(report: { id: string }) => Geometry> {
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
  const byId = new Map(communities.map((c) => [c.id, c.geometry]));
  if (!(run.report as CoverageReport).communities.every((c) => byId.has(c.id))) throw gone(`its communities dataset ${ref.dataset} was replaced without some of them`);
  return (report) => byId.get(report.id)!;
}

/**
 * A siting job's run: its answer, stored whole, in the format asked for — the same bytes POST
 * /v1/siting answers (siting-answer.ts), sized and tagged for caches and ranges like any run's.
 */
function sitingRunAnswer(run: Run, format: AnswerFormat): SizedBody {
  const response = run.report as SitingResponse;
  const rendered = format === 'json' ? new Rendered(CONTENT_TYPES.json, JSON.stringify(response)) : renderSiting(response, format);
  const bytes = Buffer.from(rendered.body);
  return { size: bytes.length, etag: `"${createHash('sha1').update(bytes).digest('base64url')}"`, contentType: rendered.contentType, bytes, ...(rendered.filename ? { filename: rendered.filename } : {}) };
}

function runSummaryAnswer(run: RunSummary) {
  const { owner: _owner, ...shown } = run;
  return { ...shown, href: `/v1/runs/${encodeURIComponent(run.id)}` };
}
