import { placeHomes } from '../../core/communities/place-homes.ts';
import { type HomesRead, readHomeFeatures, tieHomes } from '../../core/communities/read-homes.ts';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseDeclarationRows } from '../../core/communities/declaration-rows.ts';
import { type Community, readCommunities } from '../../core/communities/read-communities.ts';
import { type DeclarationsRead, resolveDeclarations } from '../../core/communities/read-declarations.ts';
import type { StoredDeclarations } from '../datasets/declaration-sets.ts';
import { resolveStandards } from '../files/standards-catalogue.ts';
import { InputError } from '../../core/errors.ts';
import { type FacilitiesRead, type Facility, readFacilities } from '../../core/facilities/read-facilities.ts';
import { readGraphFileShared } from '../files/graph-file-shared.ts';
import { detectFileFormat } from '../files/detect-file-format.ts';
import { readNetwork } from '../files/load-network.ts';
import { type PointKind, type PointSetFileRead, readPointSetFile } from '../files/read-point-set.ts';
import { type OsmPoisRead, readOsmPois } from '../../core/io/osm/read-pois.ts';
import type { Graph } from '../../core/network/graph.ts';
import { type Dataset, type Sql, findApiKeyByKey, getDataset } from '../store/index.ts';
import { type NightlyInput, type NightlyJob } from './config.ts';
import { fileBytes } from '../files/file-bytes.ts';

/**
 * A nightly job's inputs: files (most cron users) or stored datasets, read for one computation. A
 * graph file (.lcg, or a network dataset's compiled graph) is read straight into shared memory, so
 * the city-wide workers search it without a copy.
 */
export interface JobInputs {
  graph: Graph;
  communities: Community[];
  facilities: Facility[];
  /** The job's declarations matched to its communities and standards; absent when it has none. */
  declarations?: DeclarationsRead;
  problems: {
    communities: number;
    facilities: number;
    unmappedFacilities: number;
    firstCommunityProblem?: string;
    /** Declaration rows not applied (unreadable, unknown community or item, superseded). */
    declarations?: number;
    firstDeclarationProblem?: string;
    /** Homes not tied to any community (or unreadable). */
    homes?: number;
    firstHomeProblem?: string;
  };
}

/**
 * What a step's result depends on: each file's size and modification time, each dataset's version,
 * and the job's settings. A finished step is reused only while its fingerprint is the same.
 */
export async function fingerprint(job: NightlyJob, sql: Sql): Promise<{ inputs: Record<string, unknown> & { hash: string }; hash: string }> {
  const describe = async (input: NightlyInput, field: keyof typeof KINDS) => {
    if ('file' in input) {
      const stat = statSync(input.file);
      return { file: input.file, bytes: stat.size, modified: stat.mtime.toISOString() };
    }
    const dataset = await datasetOf(sql, input, field, job.name);
    return { dataset: dataset.id, version: dataset.version, updatedAt: dataset.updatedAt };
  };
  const { name: _name, network, communities, facilities, declarations, homes, distributed, ...settings } = job;
  const inputs = {
    network: await describe(network, 'network'),
    communities: await describe(communities, 'communities'),
    facilities: await describe(facilities, 'facilities'),
    // Only when given, so that the fingerprints of jobs without declarations stay what they were.
    ...(declarations ? { declarations: await describe(declarations, 'declarations') } : {}),
    ...(homes ? { homes: await describe(homes, 'homes') } : {}),
    settings: { ...settings, ...(distributed ? { distributed: { gridKm: distributed.gridKm ?? null } } : {}) },
  };
  // Compared by hash: the store's jsonb does not keep key order, so its JSON text differs.
  const hash = createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 16);
  return { inputs: { ...inputs, hash }, hash };
}

