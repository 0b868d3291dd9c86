import type { Community } from '../../communities/read-communities.ts';
import type { Facility } from '../../facilities/read-facilities.ts';
import type { Graph } from '../../network/graph.ts';
import type { Mode } from '../../network/profiles.ts';
import { type Costing, buildCosting, costingFor } from '../../routing/costing.ts';
import type { Standard } from '../../standards/types.ts';
import { type CompiledStandard, compileStandard } from '../assess.ts';
import type { CoverageOptions } from '../coverage.ts';
import { type PlacedFacilities, placeFacilities } from '../facility-index.ts';
import { type CategorySeeds, categorySeeds } from './facility-seeds.ts';
import { type NearestTable, nearestTable } from './nearest-table.ts';
import { type OriginSeeds, originSeeds } from './origin-seeds.ts';
import { type CountWork, countWork } from './reachable-counts.ts';
import { type SharedCosting, costingFromShared, shareCosting } from './shared-graph.ts';
import { allocate } from './typed.ts';

/**
 * What a city-wide computation will do, per travel group: standards that travel the same way (mode,
 * speed, minutes) share their searches, as in the per-community method — here one multi-source
 * search per category their place items name, from every facility of that category at once.
 */
export interface Travel {
  mode: Mode;
  speedKmh?: number;
  minutes: number;
}

export interface TravelGroup {
  key: string;
  /** Its place in the standards' order (groupStandards), which the report follows whatever order it was planned in. */
  position: number;
  travel: Travel;
  costing: Costing;
  placed: PlacedFacilities;
  standards: CompiledStandard[];
  /** Everything the searches read and write, as typed arrays (shared memory when `shared`). */
  work: GroupWork;
}

/** The part of a travel group a worker thread needs: cloned into a task, its arrays are not copied. */
export interface GroupWork {
  key: string;
  budgetS: number;
  costing: SharedCosting;
  facilitySeeds: CategorySeeds;
  origins: OriginSeeds;
  table: NearestTable;
  /**
   * Shared groups: seconds from the group's nearest home to each node (Infinity beyond the budget),
   * filled first. Empty when the group is searched in the planning thread (MultiSourceSearch's own array).
   */
  originTimes: Float64Array;
  /** Detail 'full' only: reachable facilities per community and item category set. */
  counts?: CountWork;
}

/**
 * The travel groups of the standards, each planned when it is reached: facilities and origins placed,
 * seeds and tables allocated. A generator, so that the workers search the first group while this
 * thread places the next one. In the per-community method's order; for threads (`shared`), the group
 * with the fewest communities first: placing a city's homes is most of the planning, and the threads
 * then search the small group (villages: few homes, long searches) while this one places the large one.
 */
export function* planTravelGroups(
  graph: Graph,
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  opts: CoverageOptions,
  detail: 'nearest' | 'full',
  shared: boolean,
): Generator<TravelGroup> {
  const groups = groupStandards(standards, opts).map((g, position) => {
    const types = new Set(g.standards.map((s) => s.standard.communityType));
    return { ...g, position, assessed: communities.reduce((n, c) => n + (types.has(c.type) ? 1 : 0), 0) };
  });
  // Stable: groups of as many communities keep the standards' order.
  if (shared) groups.sort((a, b) => a.assessed - b.assessed);
  for (const { key, travel, standards: compiled, position } of groups) {
    // Threads need the costs in shared memory: built once there, rather than cached (costingFor)
    // and copied, which would hold both (32 MB per mode on a 1M-edge city).
    const costing = shared
      ? costingFromShared(graph, shareCosting(buildCosting(graph, { mode: travel.mode, speedKmh: travel.speedKmh })))
      : costingFor(graph, { mode: travel.mode, speedKmh: travel.speedKmh });
    const placed = opts.placedFor ? opts.placedFor(costing) : placeFacilities(costing, facilities, opts.maxSnapM);
    const types = new Set(compiled.map((s) => s.standard.communityType));
    const facilitySeeds = shared ? categorySeeds(placed, true) : seedsOf(placed);
    // Only categories that some facility provides: items of the others are unmet, nothing to search.
    const categories = namedCategories(compiled).filter((c) => facilitySeeds.start[c + 1] > facilitySeeds.start[c]);
    const origins = originSeeds(costing, communities, (c) => types.has(c.type), opts.maxSnapM, shared, opts.origin);
    const work: GroupWork = {
      key,
      budgetS: travel.minutes * 60,
      // Not the Costing itself: it holds the graph, which a task must not carry (it would be cloned).
      costing: { speeds: costing.speeds, forward: costing.forward, reverse: costing.reverse, accessSpeedMps: costing.accessSpeedMps },
      facilitySeeds,
      origins,
      table: nearestTable(categories, origins.rowCount, shared),
      // Threads read the bound from shared memory; one thread uses its search's own (sparse) array.
      originTimes: shared ? allocate(Float64Array, graph.nodeCount, true) : NO_TIMES,
      ...(detail === 'full' ? { counts: countWork(placed, compiled, communities.length, shared) } : {}),
    };
    yield { key, position, travel, costing, placed, standards: compiled, work };
  }
}

/** Standards that travel the same way (mode, speed, minutes), in order of first appearance. */
export function groupStandards(standards: readonly Standard[], opts: CoverageOptions): { key: string; travel: Travel; standards: CompiledStandard[] }[] {
  const byKey = new Map<string, { key: string; travel: Travel; standards: CompiledStandard[] }>();
  for (const standard of standards) {
    const travel: Travel = { mode: opts.mode ?? standard.mode, speedKmh: opts.speedKmh, minutes: opts.minutes ?? standard.minutes };
    // The same key as the per-community method (coverage.ts), so the groups come in the same order.
    const key = `${travel.mode}|${travel.speedKmh ?? ''}|${travel.minutes}`;
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = { key, travel, standards: [] }));
    group.standards.push(compileStandard(standard));
  }
  return [...byKey.values()];
}

/** The categories a group's place items name, ascending. */
export function namedCategories(standards: readonly CompiledStandard[]): readonly number[] {
  if (standards.length === 1) return categoriesOf(standards[0]);
  const named = new Set<number>();
  for (const s of standards) for (const c of categoriesOf(s)) named.add(c);
  return [...named].sort((a, b) => a - b);
}

// Per compiled standard (compileStandard keeps one per standard): asked several times per request.
const categoriesByStandard = new WeakMap<CompiledStandard, readonly number[]>();

function categoriesOf(standard: CompiledStandard): readonly number[] {
  let categories = categoriesByStandard.get(standard);
  if (!categories) {
    const named = new Set<number>();
    for (const item of standard.itemCategories) for (const c of item) named.add(c);
    categoriesByStandard.set(standard, (categories = [...named].sort((a, b) => a - b)));
  }
  return categories;
}

// Seeds per placement, which a server keeps between requests: placed once, not per request.
const seedsByPlacement = new WeakMap<PlacedFacilities, CategorySeeds>();

function seedsOf(placed: PlacedFacilities): CategorySeeds {
  let seeds = seedsByPlacement.get(placed);
  if (!seeds) seedsByPlacement.set(placed, (seeds = categorySeeds(placed, false)));
  return seeds;
}

const NO_TIMES = new Float64Array(0);

/** Communities per counting task: a few chunks per thread, as villages' searches cost more than towns'. */
export function countChunkSize(communities: number, threads: number): number {
  return Math.max(1, Math.ceil(communities / (threads * 8)));
}
