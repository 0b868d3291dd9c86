/**
 * Collects points of interest and residential areas from an OSM stream, in the same single pass
 * and with the same unsorted-file strategy as the road reader: every node position is kept (typed
 * arrays, `NodeIndex`) because a way may come before its nodes, and ways become polygons once the
 * stream has ended.
 *
 * Kept:
 *  - facilities: nodes whose tags the OSM mapping recognises (src/core/facilities/osm-mapping.ts),
 *    closed ways with such tags as Polygons, and `type=multipolygon` relations with such tags as
 *    Polygons or MultiPolygons (./multipolygon.ts). A polygon's `entrance=*` nodes (not `no`,
 *    `exit` or `emergency`, nor `access=private|no`) on its outline become `properties.entrances`
 *    ([[lon, lat], …]): where people walk in, which `readFacilities` reaches instead of the outline;
 *  - residential: closed ways tagged `landuse=residential`, as Polygons (candidate communities).
 * Not kept, but counted: recognised ways that are not closed (a polygon needs a ring), ways with
 * nodes missing from the file, multipolygons whose rings cannot be built, other recognised
 * relations (a `site` or a route has no outline of its own), and POI-tagged objects the mapping
 * does not recognise, by tag.
 *
 * Riding along with the road reader (`readOsm(…, { also: [collector] })`) saves a parse but not
 * memory: each keeps its own node positions (32 bytes a node), which is fine for a city. A
 * relation's member ways usually come before it (sorted files list nodes, ways, relations), so the
 * node ids of every way that may be a member are kept too (8 bytes a reference); linear roads are
 * not, as they never outline a facility.
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon, Position } from 'geojson';
import { osmCategories } from '../../facilities/osm-mapping.ts';
import type { Tags } from '../../network/raw-line.ts';
import { NodeIndex } from '../../network/node-index.ts';
import { assembleMultipolygon, type MemberWay } from './multipolygon.ts';
import type { OsmHandler, RelationMember } from './osm-handler.ts';

/** Keys that mark an object as a point of interest, for the unmapped count. */
const POI_KEYS = ['amenity', 'shop', 'office', 'craft', 'healthcare', 'leisure', 'tourism', 'historic', 'social_facility'] as const;

export interface PoiCounts {
  nodes: number;
  ways: number;
  relations: number;
  /** Nodes, closed ways and multipolygon relations emitted as facilities. */
  facilityNodes: number;
  facilityWays: number;
  facilityRelations: number;
  /** Polygon facilities (ways, relations) given `entrances` from their `entrance=*` nodes. */
  facilitiesWithEntrances: number;
  /** Closed `landuse=residential` ways emitted. */
  residentialWays: number;
  /** Recognised (or residential) ways that are not closed rings. */
  openWays: number;
  /** Recognised (or residential) closed ways with a node absent from the file. */
  incompleteWays: number;
  /** Recognised nodes with unusable coordinates. */
  badNodes: number;
  /** Recognised multipolygon relations whose rings could not be built (member missing, ring open). */
  incompleteRelations: number;
  /** Relations with recognised tags that are not multipolygons: not read. */
  relationsSkipped: number;
  /** Objects with a POI key that the mapping does not recognise, by `key=value` of their POI keys. */
  unmapped: { count: number; byTag: Record<string, number> };
}

export type PoiProperties = Record<string, string>;

/** A facility's properties: the tags, `id`, `name`, and for a polygon its mapped `entrances`. */
export interface FacilityPoiProperties {
  [tag: string]: string | Position[] | undefined;
  id: string;
  entrances?: Position[];
}

export type FacilityGeometry = Point | Polygon | MultiPolygon;

