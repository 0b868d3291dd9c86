import Flatbush from 'flatbush';
import type { Community, CommunityType } from '../../core/communities/read-communities.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import { haversineM } from '../../core/geo/distance.ts';
import { LocalProjection } from '../../core/geo/local-projection.ts';
import type { Graph } from '../../core/network/graph.ts';
import type { Mode } from '../../core/network/profiles.ts';
import { costingFor } from '../../core/routing/costing.ts';
import type { Standard } from '../../core/standards/types.ts';

/**
 * Splitting a province into pieces one process can assess alone: communities grouped by their
 * `district` (a grid cell where they have none), each group with the network and facilities around it
 * that any of its communities could possibly reach, so that coverage computed on the piece equals
 * coverage computed on the whole.
 *
 * Why the buffer is enough. With T the longest budget of the standards that apply to a community
 * type, v the fastest straight-line speed of the mode anywhere on the graph (polyline length over arc
 * time, so a given `length_m` shorter than the geometry cannot fool it) and S the largest snap distance:
 *  - a search from an origin o starts at its snapped point, within S of o, and covers at most T·v of
 *    road, so everything it reaches lies within T·v + S of o;
 *  - a facility point counts when its own snapped point is reached, so it lies within T·v + 2S of o:
 *    facilities are kept within that distance of the communities' box ("facility buffer");
 *  - a kept facility point must snap to the same road as in the whole graph, so every road within S
 *    of it must be kept too: roads are kept within the facility buffer + S (× 1.2, the snapper's own
 *    search margin) of the box ("network buffer"). That also covers every road of every route.
 * A facility point outside the facility buffer cannot be reached in the piece either, whatever it
 * snaps to there (the same straight-line bound holds in any sub-graph), so leaving it out changes
 * nothing. Lengths in degrees are taken at the box's latitude farthest from the equator, with the
 * smallest metres-per-degree, so the buffer is never short.
 */
export type Bbox = [number, number, number, number];

export interface CoverageTravel {
  /** Overrides of every standard's travel, as in `CoverageOptions`. */
  mode?: Mode;
  minutes?: number;
  speedKmh?: number;
  maxSnapM: number;
}

export interface PartitionOptions {
  /** Side in km of the grid cells that group communities without a `district` (default 10). */
  gridKm?: number;
}

export interface PartitionPlan {
  /** `district:<name>` or `grid:<column>,<row>`; partitions are numbered in key order. */
  key: string;
  /** Positions in the input communities, in input order. */
  communities: number[];
  /** Positions in the input facilities, in input order. */
  facilities: number[];
  /** Per community type present: the communities' box, grown by the network buffer. Roads touching one are kept. */
  networkBoxes: Bbox[];
  /** The buffers used, in metres, per community type present. */
  bufferM: Partial<Record<CommunityType, { facilities: number; network: number }>>;
}

const DEFAULT_GRID_KM = 10;

export function planPartitions(
  graph: Graph,
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  travel: CoverageTravel,
  opts: PartitionOptions = {},
): PartitionPlan[] {
  const reach = reachByType(graph, standards, travel);
  const groups = groupCommunities(graph, communities, (opts.gridKm ?? DEFAULT_GRID_KM) * 1000);
  const spots = facilitySpots(facilities);
  const linked = linkedFacilityIndex(facilities);
  return [...groups.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => {
      const members = groups.get(key)!;
      const plan: PartitionPlan = { key, communities: members, facilities: [], networkBoxes: [], bufferM: {} };
      const keep = new Set<number>();
      for (const type of ['urban', 'rural'] as const) {
        const ofType = members.filter((i) => communities[i].type === type);
        if (ofType.length === 0) continue;
        const facilitiesM = reach[type] * 1.01 + 2 * travel.maxSnapM + 1;
        const networkM = facilitiesM + 1.2 * travel.maxSnapM + 1;
        plan.bufferM[type] = { facilities: Math.round(facilitiesM), network: Math.round(networkM) };
        const core = communitiesBox(ofType.map((i) => communities[i]));
        plan.networkBoxes.push(bufferBox(core, networkM));
        for (const f of spots.within(bufferBox(core, facilitiesM))) keep.add(f);
      }
      // Provision checks count a community's own facilities wherever they stand.
      for (const i of members) for (const f of linked.get(communities[i].id) ?? []) keep.add(f);
      plan.facilities = [...keep].sort((a, b) => a - b);
      return plan;
    });
}

/**
 * How far (metres, straight line) the standards' budgets can carry a community of each type: the
 * longest budget times the fastest speed of its mode on this graph.
 */
function reachByType(graph: Graph, standards: readonly Standard[], travel: CoverageTravel): Record<CommunityType, number> {
  const reach: Record<CommunityType, number> = { urban: 0, rural: 0 };
  const speeds = new Map<string, number>();
  for (const standard of standards) {
    const mode = travel.mode ?? standard.mode;
    const key = `${mode}|${travel.speedKmh ?? ''}`;
    let speed = speeds.get(key);
    if (speed === undefined) speeds.set(key, (speed = fastestSpeedMps(graph, mode, travel.speedKmh)));
    const minutes = travel.minutes ?? standard.minutes;
    reach[standard.communityType] = Math.max(reach[standard.communityType], minutes * 60 * speed);
  }
  return reach;
}

