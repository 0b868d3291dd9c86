import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Community, readCommunities } from '../communities/read-communities.ts';
import { InputError } from '../errors.ts';
import { type Facility, readFacilities } from '../facilities/read-facilities.ts';
import { readGraphFile } from '../io/graph-file.ts';
import type { JobInputs } from '../jobs/runner.ts';
import type { Graph } from '../network/graph.ts';
import { type Bbox, type Dataset, type DatasetInput, type Sql, createDataset, getDataset, newId, replaceDataset } from '../store/index.ts';
import { importNetworkInThread } from './import-network.ts';

/**
 * Stored datasets as the service uses them: uploads compiled or checked and stored, and loaded again
 * for requests and jobs — compiled graphs from their files, point sets from the store — with a small
 * cache keyed by dataset version, so a replaced dataset is never served stale.
 */
export interface Defaults {
  graph?: Graph;
  facilities?: readonly Facility[];
}

const CACHE_SIZE = 8;

export class DatasetService implements JobInputs {
  private readonly cache = new Map<string, unknown>();

  constructor(
    private readonly sql: Sql,
    private readonly dataDir: string,
    private readonly defaults: Defaults = {},
  ) {
    mkdirSync(join(dataDir, 'graphs'), { recursive: true });
  }

  /** Compiles an uploaded network file (spooled to disk) into a new dataset, or a new version of `replace`. */
  async importNetwork(owner: string, source: string, opts: { name: string; sourceBytes: number; replace?: string }): Promise<Dataset> {
    const id = opts.replace ?? newId('ds');
    const file = join(this.dataDir, 'graphs', `${id}.${Date.now().toString(36)}.lcg`);
    try {
      const imported = await importNetworkInThread(source, file);
      const input: DatasetInput = {
        kind: 'network',
        name: opts.name,
        counts: { nodes: imported.nodes, edges: imported.edges, lengthKm: imported.report.lengthKm },
        bbox: imported.bbox,
        report: imported.report,
        graphFile: file,
        sourceBytes: opts.sourceBytes,
      };
      return await this.store(owner, input, opts.replace, id);
    } catch (err) {
      rmSync(file, { force: true });
      // The spooled file's name means nothing to the client (and is the server's business): say "upload".
      if (err instanceof InputError) throw new InputError(err.code, err.message.split(source).join('upload'), { where: err.where ?? 'network' });
      throw err;
    }
  }

  /** Checks and stores a facility or community set (GeoJSON, already converted from CSV if need be). */
  async importPoints(owner: string, kind: 'facilities' | 'communities', input: unknown, opts: { name: string; sourceBytes: number; crs?: string; replace?: string }): Promise<Dataset> {
    const read = kind === 'facilities' ? readFacilities(input, { crs: opts.crs }) : readCommunities(input, { crs: opts.crs });
    const items = kind === 'facilities' ? (read as ReturnType<typeof readFacilities>).facilities : (read as ReturnType<typeof readCommunities>).communities;
    if (items.length === 0) {
      const first = read.errors[0];
      throw new InputError('INVALID_GEOJSON', `${kind}: no usable feature${first ? ` (first problem: ${first.message})` : ''}`, { where: kind, ...(first ? { featureIndex: first.index } : {}) });
    }
    const total = Array.isArray((input as { features?: unknown }).features) ? (input as { features: unknown[] }).features.length : items.length + read.errors.length;
    const counts: Record<string, number> = { features: total, usable: items.length, errors: read.errors.length };
    const report: Record<string, unknown> = { errors: read.errors.slice(0, 100) };
    if (kind === 'facilities') {
      const unmapped = (read as ReturnType<typeof readFacilities>).unmapped;
      counts.unmapped = unmapped.count;
      report.unmapped = unmapped;
    } else {
      report.warnings = (read as ReturnType<typeof readCommunities>).warnings;
    }
    // Stored as given, with its crs: reading it again converts it the same way.
    const payload = { type: 'FeatureCollection', crs: opts.crs ?? 'wgs84', source: input };
    return this.store(owner, { kind, name: opts.name, counts, bbox: bboxOf(items), report, payload, sourceBytes: opts.sourceBytes }, opts.replace);
  }

  async network(owner: string, id: string | undefined): Promise<Graph> {
    if (id === undefined) return this.defaultOr('network', this.defaults.graph);
    const dataset = await this.dataset(owner, id, 'network');
    return this.cached(`${dataset.id}@${dataset.version}`, () => readGraphFile(dataset.graphFile!));
  }

  async facilities(owner: string, id: string | undefined): Promise<readonly Facility[]> {
    if (id === undefined) return this.defaultOr('facilities', this.defaults.facilities);
    const dataset = await this.dataset(owner, id, 'facilities');
    const payload = dataset.payload as { crs: string; source: unknown };
    return this.cached(`${dataset.id}@${dataset.version}`, () => readFacilities(payload.source, { crs: payload.crs }).facilities);
  }

  async communities(owner: string, id: string): Promise<readonly Community[]> {
    const dataset = await this.dataset(owner, id, 'communities');
    const payload = dataset.payload as { crs: string; source: unknown };
    return this.cached(`${dataset.id}@${dataset.version}`, () => readCommunities(payload.source, { crs: payload.crs }).communities);
  }

  /** An owner's dataset of a kind; anything else — missing, another owner's, another kind — is a clear 400. */
  private async dataset(owner: string, id: string, kind: string): Promise<Dataset> {
    const dataset = await getDataset(this.sql, owner, id);
    if (!dataset) throw new InputError('INVALID_PARAMETER', `${kind}: no dataset ${JSON.stringify(id)} for this key`, { where: kind });
    if (dataset.kind !== kind) throw new InputError('INVALID_PARAMETER', `${kind}: dataset ${id} holds ${dataset.kind}, not ${kind}`, { where: kind });
    return dataset;
  }

  private defaultOr<T>(what: string, value: T | undefined): T {
    if (value === undefined) throw new InputError('INVALID_PARAMETER', `${what}: no dataset given and the server has no default ${what}`, { where: what });
    return value;
  }

  private async store(owner: string, input: DatasetInput, replace: string | undefined, id?: string): Promise<Dataset> {
    if (replace === undefined) return createDataset(this.sql, owner, input, id ? { id } : {});
    const replaced = await replaceDataset(this.sql, owner, replace, input);
    if (!replaced) throw new InputError('INVALID_PARAMETER', `no dataset ${JSON.stringify(replace)} for this key`, { where: 'id' });
    if (replaced.previousGraphFile) rmSync(replaced.previousGraphFile, { force: true });
    return replaced.dataset;
  }

  private cached<T>(key: string, load: () => T): T {
    if (this.cache.has(key)) {
      const value = this.cache.get(key) as T;
      this.cache.delete(key);
      this.cache.set(key, value);
      return value;
    }
    const value = load();
    this.cache.set(key, value);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    return value;
  }
}

function bboxOf(items: readonly { lon?: number; lat?: number; origins?: [number, number][] }[]): Bbox | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const add = (x: number, y: number) => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  };
  for (const item of items) {
    if (item.lon !== undefined && item.lat !== undefined) add(item.lon, item.lat);
    for (const [x, y] of item.origins ?? []) add(x, y);
  }
  return minX === Infinity ? null : [minX, minY, maxX, maxY];
}
