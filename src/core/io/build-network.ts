import { GraphBuilder, type BuildOptions } from '../network/build-graph.ts';
import type { Graph } from '../network/graph.ts';
import { readGeoJsonNetwork } from './geojson-network.ts';
import { type ByteInput, isNamedBytes } from './osm/byte-source.ts';
import { readOsm } from './osm/read-osm.ts';

/** Builds a graph from an in-memory GeoJSON FeatureCollection of road lines. */
export function graphFromGeoJson(input: unknown, opts: BuildOptions = {}): Graph {
  const builder = new GraphBuilder(opts);
  readGeoJsonNetwork(input, builder);
  return builder.finish();
}

/** Builds a graph from OpenStreetMap bytes (.osm, .osm.gz, .osm.pbf): an upload, or a file opened by src/runtime/files/file-bytes.ts. */
export async function graphFromOsm(source: ByteInput, opts: BuildOptions = {}): Promise<Graph> {
  const builder = new GraphBuilder({ source: isNamedBytes(source) ? source.name : 'upload', ...opts });
  await readOsm(source, builder);
  return builder.finish();
}
