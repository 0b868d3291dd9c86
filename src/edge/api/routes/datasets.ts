import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { rmSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { StringEnum } from '../../../runtime/requests/schema.ts';
import { InputError } from '../../../core/errors.ts';
import { ImportTimeout } from '../../../runtime/datasets/import-process.ts';
import { formatOfContentType } from '../../../core/io/input-format.ts';
import { type Dataset as StoredDataset, type DatasetKind, type DatasetSummary, deleteDataset, getDataset, listDatasets } from '../../../runtime/store/index.ts';
import { authenticate, ownerOf } from '../access.ts';
import { ApiError } from '../errors.ts';
import { problemResponses } from '../schemas/problem.ts';
import { Dataset, DatasetList, DatasetQuery, IdParams } from '../schemas/resources.ts';
import { UPLOAD_CONTENT_TYPES, readWhole, spoolToFile } from '../upload.ts';
import { KEY_REQUIRED } from '../schemas/security.ts';

/**
 * Stored datasets, one key's own:
 *  - POST /v1/datasets/networks: an OSM (.osm.pbf, .osm, .osm.gz) or GeoJSON road network, streamed to
 *    a temporary file and compiled into a graph file in a process of its own;
 *  - POST /v1/datasets/facilities, /v1/datasets/communities, /v1/datasets/homes: GeoJSON, or CSV
 *    (`text/csv`) with longitude and latitude columns;
 *  - GET /v1/datasets (`?kind=`), GET/PUT/DELETE /v1/datasets/:id.
 * Requests, jobs and coverage refer to them by id.
 */
export interface DatasetRoutesOptions {
  /** Largest network upload. */
  uploadLimitBytes: number;
  /** Largest point-set upload (held in memory to be parsed). */
  bodyLimitBytes: number;
}

const KIND_OF_PATH = { networks: 'network', facilities: 'facilities', communities: 'communities', homes: 'homes', declarations: 'declarations' } as const;
/** The upload routes' operationIds: what generated clients call them. */
const DATASET_UPLOAD_OPERATIONS = { network: 'uploadNetwork', facilities: 'uploadFacilities', communities: 'uploadCommunities', homes: 'uploadHomes', declarations: 'uploadDeclarations' } as const;
/** What a point set's upload is called in its summary. */
const POINT_SET_NAMES = { facilities: 'facility', communities: 'community', homes: 'home (points or building polygons, tied to communities by `community` or by lying inside one)' } as const;
const UPLOAD_ERRORS = ['UNAUTHORIZED', 'INVALID_JSON', 'INVALID_PARAMETER', 'INVALID_GEOJSON', 'INVALID_SHAPEFILE', 'INVALID_OSM', 'EMPTY_NETWORK', 'BODY_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE', 'LIMIT_EXCEEDED', 'TIMEOUT'] as const;
const body = { content: Object.fromEntries(UPLOAD_CONTENT_TYPES.map((type) => [type, { schema: Type.Unsafe({ description: 'the file' }) }])) };

export const datasetsRoute: FastifyPluginAsync<DatasetRoutesOptions> = async (app, opts) => {
  app.addHook('onRequest', (request, reply) => authenticate(app, request, reply).then(() => undefined));
  // Bodies arrive as streams: networks go to disk as they come, point sets are read within the body limit.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(UPLOAD_CONTENT_TYPES, (_request, payload, done) => done(null, payload));

  for (const [path, kind] of Object.entries(KIND_OF_PATH)) {
    app.post<{ Querystring: { name?: string; crs?: string } }>(
      `/v1/datasets/${path}`,
      {
        schema: {
          operationId: DATASET_UPLOAD_OPERATIONS[kind],
          tags: ['datasets'],
          security: KEY_REQUIRED,
          summary: kind === 'network' ? 'Upload a road network: OSM (.osm.pbf, .osm, .osm.gz) or GeoJSON' : kind === 'declarations' ? DECLARATIONS_SUMMARY : `Upload a ${POINT_SET_NAMES[kind]} set: GeoJSON, CSV or a zipped shapefile`,
          description:
            kind === 'declarations'
              ? DECLARATIONS_DESCRIPTION
              : kind === 'network'
              ? 'The body is the file, streamed to disk (at most `UPLOAD_LIMIT_MB`); its format is told by its first bytes. It is compiled into a graph in a process of its own; the answer has the import report (what was dropped and why).'
              : 'GeoJSON (`application/json`, `application/geo+json`); CSV (`text/csv`) with longitude/latitude columns (lon/lng/longitude/x/经度, lat/latitude/y/纬度) and every other column a property; or a zipped shapefile (`application/zip`: one layer\'s .shp, .shx, .dbf, with its .prj — reprojected to WGS84 — and .cpg for the attributes\' encoding). Features that cannot be read are listed in the report; the set needs at least one usable.',
          querystring: DatasetQuery,
          consumes: UPLOAD_CONTENT_TYPES,
          response: { 201: Type.Ref(Dataset.$id!), ...problemResponses(UPLOAD_ERRORS) },
        },
      },
      async (request, reply) => {
        const stored = await importDataset(app, request, kind, opts);
        return reply.code(201).header('location', hrefOf(stored)).send(datasetAnswer(stored));
      },
    );
  }

  app.get<{ Querystring: { kind?: DatasetKind } }>(
    '/v1/datasets',
    {
      schema: {
        operationId: 'listDatasets',
        tags: ['datasets'],
        security: KEY_REQUIRED,
        summary: 'The key\'s datasets, newest first',
        querystring: Type.Object({ kind: Type.Optional(StringEnum<DatasetKind>(['network', 'facilities', 'communities', 'homes', 'declarations'])) }, { additionalProperties: false }),
        response: { 200: DatasetList, ...problemResponses(['UNAUTHORIZED', 'INVALID_PARAMETER']) },
      },
    },
    async (request) => ({ datasets: (await listDatasets(app.store!, ownerOf(request), { kind: request.query.kind })).map(datasetAnswer) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/datasets/:id',
    {
      schema: {
        operationId: 'getDataset',
        tags: ['datasets'],
        security: KEY_REQUIRED,
        summary: 'One dataset: counts, bounding box and import report (not its content)',
        params: IdParams,
        response: { 200: Type.Ref(Dataset.$id!), ...problemResponses(['UNAUTHORIZED', 'NOT_FOUND']) },
      },
    },
    async (request) => datasetAnswer(await findDataset(app, ownerOf(request), request.params.id)),
  );

  app.put<{ Params: { id: string }; Querystring: { name?: string; crs?: string } }>(
    '/v1/datasets/:id',
    {
      schema: {
        operationId: 'replaceDataset',
        tags: ['datasets'],
        security: KEY_REQUIRED,
        summary: 'Replace a dataset\'s content (same kind, same bodies as its upload); its version goes up by one',
        description: 'Jobs queued after the replacement use the new version; a run keeps the report it was made with.',
        params: IdParams,
        querystring: DatasetQuery,
        consumes: UPLOAD_CONTENT_TYPES,
        response: { 200: Type.Ref(Dataset.$id!), ...problemResponses([...UPLOAD_ERRORS, 'NOT_FOUND', 'DATASET_KIND']) },
      },
    },
    async (request) => {
      const existing = await findDataset(app, ownerOf(request), request.params.id);
      return datasetAnswer(await importDataset(app, request, existing.kind, opts, existing));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/datasets/:id',
    {
      schema: {
        operationId: 'deleteDataset',
        tags: ['datasets'],
        security: KEY_REQUIRED,
        summary: 'Delete a dataset (runs made with it keep their reports)',
        params: IdParams,
        response: { 204: Type.Null({ description: 'deleted' }), ...problemResponses(['UNAUTHORIZED', 'NOT_FOUND']) },
      },
    },
    async (request, reply) => {
      const deleted = await deleteDataset(app.store!, ownerOf(request), request.params.id);
      if (!deleted) throw notFound(request.params.id);
      // A job that started on the graph may still read it from the cache; the file itself can go.
      if (deleted.graphFile) rmSync(deleted.graphFile, { force: true });
      return reply.code(204).send();
    },
  );
};

/** The owner's dataset, or the same 404 for a missing id and another key's. */
async function findDataset(app: FastifyInstance, owner: string, id: string): Promise<StoredDataset> {
  const dataset = await getDataset(app.store!, owner, id);
  if (!dataset) throw notFound(id);
  return dataset;
}

/** What answers show of a dataset: not its owner, file path or content. */
function datasetAnswer(dataset: DatasetSummary) {
  const { owner: _owner, graphFile: _graphFile, ...shown } = dataset;
  delete (shown as { payload?: unknown }).payload;
  return { ...shown, href: hrefOf(dataset) };
}

function hrefOf(dataset: { id: string }): string {
  return `/v1/datasets/${encodeURIComponent(dataset.id)}`;
}

function notFound(id: string): ApiError {
  return new ApiError('NOT_FOUND', `no dataset ${JSON.stringify(id)} for this key`, 'id');
}

async function importDataset(app: FastifyInstance, request: FastifyRequest<{ Querystring: { name?: string; crs?: string } }>, kind: DatasetKind, opts: DatasetRoutesOptions, replace?: StoredDataset): Promise<StoredDataset> {
  const stream = request.body as Readable | undefined;
  if (!stream || typeof stream.pipe !== 'function') {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `got ${request.headers['content-type'] ? `content type ${JSON.stringify(request.headers['content-type'])}` : 'no body'}, expected ${UPLOAD_CONTENT_TYPES.join(', ')}`);
  }
  const owner = ownerOf(request);
  const name = request.query.name ?? replace?.name ?? `${kind} ${new Date().toISOString().slice(0, 10)}`;
  const datasets = app.datasets!;
  if (kind === 'network') {
    if (request.query.crs !== undefined) throw new ApiError('INVALID_PARAMETER', 'crs: networks are WGS84 (OSM); crs applies to facility and community sets', 'crs');
    const upload = await spoolToFile(stream, opts.uploadLimitBytes, 'network');
    try {
      return await datasets.importNetwork(owner, upload.path, { name, sourceBytes: upload.bytes, replace: replace?.id });
    } catch (err) {
      throw err instanceof ImportTimeout ? new ApiError('TIMEOUT', err.message, 'network') : err;
    } finally {
      upload.remove();
    }
  }
  if (kind === 'declarations') return importDeclarations(app, request, stream, { owner, name, replace }, opts);
  const bytes = await readWhole(stream, opts.bodyLimitBytes, kind);
  const format = formatOfContentType(request.headers['content-type']);
  if (format !== 'json' && format !== 'csv' && format !== 'zip') {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `got content type ${JSON.stringify(request.headers['content-type'])}, expected application/json, application/geo+json, text/csv or application/zip (a zipped shapefile) for ${kind}`);
  }
  // Parsed and checked in an import process: a file that lies about its sizes costs that process only.
  try {
    return await datasets.importPointsUpload(owner, kind, { bytes, format }, { name, crs: request.query.crs, replace: replace?.id });
  } catch (err) {
    // The service's "no dataset" on replace means it was deleted meanwhile: the same 404.
    if (replace && err instanceof InputError && err.where === 'id') throw notFound(replace.id);
    throw err instanceof ImportTimeout ? new ApiError('TIMEOUT', err.message, kind) : err;
  }
}

const DECLARATIONS_SUMMARY = 'Upload declarations: which programme and online items each community provides (JSON rows or CSV)';
const DECLARATIONS_DESCRIPTION =
  'JSON (`application/json`): an array of `{"community", "item", "provided", "source"?, "date"?}`; or CSV (`text/csv`, UTF-8 with or without a BOM, or GBK as Excel writes it: told from the bytes) with those columns, or 社区, 指标, 是否提供, 来源, 日期. `item` is an item id or its Chinese name; `provided` true/false, yes/no, 是/否, 1/0, 已提供/未提供. Rows that cannot be read are listed in the report; rows are matched to communities and items when a job uses the dataset (`declarations`), and the rows that match none are listed in its run.';

/** Declarations: read in an import process like a point set, but no crs and no shapefile. */
async function importDeclarations(
  app: FastifyInstance,
  request: FastifyRequest<{ Querystring: { name?: string; crs?: string } }>,
  stream: Readable,
  target: { owner: string; name: string; replace?: StoredDataset },
  opts: DatasetRoutesOptions,
): Promise<StoredDataset> {
  if (request.query.crs !== undefined) throw new ApiError('INVALID_PARAMETER', 'crs: declarations have no coordinates; crs applies to facility, community and home sets', 'crs');
  const bytes = await readWhole(stream, opts.bodyLimitBytes, 'declarations');
  const type = request.headers['content-type'] ?? '';
  const isCsv = /^text\/csv\b/i.test(type);
  if (!isCsv && !/^application\/json\b/i.test(type)) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `got content type ${JSON.stringify(request.headers['content-type'])}, expected application/json or text/csv for declarations`);
  }
  try {
    return await app.datasets!.importDeclarationsUpload(target.owner, { bytes, format: isCsv ? 'csv' : 'json' }, { name: target.name, replace: target.replace?.id });
  } catch (err) {
    if (target.replace && err instanceof InputError && err.where === 'id') throw notFound(target.replace.id);
    throw err instanceof ImportTimeout ? new ApiError('TIMEOUT', err.message, 'declarations') : err;
  }
}
