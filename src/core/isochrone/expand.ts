import { haversineM } from '../geo/distance.ts';
import type { Graph } from '../network/graph.ts';
import { edgeCost } from '../routing/costing.ts';
import type { NetworkPoint } from '../routing/network-point.ts';
import type { GraphSearch } from '../routing/search.ts';
import { ReachedNetworkBuilder } from './reached-network.ts';

/**
 * Expansion → reached network: every edge touched by a forward search, cut exactly at the budget.
 * The time at position x on an edge is the lower envelope of a few linear functions (arriving from
 * either end, or leaving a seed point on the edge itself); the envelope is split where they cross,
 * so each emitted piece has linear time, as contouring expects.
 */
export class NetworkExpander {
  private readonly edgeStamp: Uint32Array;
  private epoch = 0;
  // Scratch for the linear functions on one edge: t(x) = t0 + slope·x on [lo, hi].
  private readonly t0: number[] = [];
  private readonly slope: number[] = [];
  private readonly lo: number[] = [];
  private readonly hi: number[] = [];
  private readonly cuts: number[] = [];

  constructor(private readonly graph: Graph) {
    this.edgeStamp = new Uint32Array(graph.edgeCount);
  }

  expand(search: GraphSearch, seedPoints: readonly NetworkPoint[], budgetS: number, out = new ReachedNetworkBuilder()): ReachedNetworkBuilder {
    if (search.direction !== 'forward') throw new Error('isochrones expand a forward search');
    out.clear();
    this.epoch++;
    const g = this.graph;
    for (const p of seedPoints) this.expandEdge(search, p.edge, seedPoints, budgetS, out);
    for (let i = 0; i < search.settledCount; i++) {
      const u = search.settled[i];
      for (let a = g.arcOffsets[u]; a < g.arcOffsets[u + 1]; a++) this.expandEdge(search, g.arcEdge[a] >>> 1, seedPoints, budgetS, out);
    }
    return out;
  }

  private expandEdge(search: GraphSearch, e: number, seedPoints: readonly NetworkPoint[], budgetS: number, out: ReachedNetworkBuilder): void {
    if (this.edgeStamp[e] === this.epoch) return;
    this.edgeStamp[e] = this.epoch;
    const costing = search.costing!;
    const g = this.graph;
    const along = edgeCost(costing, e, 0);
    const against = edgeCost(costing, e, 1);
    const { t0, slope, lo, hi } = this;
    t0.length = slope.length = lo.length = hi.length = 0;
    const add = (a: number, b: number, l: number, h: number) => {
      if (h > l || (h === l && a <= budgetS)) {
        t0.push(a);
        slope.push(b);
        lo.push(l);
        hi.push(h);
      }
    };
    const u = g.edgeFrom[e];
    const v = g.edgeTo[e];
    if (along < Infinity && search.reached(u)) add(search.time[u], along, 0, 1);
    if (against < Infinity && search.reached(v)) add(search.time[v] + against, -against, 0, 1);
    for (const s of seedPoints) {
      if (s.edge !== e) continue;
      if (along < Infinity) add(s.accessS - s.fraction * along, along, s.fraction, 1);
      if (against < Infinity) add(s.accessS + s.fraction * against, -against, 0, s.fraction);
    }
    if (t0.length === 0) return;
    this.emitEnvelope(e, budgetS, out);
  }

  /** Splits [0,1] where the functions' domains end or they cross, and emits the lowest on each part. */
  private emitEnvelope(e: number, budgetS: number, out: ReachedNetworkBuilder): void {
    const { t0, slope, lo, hi, cuts } = this;
    const n = t0.length;
    cuts.length = 0;
    cuts.push(0, 1);
    for (let i = 0; i < n; i++) {
      cuts.push(lo[i], hi[i]);
      // Where function i reaches the budget.
      if (slope[i] !== 0) cuts.push((budgetS - t0[i]) / slope[i]);
      for (let j = i + 1; j < n; j++) {
        if (slope[i] !== slope[j]) cuts.push((t0[j] - t0[i]) / (slope[i] - slope[j]));
      }
    }
    cuts.sort((a, b) => a - b);
    let prev = -1;
    let runStart = 0;
    let runFn = -1;
    let last = 0;
    for (let c = 0; c < cuts.length; c++) {
      const x = Math.min(1, Math.max(0, cuts[c]));
      if (c > 0 && x <= last) continue;
      if (c > 0) {
        const mid = (last + x) / 2;
        let fn = -1;
        let best = Infinity;
        for (let i = 0; i < n; i++) {
          if (mid < lo[i] || mid > hi[i]) continue;
          const t = t0[i] + slope[i] * mid;
          if (t < best) {
            best = t;
            fn = i;
          }
        }
        if (best > budgetS) fn = -1;
        if (fn !== runFn) {
          if (runFn >= 0) this.emitPiece(e, runStart, last, t0[runFn], slope[runFn], out);
          runFn = fn;
          runStart = last;
        }
      }
      last = x;
      prev = c;
    }
    if (runFn >= 0 && prev >= 0) this.emitPiece(e, runStart, last, t0[runFn], slope[runFn], out);
    // A point seed standing exactly at a node or a zero-length reach still reaches its own spot.
  }

  /** Emits fraction range [xa, xb] of edge e as straight segments along its polyline. */
  private emitPiece(e: number, xa: number, xb: number, t0: number, slope: number, out: ReachedNetworkBuilder): void {
    const g = this.graph;
    const start = g.edgeGeomStart[e];
    const end = g.edgeGeomStart[e + 1];
    const geom = g.geom;
    let total = 0;
    for (let p = start; p < end - 1; p++) total += segLength(geom, p);
    if (total === 0) return;
    let acc = 0;
    for (let p = start; p < end - 1; p++) {
      const len = segLength(geom, p);
      const s0 = acc / total;
      const s1 = (acc + len) / total;
      acc += len;
      const a = Math.max(xa, s0);
      const b = Math.min(xb, s1);
      if (b <= a || len === 0) continue;
      const ka = (a - s0) / (s1 - s0);
      const kb = (b - s0) / (s1 - s0);
      const lon0 = geom[2 * p];
      const lat0 = geom[2 * p + 1];
      const dLon = geom[2 * p + 2] - lon0;
      const dLat = geom[2 * p + 3] - lat0;
      out.push(lon0 + dLon * ka, lat0 + dLat * ka, lon0 + dLon * kb, lat0 + dLat * kb, t0 + slope * a, t0 + slope * b);
    }
  }
}

function segLength(geom: Float64Array, p: number): number {
  return haversineM(geom[2 * p], geom[2 * p + 1], geom[2 * p + 2], geom[2 * p + 3]);
}
