import { CATEGORY_IDS } from '../../facilities/categories.ts';
import type { Costing } from '../../routing/costing.ts';
import type { NetworkPoint } from '../../routing/network-point.ts';
import type { PoiIndex } from '../../routing/poi-index.ts';
import { Router } from '../../routing/travel-times.ts';
import type { CompiledStandard } from '../assess.ts';
import type { PlacedFacilities } from '../facility-index.ts';
import { ReachedFacilities } from '../reach.ts';
import type { OriginSeeds } from './origin-seeds.ts';
import { allocate, copyOf } from './typed.ts';

/**
 * `reachableCount` for detail 'full': how many distinct facilities of an item's categories each
 * community reaches. That is a property of the whole set a community reaches, which no nearest label
 * carries, so it takes one forward search per community — the per-community method's own search and
 * scan (Router, ReachedFacilities), run over ranges of communities so the workers can share them.
 */
export interface CountWork {
  /** Distinct item category sets of the group's standards; counts[set * communities + community]. */
  setKeys: string[];
  sets: number[][];
  index: Pick<PoiIndex, 'edgeStart' | 'fraction' | 'accessS' | 'category' | 'poi'>;
  facilityOfPoint: Uint32Array;
  facilityCount: number;
  counts: Int32Array;
}

export function countWork(placed: PlacedFacilities, standards: readonly CompiledStandard[], communityCount: number, shared: boolean): CountWork {
  const byKey = new Map<string, number[]>();
  for (const s of standards) {
    s.standard.items.forEach((item, k) => {
      if (item.kind === 'place') byKey.set(setKey(s.itemCategories[k]), s.itemCategories[k]);
    });
  }
  const { index } = placed;
  return {
    setKeys: [...byKey.keys()],
    sets: [...byKey.values()],
    index: shared
      ? {
          edgeStart: copyOf(Uint32Array, index.edgeStart, true),
          fraction: copyOf(Float64Array, index.fraction, true),
          accessS: copyOf(Float64Array, index.accessS, true),
          category: copyOf(Uint16Array, index.category, true),
          poi: copyOf(Uint32Array, index.poi, true),
        }
      : index,
    facilityOfPoint: shared ? copyOf(Uint32Array, placed.facilityOfPoint, true) : placed.facilityOfPoint,
    facilityCount: placed.facilities.length,
    counts: allocate(Int32Array, byKey.size * communityCount, shared),
  };
}

/** Fills the counts of communities from .. to-1 (those with placed homes). */
export function countReachable(router: Router, costing: Costing, work: CountWork, origins: OriginSeeds, budgetS: number, from: number, to: number): void {
  const { reached, stamp } = scratchFor(work, costing);
  const { category, poi } = work.index;
  const n = origins.communityCount;
  const member = work.sets.map((set) => {
    const m = new Uint8Array(CATEGORY_IDS.length);
    for (const c of set) m[c] = 1;
    return m;
  });
  let epoch = stamp.epoch;
  const points: NetworkPoint[] = [];
  for (let i = from; i < to; i++) {
    points.length = 0;
    // Every home's points at once: a facility counts when some home of the community reaches it.
    for (let p = origins.pointStart[origins.rowStart[i]]; p < origins.pointStart[origins.rowStart[i + 1]]; p++) {
      points.push({ edge: origins.pointEdge[p], fraction: origins.pointFraction[p], accessS: origins.pointAccessS[p], accessM: origins.pointAccessM[p] });
    }
    if (points.length === 0) continue;
    reached.scan(router.searchFrom(costing, points, budgetS), points);
    for (let s = 0; s < member.length; s++) {
      const m = member[s];
      epoch++;
      let count = 0;
      for (let r = 0; r < reached.count; r++) {
        const k = reached.entries[r];
        if (!m[category[k]]) continue;
        const f = work.facilityOfPoint[poi[k]];
        if (stamp.of[f] !== epoch) {
          stamp.of[f] = epoch;
          count++;
        }
      }
      work.counts[s * n + i] = count;
    }
  }
  stamp.epoch = epoch;
}

// A server counts for every request on the same placement (its index is the placement's own, not a
// copy): the scan's arrays, sized to every placed facility, are made once per placement and costing.
const scratch = new WeakMap<object, { reached: ReachedFacilities; stamp: { of: Uint32Array; epoch: number }; costing: Costing }>();

function scratchFor(work: CountWork, costing: Costing): { reached: ReachedFacilities; stamp: { of: Uint32Array; epoch: number } } {
  let s = scratch.get(work.index);
  if (!s || s.costing !== costing || s.stamp.of.length < work.facilityCount || s.stamp.epoch > 0xf0000000) {
    // ReachedFacilities reads only the costing and the index of a placement.
    const reached = new ReachedFacilities({ costing, index: work.index } as unknown as PlacedFacilities);
    s = { reached, stamp: { of: new Uint32Array(work.facilityCount), epoch: 0 }, costing };
    scratch.set(work.index, s);
  }
  return s;
}

/** An item's category set as a key: the same set in two standards is counted once. */
export function setKey(categories: readonly number[]): string {
  return [...categories].sort((a, b) => a - b).join(',');
}
