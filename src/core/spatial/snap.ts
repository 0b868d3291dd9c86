import { haversineM } from '../geo/distance.ts';
import { LocalProjection } from '../geo/local-projection.ts';
import type { Graph } from '../network/graph.ts';

/**
 * Snapping a point to the nearest usable edge, at the projected point on the edge (not the nearest
 * junction): the search then starts along both directions of that edge with the partial lengths.
 */
export interface Snap {
  edge: number;
  /** Position along the edge as a share of its length, 0 at edgeFrom, 1 at edgeTo. */
  fraction: number;
  /** The snapped point on the road. */
  lon: number;
  lat: number;
  /** Distance from the input point to the road in metres (the access leg). */
  distanceM: number;
}

/** Default maximum snap distance in metres: beyond it a point is not on this network. */
export const DEFAULT_MAX_SNAP_M = 500;

const projections = new WeakMap<Graph, LocalProjection>();

/**
 * The nearest point on an edge accepted by `usable`, within maxDistanceM, or null.
 * Flatbush returns segments by box distance (a lower bound of the true distance); candidates are
 * refined exactly until the next box is farther than the best exact distance.
 */
export function snapToNetwork(
  graph: Graph,
  lon: number,
  lat: number,
  maxDistanceM: number,
  usable: (edge: number) => boolean,
): Snap | null {
  let proj = projections.get(graph);
  if (!proj) projections.set(graph, (proj = new LocalProjection(graph.meta.projectionLat)));
  const x = proj.x(lon);
  const y = proj.y(lat);
  // The frame is exact at the graph's centre latitude; allow for its scale error elsewhere.
  const searchRadius = maxDistanceM * 1.1 + 1;
  let k = 8;
  for (;;) {
    const candidates = nearestSegments(graph, x, y, k, searchRadius, usable);
    let best = -1;
    let bestD2 = Infinity;
    let bestT = 0;
    for (const s of candidates) {
      const p = s + graph.segEdge[s];
      const ax = proj.x(graph.geom[2 * p]);
      const ay = proj.y(graph.geom[2 * p + 1]);
      const bx = proj.x(graph.geom[2 * p + 2]);
      const by = proj.y(graph.geom[2 * p + 3]);
      const t = projectOnSegment(x, y, ax, ay, bx, by);
      const dx = ax + (bx - ax) * t - x;
      const dy = ay + (by - ay) * t - y;
      const d2 = dx * dx + dy * dy;
      if (d2 < bestD2) {
        bestD2 = d2;
        best = s;
        bestT = t;
      }
    }
    if (best < 0) return null;
    const exhausted = candidates.length < k;
    if (exhausted || boxDistance(graph, proj, candidates[candidates.length - 1], x, y) >= Math.sqrt(bestD2)) {
      return snapResult(graph, best, bestT, lon, lat, maxDistanceM);
    }
    k *= 4;
  }
}

/**
 * The index's filter, one function for every snap rather than a closure made per call: a city's
 * nightly snaps ~600,000 points, and making (and naming) a closure each time was a tenth of the cost.
 */
function nearestSegments(graph: Graph, x: number, y: number, k: number, radius: number, usable: (edge: number) => boolean): number[] {
  filterGraph = graph;
  filterUsable = usable;
  try {
    return graph.index.neighbors(x, y, k, radius, segmentFilter);
  } finally {
    // Not kept: the last snap's graph and costing would stay in memory through it.
    filterGraph = undefined;
    filterUsable = NO_EDGE;
  }
}

const NO_EDGE = (_edge: number) => false;
let filterGraph: Graph | undefined;
let filterUsable: (edge: number) => boolean = NO_EDGE;
const segmentFilter = (segment: number): boolean => filterUsable(filterGraph!.segEdge[segment]);

function snapResult(graph: Graph, segment: number, t: number, lon: number, lat: number, maxDistanceM: number): Snap | null {
  const e = graph.segEdge[segment];
  const p = segment + e;
  const g = graph.geom;
  const sLon = g[2 * p] + (g[2 * p + 2] - g[2 * p]) * t;
  const sLat = g[2 * p + 1] + (g[2 * p + 3] - g[2 * p + 1]) * t;
  const distanceM = haversineM(lon, lat, sLon, sLat);
  if (distanceM > maxDistanceM) return null;
  // Share of the edge's geometric length up to the snapped point: travel costs scale with it.
  let before = 0;
  let total = 0;
  for (let q = graph.edgeGeomStart[e]; q < graph.edgeGeomStart[e + 1] - 1; q++) {
    const len = haversineM(g[2 * q], g[2 * q + 1], g[2 * q + 2], g[2 * q + 3]);
    if (q < p) before += len;
    else if (q === p) before += len * t;
    total += len;
  }
  const fraction = total > 0 ? Math.min(1, Math.max(0, before / total)) : 0;
  return { edge: e, fraction, lon: sLon, lat: sLat, distanceM };
}

function projectOnSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  if (len2 === 0) return 0;
  return Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / len2));
}

/** Distance to segment s's bounding box, the same box Flatbush holds for it. */
function boxDistance(graph: Graph, proj: LocalProjection, s: number, x: number, y: number): number {
  const p = s + graph.segEdge[s];
  const ax = proj.x(graph.geom[2 * p]);
  const ay = proj.y(graph.geom[2 * p + 1]);
  const bx = proj.x(graph.geom[2 * p + 2]);
  const by = proj.y(graph.geom[2 * p + 3]);
  const dx = Math.max(Math.min(ax, bx) - x, 0, x - Math.max(ax, bx));
  const dy = Math.max(Math.min(ay, by) - y, 0, y - Math.max(ay, by));
  return Math.sqrt(dx * dx + dy * dy);
}
