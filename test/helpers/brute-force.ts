import type { Graph } from '../../src/core/network/graph.ts';
import { haversineM } from '../../src/core/geo/distance.ts';
import { LocalProjection } from '../../src/core/geo/local-projection.ts';
import { type Costing, edgeCost } from '../../src/core/routing/costing.ts';

/**
 * An independent oracle for network times, written without src/core/routing or src/core/spatial: snapping by
 * scanning every segment of every usable edge, a plain binary-heap Dijkstra over adjacency lists, and
 * the time to a point on an edge through either end of it (or straight along it when the origin lies
 * on the same edge). Slow and obvious on purpose.
 *
 * Snapping can be ambiguous: a point about as far from two roads. Ties at one junction are harmless
 * (every road leaves from the same node, at the same time when walking), so `place` answers every
 * *distinct* spot within `TIE_M` of the nearest; a caller computes from each and keeps the range.
 */
export interface Spot {
  edge: number;
  /** Share of the edge's great-circle length from edgeFrom. */
  fraction: number;
  /** Straight metres from the point to the road. */
  distanceM: number;
  lon: number;
  lat: number;
}

export interface Placement {
  /** Distinct snapped positions within TIE_M of the nearest, nearest first; never empty. */
  spots: Spot[];
  /** The nearest is within a metre of maxSnapM: whether it is placed at all is a tie. */
  nearLimit: boolean;
}

/** Two roads closer than this to a point than each other are a tie. */
export const TIE_M = 0.5;

export class BruteForceNetwork {
  private readonly adjacency: { to: number; seconds: number }[][];
  private readonly proj: LocalProjection;
  private readonly usable: Uint8Array;
  /** Per edge, its bounding box in the frame's metres: edges farther than maxSnapM are not scanned. */
  private readonly box: Float64Array;

  constructor(
    readonly graph: Graph,
    readonly costing: Costing,
    readonly maxSnapM: number,
  ) {
    this.proj = new LocalProjection(graph.meta.projectionLat);
    this.adjacency = Array.from({ length: graph.nodeCount }, () => []);
    this.usable = new Uint8Array(graph.edgeCount);
    for (let e = 0; e < graph.edgeCount; e++) {
      const along = edgeCost(costing, e, 0);
      const against = edgeCost(costing, e, 1);
      if (along < Infinity) this.adjacency[graph.edgeFrom[e]].push({ to: graph.edgeTo[e], seconds: along });
      if (against < Infinity) this.adjacency[graph.edgeTo[e]].push({ to: graph.edgeFrom[e], seconds: against });
      this.usable[e] = along < Infinity || against < Infinity ? 1 : 0;
    }
    this.box = new Float64Array(4 * graph.edgeCount);
    for (let e = 0; e < graph.edgeCount; e++) {
      const b = [Infinity, Infinity, -Infinity, -Infinity];
      for (let p = graph.edgeGeomStart[e]; p < graph.edgeGeomStart[e + 1]; p++) {
        const x = this.proj.x(graph.geom[2 * p]);
        const y = this.proj.y(graph.geom[2 * p + 1]);
        b[0] = Math.min(b[0], x);
        b[1] = Math.min(b[1], y);
        b[2] = Math.max(b[2], x);
        b[3] = Math.max(b[3], y);
      }
      this.box.set(b, 4 * e);
    }
  }

