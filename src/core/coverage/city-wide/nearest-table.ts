import { CATEGORY_IDS } from '../../facilities/categories.ts';
import type { PlacedFacilities } from '../facility-index.ts';
import type { OriginSeeds } from './origin-seeds.ts';
import { allocate } from './typed.ts';

/**
 * For one travel group: per home (row) and searched category, the nearest facility entry within the
 * budget — seconds, metres (both access legs included, as the per-community scan counts them) and
 * the entry (PoiIndex position, -1 and Infinity when none). Column-major (one column per category),
 * so that each worker writes the columns of its categories into shared memory and nothing is sent back.
 */
export interface NearestTable {
  /** Homes (OriginSeeds rows). */
  rowCount: number;
  /** Column j holds category categories[j]. */
  categories: Int32Array;
  /** Column of category c, -1 when not searched. */
  columnOf: Int32Array;
  time: Float64Array;
  meters: Float64Array;
  entry: Int32Array;
}

export function nearestTable(categories: readonly number[], rowCount: number, shared: boolean): NearestTable {
  const size = categories.length * rowCount;
  const columnOf = new Int32Array(CATEGORY_IDS.length).fill(-1);
  categories.forEach((c, j) => (columnOf[c] = j));
  const cats = allocate(Int32Array, categories.length, shared);
  cats.set(categories);
  const time = allocate(Float64Array, size, shared);
  time.fill(Infinity);
  const entry = allocate(Int32Array, size, shared);
  entry.fill(-1);
  return { rowCount, categories: cats, columnOf, time, meters: allocate(Float64Array, size, shared), entry };
}

/**
 * Facilities on an origin's own edge, reached straight along it without passing a node: the case the
 * node labels cannot see (ReachedFacilities.scan's second loop, with the same arithmetic). Offered
 * after the columns are filled; a strictly shorter time replaces the nearest.
 */
export function offerOwnEdges(table: NearestTable, origins: OriginSeeds, placed: PlacedFacilities, budgetS: number): void {
  const { costing, index } = placed;
  const { edgeArc, edgeLength } = costing.graph;
  const cost = costing.forward;
  const accessMps = costing.accessSpeedMps;
  const { edgeStart, fraction, accessS, category } = index;
  const n = table.rowCount;
  for (let i = 0; i < n; i++) {
    for (let p = origins.pointStart[i]; p < origins.pointStart[i + 1]; p++) {
      const e = origins.pointEdge[p];
      const along = cost[edgeArc[2 * e]];
      const back = cost[edgeArc[2 * e + 1]];
      for (let k = edgeStart[e]; k < edgeStart[e + 1]; k++) {
        const column = table.columnOf[category[k]];
        if (column < 0) continue;
        const d = fraction[k] - origins.pointFraction[p];
        const c = d >= 0 ? d * along : -d * back;
        const t = origins.pointAccessS[p] + c + accessS[k];
        // NaN (0 × Infinity on a one-way edge) is rejected here as the scan rejects it.
        if (!(t <= budgetS)) continue;
        const cell = column * n + i;
        if (t < table.time[cell]) {
          table.time[cell] = t;
          table.meters[cell] = origins.pointAccessM[p] + Math.abs(d) * edgeLength[e] + accessS[k] * accessMps;
          table.entry[cell] = k;
        }
      }
    }
  }
}
