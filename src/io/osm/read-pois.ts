/**
 * Points of interest and residential areas of an OpenStreetMap file (.osm, .osm.gz, .osm.pbf), as
 * GeoJSON FeatureCollections that `readFacilities` and `readCommunities` take as they are:
 *  - `facilities`: every node the facility mapping recognises (Point) and every closed way it
 *    recognises (Polygon), with `properties: { id: "node/123" | "way/45", name, ...tags }`;
 *  - `residential`: closed `landuse=residential` ways (Polygon) with `id` and `name`.
 * One streaming pass. To read roads in the same pass, give a `PoiCollector` to `readOsm`'s `also`.
 */
import type { FeatureCollection, Point, Polygon } from 'geojson';
import type { Compression, OsmEncoding } from './detect-format.ts';
import { PoiCollector, type PoiCounts, type PoiProperties } from './poi-collector.ts';
import { streamOsm, type StreamOsmOptions } from './stream-osm.ts';

export interface OsmPoisRead {
  facilities: FeatureCollection<Point | Polygon, PoiProperties>;
  residential: FeatureCollection<Polygon, PoiProperties>;
  stats: PoiCounts & { format: OsmEncoding; compression: Compression; bytesRead: number };
}

/** Rejects with `InputError` (`UNSUPPORTED_FORMAT`, `INVALID_OSM`) on unusable input, as `readOsm`. */
export async function readOsmPois(source: string | NodeJS.ReadableStream, opts: StreamOsmOptions = {}): Promise<OsmPoisRead> {
  const collector = new PoiCollector();
  const info = await streamOsm(source, collector, opts);
  const { facilities, residential } = collector.collections();
  return { facilities, residential, stats: { ...info, ...collector.counts } };
}
