import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { type Community, readCommunities } from '../communities/read-communities.ts';
import { InputError } from '../errors.ts';
import { type FacilitiesRead, type Facility, readFacilities } from '../facilities/read-facilities.ts';
import { readGraphFileShared } from '../io/graph-file-shared.ts';
import { loadNetworkFile } from '../io/load-network.ts';
import { type OsmPoisRead, readOsmPois } from '../io/osm/read-pois.ts';
import type { Graph } from '../network/graph.ts';
import { type Dataset, type Sql, findApiKeyByKey, getDataset } from '../store/index.ts';
import { type NightlyInput, type NightlyJob, isOsmFile } from './config.ts';

/**
 * A nightly job's inputs: files (most cron users) or stored datasets, read for one computation. A
 * graph file (.lcg, or a network dataset's compiled graph) is read straight into shared memory, so
 * the city-wide workers search it without a copy.
 */
export interface JobInputs {
  graph: Graph;
  communities: Community[];
  facilities: Facility[];
  problems: { communities: number; facilities: number; unmappedFacilities: number; firstCommunityProblem?: string };
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
  const { name: _name, network, communities, facilities, distributed, ...settings } = job;
  const inputs = {
    network: await describe(network, 'network'),
    communities: await describe(communities, 'communities'),
    facilities: await describe(facilities, 'facilities'),
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
    if (!read) pois.set(file, (read = readOsmPois(file)));
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
  return {
    graph,
    communities: communitiesRead.communities,
    facilities: facilitiesRead.facilities,
    problems: {
      communities: communitiesRead.errors.length,
      facilities: facilitiesRead.errors.length,
      unmappedFacilities: facilitiesRead.unmapped.count,
      ...(communitiesRead.errors[0] ? { firstCommunityProblem: communitiesRead.errors[0].message } : {}),
    },
  };
}

/** `data/city.lcg` or `dataset ds_…`, for messages. */
export function describeInput(input: NightlyInput): string {
  return 'file' in input ? basename(input.file) : `dataset ${input.dataset}`;
}

async function loadNetwork(job: NightlyJob, sql: Sql): Promise<Graph> {
  const input = job.network;
  const file = 'file' in input ? input.file : (await datasetOf(sql, input, 'network', job.name)).graphFile;
  if (!file) throw new InputError('INVALID_PARAMETER', `job ${job.name}: network ${describeInput(input)}: the dataset has no compiled graph`);
  return file.toLowerCase().endsWith('.lcg') ? readGraphFileShared(file) : loadNetworkFile(file);
}

async function loadCommunities(job: NightlyJob, sql: Sql, poisOf: (file: string) => Promise<OsmPoisRead>) {
  const input = job.communities;
  if ('dataset' in input) {
    const payload = (await datasetOf(sql, input, 'communities', job.name)).payload as { crs: string; source: unknown };
    return readCommunities(payload.source, { crs: payload.crs });
  }
  if (isOsmFile(input.file)) {
    // As the coverage command: an OSM file's closed landuse=residential ways, all urban.
    const { residential } = await poisOf(input.file);
    const features = residential.features.map((f) => ({ ...f, properties: { ...f.properties, type: 'urban' } }));
    return readCommunities({ type: 'FeatureCollection', features });
  }
  return readCommunities(readJson(input.file, job.name, 'communities'), { crs: job.crs });
}

async function loadFacilities(job: NightlyJob, sql: Sql, poisOf: (file: string) => Promise<OsmPoisRead>): Promise<FacilitiesRead> {
  const input = job.facilities;
  if ('dataset' in input) {
    const payload = (await datasetOf(sql, input, 'facilities', job.name)).payload as { crs: string; source: unknown };
    return readFacilities(payload.source, { crs: payload.crs });
  }
  if (isOsmFile(input.file)) return readFacilities((await poisOf(input.file)).facilities);
  return readFacilities(readJson(input.file, job.name, 'facilities'), { crs: job.crs });
}

function readJson(file: string, job: string, field: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const reason = err instanceof SyntaxError ? `not valid JSON (${err.message})` : `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    throw new InputError('INVALID_GEOJSON', `job ${job}: ${field} ${file}: ${reason}`);
  }
}

const KINDS = { network: 'network', communities: 'communities', facilities: 'facilities' } as const;

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