export async function loadInputs(job: NightlyJob, sql: Sql): Promise<JobInputs> {
  const pois = new Map<string, Promise<OsmPoisRead>>();
  const poisOf = (file: string) => {
    let read = pois.get(file);
    if (!read) pois.set(file, (read = readOsmPois(fileBytes(file))));
    return read;
  };
  const [graph, communitiesRead, facilitiesRead] = await Promise.all([
    loadNetwork(job, sql),
    loadCommunities(job, sql, poisOf),
    loadFacilities(job, sql, poisOf),
  ]);
  if (communitiesRead.communities.length === 0) {
    const first = communitiesRead.errors[0]?.message;
    throw new InputError('INVALID_GEOJSON', `job ${job.name}: communities ${describeInput(job.communities)}: no usable community${first ? ` (first problem: ${first})` : ''}`);
  }
  const declarations = job.declarations ? await loadDeclarations(job, job.declarations, sql, communitiesRead.communities) : undefined;
  const homes = await placeJobHomes(job, sql, poisOf, communitiesRead.communities);
  return {
    graph,
    communities: communitiesRead.communities,
    facilities: facilitiesRead.facilities,
    ...(declarations ? { declarations } : {}),
    problems: {
      communities: communitiesRead.errors.length,
      facilities: facilitiesRead.errors.length,
      unmappedFacilities: facilitiesRead.unmapped.count,
      ...(communitiesRead.errors[0] ? { firstCommunityProblem: communitiesRead.errors[0].message } : {}),
      ...(declarations ? { declarations: declarations.errors.length } : {}),
      ...(declarations?.errors[0] ? { firstDeclarationProblem: declarations.errors[0].message } : {}),
      ...(homes ? { homes: homes.errors.length } : {}),
      ...(homes?.errors[0] ? { firstHomeProblem: homes.errors[0].message } : {}),
    },
  };
}

/**
 * The job's declarations, matched to its communities and standards: a file — JSON rows when it
 * starts with `[`, else CSV in UTF-8 or GBK — or a declarations dataset (its rows as read at upload).
 */
