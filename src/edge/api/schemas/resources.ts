import { Type } from '@sinclair/typebox';
import { FORMAT_QUERY } from './formats.ts';
import { StringEnum } from '../../../runtime/requests/schema.ts';
import { JOB_KINDS, type JobKind } from '../../../runtime/store/index.ts';

/**
 * The stored resources a key owns: datasets (networks, facility sets, community sets), coverage jobs
 * and their runs. Ids are opaque strings with a prefix (`ds_`, `job_`, `run_`).
 */
const timestamps = {
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
};

export const Dataset = Type.Object(
  {
    id: Type.String({ examples: ['ds_3kq9x…'] }),
    kind: StringEnum(['network', 'facilities', 'communities', 'homes', 'declarations'] as const),
    name: Type.String(),
    version: Type.Number({ description: '1 at creation, +1 on every replacement' }),
    counts: Type.Record(Type.String(), Type.Number(), { description: 'networks: nodes, edges, lengthKm; point sets: features, usable, errors (and unmapped facilities)' }),
    bbox: Type.Union([Type.Array(Type.Number(), { minItems: 4, maxItems: 4 }), Type.Null()], { description: '[west, south, east, north], WGS84' }),
    report: Type.Unknown({ description: 'the import report: what was dropped and why (networks), the features that could not be read (point sets)' }),
    sourceBytes: Type.Number({ description: 'the size of the upload' }),
    href: Type.String(),
    ...timestamps,
  },
  { $id: 'Dataset', description: 'A stored dataset, without its content.' },
);

export const DatasetList = Type.Object({ datasets: Type.Array(Type.Ref(Dataset.$id!)) });

export const Job = Type.Object(
  {
    id: Type.String({ examples: ['job_8f2k…'] }),
    kind: StringEnum<JobKind>(JOB_KINDS),
    state: StringEnum(['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const),
    progress: Type.Object(
      {
        done: Type.Number(),
        total: Type.Number(),
        searches: Type.Optional(
          Type.Object({ done: Type.Number(), total: Type.Number() }, { description: 'the city-wide searches done, of all, before the communities\' reports are assembled and stored' }),
        ),
      },
      { description: 'communities assessed and stored, of all (a siting job: 0 of its communities once they are read, all once it is answered)' },
    ),
    params: Type.Record(Type.String(), Type.Unknown(), { description: 'the request, as queued' }),
    attempts: Type.Number({ description: 'how many times a worker took it (a worker that dies leaves it to another)' }),
    error: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
    runId: Type.Union([Type.String(), Type.Null()], { description: 'set when the job succeeded' }),
    href: Type.String(),
    runHref: Type.Optional(Type.String()),
    ...timestamps,
  },
  { $id: 'Job', description: 'A coverage or siting job: queued, running, then succeeded (with its run), failed or cancelled.' },
);

export const JobList = Type.Object({ jobs: Type.Array(Type.Ref(Job.$id!)) });

const runFields = {
  id: Type.String({ examples: ['run_x1y2…'] }),
  jobId: Type.String(),
  kind: StringEnum<JobKind>(JOB_KINDS, { description: 'the job\'s kind: the run holds a coverage report or a siting answer' }),
  createdAt: Type.String({ format: 'date-time' }),
  params: Type.Record(Type.String(), Type.Unknown(), { description: 'the job\'s parameters' }),
  summary: Type.Unknown({ description: 'the report\'s summary: per standard, district and item (a siting run: the item, method, optimal or bound, the shares before and after, how many sites)' }),
  href: Type.String(),
};

export const RunList = Type.Object({ runs: Type.Array(Type.Object(runFields)) });

export const RunDiff = Type.Object(
  {
    changed: Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'communities whose status against a standard changed, with the items gained and lost' }),
    added: Type.Array(Type.String()),
    removed: Type.Array(Type.String()),
    shares: Type.Array(Type.Object({ standardId: Type.String(), before: Type.Number(), after: Type.Number(), passingBefore: Type.Number(), passingAfter: Type.Number() })),
  },
  { description: 'What changed from the first run to the second; communities matched by id.' },
);

export const IdParams = Type.Object({ id: Type.String() });

/** Paging of a run's communities (GET /v1/runs/:id). */
export const RunPageQuery = Type.Object(
  {
    // Query values are strings (never coerced, see the document's introduction): counts as digits.
    offset: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,14})$', description: 'the first community, in the run\'s order: an integer ≥ 0 (default 0)' })),
    limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'at most this many communities: an integer ≥ 1 (default: all from `offset`; no maximum for JSON, GeoJSON and CSV; shapefile and GeoPackage files hold at most 5,000)' })),
    ...FORMAT_QUERY,
  },
  { additionalProperties: false },
);

/** GET /v1/runs/:id/summary: the report without its communities. */
export const RunReportSummary = Type.Object(
  {
    summary: Type.Unknown({ description: 'the report\'s summary: per standard, district and item' }),
    facilities: Type.Unknown({ description: 'facilities read, and those that could not be placed on the network' }),
    inputs: Type.Optional(Type.Unknown({ description: 'each dataset the run used, with its version' })),
    detail: Type.Optional(Type.String({ description: 'what the items state: `full` (with reachable counts) or `nearest`' })),
    communityCount: Type.Integer({ description: 'communities in the run: page them with GET /v1/runs/:id?offset=&limit=' }),
    href: Type.String(),
  },
  { additionalProperties: true },
);

export const DatasetQuery = Type.Object(
  {
    name: Type.Optional(Type.String({ description: 'the dataset\'s name; default: the kind and the date' })),
    crs: Type.Optional(Type.String({ description: 'point sets: the coordinate system of a file without a `crs` member (GeoJSON) or `.prj` (shapefile), named as the compute operations\' `crs` (`EPSG:4547`, `gcj02`, …); default WGS84', examples: ['EPSG:4547'] })),
  },
  { additionalProperties: false },
);
