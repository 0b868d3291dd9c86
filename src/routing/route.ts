import type { LineString } from 'geojson';
import { edgeSlice } from '../network/edge-geometry.ts';
import type { Costing } from './costing.ts';
import type { NetworkPoint } from './network-point.ts';
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
  const graph = costing.graph;
  const search = router.searchFrom(costing, [origin], budgetS);
  const { time, meters, via } = router.timeTo(target, [origin]);
  if (time === Infinity) return null;
  let coords: [number, number][];
  if (via >= 0) {
    coords = edgeSlice(graph, origin.edge, origin.fraction, target.fraction);
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
    // n is a seed: an end of the origin's edge.
    coords = edgeSlice(graph, origin.edge, origin.fraction, n === graph.edgeTo[origin.edge] ? 1 : 0);
    for (let i = arcs.length - 1; i >= 0; i--) {
      const edgeDir = graph.arcEdge[arcs[i]];
      const e = edgeDir >>> 1;
      append(coords, edgeDir & 1 ? edgeSlice(graph, e, 1, 0) : edgeSlice(graph, e, 0, 1));
    }
    append(coords, edgeSlice(graph, target.edge, via === -1 ? 0 : 1, target.fraction));
  }
  return {
    seconds: time,
    meters,
    geometry: { type: 'LineString', coordinates: coords },
    originAccessM: origin.accessM,
    targetAccessM: target.accessM,
  };
}

/** Appends a slice, dropping its first point when it repeats the last one. */
function append(coords: [number, number][], slice: [number, number][]): void {
  const last = coords[coords.length - 1];
  const start = last && slice[0] && last[0] === slice[0][0] && last[1] === slice[0][1] ? 1 : 0;
  for (let i = start; i < slice.length; i++) coords.push(slice[i]);
}