interface RelationRecord {
  id: number;
  tags: Tags;
  ways: { ref: number; role: string }[];
}

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
    facilityRelations: 0,
    facilitiesWithEntrances: 0,
    incompleteRelations: 0,
    relationsSkipped: 0,
    unmapped: { count: 0, byTag: {} },
  };

  /** Every node's position: the buildings riding along in the same pass read theirs from here (read-pois.ts). */
  readonly positions = new NodeIndex();
  private readonly pointFeatures: Feature<Point, FacilityPoiProperties>[] = [];
  private readonly wayRecords: WayRecord[] = [];
  private readonly relationRecords: RelationRecord[] = [];
  /** Nodes that are a way in: `entrance=*`, see `isEntrance`. */
  private readonly entranceIds = new Set<number>();
  /** Node ids of ways that may be relation members: way i's are `memberRefs[memberStart[i] .. memberStart[i + 1])`. */
  private memberWayIds = new Float64Array(1024);
  private memberStart = new Uint32Array(1025);
  private memberRefs = new Float64Array(16384);
  private memberWayCount = 0;

  node(id: number, lon: number, lat: number, tags: Tags | undefined): void {
    this.counts.nodes++;
    const usable = lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;
    if (usable) this.positions.set(id, lon, lat);
    if (tags === undefined) return;
    if (isEntrance(tags)) this.entranceIds.add(id);
    if (!this.recognised(tags)) return;
    if (!usable) {
      this.counts.badNodes++;
      return;
    }
    this.counts.facilityNodes++;
    this.pointFeatures.push(feature(`node/${id}`, tags, { type: 'Point', coordinates: [lon, lat] }));
  }

  way(id: number, refs: ArrayLike<number>, tags: Tags | undefined): void {
    this.counts.ways++;
    if (tags === undefined || !isLinearRoad(tags)) this.keepMemberCandidate(id, refs);
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

  relation(id: number, tags: Tags | undefined, members: readonly RelationMember[] = []): void {
    this.counts.relations++;
    if (tags === undefined || !this.recognised(tags)) return;
    if (tags.type !== 'multipolygon') {
      this.counts.relationsSkipped++;
      return;
    }
    const ways = members.filter((m) => m.type === 'way').map((m) => ({ ref: m.ref, role: m.role }));
    this.relationRecords.push({ id, tags, ways });
  }

  /** The collections, once the stream has ended: facility nodes, ways, then relations, each in file order. */
  collections(): { facilities: FeatureCollection<FacilityGeometry, FacilityPoiProperties>; residential: FeatureCollection<Polygon, PoiProperties> } {
    const facilityWays: Feature<Polygon, FacilityPoiProperties>[] = [];
    const residential: Feature<Polygon, PoiProperties>[] = [];
    this.counts.facilityWays = 0;
    this.counts.residentialWays = 0;
    this.counts.incompleteWays = 0;
    this.counts.facilitiesWithEntrances = 0;
    for (const way of this.wayRecords) {
      const ring = this.ring(way.refs);
      if (!ring) {
        this.counts.incompleteWays++;
        continue;
      }
      const ref = `way/${way.id}`;
      if (way.facility) {
        this.counts.facilityWays++;
        facilityWays.push(feature(ref, way.tags, { type: 'Polygon', coordinates: [ring] }, this.entrancesOn(way.refs)));
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
    const facilityRelations = this.relationFeatures();
    return {
      facilities: { type: 'FeatureCollection', features: [...this.pointFeatures, ...facilityWays, ...facilityRelations] },
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

  /** Multipolygon relations as Polygon or MultiPolygon features; those that cannot be built are counted. */
  private relationFeatures(): Feature<Polygon | MultiPolygon, FacilityPoiProperties>[] {
    this.counts.facilityRelations = 0;
    this.counts.incompleteRelations = 0;
    const wanted = new Set<number>();
    for (const relation of this.relationRecords) for (const way of relation.ways) wanted.add(way.ref);
    const refsOf = new Map<number, Float64Array>();
    for (let w = 0; w < this.memberWayCount && wanted.size > 0; w++) {
      const id = this.memberWayIds[w];
      if (wanted.has(id)) refsOf.set(id, this.memberRefs.subarray(this.memberStart[w], this.memberStart[w + 1]));
    }
    const position = (id: number): Position | undefined => {
      const slot = this.positions.slotOf(id);
      return slot < 0 ? undefined : [this.positions.lon(slot), this.positions.lat(slot)];
    };
    const features: Feature<Polygon | MultiPolygon, FacilityPoiProperties>[] = [];
    for (const relation of this.relationRecords) {
      const members: MemberWay[] = [];
      for (const way of relation.ways) {
        const refs = refsOf.get(way.ref);
        if (refs) members.push({ refs, role: way.role });
      }
      // An extract clips relations: with a member way missing, the outline is not the real one.
      const assembled = members.length === relation.ways.length ? assembleMultipolygon(members, position) : undefined;
      if (!assembled || 'problem' in assembled) {
        this.counts.incompleteRelations++;
        continue;
      }
      this.counts.facilityRelations++;
      // `type=multipolygon` describes the OSM object, which the geometry now says; kept, it would
      // read as an Amap `type` (categorize.ts).
      const { type: _type, ...tags } = relation.tags;
      features.push(feature(`relation/${relation.id}`, tags, assembled.geometry, this.entrancesOn(assembled.outerNodeIds)));
    }
    return features;
  }

  /** Positions of the entrance nodes among `refs`, each once, in outline order; undefined when none. */
  private entrancesOn(refs: ArrayLike<number>): Position[] | undefined {
    if (this.entranceIds.size === 0) return undefined;
    const seen = new Set<number>();
    const entrances: Position[] = [];
    for (let i = 0; i < refs.length; i++) {
      const id = refs[i];
      if (!this.entranceIds.has(id) || seen.has(id)) continue;
      seen.add(id);
      const slot = this.positions.slotOf(id);
      if (slot >= 0) entrances.push([this.positions.lon(slot), this.positions.lat(slot)]);
    }
    if (entrances.length === 0) return undefined;
    this.counts.facilitiesWithEntrances++;
    return entrances;
  }

  private keepMemberCandidate(id: number, refs: ArrayLike<number>): void {
    const w = this.memberWayCount++;
    if (w === this.memberWayIds.length) {
      this.memberWayIds = grow(this.memberWayIds, this.memberWayIds.length * 2);
      this.memberStart = grow(this.memberStart, this.memberWayIds.length + 1);
    }
    const start = this.memberStart[w];
    if (start + refs.length > this.memberRefs.length) {
      this.memberRefs = grow(this.memberRefs, Math.max(this.memberRefs.length * 2, start + refs.length));
    }
    for (let i = 0; i < refs.length; i++) this.memberRefs[start + i] = refs[i];
    this.memberWayIds[w] = id;
    this.memberStart[w + 1] = start + refs.length;
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

/**
 * `properties`: the id (`node/1`), the name (falling back to `name:zh`), every tag, and the
 * entrances found on a polygon's outline.
 */
function feature<G extends FacilityGeometry>(ref: string, tags: Tags, geometry: G, entrances?: Position[]): Feature<G, FacilityPoiProperties> {
  const name = tags.name ?? tags['name:zh'];
  return {
    type: 'Feature',
    id: ref,
    geometry,
    properties: { ...(name !== undefined ? { name } : {}), ...tags, id: ref, ...(entrances ? { entrances } : {}) },
  };
}

/** Values of `entrance` that are not a way in for the public. */
const NOT_IN = new Set(['no', 'exit', 'emergency']);

/** A node people can walk in by: `entrance=*` but not an exit-only or emergency door, nor private. */
function isEntrance(tags: Tags): boolean {
  const entrance = tags.entrance;
  if (entrance === undefined || NOT_IN.has(entrance)) return false;
  return tags.access !== 'private' && tags.access !== 'no';
}

/** A road drawn as a line: never the outline of a facility, so not kept as a possible member. */
function isLinearRoad(tags: Tags): boolean {
  return tags.highway !== undefined && tags.area !== 'yes';
}

function grow<T extends Float64Array | Uint32Array>(array: T, length: number): T {
  const grown = new (array.constructor as new (length: number) => T)(length);
  grown.set(array);
  return grown;
}
