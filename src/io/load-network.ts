import { extname } from 'node:path';
import { GraphBuilder, type BuildOptions } from '../network/build-graph.ts';
import type { Graph } from '../network/graph.ts';
import { readGeoJsonNetwork, readGeoJsonNetworkFile } from './geojson-network.ts';
import { readGraphFile } from './graph-file.ts';
import { readOsm } from './osm/read-osm.ts';
import { InputError } from '../errors.ts';

/** Builds a graph from an in-memory GeoJSON FeatureCollection of road lines. */
export function graphFromGeoJson(input: unknown, opts: BuildOptions = {}): Graph {
  const builder = new GraphBuilder(opts);
  readGeoJsonNetwork(input, builder);
  return builder.finish();
}

/** Builds a graph from an OpenStreetMap file or byte stream (.osm, .osm.gz, .osm.pbf). */
export async function graphFromOsm(source: string | NodeJS.ReadableStream, opts: BuildOptions = {}): Promise<Graph> {
  const builder = new GraphBuilder({ source: typeof source === 'string' ? source : 'upload', ...opts });
  await readOsm(source, builder);
  return builder.finish();
}

/**
 * Loads any network file by its name: a compiled graph (`.lcg`), GeoJSON (`.geojson`, `.json`),
 * or OpenStreetMap (`.osm`, `.osm.gz`, `.osm.pbf`).
 */
export async function loadNetworkFile(path: string, opts: BuildOptions = {}): Promise<Graph> {
  const lower = path.toLowerCase();
  if (lower.endsWith('.lcg')) return readGraphFile(path);
  if (lower.endsWith('.geojson') || lower.endsWith('.json')) {
    const builder = new GraphBuilder({ source: path, ...opts });
    await readGeoJsonNetworkFile(path, builder);
    return builder.finish();
  }
  if (lower.endsWith('.osm') || lower.endsWith('.osm.gz') || lower.endsWith('.pbf')) return graphFromOsm(path, { source: path, ...opts });
  throw new InputError('UNSUPPORTED_FORMAT', `${path}: unknown network format "${extname(path)}" (expected .lcg, .geojson, .json, .osm, .osm.gz or .osm.pbf)`);
}
