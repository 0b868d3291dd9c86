import type { Static } from '@sinclair/typebox';
import { CATEGORY_IDS, categoryIndex } from '../facilities/categories.ts';
import type { Item, Standard } from '../standards/types.ts';
import type { ReachedFacilities } from './reach.ts';
import type { ItemResultSchema, ItemStatusSchema, NearestFacilitySchema, StandardResultSchema } from './report-schema.ts';

/**
 * One community against one standard, measured from its homes: for every place item, the share of
 * residents (homes weighted by the people they stand for) whose nearest facility of the item is
 * within the budget, the median and worst home's time, the nearest facility; programme items by
 * declaration; shares per service group and overall, pass or fail.
 *
 * Statuses:
 * - `met`: residentsShare ≥ metShare;
 * - `unmet`: the data has facilities of the item's categories (placed on the network), too few
 *   residents reach one;
 * - `no_facility`: no facility of the item's categories in the data within the network's reach — a
 *   gap in the data, not in the service;
 * - `declared` / `not_declared`: programmes and online services, by the community's declarations.
 */
export type ItemStatus = Static<typeof ItemStatusSchema>;

/** What a share of residents must reach for an item to be met, unless the request says otherwise. */
export const DEFAULT_MET_SHARE = 0.8;

/** The nearest facility that satisfies an item, to any home of the community. */
export type NearestFacility = Static<typeof NearestFacilitySchema>;
export type ItemResult = Static<typeof ItemResultSchema>;
export type StandardResult = Static<typeof StandardResultSchema>;

/** A standard with its items' categories resolved to indices, once. */
export interface CompiledStandard {
  standard: Standard;
  itemCategories: number[][];
}

export function compileStandard(standard: Standard): CompiledStandard {
  // Once per standard object: the catalogue's are the same in every request (a server answers thousands).
  let compiled = compiledStandards.get(standard);
  if (!compiled) {
    compiled = { standard, itemCategories: standard.items.map((item) => (item.kind === 'place' ? (item.categories ?? []).map(categoryIndex) : [])) };
    compiledStandards.set(standard, compiled);
  }
  return compiled;
}

const compiledStandards = new WeakMap<Standard, CompiledStandard>();

/**
 * One place item's verdict from its homes' times: `time[r]` seconds from home r (rows from..to-1) to
 * its nearest facility of the item (Infinity: none within the budget), `weight[r]` the residents it
 * stands for. Shared by the city-wide engine and the per-home oracle, so both decide alike.
 */
export interface HomesVerdict {
  status: 'met' | 'unmet';
  residentsShare: number;
  homes: number;
  medianMinutes: number | null;
  worstMinutes: number | null;
}

export function homesVerdict(time: ArrayLike<number>, weight: ArrayLike<number>, from: number, to: number, budgetS: number, metShare: number): HomesVerdict {
  let total = 0;
  for (let r = from; r < to; r++) total += weight[r];
  // Weights of zero everywhere (a population of 0): every home counts alike.
  const uniform = !(total > 0);
  if (uniform) total = to - from;
  let within = 0;
  let worst = 0;
  for (let r = from; r < to; r++) {
    const t = time[r];
    if (t <= budgetS) within += uniform ? 1 : weight[r];
    if (!(t <= worst)) worst = t;
  }
  const residentsShare = round(total > 0 ? within / total : 0, 4);
  return {
    // Decided on the share as reported, so an answer checks out from its own fields: two parts of
    // 16 and 24 grid homes on 625 m² each are 0.3999996 by their areas on the ellipsoid, read 0.4,
    // and meet a metShare of 0.4. A hair of slack: 4 of 5 equal homes is 0.8 whatever the order.
    status: residentsShare >= metShare - 1e-12 ? 'met' : 'unmet',
    residentsShare,
    homes: to - from,
    medianMinutes: minutesOrNull(weightedMedian(time, uniform ? undefined : weight, from, to, total), budgetS),
    worstMinutes: minutesOrNull(worst, budgetS),
  };
}

/**
 * The time of the home at which the residents, taken by time (then by position), reach half the
 * total. Homes sorted by (time, position) in reused arrays: this runs for every place item of every
 * community (~10⁶ times in a city's nightly), and an insertion sort of a community's few dozen homes
 * costs a fraction of a typed array's sort with a comparator.
 */
function weightedMedian(time: ArrayLike<number>, weight: ArrayLike<number> | undefined, from: number, to: number, total: number): number {
  const n = to - from;
  if (n === 1) return time[from];
  if (order.length < n) {
    order = new Uint32Array(Math.max(n, order.length * 2));
    orderTime = new Float64Array(order.length);
  }
  if (n <= INSERTION_SORT_MAX) {
    // Stable: equal times keep their positions' order, as the comparator below orders them.
    for (let i = 0; i < n; i++) {
      const r = from + i;
      const t = time[r];
      let j = i - 1;
      while (j >= 0 && orderTime[j] > t) {
        order[j + 1] = order[j];
        orderTime[j + 1] = orderTime[j];
        j--;
      }
      order[j + 1] = r;
      orderTime[j + 1] = t;
    }
  } else {
    const positions = order.subarray(0, n);
    for (let i = 0; i < n; i++) positions[i] = from + i;
    positions.sort((a, b) => time[a] - time[b] || a - b);
  }
  let cumulative = 0;
  // Relative slack: totals are populations in the thousands, summed in any order.
  const half = (total / 2) * (1 - 1e-12);
  for (let i = 0; i < n; i++) {
    const r = order[i];
    cumulative += weight ? weight[r] : 1;
    if (cumulative >= half) return time[r];
  }
  return time[order[n - 1]];
}