/** The fastest any arc of the graph is crossed by the mode, as polyline metres per second. */
export function fastestSpeedMps(graph: Graph, mode: Mode, speedKmh?: number): number {
  const costing = costingFor(graph, { mode, speedKmh });
  const g = graph.geom;
  let fastest = 0;
  for (let e = 0; e < graph.edgeCount; e++) {
    const seconds = Math.min(costing.forward[graph.edgeArc[2 * e]], costing.forward[graph.edgeArc[2 * e + 1]]);
    if (!(seconds < Infinity)) continue;
    let metres = 0;
    for (let p = graph.edgeGeomStart[e]; p < graph.edgeGeomStart[e + 1] - 1; p++) metres += haversineM(g[2 * p], g[2 * p + 1], g[2 * p + 2], g[2 * p + 3]);
    // A zero-time arc would make every distance reachable: no finite buffer is exact then.
    if (seconds <= 0) return metres > 0 ? Infinity : fastest;
    fastest = Math.max(fastest, metres / seconds);
  }
  return fastest;
}

/** A lon/lat box grown by `metres` on every side, never by less (see the module comment). */
export function bufferBox(box: Bbox, metres: number): Bbox {
  if (!Number.isFinite(metres)) return [-180, -90, 180, 90];
  const M_PER_DEG = 110574; // metres per degree of latitude at the equator, the fewest anywhere
  const dLat = metres / M_PER_DEG;
  const minLat = Math.max(-90, box[1] - dLat);
  const maxLat = Math.min(90, box[3] + dLat);
  const farthest = Math.max(Math.abs(minLat), Math.abs(maxLat));
  const cos = Math.cos((farthest * Math.PI) / 180);
  const dLon = cos > 1e-6 ? metres / (M_PER_DEG * cos) : 360;
  return [Math.max(-180, box[0] - dLon), minLat, Math.min(180, box[2] + dLon), maxLat];
}

/** Box of the communities' geometries and origins (entrances may lie outside a polygon). */
export function communitiesBox(communities: readonly Community[]): Bbox {
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  const add = (p: readonly number[]) => {
    box[0] = Math.min(box[0], p[0]);
    box[1] = Math.min(box[1], p[1]);
    box[2] = Math.max(box[2], p[0]);
    box[3] = Math.max(box[3], p[1]);
  };
  for (const c of communities) {
    for (const o of c.origins) add(o);
    // Given homes may lie outside the polygon (tied by `community`): their roads are needed too.
    for (const h of c.homes?.homes ?? []) add([h.lon, h.lat]);
    const g = c.geometry;
    if (g.type === 'Point') add(g.coordinates);
    else if (g.type === 'MultiPoint') g.coordinates.forEach(add);
    else if (g.type === 'Polygon') for (const ring of g.coordinates) ring.forEach(add);
    else for (const part of g.coordinates) for (const ring of part) ring.forEach(add);
  }
  return box;
}

function groupCommunities(graph: Graph, communities: readonly Community[], gridM: number): Map<string, number[]> {
  if (!(gridM > 0)) throw new Error(`gridKm: got ${gridM / 1000}, expected a positive number`);
  const proj = new LocalProjection(graph.meta.projectionLat);
  const groups = new Map<string, number[]>();
  communities.forEach((c, i) => {
    const [lon, lat] = c.origins[0];
    const key = c.district !== undefined ? `district:${c.district}` : `grid:${Math.floor(proj.x(lon) / gridM)},${Math.floor(proj.y(lat) / gridM)}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

/**
 * Every point a facility is placed from (its entrances, else its point) and its point (provision
 * checks test it against community polygons), indexed once for all partitions. Keeping a facility
 * that cannot be reached is harmless: beyond the facility buffer it is unreachable in any sub-graph.
 */
function facilitySpots(facilities: readonly Facility[]) {
  const owner: number[] = [];
  const coords: number[] = [];
  facilities.forEach((f, i) => {
    for (const p of [[f.lon, f.lat], ...(f.entrances ?? [])]) {
      owner.push(i);
      coords.push(p[0], p[1]);
    }
  });
  const index = owner.length > 0 ? new Flatbush(owner.length) : null;
  if (index) {
    for (let k = 0; k < owner.length; k++) index.add(coords[2 * k], coords[2 * k + 1], coords[2 * k], coords[2 * k + 1]);
    index.finish();
  }
  return {
    within(box: Bbox): number[] {
      return index ? index.search(box[0], box[1], box[2], box[3]).map((k) => owner[k]) : [];
    },
  };
}

/** Facilities naming a community in `properties.community` (provision checks), by community id. */
function linkedFacilityIndex(facilities: readonly Facility[]): Map<string, number[]> {
  const byCommunity = new Map<string, number[]>();
  facilities.forEach((f, i) => {
    if (f.properties.community === undefined) return;
    const id = String(f.properties.community);
    const list = byCommunity.get(id);
    if (list) list.push(i);
    else byCommunity.set(id, [i]);
  });
  return byCommunity;
}
