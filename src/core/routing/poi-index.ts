import type { Costing } from './costing.ts';
import type { NetworkPoint } from './network-point.ts';
import type { GraphSearch } from './search.ts';

/**
 * Facilities (points of interest) grouped by the edge they snap to, in CSR form, so that after one
 * bounded search the nearest facility of every category is read off the reached edges — the question
 * a life-service circle asks of every home — without a search per facility.
 */
export class PoiIndex {
  readonly categoryCount: number;
  /** POIs on edge e are entries edgeStart[e] .. edgeStart[e+1]-1. */
  readonly edgeStart: Uint32Array;
  readonly fraction: Float64Array;
  readonly accessS: Float64Array;
  readonly category: Uint16Array;
  /** The POI's index in the list it was built from. */
  readonly poi: Uint32Array;

  /** `points[i]` may be undefined (not placed on the network): it is left out. */
  constructor(
    readonly costing: Costing,
    points: readonly (NetworkPoint | undefined)[],
    categories: ArrayLike<number>,
    categoryCount: number,
  ) {
    const graph = costing.graph;
    this.categoryCount = categoryCount;
    this.edgeStart = new Uint32Array(graph.edgeCount + 1);
    let count = 0;
    for (const p of points) {
      if (!p) continue;
      this.edgeStart[p.edge + 1]++;
      count++;
    }
    for (let e = 0; e < graph.edgeCount; e++) this.edgeStart[e + 1] += this.edgeStart[e];
    const fill = this.edgeStart.slice(0, graph.edgeCount);
    this.fraction = new Float64Array(count);
    this.accessS = new Float64Array(count);
    this.category = new Uint16Array(count);
    this.poi = new Uint32Array(count);
    points.forEach((p, i) => {
      if (!p) return;
      const k = fill[p.edge]++;
      this.fraction[k] = p.fraction;
      this.accessS[k] = p.accessS;
      this.category[k] = categories[i];
      this.poi[k] = i;
    });
  }
}

/**
 * After a forward search, the nearest POI of each category within the search's budget: its time
 * (seconds, both access legs included) in `outTime[category]` and its index in `outPoi[category]`
 * (-1 and Infinity when none). Allocation-free; reads every edge around every settled node once from
 * each end, plus the seed points' own edges for POIs reached without passing a node.
 */
export function nearestByCategory(search: GraphSearch, pois: PoiIndex, seedPoints: readonly NetworkPoint[], outTime: Float64Array, outPoi: Int32Array): void {
  outTime.fill(Infinity);
  outPoi.fill(-1);
  const graph = search.graph;
  const costing = pois.costing;
  const { arcOffsets, arcEdge } = graph;
  const cost = costing.forward;
  const { edgeStart, fraction, accessS, category, poi } = pois;
  const budget = search.budgetS;
  const settled = search.settled;
  const time = search.time;
  for (let i = 0; i < search.settledCount; i++) {
    const u = settled[i];
    const tu = time[u];
    for (let a = arcOffsets[u], end = arcOffsets[u + 1]; a < end; a++) {
      const edgeDir = arcEdge[a];
      const e = edgeDir >>> 1;
      const first = edgeStart[e];
      const last = edgeStart[e + 1];
      if (first === last) continue;
      const c = cost[a];
      if (c === Infinity) continue;
      const against = edgeDir & 1;
      for (let k = first; k < last; k++) {
        const share = against ? 1 - fraction[k] : fraction[k];
        const t = tu + share * c + accessS[k];
        const cat = category[k];
        if (t <= budget && t < outTime[cat]) {
          outTime[cat] = t;
          outPoi[cat] = poi[k];
        }
      }
    }
  }
  // POIs on a seed's own edge, reached straight along it.
  for (const s of seedPoints) {
    const e = s.edge;
    const along = cost[graph.edgeArc[2 * e]];
    const againstCost = cost[graph.edgeArc[2 * e + 1]];
    for (let k = edgeStart[e]; k < edgeStart[e + 1]; k++) {
      const d = fraction[k] - s.fraction;
      const c = d >= 0 ? d * along : -d * againstCost;
      const t = s.accessS + c + accessS[k];
      const cat = category[k];
      if (t <= budget && t < outTime[cat]) {
        outTime[cat] = t;
        outPoi[cat] = poi[k];
      }
    }
  }
}
