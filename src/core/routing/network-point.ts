import type { Snap } from '../spatial/snap.ts';
import { type Costing, edgeCost } from './costing.ts';
import type { Direction, GraphSearch, SeedList } from './search.ts';

/**
 * A point placed on the network: an edge, a position along it, and the access leg between the
 * point and the road (walked, and reported apart from the network time).
 */
export interface NetworkPoint {
  edge: number;
  fraction: number;
  accessS: number;
  accessM: number;
}

export function networkPoint(costing: Costing, snap: Snap): NetworkPoint {
  return { edge: snap.edge, fraction: snap.fraction, accessS: snap.distanceM / costing.accessSpeedMps, accessM: snap.distanceM };
}

/**
 * Seeds a search from points on edges. Forward: the search leaves each point along both directions
 * of its edge with the partial lengths. Reverse: the search measures time *to* the points, so a node
 * is seeded with the time to walk or drive from it onto the point.
 */
export function addPointSeeds(seeds: SeedList, costing: Costing, point: NetworkPoint, direction: Direction, label = 0): void {
  const g = costing.graph;
  const e = point.edge;
  const f = point.fraction;
  const len = g.edgeLength[e];
  const along = edgeCost(costing, e, 0);
  const against = edgeCost(costing, e, 1);
  if (direction === 'forward') {
    if (along < Infinity) seeds.add(g.edgeTo[e], point.accessS + (1 - f) * along, point.accessM + (1 - f) * len, label);
    if (against < Infinity) seeds.add(g.edgeFrom[e], point.accessS + f * against, point.accessM + f * len, label);
  } else {
    if (along < Infinity) seeds.add(g.edgeFrom[e], point.accessS + f * along, point.accessM + f * len, label);
    if (against < Infinity) seeds.add(g.edgeTo[e], point.accessS + (1 - f) * against, point.accessM + (1 - f) * len, label);
  }
}

/** Result slot for timeAtPoint, reused by callers to stay allocation-free. */
export interface PointTime {
  time: number;
  meters: number;
  /** -1: reached through the edge's from-node, -2: through its to-node, ≥ 0: along the edge from seed point i. */
  via: number;
}

/**
 * Travel time between the seeds of the last search and a point on the network, including the point's
 * own access leg: through either end of its edge, or — when a seed point lies on the same edge —
 * directly along it. Infinity when not reachable within the search's budget.
 */
export function timeAtPoint(search: GraphSearch, point: NetworkPoint, seedPoints: readonly NetworkPoint[], out: PointTime): PointTime {
  const costing = search.costing!;
  const g = search.graph;
  const e = point.edge;
  const x = point.fraction;
  const len = g.edgeLength[e];
  const along = edgeCost(costing, e, 0);
  const against = edgeCost(costing, e, 1);
  const u = g.edgeFrom[e];
  const v = g.edgeTo[e];
  const forward = search.direction === 'forward';
  let best = Infinity;
  let meters = Infinity;
  let via = -1;
  // Through the from-node: forwards we arrive at u and go along; in reverse we leave the point against the line to u.
  const costU = forward ? x * along : x * against;
  if (costU < Infinity && search.reached(u)) {
    best = search.time[u] + costU;
    meters = search.meters[u] + x * len;
    via = -1;
  }
  const costV = forward ? (1 - x) * against : (1 - x) * along;
  if (costV < Infinity && search.reached(v)) {
    const t = search.time[v] + costV;
    if (t < best) {
      best = t;
      meters = search.meters[v] + (1 - x) * len;
      via = -2;
    }
  }
  for (let i = 0; i < seedPoints.length; i++) {
    const s = seedPoints[i];
    if (s.edge !== e) continue;
    // From position a to position b on the edge: along the line if b ≥ a, else against it.
    const a = forward ? s.fraction : x;
    const b = forward ? x : s.fraction;
    const c = b >= a ? (b - a) * along : (a - b) * against;
    if (c === Infinity) continue;
    const t = s.accessS + c;
    if (t < best) {
      best = t;
      meters = s.accessM + Math.abs(b - a) * len;
      via = i;
    }
  }
  out.time = best + point.accessS;
  out.meters = meters + point.accessM;
  if (out.time > search.budgetS) {
    out.time = Infinity;
    out.meters = Infinity;
  }
  out.via = via;
  return out;
}
