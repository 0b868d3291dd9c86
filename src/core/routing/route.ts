import type { LineString } from 'geojson';
import { edgeSlice } from '../network/edge-geometry.ts';
import type { Costing } from './costing.ts';
import type { NetworkPoint, PointTime } from './network-point.ts';
import type { Router } from './travel-times.ts';

export interface Route {
  seconds: number;
  meters: number;
  /** From the origin's snapped point to the target's, along the roads. */
  geometry: LineString;
  /** Access legs (metres), walked between each point and its road; included in seconds and meters. */
  originAccessM: number;
  targetAccessM: number;
}

/**
 * The time-shortest route between two points on the network, or null beyond the budget. Runs the
 * same bounded search as travel times and follows the predecessor arcs back, so a route's time is
 * always the time the travel-time table reports.
 */
export function routeBetween(router: Router, costing: Costing, origin: NetworkPoint, target: NetworkPoint, budgetS = Infinity): Route | null {
  router.searchFrom(costing, [origin], budgetS);
  const reached = router.timeTo(target, [origin]);
  if (reached.time === Infinity) return null;
  return traceRoute(router, costing, [origin], target, reached).route;
}

/**
 * The fastest route from any of `origins` (one place's gates: they set out together, as a
 * community's origins do in coverage) to the nearest of `targets`, within the budget; null when no
 * target is reached. One search serves every target.
 */
export function fastestRoute(
  router: Router,
  costing: Costing,
  origins: readonly NetworkPoint[],
  targets: readonly NetworkPoint[],
  budgetS = Infinity,
): { route: Route; originIndex: number; targetIndex: number } | null {
  if (origins.length === 0) return null;
  router.searchFrom(costing, origins, budgetS);
  let best = -1;
  let bestTime = Infinity;
  for (let i = 0; i < targets.length; i++) {
    const t = router.timeTo(targets[i], origins).time;
    if (t < bestTime) {
      bestTime = t;
      best = i;
    }
  }
  if (best < 0) return null;
  const traced = traceRoute(router, costing, origins, targets[best], router.timeTo(targets[best], origins));
  return { route: traced.route, originIndex: traced.originIndex, targetIndex: best };
}

/**
 * Follows the last search's predecessor arcs back from `target` to the seed point it came from
 * (the search labels each node with the index of the origin that reached it first).
 */
function traceRoute(router: Router, costing: Costing, origins: readonly NetworkPoint[], target: NetworkPoint, reached: PointTime): { route: Route; originIndex: number } {
  const graph = costing.graph;
  const search = router.search;
  const { time, meters, via } = reached;
  let coords: [number, number][];
  let originIndex: number;
  if (via >= 0) {
    originIndex = via;
    coords = edgeSlice(graph, origins[via].edge, origins[via].fraction, target.fraction);
  } else {
    // Arrive at the target's edge through its from-node (via -1) or to-node (via -2).
    const entry = via === -1 ? graph.edgeFrom[target.edge] : graph.edgeTo[target.edge];
    const arcs: number[] = [];
    let n = entry;
    while (search.predArc[n] >= 0) {
      const a = search.predArc[n];
      arcs.push(a);
      n = graph.arcHead[graph.arcTwin[a]];
    }
    // n is a seed: an end of the edge of the origin whose label it carries.
    originIndex = search.label[n];
    const origin = origins[originIndex];
    coords = edgeSlice(graph, origin.edge, origin.fraction, n === graph.edgeTo[origin.edge] ? 1 : 0);
    for (let i = arcs.length - 1; i >= 0; i--) {
      const edgeDir = graph.arcEdge[arcs[i]];
      const e = edgeDir >>> 1;
      append(coords, edgeDir & 1 ? edgeSlice(graph, e, 1, 0) : edgeSlice(graph, e, 0, 1));
    }
    append(coords, edgeSlice(graph, target.edge, via === -1 ? 0 : 1, target.fraction));
  }
  return {
    originIndex,
    route: {
      seconds: time,
      meters,
      geometry: { type: 'LineString', coordinates: coords },
      originAccessM: origins[originIndex].accessM,
      targetAccessM: target.accessM,
    },
  };
}

/** Appends a slice, dropping its first point when it repeats the last one. */
function append(coords: [number, number][], slice: [number, number][]): void {
  const last = coords[coords.length - 1];
  const start = last && slice[0] && last[0] === slice[0][0] && last[1] === slice[0][1] ? 1 : 0;
  for (let i = start; i < slice.length; i++) coords.push(slice[i]);
}
