import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { type Community, readCommunities } from '../../core/communities/read-communities.ts';
import { type HomeFeaturesRead, readHomeFeatures } from '../../core/communities/read-homes.ts';
import { InputError } from '../../core/errors.ts';
import { type Facility, readFacilities } from '../../core/facilities/read-facilities.ts';
import { readGraphFileSharedAsync } from '../files/graph-file-shared.ts';
import type { JobInputs } from '../jobs/runner.ts';
import type { Graph } from '../../core/network/graph.ts';
import type { NetworkSize } from '../requests/cost.ts';
import { type Dataset, type DatasetInput, type PointsSourceText, type Sql, createDataset, getDataset, getPointsSource, newId, replaceDataset } from '../store/index.ts';
import type { DeclarationRow } from '../../core/communities/declaration-rows.ts';
import type { DeclarationFormat, StoredDeclarations } from './declaration-sets.ts';
import { importNetworkInProcess } from './import-network.ts';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits, runImport } from './import-process.ts';
import { type PointFormat, type PointKind, checkPointSet } from './point-sets.ts';

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
    private readonly importLimits: ImportLimits = DEFAULT_IMPORT_LIMITS,
  ) {
    mkdirSync(join(dataDir, 'graphs'), { recursive: true });
  }

  /** Compiles an uploaded network file (spooled to disk) into a new dataset, or a new version of `replace`. */
  async importNetwork(owner: string, source: string, opts: { name: string; sourceBytes: number; replace?: string }): Promise<Dataset> {
    const id = opts.replace ?? newId('ds');
    const file = join(this.dataDir, 'graphs', `${id}.${Date.now().toString(36)}.lcg`);
    try {
      const imported = await importNetworkInProcess(source, file, this.importLimits);
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
      if (err instanceof InputError) throw new InputError(err.code, err.message.split(source).join('upload'), { where: err.where ?? 'network', featureIndex: err.featureIndex });
      throw err;
    }
  }

  /**
   * Reads, checks and stores an uploaded facility or community set (GeoJSON, CSV or a zipped
   * shapefile), read in an import process under the import limits.
   */
  async importPointsUpload(owner: string, kind: PointKind, upload: { bytes: Buffer; format: PointFormat }, opts: { name: string; crs?: string; replace?: string }): Promise<Dataset> {
    const checked = await runImport({ kind: 'points', what: kind, bytes: upload.bytes, format: upload.format, crs: opts.crs }, this.importLimits);
    return this.store(owner, { kind, name: opts.name, ...checked, sourceBytes: upload.bytes.byteLength }, opts.replace);
  }

  /**
   * Reads, checks and stores uploaded declarations (JSON rows, or CSV in UTF-8 or GBK) as rows, in an
   * import process; they are matched to communities and standards when a job uses them.
   */
  async importDeclarationsUpload(owner: string, upload: { bytes: Buffer; format: DeclarationFormat }, opts: { name: string; replace?: string }): Promise<Dataset> {
    const checked = await runImport({ kind: 'declarations', what: 'declarations', bytes: upload.bytes, format: upload.format }, this.importLimits);
    return this.store(owner, { kind: 'declarations', name: opts.name, ...checked, sourceBytes: upload.bytes.byteLength }, opts.replace);
  }

  /** Checks and stores a facility or community set already read (GeoJSON, or CSV converted), on this thread. */
  async importPoints(owner: string, kind: PointKind, input: unknown, opts: { name: string; sourceBytes: number; crs?: string; replace?: string }): Promise<Dataset> {
    const checked = checkPointSet(kind, input, opts.crs);
    return this.store(owner, { kind, name: opts.name, ...checked, sourceBytes: opts.sourceBytes }, opts.replace);
  }

  async network(owner: string, id: string | undefined): Promise<Graph> {
    if (id === undefined) return this.defaultOr('network', this.defaults.graph);
    const dataset = await this.dataset(owner, id, 'network');
    // Read into shared memory, off the event loop: a job's threads then search these very bytes, not a copy.
    const key = `${dataset.id}@${dataset.version}`;
    return this.cached(key, () =>
      readGraphFileSharedAsync(dataset.graphFile!).catch((err) => {
        this.cache.delete(key); // a failed read is not kept
        throw err;
      }),
    );
  }

  /**
   * A network dataset's compiled graph file and its size, without reading the graph: what a request's
   * cost estimate needs (src/runtime/requests/cost.ts), and all a worker thread needs to read it itself.
   */
  async networkFile(owner: string, id: string): Promise<{ graphFile: string; size: NetworkSize }> {
    const dataset = await this.dataset(owner, id, 'network');
    const counts = dataset.counts as { edges?: number; lengthKm?: number };
    // Segments are not counted at import: the estimate then assumes a conservative number per edge.
    const edges = counts.edges ?? 0;
    return { graphFile: dataset.graphFile!, size: { edges, segments: 0, lengthM: (counts.lengthKm ?? 0) * 1000, bbox: dataset.bbox, graphFileEdges: edges } };
  }

  async facilities(owner: string, id: string | undefined): Promise<readonly Facility[]> {
    if (id === undefined) return this.defaultOr('facilities', this.defaults.facilities);
    const dataset = await this.dataset(owner, id, 'facilities');
    const payload = dataset.payload as { crs: string; source: unknown };
    return this.cached(`${dataset.id}@${dataset.version}`, () => readFacilities(payload.source, { crs: payload.crs }).facilities);
  }

  /** A stored facility, community or homes set as its source text, for a job's thread to read (never parsed here). */
  async pointsSource(owner: string, kind: PointKind, id: string): Promise<{ source: PointsSourceText; crs: string }> {
    const found = await getPointsSource(this.sql, owner, id);
    if (!found) throw new InputError('INVALID_PARAMETER', `${kind}: no dataset ${JSON.stringify(id)} for this key`, { where: kind });
    if (found.kind !== kind || found.source === null) throw new InputError('INVALID_PARAMETER', `${kind}: dataset ${id} holds ${found.kind}, not ${kind}`, { where: kind });
    return { source: found.source, crs: found.crs };
  }

  /** A stored declarations dataset's rows, as read at upload (not yet matched to communities). */
  async declarations(owner: string, id: string): Promise<readonly DeclarationRow[]> {
    const dataset = await this.dataset(owner, id, 'declarations');
    return (dataset.payload as StoredDeclarations).rows;
  }

  async communities(owner: string, id: string): Promise<readonly Community[]> {
    const dataset = await this.dataset(owner, id, 'communities');
    const payload = dataset.payload as { crs: string; source: unknown };
    return this.cached(`${dataset.id}@${dataset.version}`, () => readCommunities(payload.source, { crs: payload.crs }).communities);
  }

  /**
   * A stored homes set, read but not yet tied to communities: `tieHomes(read, communities)`
   * (read-homes.ts) does that with the communities it is used with, and reports the homes it cannot tie.
   */
  async homes(owner: string, id: string): Promise<HomeFeaturesRead> {
    const dataset = await this.dataset(owner, id, 'homes');
    const payload = dataset.payload as { crs: string; source: unknown };
    return this.cached(`${dataset.id}@${dataset.version}`, () => readHomeFeatures(payload.source, { crs: payload.crs }));
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

