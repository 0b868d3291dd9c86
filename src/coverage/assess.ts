import { CATEGORY_IDS, categoryIndex } from '../facilities/categories.ts';
import type { Item, Standard } from '../standards/types.ts';
import type { ReachedFacilities } from './reach.ts';

/**
 * One community against one standard: every item's status, the nearest facility that satisfies each
 * place item and how many are reachable, shares per service group and overall, pass or fail.
 */
export type ItemStatus = 'met' | 'unmet' | 'declared' | 'not_declared';

export interface NearestFacility {
  facilityId: string;
  name?: string;
  category: string;
  minutes: number;
  meters: number;
  /** Metres walked between the facility and its road (the community's own leg is in `meters` too). */
  accessM: number;
}

export interface ItemResult {
  itemId: string;
  group: string;
  number: number;
  zh: string;
  en: string;
  kind: Item['kind'];
  status: ItemStatus;
  nearest?: NearestFacility;
  reachableCount?: number;
}

export interface GroupResult {
  id: string;
  zh: string;
  en: string;
  met: number;
  total: number;
  share: number;
}

export interface StandardResult {
  standardId: string;
  level: Standard['level'];
  mode: string;
  speedKmh: number;
  minutes: number;
  /** Every item met (places) or declared (programmes, online services). */
  pass: boolean;
  met: number;
  total: number;
  share: number;
  groups: GroupResult[];
  missing: { itemId: string; zh: string; en: string }[];
  items: ItemResult[];
}

/** A standard with its items' categories resolved to indices, once. */
export interface CompiledStandard {
  standard: Standard;
  itemCategories: number[][];
}

export function compileStandard(standard: Standard): CompiledStandard {
  return { standard, itemCategories: standard.items.map((item) => (item.kind === 'place' ? (item.categories ?? []).map(categoryIndex) : [])) };
}

/** Scratch space for assessing many communities against one facility set. */
export class Assessor {
  private readonly facilityStamp: Uint32Array;
  private epoch = 0;
  private readonly bucketStart = new Uint32Array(CATEGORY_IDS.length + 1);
  private bucket: Uint32Array = new Uint32Array(0);

  constructor(facilityCount: number) {
    this.facilityStamp = new Uint32Array(facilityCount);
  }

  assess(compiled: CompiledStandard, reached: ReachedFacilities, services: ReadonlySet<string>, travel: { mode: string; speedKmh: number; minutes: number }): StandardResult {
    const { standard, itemCategories } = compiled;
    this.bucketByCategory(reached);
    const { index, facilityOfPoint } = reached.placed;
    // Literal objects in one shape (no spreads, no closures): this runs for every item of every
    // community of every request.
    const items: ItemResult[] = new Array(standard.items.length);
    for (let i = 0; i < standard.items.length; i++) {
      const item = standard.items[i];
      if (item.kind !== 'place') {
        items[i] = { itemId: item.id, group: item.group, number: item.number, zh: item.zh, en: item.en, kind: item.kind, status: services.has(item.id) ? 'declared' : 'not_declared' };
        continue;
      }
      const epoch = ++this.epoch;
      let best = -1;
      let count = 0;
      for (const c of itemCategories[i]) {
        for (let j = this.bucketStart[c]; j < this.bucketStart[c + 1]; j++) {
          const k = this.bucket[j];
          const f = facilityOfPoint[index.poi[k]];
          if (this.facilityStamp[f] !== epoch) {
            this.facilityStamp[f] = epoch;
            count++;
          }
          if (best < 0 || reached.time[k] < reached.time[best]) best = k;
        }
      }
      items[i] =
        best < 0
          ? { itemId: item.id, group: item.group, number: item.number, zh: item.zh, en: item.en, kind: item.kind, status: 'unmet', reachableCount: 0 }
          : { itemId: item.id, group: item.group, number: item.number, zh: item.zh, en: item.en, kind: item.kind, status: 'met', reachableCount: count, nearest: nearestFacility(reached.placed, best, reached.time[best], reached.meters[best]) };
    }
    return standardResult(standard, items, travel);
  }

  /** Counting sort of the reached entries by category, so each item reads only its categories. */
  private bucketByCategory(reached: ReachedFacilities): void {
    const start = this.bucketStart;
    start.fill(0);
    const category = reached.placed.index.category;
    for (let i = 0; i < reached.count; i++) start[category[reached.entries[i]] + 1]++;
    for (let c = 0; c < CATEGORY_IDS.length; c++) start[c + 1] += start[c];
    if (this.bucket.length < reached.count) this.bucket = new Uint32Array(Math.max(reached.count, this.bucket.length * 2));
    const fill = start.slice(0, CATEGORY_IDS.length);
    for (let i = 0; i < reached.count; i++) {
      const k = reached.entries[i];
      this.bucket[fill[category[k]]++] = k;
    }
  }
}

/**
 * The nearest facility as reported, from a PoiIndex entry and its time (s) and distance (m). Shared
 * with the city-wide computation (src/coverage/city-wide) so both report a facility identically.
 */
export function nearestFacility(placed: ReachedFacilities['placed'], entry: number, seconds: number, meters: number): NearestFacility {
  const { index, facilities, facilityOfPoint } = placed;
  const facility = facilities[facilityOfPoint[index.poi[entry]]];
  return {
    facilityId: facility.id,
    ...(facility.name ? { name: facility.name } : {}),
    category: CATEGORY_IDS[index.category[entry]],
    minutes: round(seconds / 60, 2),
    meters: Math.round(meters),
    accessM: Math.round(index.accessS[entry] * placed.costing.accessSpeedMps),
  };
}

/** A standard's result from its items' results: shares per group and overall, pass, missing items. */
export function standardResult(standard: Standard, items: ItemResult[], travel: { mode: string; speedKmh: number; minutes: number }): StandardResult {
  // One pass over the items; groups are few (≤ 8), looked up by position.
  const groupMet = new Array<number>(standard.groups.length).fill(0);
  const groupTotal = new Array<number>(standard.groups.length).fill(0);
  const missing: StandardResult['missing'] = [];
  let met = 0;
  for (const r of items) {
    const g = groupPosition(standard, r.group);
    if (g >= 0) groupTotal[g]++;
    if (r.status === 'met' || r.status === 'declared') {
      met++;
      if (g >= 0) groupMet[g]++;
    } else missing.push({ itemId: r.itemId, zh: r.zh, en: r.en });
  }
  const groups = standard.groups.map((g, i) => ({ id: g.id, zh: g.zh, en: g.en, met: groupMet[i], total: groupTotal[i], share: share(groupMet[i], groupTotal[i]) }));
  return {
    standardId: standard.id,
    level: standard.level,
    ...travel,
    pass: met === items.length,
    met,
    total: items.length,
    share: share(met, items.length),
    groups,
    missing,
    items,
  };
}

function groupPosition(standard: Standard, id: string): number {
  const groups = standard.groups;
  for (let i = 0; i < groups.length; i++) if (groups[i].id === id) return i;
  return -1;
}

function share(part: number, total: number): number {
  return total === 0 ? 0 : round(part / total, 4);
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
