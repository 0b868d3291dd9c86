import { extname } from 'node:path';
import { InputError } from '../../core/errors.ts';
import { graphFromOsm } from '../../core/io/build-network.ts';
import { readGeoJsonNetworkStream } from '../../core/io/geojson-network.ts';
import { formatOfName } from '../../core/io/input-format.ts';
import { GraphBuilder, type BuildOptions } from '../../core/network/build-graph.ts';
import type { Graph } from '../../core/network/graph.ts';
import { detectFileFormat } from './detect-file-format.ts';
import { fileBytes } from './file-bytes.ts';
import { readGraphFile } from './graph-file.ts';

/**
 * Reads a road network from a file in any of its formats, told by its first bytes, else its name
 * (src/core/io/input-format.ts): a compiled graph (`.lcg`), GeoJSON (`.geojson`, `.json`), or OpenStreetMap
 * (`.osm`, `.osm.gz`, `.osm.pbf`).
 */
export async function readNetwork(path: string, opts: BuildOptions = {}): Promise<Graph> {
  const format = detectFileFormat(path);
  const known = format === 'lcg' || format === 'json' || format === 'osm' ? format : formatOfName(path);
  if (known === 'lcg') return readGraphFile(path);
  if (known === 'json') {
    const builder = new GraphBuilder({ source: path, ...opts });
    await readGeoJsonNetworkStream(fileBytes(path), builder);
    return builder.finish();
  }
  if (known === 'osm') return graphFromOsm(fileBytes(path), { source: path, ...opts });
  throw new InputError('UNSUPPORTED_FORMAT', `${path}: unknown network format "${extname(path)}" (expected .lcg, .geojson, .json, .osm, .osm.gz or .osm.pbf)`);
}
