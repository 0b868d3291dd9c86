import { CATEGORY_IDS } from '../../facilities/categories.ts';
import { edgeCost } from '../../routing/costing.ts';
import type { PlacedFacilities } from '../facility-index.ts';
import { allocate } from './typed.ts';

/**
 * The seeds of the reverse multi-source searches: for each category, every placed facility entry
 * (facility × category × entrance) seeds the end nodes of its edge with the time to get from that
 * node onto the entry — the partial edge plus the entry's access leg — exactly as the per-community
 * scan (ReachedFacilities.scan) counts a facility reached through either end of its edge. Each seed
 * carries its entry (PoiIndex position) as its label, so the search tells every node which entry of
 * the category is nearest.
 *
 * CSR by category: seeds of category c are start[c] .. start[c+1]-1.
 */
export interface CategorySeeds {
  start: Uint32Array;
  node: Uint32Array;
  time: Float64Array;
  meters: Float64Array;
  entry: Int32Array;
}

export function categorySeeds(placed: PlacedFacilities, shared: boolean): CategorySeeds {
  const { index } = placed;
  const categoryCount = CATEGORY_IDS.length;
  const entryCount = index.poi.length;
  const start = allocate(Uint32Array, categoryCount + 1, shared);
  // At most two seeds per entry (one per end node the mode may leave it towards).
  for (let k = 0; k < entryCount; k++) start[index.category[k] + 1] += 2;
  for (let c = 0; c < categoryCount; c++) start[c + 1] += start[c];
  const capacity = start[categoryCount];
  const node = allocate(Uint32Array, capacity, shared);
  const time = allocate(Float64Array, capacity, shared);
  const meters = allocate(Float64Array, capacity, shared);
  const entry = allocate(Int32Array, capacity, shared);
  const fill = start.slice(0, categoryCount);
  forEachEntrySeed(placed, (k, n, t, m) => {
    const i = fill[index.category[k]]++;
    node[i] = n;
    time[i] = t;
    meters[i] = m;
    entry[i] = k;
  });
  // Close the gaps left by seeds a one-way edge did not need: a category's seeds stay contiguous.
  let write = 0;
  for (let c = 0; c < categoryCount; c++) {
    const from = start[c];
    const to = fill[c];
    start[c] = write;
    for (let i = from; i < to; i++, write++) {
      node[write] = node[i];
      time[write] = time[i];
      meters[write] = meters[i];
      entry[write] = entry[i];
    }
  }
  start[categoryCount] = write;
  return { start, node, time, meters, entry };
}

/**
 * The reverse seeds of every placed entry (facility × category × entrance), in edge order: each seeds
 * its edge's end nodes with the time (and metres) from that node onto the entry — the partial edge
 * plus the entry's access leg, exactly as the per-community scan (ReachedFacilities.scan) counts a
 * facility reached through either end of its edge. A one-way edge seeds only the end it can be left
 * from. Shared by the category seeds here and siting's candidate seeds (src/core/siting/reach-sets.ts).
 */
export function forEachEntrySeed(placed: PlacedFacilities, visit: (entry: number, node: number, seconds: number, meters: number) => void): void {
  const { costing, index } = placed;
  const g = costing.graph;
  for (let e = 0; e < g.edgeCount; e++) {
    const first = index.edgeStart[e];
    const last = index.edgeStart[e + 1];
    if (first === last) continue;
    const along = edgeCost(costing, e, 0);
    const against = edgeCost(costing, e, 1);
    const len = g.edgeLength[e];
    for (let k = first; k < last; k++) {
      const f = index.fraction[k];
      const accessS = index.accessS[k];
      // The scan's access metres are accessS × walking speed: the same product here.
      const accessM = accessS * costing.accessSpeedMps;
      // From the from-node, along the line onto the entry; from the to-node, against it.
      if (along < Infinity) visit(k, g.edgeFrom[e], accessS + f * along, accessM + f * len);
      if (against < Infinity) visit(k, g.edgeTo[e], accessS + (1 - f) * against, accessM + (1 - f) * len);
    }
  }
}