  /** The nearest usable road within maxSnapM (and its ties), or null. */
  place(lon: number, lat: number): Placement | null {
    const { graph, proj } = this;
    const x = proj.x(lon);
    const y = proj.y(lat);
    const perEdge: { spot: Spot; projectedM: number }[] = [];
    // Generously beyond maxSnapM (the frame's scale error is well under 1 %).
    const reach = this.maxSnapM * 1.05 + 2;
    for (let e = 0; e < graph.edgeCount; e++) {
      if (!this.usable[e]) continue;
      const b = this.box.subarray(4 * e, 4 * e + 4);
      if (x < b[0] - reach || x > b[2] + reach || y < b[1] - reach || y > b[3] + reach) continue;
      let best: { projectedM: number; p: number; t: number } | undefined;
      for (let p = graph.edgeGeomStart[e]; p < graph.edgeGeomStart[e + 1] - 1; p++) {
        const ax = proj.x(graph.geom[2 * p]);
        const ay = proj.y(graph.geom[2 * p + 1]);
        const bx = proj.x(graph.geom[2 * p + 2]);
        const by = proj.y(graph.geom[2 * p + 3]);
        const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
        const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2));
        const d = Math.hypot(ax + (bx - ax) * t - x, ay + (by - ay) * t - y);
        if (!best || d < best.projectedM) best = { projectedM: d, p, t };
      }
      if (best) perEdge.push({ spot: this.spotAt(e, best.p, best.t, lon, lat), projectedM: best.projectedM });
    }
    if (perEdge.length === 0) return null;
    perEdge.sort((a, b) => a.projectedM - b.projectedM);
    const nearest = perEdge[0].spot;
    const nearLimit = Math.abs(nearest.distanceM - this.maxSnapM) < 1;
    if (nearest.distanceM > this.maxSnapM && !nearLimit) return null;
    const spots: Spot[] = [];
    for (const { spot, projectedM } of perEdge) {
      if (projectedM > perEdge[0].projectedM + TIE_M) break;
      if (spots.every((s) => haversineM(s.lon, s.lat, spot.lon, spot.lat) > 0.01)) spots.push(spot);
    }
    return { spots, nearLimit };
  }

  /**
   * Seconds from `origin` (plus `extraS` before it) to every node, Infinity beyond `limitS`. The
   * origin's own access leg is walked first.
   */
  search(origin: Spot, extraS: number, limitS: number): Float64Array {
    const { graph, costing } = this;
    const dist = new Float64Array(graph.nodeCount).fill(Infinity);
    const heap = new MinHeap();
    const access = extraS + origin.distanceM / this.costing.accessSpeedMps;
    const along = edgeCost(costing, origin.edge, 0);
    const against = edgeCost(costing, origin.edge, 1);
    const seed = (node: number, t: number) => {
      if (t <= limitS && t < dist[node]) {
        dist[node] = t;
        heap.push(t, node);
      }
    };
    if (along < Infinity) seed(graph.edgeTo[origin.edge], access + (1 - origin.fraction) * along);
    if (against < Infinity) seed(graph.edgeFrom[origin.edge], access + origin.fraction * against);
    while (heap.size > 0) {
      const [t, u] = heap.pop();
      if (t > dist[u]) continue;
      for (const { to, seconds } of this.adjacency[u]) seed(to, t + seconds);
    }
    return dist;
  }

  /**
   * Seconds from the origin of `dist` (searched from `origin` with `extraS`) to `target`, its access
   * leg included: through either end of the target's edge, or along the edge when the origin is on it.
   */
  timeTo(dist: Float64Array, origin: Spot, extraS: number, target: Spot): number {
    const { graph, costing } = this;
    const e = target.edge;
    const along = edgeCost(costing, e, 0);
    const against = edgeCost(costing, e, 1);
    let t = Math.min(dist[graph.edgeFrom[e]] + target.fraction * along, dist[graph.edgeTo[e]] + (1 - target.fraction) * against);
    if (origin.edge === e) {
      const d = target.fraction - origin.fraction;
      const direct = d >= 0 ? d * along : -d * against;
      t = Math.min(t, extraS + origin.distanceM / costing.accessSpeedMps + direct);
    }
    return t + target.distanceM / costing.accessSpeedMps;
  }

  private spotAt(e: number, p: number, t: number, lon: number, lat: number): Spot {
    const g = this.graph.geom;
    const sLon = g[2 * p] + (g[2 * p + 2] - g[2 * p]) * t;
    const sLat = g[2 * p + 1] + (g[2 * p + 3] - g[2 * p + 1]) * t;
    let before = 0;
    let total = 0;
    for (let q = this.graph.edgeGeomStart[e]; q < this.graph.edgeGeomStart[e + 1] - 1; q++) {
      const len = haversineM(g[2 * q], g[2 * q + 1], g[2 * q + 2], g[2 * q + 3]);
      if (q < p) before += len;
      else if (q === p) before += len * t;
      total += len;
    }
    return { edge: e, fraction: total > 0 ? before / total : 0, distanceM: haversineM(lon, lat, sLon, sLat), lon: sLon, lat: sLat };
  }
}

