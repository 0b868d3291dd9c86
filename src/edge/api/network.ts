import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import { readFacilities } from '../../core/facilities/read-facilities.ts';
import { ResidentialBuildings } from '../../core/communities/residential-buildings.ts';
import { detectFileFormat } from '../../runtime/files/detect-file-format.ts';
import { type OsmPoisRead, readOsmPois } from '../../core/io/osm/read-pois.ts';
import { readPointSetFile } from '../../runtime/files/read-point-set.ts';
import type { FastifyInstance } from 'fastify';
import type { Graph, ImportReport } from '../../core/network/graph.ts';
import { loadDefaultNetwork } from './network-cache.ts';
import { sharedPlugin } from './plugin.ts';
import { fileBytes } from '../../runtime/files/file-bytes.ts';

/** The default network requests run against when they bring none. */
export interface NetworkState {
  /**
   * `loading` until the default network and facilities are in memory, then `loaded`; `none` when no
   * default network is configured (requests bring their own); `failed` when loading threw.
   */
  status: 'loading' | 'loaded' | 'none' | 'failed';
  /** Settles when loading ends: resolves, or rejects with the loading error. */
  loaded: Promise<void>;
  graph?: Graph;
  /** A `.lcg` file of the same graph, which worker threads load instead of receiving a copy. */
  graphFile?: string;
  /** The default facility set: coverage requests without `facilities` use it. */
  facilities?: readonly Facility[];
  /** The same facilities as a GeoJSON file, which worker threads read. */
  facilitiesFile?: string;
  /** The OSM default network's residential buildings, where homes are placed when a request gives none. */
  buildings?: ResidentialBuildings;
  /** The same buildings as JSON (ResidentialBuildings.toJSON), which worker threads read. */
  buildingsFile?: string;
}

export interface NetworkPluginOptions {
  graph?: Graph;
  /** A network file (.lcg, .geojson, .osm, .osm.pbf): loaded at start when `graph` is not given. */
  path?: string;
  /** Where compiled non-.lcg networks are cached. */
  cacheDir: string;
  facilities?: readonly Facility[];
  /**
   * The default facilities: GeoJSON, CSV, a zipped shapefile, or an OSM file whose mapped points of interest are read.
   * Without it, an OSM default network also gives the facilities (the bundled sample does).
   */
  facilitiesPath?: string;
  /**
   * Load in the background: the app is ready (and the server listens, answers /health) at once, and
   * `network.status` says when the network is there (/ready). Otherwise `app.ready()` waits for it.
   */
  background?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    network: NetworkState;
  }
}

/** Decorates the app with `network`, loading the default network file if one is named. */
export const networkPlugin = sharedPlugin<NetworkPluginOptions>('network', async (app, opts) => {
  const state: NetworkState = { status: 'loading', loaded: Promise.resolve() };
  app.decorate('network', state);
  state.loaded = loadInto(state, app, opts);
  // Whoever awaits `loaded` sees the error; nobody awaiting it must not crash the process.
  state.loaded.catch(() => {});
  if (!opts.background) await state.loaded;
});

async function loadInto(state: NetworkState, app: FastifyInstance, opts: NetworkPluginOptions): Promise<void> {
  try {
    const facilities = await loadDefaultFacilities(opts);
    if (facilities) app.log.info({ facilities: facilities.facilities.length, file: facilities.file }, `default facilities: ${facilities.facilities.length}`);
    if (facilities) Object.assign(state, { facilities: facilities.facilities, facilitiesFile: facilities.file });
    else if (opts.facilities) state.facilities = opts.facilities;
    if (facilities?.buildings) {
      app.log.info({ buildings: facilities.buildings.buildings.count, file: facilities.buildings.file }, `default residential buildings: ${facilities.buildings.buildings.count}`);
      Object.assign(state, { buildings: facilities.buildings.buildings, buildingsFile: facilities.buildings.file });
    }
    if (opts.graph || !opts.path) {
      state.graph = opts.graph;
      state.graphFile = opts.path?.toLowerCase().endsWith('.lcg') ? opts.path : undefined;
      state.status = opts.graph ? 'loaded' : 'none';
      return;
    }
    const loaded = await loadDefaultNetwork(opts.path, opts.cacheDir);
    app.log.info(
      { network: summarizeReport(loaded.graph.meta.report), path: opts.path, from: loaded.from, graphFile: loaded.graphFile, loadMs: loaded.loadMs },
      `default network ${HOW[loaded.from]} in ${loaded.loadMs} ms: ${loaded.graph.nodeCount} nodes, ${loaded.graph.edgeCount} edges`,
    );
    if (loaded.cacheError) app.log.warn({ err: loaded.cacheError }, 'could not cache the compiled network: the next start compiles it again');
    Object.assign(state, { graph: loaded.graph, graphFile: loaded.graphFile, status: 'loaded' });
  } catch (err) {
    state.status = 'failed';
    throw err;
  }
}

/**
 * Reads the default facilities (src/runtime/files/read-point-set.ts: GeoJSON, CSV, a zipped shapefile or OSM).
 * What is not a GeoJSON file already is written as one for the workers; an OSM file's residential
 * buildings come from the same pass, written as JSON beside them.
 */
async function loadDefaultFacilities(
  opts: NetworkPluginOptions,
): Promise<{ facilities: readonly Facility[]; file: string; buildings?: { buildings: ResidentialBuildings; file: string } } | undefined> {
  if (opts.facilities) return undefined;
  const path = opts.facilitiesPath ?? (opts.path && detectFileFormat(opts.path) === 'osm' ? opts.path : undefined);
  if (!path) return undefined;
  const format = detectFileFormat(path);
  let pois: OsmPoisRead | undefined;
  const { collection } = await readPointSetFile(path, 'facilities', { what: `FACILITIES ${path}`, osmPois: async (file) => (pois = await readOsmPois(fileBytes(file))) });
  const facilities = readFacilities(collection).facilities;
  if (format !== 'osm' && format !== 'csv' && format !== 'zip') return { facilities, file: path };
  mkdirSync(opts.cacheDir, { recursive: true });
  const file = join(opts.cacheDir, `${basename(path)}.facilities.geojson`);
  writeFileSync(file, JSON.stringify(collection));
  if (!pois) return { facilities, file };
  const buildingsFile = join(opts.cacheDir, `${basename(path)}.buildings.json`);
  writeFileSync(buildingsFile, JSON.stringify(pois.buildings));
  return { facilities, file, buildings: { buildings: pois.buildings, file: buildingsFile } };
}

const HOW = { 'graph file': 'loaded from its graph file', cache: 'loaded from the cache', compiled: 'compiled' } as const;

/** The import report in a few numbers, for the start-up log and /health. */
function summarizeReport(report: ImportReport) {
  const droppedLines = Object.values(report.linesDropped).reduce((a, b) => a + b, 0);
  return {
    source: report.source,
    nodes: report.nodes,
    edges: report.edges,
    lengthKm: report.lengthKm,
    largestComponent: report.components.largest,
    dropped: { lines: droppedLines, rejected: report.rejected, components: report.components.dropped.components, componentEdges: report.components.dropped.edges },
  };
}
