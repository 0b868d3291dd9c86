/**
 * Collects points of interest and residential areas from an OSM stream, in the same single pass
 * and with the same unsorted-file strategy as the road reader: every node position is kept (typed
 * arrays, `NodeIndex`) because a way may come before its nodes, and ways become polygons once the
 * stream has ended.
 *
 * Kept:
 *  - facilities: nodes whose tags the OSM mapping recognises (src/facilities/osm-mapping.ts), and
 *    closed ways with such tags as Polygons;
 *  - residential: closed ways tagged `landuse=residential`, as Polygons (candidate communities).
 * Not kept, but counted: recognised ways that are not closed (a polygon needs a ring), ways with
 * nodes missing from the file, recognised relations (the parsers do not report members), and
 * POI-tagged objects the mapping does not recognise, by tag.
 *
 * Riding along with the road reader (`readOsm(…, { also: [collector] })`) saves a parse but not
 * memory: each keeps its own node positions (32 bytes a node), which is fine for a city.
 */
import type { Feature, FeatureCollection, Point, Polygon, Position } from 'geojson';
import { osmCategories } from '../../facilities/osm-mapping.ts';
import type { Tags } from '../../network/raw-line.ts';
import { NodeIndex } from '../../network/node-index.ts';
import type { OsmHandler } from './osm-handler.ts';

/** Keys that mark an object as a point of interest, for the unmapped count. */
export const POI_KEYS = ['amenity', 'shop', 'office', 'craft', 'healthcare', 'leisure', 'tourism', 'historic', 'social_facility'] as const;

export interface PoiCounts {
  nodes: number;
  ways: number;
  relations: number;
  /** Nodes and closed ways emitted as facilities. */
  facilityNodes: number;
  facilityWays: number;
  /** Closed `landuse=residential` ways emitted. */
  residentialWays: number;
  /** Recognised (or residential) ways that are not closed rings. */
  openWays: number;
  /** Recognised (or residential) closed ways with a node absent from the file. */
  incompleteWays: number;
  /** Recognised nodes with unusable coordinates. */
  badNodes: number;
  /** Relations with recognised tags: not read (their members are not reported). */
  relationsSkipped: number;
  /** Objects with a POI key that the mapping does not recognise, by `key=value` of their POI keys. */
  unmapped: { count: number; byTag: Record<string, number> };
}

export type PoiProperties = Record<string, string>;

interface WayRecord {
  id: number;
  refs: Float64Array;
  tags: Tags;
  facility: boolean;
  residential: boolean;
}

export class PoiCollector implements OsmHandler {
  readonly counts: PoiCounts = {
    nodes: 0,
    ways: 0,
    relations: 0,
    facilityNodes: 0,
    facilityWays: 0,
    residentialWays: 0,
    openWays: 0,
    incompleteWays: 0,
    badNodes: 0,
    relationsSkipped: 0,
    unmapped: { count: 0, byTag: {} },
  };

  private readonly positions = new NodeIndex();
  private readonly pointFeatures: Feature<Point, PoiProperties>[] = [];
  private readonly wayRecords: WayRecord[] = [];

  node(id: number, lon: number, lat: number, tags: Tags | undefined): void {
    this.counts.nodes++;
    const usable = lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
    if (usable) this.positions.set(id, lon, lat);
    if (tags === undefined || !this.recognised(tags)) return;
    if (!usable) {
      this.counts.badNodes++;
      return;
    }
    this.counts.facilityNodes++;
    this.pointFeatures.push(feature(`node/${id}`, tags, { type: 'Point', coordinates: [lon, lat] }));
  }

  way(id: number, refs: ArrayLike<number>, tags: Tags | undefined): void {
    this.counts.ways++;
    if (tags === undefined) return;
    const facility = this.recognised(tags);
    const residential = tags.landuse === 'residential';
    if (!facility && !residential) return;
    if (refs.length < 4 || refs[0] !== refs[refs.length - 1]) {
      this.counts.openWays++;
      return;
    }
    // `refs` may be the parser's reused buffer.
    this.wayRecords.push({ id, refs: Float64Array.from(refs), tags, facility, residential });
  }

  relation(_id: number, tags: Tags | undefined): void {
    this.counts.relations++;
    if (tags !== undefined && this.recognised(tags)) this.counts.relationsSkipped++;
  }

  /** The collections, once the stream has ended: facility nodes then ways, each in file order. */
  collections(): { facilities: FeatureCollection<Point | Polygon, PoiProperties>; residential: FeatureCollection<Polygon, PoiProperties> } {
    const facilityWays: Feature<Polygon, PoiProperties>[] = [];
    const residential: Feature<Polygon, PoiProperties>[] = [];
    this.counts.facilityWays = 0;
    this.counts.residentialWays = 0;
    this.counts.incompleteWays = 0;
    for (const way of this.wayRecords) {
      const ring = this.ring(way.refs);
      if (!ring) {
        this.counts.incompleteWays++;
        continue;
      }
      const ref = `way/${way.id}`;
      if (way.facility) {
        this.counts.facilityWays++;
        facilityWays.push(feature(ref, way.tags, { type: 'Polygon', coordinates: [ring] }));
      }
      if (way.residential) {
        this.counts.residentialWays++;
        const name = way.tags.name ?? way.tags['name:zh'];
        residential.push({
          type: 'Feature',
          id: ref,
          geometry: { type: 'Polygon', coordinates: [ring] },
          properties: { id: ref, ...(name !== undefined ? { name } : {}) },
        });
      }
    }
    return {
      facilities: { type: 'FeatureCollection', features: [...this.pointFeatures, ...facilityWays] },
      residential: { type: 'FeatureCollection', features: residential },
    };
  }

  /** True when the mapping gives the tags a category; otherwise counts POI-tagged objects. */
  private recognised(tags: Tags): boolean {
    if (osmCategories(tags).length > 0) return true;
    const poiTags = POI_KEYS.filter((key) => tags[key] !== undefined).map((key) => `${key}=${tags[key]}`);
    if (poiTags.length > 0) {
      const key = poiTags.join(', ');
      this.counts.unmapped.count++;
      this.counts.unmapped.byTag[key] = (this.counts.unmapped.byTag[key] ?? 0) + 1;
    }
    return false;
  }

  private ring(refs: Float64Array): Position[] | undefined {
    const ring: Position[] = [];
    for (const ref of refs) {
      const slot = this.positions.slotOf(ref);
      if (slot < 0) return undefined;
      ring.push([this.positions.lon(slot), this.positions.lat(slot)]);
    }
    return ring;
  }
}

/** `properties`: the id (`node/1`), the name (falling back to `name:zh`), and every tag. */
function feature<G extends Point | Polygon>(ref: string, tags: Tags, geometry: G): Feature<G, PoiProperties> {
  const name = tags.name ?? tags['name:zh'];
  return {
    type: 'Feature',
    id: ref,
    geometry,
    properties: { ...(name !== undefined ? { name } : {}), ...tags, id: ref },
  };
}