async function loadDeclarations(job: NightlyJob, input: NightlyInput, sql: Sql, communities: readonly Community[]): Promise<DeclarationsRead> {
  const what = `job ${job.name}: declarations ${describeInput(input)}`;
  let rows;
  let unreadable: DeclarationsRead['errors'] = [];
  if ('dataset' in input) {
    rows = ((await datasetOf(sql, input, 'declarations', job.name)).payload as StoredDeclarations).rows;
  } else {
    let bytes: Buffer;
    try {
      bytes = readFileSync(input.file);
    } catch (err) {
      throw new InputError('INVALID_PARAMETER', `${what}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    let source: unknown = bytes;
    if (/^(\uFEFF)?\s*\[/.test(bytes.subarray(0, 64).toString('utf8'))) {
      try {
        source = JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        throw new InputError('INVALID_PARAMETER', `${what}: not valid JSON (${(err as Error).message})`);
      }
    }
    let read;
    try {
      read = parseDeclarationRows(source);
    } catch (err) {
      throw err instanceof InputError ? new InputError(err.code, `job ${job.name}: ${describeInput(input)}: ${err.message}`, { where: err.where }) : err;
    }
    rows = read.rows;
    unreadable = read.errors;
  }
  const matched = resolveDeclarations(rows, { communities, standards: resolveStandards(job.standards) });
  return { byCommunity: matched.byCommunity, errors: [...unreadable, ...matched.errors].sort((a, b) => a.row - b.row) };
}

/** `data/city.lcg` or `dataset ds_…`, for messages. */
export function describeInput(input: NightlyInput): string {
  return 'file' in input ? basename(input.file) : `dataset ${input.dataset}`;
}

async function loadNetwork(job: NightlyJob, sql: Sql): Promise<Graph> {
  const input = job.network;
  const file = 'file' in input ? input.file : (await datasetOf(sql, input, 'network', job.name)).graphFile;
  if (!file) throw new InputError('INVALID_PARAMETER', `job ${job.name}: network ${describeInput(input)}: the dataset has no compiled graph`);
  return detectFileFormat(file) === 'lcg' ? readGraphFileShared(file) : readNetwork(file);
}

/**
 * The communities' homes, placed as a request places them: the job's `homes` (a file or a homes
 * dataset), tied to its communities; else an OSM network's residential buildings; else (nothing
 * placed here) the engine's grid. Answers the homes' errors when homes were given.
 */
async function placeJobHomes(job: NightlyJob, sql: Sql, poisOf: (file: string) => Promise<OsmPoisRead>, communities: readonly Community[]) {
  if (job.origin === 'representative') return undefined;
  let given: HomesRead | undefined;
  if (job.homes) {
    const input = job.homes;
    let features;
    if ('dataset' in input) {
      const payload = (await datasetOf(sql, input, 'homes', job.name)).payload as { crs: string; source: unknown };
      features = readHomeFeatures(payload.source, { crs: payload.crs });
    } else features = readHomeFeatures((await readJobFile(job, input.file, 'homes', poisOf)).collection, { crs: job.crs });
    given = tieHomes(features, communities);
  }
  const network = job.network;
  const buildings = !given && 'file' in network && detectFileFormat(network.file) === 'osm' ? (await poisOf(network.file)).buildings : undefined;
  if (given || buildings) for (const c of communities) c.homes = placeHomes(c, { given: given?.byCommunity.get(c.index), buildings });
  return given;
}

async function loadCommunities(job: NightlyJob, sql: Sql, poisOf: (file: string) => Promise<OsmPoisRead>) {
  const input = job.communities;
  if ('dataset' in input) {
    const payload = (await datasetOf(sql, input, 'communities', job.name)).payload as { crs: string; source: unknown };
    return readCommunities(payload.source, { crs: payload.crs });
  }
  const read = await readJobFile(job, input.file, 'communities', poisOf);
  return readCommunities(read.collection, { crs: read.osm ? undefined : job.crs });
}

async function loadFacilities(job: NightlyJob, sql: Sql, poisOf: (file: string) => Promise<OsmPoisRead>): Promise<FacilitiesRead> {
  const input = job.facilities;
  if ('dataset' in input) {
    const payload = (await datasetOf(sql, input, 'facilities', job.name)).payload as { crs: string; source: unknown };
    return readFacilities(payload.source, { crs: payload.crs });
  }
  const read = await readJobFile(job, input.file, 'facilities', poisOf);
  return readFacilities(read.collection, { crs: read.osm ? undefined : job.crs });
}

/** A job's file of points in any format (src/runtime/files/read-point-set.ts): GeoJSON, CSV, a zipped shapefile or OSM. */
function readJobFile(job: NightlyJob, file: string, kind: PointKind, poisOf: (file: string) => Promise<OsmPoisRead>): Promise<PointSetFileRead> {
  return readPointSetFile(file, kind, { what: `job ${job.name}: ${kind} ${file}`, crsGiven: job.crs !== undefined, osmPois: poisOf });
}

const KINDS = { network: 'network', communities: 'communities', facilities: 'facilities', declarations: 'declarations', homes: 'homes' } as const;

async function datasetOf(sql: Sql, input: { dataset: string; apiKey: string | undefined }, field: keyof typeof KINDS, job: string): Promise<Dataset> {
  const where = `job ${job}: ${field} dataset ${input.dataset}`;
  if (!input.apiKey) throw new InputError('INVALID_PARAMETER', `${where}: no API key to read it with; give "apiKey" (or "$ENV_VAR") or set LIFECIRCLE_API_KEY`);
  const key = await findApiKeyByKey(sql, input.apiKey);
  if (!key) throw new InputError('INVALID_PARAMETER', `${where}: the API key is not known to this store`);
  const dataset = await getDataset(sql, key.id, input.dataset);
  if (!dataset) throw new InputError('INVALID_PARAMETER', `${where}: no such dataset for this API key`);
  if (dataset.kind !== KINDS[field]) throw new InputError('INVALID_PARAMETER', `${where}: holds ${dataset.kind}, expected ${KINDS[field]}`);
  return dataset;
}