/** A binary heap of (time, node) pairs. */
class MinHeap {
  private readonly items: [number, number][] = [];

  get size(): number {
    return this.items.length;
  }

  push(t: number, node: number): void {
    const h = this.items;
    h.push([t, node]);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (h[p][0] <= h[i][0]) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
  }

  pop(): [number, number] {
    const h = this.items;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && h[l][0] < h[m][0]) m = l;
        if (r < h.length && h[r][0] < h[m][0]) m = r;
        if (m === i) break;
        [h[m], h[i]] = [h[i], h[m]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * A place item's verdict for one community from its homes' time ranges, by plain arithmetic:
 * `lo[h]`..`hi[h]` seconds (Infinity: none within the budget) bound what the engine may compute for
 * home h (a snapping tie gives a range). A home whose range comes within `TIE_S` of the budget may be
 * counted in or out: the expectation is then a range too, and the status a tie (undefined) when it
 * could go either way.
 */
export interface ExpectedVerdict {
  /** Undefined: a tie at the budget could make it either. */
  status: 'met' | 'unmet' | undefined;
  /** Bounds on the share of residents within the budget. */
  residentsShare: [number, number];
  /** Bounds on the weighted median home's seconds (Infinity: beyond the budget, reported as null). */
  median: [number, number];
  /** Bounds on the worst home's seconds (Infinity: some home reaches none, reported as null). */
  worst: [number, number];
  /** Bounds on the best home's seconds (the community's nearest facility). */
  best: [number, number];
  /** Homes within TIE_S of the budget. */
  atBudget: number;
}

/** A time this close to the budget may come out on either side of it. */
export const TIE_S = 1;

export function expectedVerdict(lo: readonly number[], hi: readonly number[], weights: readonly number[], budgetS: number, metShare: number): ExpectedVerdict {
  const n = lo.length;
  let total = weights.reduce((a, b) => a + b, 0);
  const w = total > 0 ? weights : weights.map(() => 1);
  if (!(total > 0)) total = n;
  const atBudget = lo.map((t, h) => t <= budgetS + TIE_S && hi[h] >= budgetS - TIE_S);
  // Every home at the budget counted in (as early as it may be), or out.
  const early = lo.map((t, h) => (atBudget[h] ? Math.min(t, budgetS) : t));
  const late = hi.map((t, h) => (atBudget[h] ? Infinity : t));
  const within = (times: readonly number[]) => times.reduce((sum, t, h) => sum + (t <= budgetS ? w[h] : 0), 0) / total;
  const shareHi = within(early);
  const shareLo = within(late);
  // Met when the share as reported (to 4 decimals) is at least metShare.
  const metLo = Math.round(shareLo * 1e4) / 1e4 >= metShare - 1e-9;
  const metHi = Math.round(shareHi * 1e4) / 1e4 >= metShare - 1e-9;
  const capped = (t: number) => (t <= budgetS ? t : Infinity);
  const median = (times: readonly number[]): [number, number] => {
    // The weighted median: the least time by which at least half the residents are home. When half
    // is reached exactly (to rounding), the next home's time is as good an answer.
    const order = [...times.keys()].sort((a, b) => times[a] - times[b]);
    let cumulative = 0;
    for (let k = 0; k < order.length; k++) {
      cumulative += w[order[k]];
      if (cumulative >= total / 2 - 1e-9 * total) {
        const next = Math.abs(cumulative - total / 2) <= 1e-9 * total && k + 1 < order.length ? times[order[k + 1]] : times[order[k]];
        return [capped(times[order[k]]), capped(next)];
      }
    }
    return [capped(times[order[n - 1]]), capped(times[order[n - 1]])];
  };
  return {
    status: metLo === metHi ? (metLo ? 'met' : 'unmet') : undefined,
    residentsShare: [shareLo, shareHi],
    median: [median(early)[0], median(late)[1]],
    worst: [capped(Math.max(...early)), capped(Math.max(...late))],
    best: [capped(Math.min(...early)), capped(Math.min(...late))],
    atBudget: atBudget.filter(Boolean).length,
  };
}
