import type { NetworkPoint } from '../routing/network-point.ts';
import type { GraphSearch } from '../routing/search.ts';
import type { PlacedFacilities } from './facility-index.ts';

/**
 * Every facility entry (facility × category × entrance) a search reached within its budget, with
 * its best time and distance: read from the edges around the settled nodes and the seeds' own edges,
 * never by testing facilities against a polygon. Arrays are reused between communities.
 */
export class ReachedFacilities {
  /** Entries (PoiIndex positions) reached by the last scan, first reach order. */
  entries: Uint32Array;
  count = 0;
  /** Best seconds / metres per entry, valid for entries listed since the last scan. */
  readonly time: Float64Array;
  readonly meters: Float64Array;
  private readonly stamp: Uint32Array;
  private epoch = 0;

  constructor(readonly placed: PlacedFacilities) {
    const n = placed.index.poi.length;
    this.entries = new Uint32Array(n);
    this.time = new Float64Array(n);
    this.meters = new Float64Array(n);
    this.stamp = new Uint32Array(n);
  }

  scan(search: GraphSearch, seedPoints: readonly NetworkPoint[]): void {
    this.epoch++;
    this.count = 0;
    const graph = search.graph;
    const { costing, index } = this.placed;
    const { edgeStart, fraction, accessS } = index;
    const { arcOffsets, arcEdge, edgeLength, edgeArc } = graph;
    const cost = costing.forward;
    const budget = search.budgetS;
    const accessMps = costing.accessSpeedMps;
    for (let i = 0; i < search.settledCount; i++) {
      const u = search.settled[i];
      const tu = search.time[u];
      const mu = search.meters[u];
      for (let a = arcOffsets[u], end = arcOffsets[u + 1]; a < end; a++) {
        const edgeDir = arcEdge[a];
        const e = edgeDir >>> 1;
        const first = edgeStart[e];
        const last = edgeStart[e + 1];
        if (first === last || cost[a] === Infinity) continue;
        const against = edgeDir & 1;
        for (let k = first; k < last; k++) {
          const share = against ? 1 - fraction[k] : fraction[k];
          this.offer(k, tu + share * cost[a] + accessS[k], mu + share * edgeLength[e] + accessS[k] * accessMps, budget);
        }
      }
    }
    // Facilities on a seed's own edge, reached straight along it.
    for (const s of seedPoints) {
      const e = s.edge;
      const along = cost[edgeArc[2 * e]];
      const back = cost[edgeArc[2 * e + 1]];
      for (let k = edgeStart[e]; k < edgeStart[e + 1]; k++) {
        const d = fraction[k] - s.fraction;
        const c = d >= 0 ? d * along : -d * back;
        this.offer(k, s.accessS + c + accessS[k], s.accessM + Math.abs(d) * edgeLength[e] + accessS[k] * accessMps, budget);
      }
    }
  }

  private offer(k: number, t: number, m: number, budget: number): void {
    if (!(t <= budget)) return;
    if (this.stamp[k] !== this.epoch) {
      this.stamp[k] = this.epoch;
      this.entries[this.count++] = k;
      this.time[k] = t;
      this.meters[k] = m;
    } else if (t < this.time[k]) {
      this.time[k] = t;
      this.meters[k] = m;
    }
  }
}
