import { extname } from 'node:path';
import { GraphBuilder, type BuildOptions } from '../network/build-graph.ts';
import type { Graph } from '../network/graph.ts';
import { readGeoJsonNetwork, readGeoJsonNetworkFile } from './geojson-network.ts';
import { readGraphFile } from './graph-file.ts';
import { readOsm } from './osm/read-osm.ts';
import { InputError } from '../errors.ts';
import { detectFileFormat, formatOfName } from './input-format.ts';

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
 * Reads a road network from a file in any of its formats, told by its first bytes, else its name
 * (input-format.ts): a compiled graph (`.lcg`), GeoJSON (`.geojson`, `.json`), or OpenStreetMap
 * (`.osm`, `.osm.gz`, `.osm.pbf`).
 */
export async function readNetwork(path: string, opts: BuildOptions = {}): Promise<Graph> {
  const format = detectFileFormat(path);
  const known = format === 'lcg' || format === 'json' || format === 'osm' ? format : formatOfName(path);
  if (known === 'lcg') return readGraphFile(path);
  if (known === 'json') {
    const builder = new GraphBuilder({ source: path, ...opts });
    await readGeoJsonNetworkFile(path, builder);
    return builder.finish();
  }
  if (known === 'osm') return graphFromOsm(path, { source: path, ...opts });
  throw new InputError('UNSUPPORTED_FORMAT', `${path}: unknown network format "${extname(path)}" (expected .lcg, .geojson, .json, .osm, .osm.gz or .osm.pbf)`);
}