/** Up to this many homes, sorted by insertion (a community's homes are a few dozen; grids up to the cap). */
const INSERTION_SORT_MAX = 64;
let order = new Uint32Array(64);
let orderTime = new Float64Array(64);

function minutesOrNull(seconds: number, budgetS: number): number | null {
  return seconds <= budgetS ? round(seconds / 60, 2) : null;
}

/**
 * An item's result as both engines report it, keys always in this order (the same JSON and CSV bytes
 * from either). Object literals in one shape, not spreads: a city has ~10⁶ items.
 */
export function placeItemResult(item: Item, verdict: HomesVerdict | undefined, homes: number, nearest: NearestFacility | undefined, reachableCount: number | undefined): ItemResult {
  if (!verdict) {
    // No facility of the item's categories in the data: nothing to measure, no share to state.
    const r: ItemResult = { itemId: item.id, group: item.group, number: item.number, zh: item.zh, en: item.en, kind: item.kind, status: 'no_facility', homes };
    if (reachableCount !== undefined) r.reachableCount = reachableCount;
    return r;
  }
  const r: ItemResult = {
    itemId: item.id, group: item.group, number: item.number, zh: item.zh, en: item.en, kind: item.kind,
    status: verdict.status, residentsShare: verdict.residentsShare, homes: verdict.homes, medianMinutes: verdict.medianMinutes, worstMinutes: verdict.worstMinutes,
  };
  if (reachableCount !== undefined) r.reachableCount = reachableCount;
  if (nearest) r.nearest = nearest;
  return r;
}

export function programmeItemResult(item: Item, declared: boolean): ItemResult {
  return { itemId: item.id, group: item.group, number: item.number, zh: item.zh, en: item.en, kind: item.kind, status: declared ? 'declared' : 'not_declared' };
}

/** Scratch space for scanning what one search reached, item by item, against one facility set. */
export class Assessor {
  private readonly facilityStamp: Uint32Array;
  private epoch = 0;
  private readonly bucketStart = new Uint32Array(CATEGORY_IDS.length + 1);
  private bucket: Uint32Array = new Uint32Array(0);

  constructor(facilityCount: number) {
    this.facilityStamp = new Uint32Array(facilityCount);
  }

  /**
   * For every item of the standard, the nearest reached entry of its categories (-1 when none) into
   * `entry[i]`; with `counts`, the distinct facilities reached into `counts[i]`.
   */
  scan(compiled: CompiledStandard, reached: ReachedFacilities, entry: Int32Array, counts?: Int32Array): void {
    const { standard, itemCategories } = compiled;
    this.bucketByCategory(reached);
    const { index, facilityOfPoint } = reached.placed;
    for (let i = 0; i < standard.items.length; i++) {
      let best = -1;
      let count = 0;
      const epoch = ++this.epoch;
      for (const c of itemCategories[i]) {
        for (let j = this.bucketStart[c]; j < this.bucketStart[c + 1]; j++) {
          const k = this.bucket[j];
          if (counts) {
            const f = facilityOfPoint[index.poi[k]];
            if (this.facilityStamp[f] !== epoch) {
              this.facilityStamp[f] = epoch;
              count++;
            }
          }
          if (best < 0 || reached.time[k] < reached.time[best]) best = k;
        }
      }
      entry[i] = best;
      if (counts) counts[i] = count;
    }
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
 * with the city-wide computation (src/core/coverage/city-wide) so both report a facility identically.
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
export function standardResult(standard: Standard, items: ItemResult[], travel: { mode: string; speedKmh: number; minutes: number; metShare: number }): StandardResult {
  // One pass over the items; groups are few (≤ 8), looked up by position.
  const groupMet = new Array<number>(standard.groups.length).fill(0);
  const groupTotal = new Array<number>(standard.groups.length).fill(0);
  const missing: StandardResult['missing'] = [];
  const dataGaps: StandardResult['dataGaps'] = [];
  let met = 0;
  let placesPass = true;
  for (const r of items) {
    const g = groupPosition(standard, r.group);
    if (g >= 0) groupTotal[g]++;
    if (r.status === 'met' || r.status === 'declared') {
      met++;
      if (g >= 0) groupMet[g]++;
    } else if (r.status === 'no_facility') dataGaps.push({ itemId: r.itemId, zh: r.zh, en: r.en });
    else missing.push({ itemId: r.itemId, zh: r.zh, en: r.en });
    if (r.kind === 'place' && r.status !== 'met') placesPass = false;
  }
  const groups = standard.groups.map((g, i) => ({ id: g.id, zh: g.zh, en: g.en, met: groupMet[i], total: groupTotal[i], share: share(groupMet[i], groupTotal[i]) }));
  return {
    standardId: standard.id,
    level: standard.level,
    ...travel,
    pass: met === items.length,
    passPlaces: placesPass,
    met,
    total: items.length,
    share: share(met, items.length),
    groups,
    missing,
    dataGaps,
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
