import type { Graph } from '../network/graph.ts';
import { type Mode, type SpeedOptions, type SpeedTable, DEFAULT_SPEED_KMH, MODES, edgeSpeedKmh, modeIndex, profileOf, speedTable } from '../network/profiles.ts';

/**
 * Seconds per arc for one mode and speed setting: the only thing the search reads besides the graph.
 * Computed once per (graph, mode, speeds) and cached, so a request with default speeds costs nothing.
 */
export interface Costing {
  readonly graph: Graph;
  readonly speeds: SpeedTable;
  /** Seconds to traverse arc a (tail → head), Infinity where the mode may not. */
  readonly forward: Float64Array;
  /** Seconds to traverse arc a backwards (head → tail): forward[twin[a]], laid out for the reverse search. */
  readonly reverse: Float64Array;
  /** Walking speed for the access legs between a point and the road, m/s. */
  readonly accessSpeedMps: number;
}

export interface CostingOptions extends SpeedOptions {
  mode: Mode;
}

const MAX_CACHED = 8;
const cache = new WeakMap<Graph, Map<string, Costing>>();

export function costingFor(graph: Graph, opts: CostingOptions): Costing {
  const key = `${opts.mode}|${opts.speedKmh ?? ''}|${opts.ferries ? 1 : 0}`;
  let byKey = cache.get(graph);
  if (!byKey) cache.set(graph, (byKey = new Map()));
  const hit = byKey.get(key);
  if (hit) {
    // Refresh recency: Map iteration order is insertion order, so the first key is the oldest.
    byKey.delete(key);
    byKey.set(key, hit);
    return hit;
  }
  const costing = buildCosting(graph, opts);
  byKey.set(key, costing);
  if (byKey.size > MAX_CACHED) byKey.delete(byKey.keys().next().value!);
  return costing;
}

export function buildCosting(graph: Graph, opts: CostingOptions): Costing {
  const speeds = speedTable(opts.mode, opts);
  const m = modeIndex(opts.mode);
  const modeCount = MODES.length;
  const arcCount = graph.edgeCount * 2;
  const forward = new Float64Array(arcCount);
  for (let a = 0; a < arcCount; a++) {
    const edgeDir = graph.arcEdge[a];
    const e = edgeDir >>> 1;
    const allowed = (graph.edgeAccess[e * modeCount + m] >> (edgeDir & 1)) & 1;
    const kmh = allowed ? edgeSpeedKmh(speeds, graph.edgeClass[e], graph.edgeMaxspeed[e]) : 0;
    forward[a] = kmh > 0 ? graph.edgeLength[e] / (kmh / 3.6) : Infinity;
  }
  const reverse = new Float64Array(arcCount);
  for (let a = 0; a < arcCount; a++) reverse[a] = forward[graph.arcTwin[a]];
  const walkKmh = profileOf(opts.mode).onFoot ? speeds.speedKmh : DEFAULT_SPEED_KMH.walk;
  return { graph, speeds, forward, reverse, accessSpeedMps: walkKmh / 3.6 };
}

/** Seconds along edge e in its line direction (dir 0) or against it (dir 1); Infinity if not allowed. */
export function edgeCost(costing: Costing, e: number, dir: 0 | 1): number {
  return costing.forward[costing.graph.edgeArc[2 * e + dir]];
}

/** Whether the mode may use edge e in at least one direction: snapping only considers such edges. */
export function edgeUsable(costing: Costing, e: number): boolean {
  return edgeCost(costing, e, 0) < Infinity || edgeCost(costing, e, 1) < Infinity;
}
