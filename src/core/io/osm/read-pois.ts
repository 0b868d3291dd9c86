/**
 * Points of interest and residential areas of an OpenStreetMap file (.osm, .osm.gz, .osm.pbf), as
 * GeoJSON FeatureCollections that `readFacilities` and `readCommunities` take as they are:
 *  - `facilities`: every node the facility mapping recognises (Point), every closed way (Polygon)
 *    and multipolygon relation (Polygon or MultiPolygon) it recognises, with
 *    `properties: { id: "node/123" | "way/45" | "relation/6", name, ...tags, entrances? }`;
 *  - `residential`: closed `landuse=residential` ways (Polygon) with `id` and `name`;
 *  - `buildings`: residential buildings (building-collector.ts), indexed for placing homes.
 * One streaming pass. To read roads in the same pass, give a `PoiCollector` to `readOsm`'s `also`.
 */
import type { FeatureCollection, Polygon } from 'geojson';
import type { Compression, OsmEncoding } from './detect-format.ts';
import type { ResidentialBuildings } from '../../communities/residential-buildings.ts';
import { BuildingCollector, type BuildingCounts } from './building-collector.ts';
import { fanOut } from './fan-out.ts';
import { type FacilityGeometry, type FacilityPoiProperties, PoiCollector, type PoiCounts, type PoiProperties } from './poi-collector.ts';
import { streamOsm, type StreamOsmOptions } from './stream-osm.ts';
import type { ByteInput } from './byte-source.ts';

export interface OsmPoisRead {
  facilities: FeatureCollection<FacilityGeometry, FacilityPoiProperties>;
  residential: FeatureCollection<Polygon, PoiProperties>;
  buildings: ResidentialBuildings;
  stats: PoiCounts & { format: OsmEncoding; compression: Compression; bytesRead: number; buildings: BuildingCounts };
}

/** Rejects with `InputError` (`UNSUPPORTED_FORMAT`, `INVALID_OSM`) on unusable input, as `readOsm`. */
export async function readOsmPois(source: ByteInput, opts: StreamOsmOptions = {}): Promise<OsmPoisRead> {
  const collector = new PoiCollector();
  const buildingCollector = new BuildingCollector();
  const info = await streamOsm(source, fanOut([collector, buildingCollector]), opts);
  const { facilities, residential } = collector.collections();
  const buildings = buildingCollector.buildings(collector.positions);
  return { facilities, residential, buildings, stats: { ...info, ...collector.counts, buildings: buildingCollector.counts } };
}
