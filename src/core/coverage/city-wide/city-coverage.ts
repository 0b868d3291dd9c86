import type { Static } from '@sinclair/typebox';
import type { Community } from '../../communities/read-communities.ts';
import type { Facility } from '../../facilities/read-facilities.ts';
import type { Graph } from '../../network/graph.ts';
import { Router } from '../../routing/travel-times.ts';
import type { Standard } from '../../standards/types.ts';
import { type CompiledStandard, DEFAULT_MET_SHARE, type ItemResult, homesVerdict, nearestFacility, placeItemResult, programmeItemResult, standardResult } from '../assess.ts';
import { homesOf } from '../home-origins.ts';
import { declaredServices } from '../../communities/read-declarations.ts';
import { type CommunityReport, type CoverageOptions, type CoverageReport, communityReportHead, presentFrom } from '../coverage.ts';
import type { CoverageDetailSchema } from '../report-schema.ts';
import { type SummarizedCommunity, summarize, summaryView } from '../summary.ts';
import { MultiSourceSearch } from './multi-source.ts';
import { type NearestTable, offerOwnEdges } from './nearest-table.ts';
import { placedHomes } from './origin-seeds.ts';
import { type GroupWork, type TravelGroup, countChunkSize, groupStandards, namedCategories, planTravelGroups } from './plan.ts';
import { countReachable, setKey } from './reachable-counts.ts';

/**
 * City-wide coverage: the same report as `computeCoverage` (src/core/coverage/coverage.ts) — every
 * community against every standard of its type, the summary, unplaced facilities — computed with one
 * multi-source search per travel group and facility category instead of one search per community.
 * With the four Guangzhou standards that is about 75 bounded sweeps of the graph (one per category
 * named, per travel group) whatever the number of communities, instead of one search per community
 * and group. On the generated 1M-edge city with 10,000 communities the report is the same, item for
 * item, as the per-community method's.
 *
 * Items report the same status, nearest facility (time, distance, access leg) and shares as the
 * per-community method. Where two facilities are exactly equally near, either may be named.
 *
 * `detail`:
 *  - `'nearest'` (default): statuses and nearest facilities only. `reachableCount` is left out of every
 *    item: absent means *not counted*, never zero (the CSV column is empty). Counting every reachable
 *    facility needs the set reached from each community, i.e. a search per community.
 *  - `'full'`: also `reachableCount`, from one forward search per community (in the workers too),
 *    exactly as the per-community method counts it.
 */
export type CoverageDetail = Static<typeof CoverageDetailSchema>;

export interface CityCoverageOptions extends CoverageOptions {
  detail?: CoverageDetail;
  /**
   * Worker threads. Default here: 1, everything in the calling thread. More need `startThreads` (or
   * `workers`): threads are the runtime's, so core receives a starter rather than importing one.
   * computeCityCoverageOnThreads (next to CityWorkers) supplies it, and defaults to every core for
   * a graph of 50,000 edges or more.
   */
  threads?: number;
  /** Started workers to reuse across computations on the same graph (closed by the caller). */
  workers?: CityThreads;
  /**
   * Starts `threads` workers over the graph, closed here once the searches are done. Given by the
   * runtime (CityWorkers.start), as core must not import worker threads itself.
   */
  startThreads?: (graph: Graph, threads: number) => CityThreads;
  /** In the calling thread: a search to reuse (its arrays are sized to the graph: a server keeps one per graph). */
  multi?: MultiSourceSearch;
  /** Called after each search task (a category's multi-source search, or a range of counts). */
  onProgress?: (done: number, total: number) => void;
  /** Filled with milliseconds per phase: placing (facilities, origins, seeds), searching, assembling. */
  timings?: CityCoverageTimings;
  /**
   * Called every `ASSEMBLY_STRIDE` communities while the reports are built. The nightly passes a full
   * garbage collection: the reports of a city are ~300 MB live, and V8 lets the garbage of building
   * them pile up by 100–200 MB more before it collects.
   */
  whileAssembling?: () => void;
}

const ASSEMBLY_STRIDE = 2_000;

/**
 * Worker threads that search a city's groups (the runtime's CityWorkers implements it). Declared
 * here so that core names what it needs without importing the threads, which are the runtime's.
 */
export interface CityThreads {
  /** The graph the threads were started over (they search only that one). */
  readonly graph: Graph;
  readonly threads: number;
  /**
   * Fills every column of a group's table, then (detail 'full') its reachable counts; `onTask` is
   * called as each task ends.
   */
  run(work: GroupWork, onTask?: () => void): Promise<void>;
  /** Idempotent: computeCityCoverage closes the threads it started as soon as the searches are done. */
  close(): Promise<void>;
}

export interface CityCoverageTimings {
  /** Until every group is planned (facilities and origins placed); with threads, earlier groups are searched meanwhile. */
  placeMs?: number;
  /** From then until the last search ends. */
  searchMs?: number;
  /** Building the reports and the summary. */
  assembleMs?: number;
}

export interface CityCoverageReport extends CoverageReport {
  /** What the items state: see CoverageDetail. */
  detail: CoverageDetail;
}

export async function computeCityCoverage(
  graph: Graph,
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  opts: CityCoverageOptions,
): Promise<CityCoverageReport> {
  if (threadsFor(opts) <= 1) return computeCityCoverageSync(graph, communities, facilities, standards, opts);
  const clock = phaseClock(opts.timings);
  const detail = opts.detail ?? 'nearest';
  const groups = await searchInThreads(graph, communities, facilities, standards, opts, detail, clock);
  const report = assemble(communities, facilities, standards, groups, opts, detail);
  clock('assembleMs');
  return report;
}

/** The same, in the calling thread (small cities, tests, callers that manage their own threads). */
export function computeCityCoverageSync(
  graph: Graph,
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  opts: CityCoverageOptions,
): CityCoverageReport {
  const clock = phaseClock(opts.timings);
  const detail = opts.detail ?? 'nearest';
  const groups = searchInThisThread(graph, communities, facilities, standards, opts, detail, clock);
  const report = assemble(communities, facilities, standards, groups, opts, detail);
  clock('assembleMs');
  return report;
}

/**
 * The same report, its communities handed to `onPiece` `pieceSize` at a time as they are built
 * instead of returned: only one piece of reports is alive at once, and of the others only what the
 * summary reads (summaryView), so a city of any size fits in memory. The next piece is built once
 * `onPiece` has resolved (a job stores each piece first). Answers the rest of the report.
 */
export async function computeCityCoverageInPieces(
  graph: Graph,
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  opts: CityCoverageOptions & { pieceSize: number },
  onPiece: (first: number, reports: CommunityReport[]) => void | Promise<void>,
): Promise<Omit<CityCoverageReport, 'communities'>> {
  if (!(Number.isInteger(opts.pieceSize) && opts.pieceSize >= 1)) throw new Error(`pieceSize: got ${opts.pieceSize}, expected a positive integer`);
  const clock = phaseClock(opts.timings);
  const detail = opts.detail ?? 'nearest';
  const groups =
    threadsFor(opts) <= 1
      ? searchInThisThread(graph, communities, facilities, standards, opts, detail, clock)
      : await searchInThreads(graph, communities, facilities, standards, opts, detail, clock);
  for (const g of groups) offerOwnEdges(g.work.table, g.work.origins, g.placed, g.work.budgetS);
  rememberPresent(groups, opts);
  const views: SummarizedCommunity[] = [];
  for (let first = 0; first < communities.length; first += opts.pieceSize) {
    const reports: CommunityReport[] = [];
    for (let i = first; i < Math.min(communities.length, first + opts.pieceSize); i++) reports.push(communityReport(communities[i], i, groups, facilities, opts));
    for (const r of reports) views.push(summaryView(r));
    await onPiece(first, reports);
  }
  const report = { summary: summarize(views, standards), facilities: facilitiesSection(facilities, groups), detail };
  clock('assembleMs');
  return report;
}

/**
 * Threads asked for: 1 unless said. No default from the machine's cores here — that is the runtime's
 * choice (computeCityCoverageOnThreads), as is starting them: more than 1 without a way to start
 * them is a caller's mistake, not something to fall back from quietly.
 */
function threadsFor(opts: CityCoverageOptions): number {
  const threads = opts.workers?.threads ?? opts.threads ?? 1;
  if (threads > 1 && !opts.workers && !opts.startThreads) {
    throw new Error(`computeCityCoverage: ${threads} threads asked for but no startThreads given (threads are started by the runtime: use computeCityCoverageOnThreads)`);
  }
  return threads;
}

/** Plans the travel groups and fills their tables on worker threads; answers the groups. */
async function searchInThreads(
  graph: Graph,
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  opts: CityCoverageOptions,
  detail: CoverageDetail,
  clock: (phase: keyof CityCoverageTimings) => void,
): Promise<TravelGroup[]> {
  if (opts.workers && opts.workers.graph !== graph) throw new Error('computeCityCoverage: the workers were started for another graph');
  // The threads start (loading their TypeScript) while this one places facilities and origins.
  // threadsFor (called before) made sure that without workers there is a starter.
  const workers = opts.workers ?? opts.startThreads!(graph, threadsFor(opts));
  try {
    const progress = progressOf(opts, groupStandards(standards, opts), detail, communities.length, workers.threads);
    const groups: TravelGroup[] = [];
    const running: Promise<void>[] = [];
    try {
      for (const group of planTravelGroups(graph, communities, facilities, standards, opts, detail, true)) {
        groups.push(group);
        progress.skipped(group);
        running.push(workers.run(group.work, progress.tick));
      }
    } catch (err) {
      // Let the groups already queued finish (or fail) before the workers are closed under them.
      await Promise.allSettled(running);
      throw err;
    }
    clock('placeMs');
    await Promise.all(running);
    clock('searchMs');
    // Planned in the order that keeps the threads busy; reported in the standards' order.
    return groups.sort((a, b) => a.position - b.position);
  } finally {
    // The results are in this thread's shared tables: threads we started go before the reports are
    // built, their heaps with them (~100 MB each at the peak of a 1M-edge city's run).
    if (!opts.workers) await workers.close();
  }
}

/** The same in the calling thread. */
function searchInThisThread(
  graph: Graph,
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  opts: CityCoverageOptions,
  detail: CoverageDetail,
  clock: (phase: keyof CityCoverageTimings) => void,
): TravelGroup[] {
  const progress = progressOf(opts, groupStandards(standards, opts), detail, communities.length, 1);
  const groups = [...planTravelGroups(graph, communities, facilities, standards, opts, detail, false)];
  clock('placeMs');
  const multi = opts.multi ?? new MultiSourceSearch(graph);
  // The per-community search is made only to count (detail 'full'): its arrays are 40 MB on a 1M-edge city.
  let router = opts.router;
  for (const group of groups) {
    const { work, costing } = group;
    progress.skipped(group);
    const originTimes = multi.fillOriginTimesSparse(work.costing, work.origins, work.budgetS);
    try {
      const seeds = multi.seedsNear(work.facilitySeeds);
      for (let j = 0; j < work.table.categories.length; j++) {
        multi.fillColumn(work.costing, seeds, work.origins, originTimes, work.budgetS, work.table, j);
        progress.tick();
      }
    } finally {
      multi.clearOriginTimes();
    }
    if (work.counts) {
      router ??= new Router(graph);
      const size = countChunkSize(communities.length, 1);
      for (let from = 0; from < communities.length; from += size) {
        countReachable(router, costing, work.counts, work.origins, work.budgetS, from, Math.min(communities.length, from + size));
        progress.tick();
      }
    }
  }
  clock('searchMs');
  return groups;
}

/**
 * Progress in tasks (one per named category and group, plus the counting chunks), known before any
 * facility is placed; categories no facility provides are counted done when their group is planned.
 */
function progressOf(opts: CityCoverageOptions, groups: { standards: CompiledStandard[] }[], detail: CoverageDetail, communities: number, threads: number) {
  const chunks = detail === 'full' ? Math.ceil(communities / countChunkSize(communities, threads)) : 0;
  const total = groups.reduce((sum, g) => sum + namedCategories(g.standards).length + chunks, 0);
  let done = 0;
  return {
    tick: () => opts.onProgress?.(++done, total),
    skipped: (group: TravelGroup) => {
      const skipped = namedCategories(group.standards).length - group.work.table.categories.length;
      if (skipped > 0) opts.onProgress?.((done += skipped), total);
    },
  };
}

function phaseClock(timings: CityCoverageTimings | undefined): (phase: keyof CityCoverageTimings) => void {
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    if (timings) timings[phase] = Math.round(now - last);
    last = now;
  };
}

function assemble(
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  groups: TravelGroup[],
  opts: CityCoverageOptions,
  detail: CoverageDetail,
): CityCoverageReport {
  for (const g of groups) offerOwnEdges(g.work.table, g.work.origins, g.placed, g.work.budgetS);
  rememberPresent(groups, opts);
  const reports = communities.map((community, i) => {
    if (opts.whileAssembling && i > 0 && i % ASSEMBLY_STRIDE === 0) opts.whileAssembling();
    return communityReport(community, i, groups, facilities, opts);
  });
  return {
    communities: reports,
    summary: summarize(reports, standards),
    facilities: facilitiesSection(facilities, groups),
    detail,
  };
}

/** As CoverageSession.report: each unplaced facility once, with the mode it was first tried for. */
function facilitiesSection(facilities: readonly Facility[], groups: TravelGroup[]): CoverageReport['facilities'] {
  const unplaced = new Map<string, CoverageReport['facilities']['unplaced'][number]>();
  for (const g of groups) for (const u of g.placed.unplaced) if (!unplaced.has(u.id)) unplaced.set(u.id, { ...u, mode: g.travel.mode });
  return { count: facilities.length, unplaced: [...unplaced.values()] };
}

/** Per group, the categories the whole city provides, when the caller says (CoverageOptions.presentCategories). */
const presentByGroup = new WeakMap<TravelGroup, Uint8Array>();

function rememberPresent(groups: readonly TravelGroup[], opts: CityCoverageOptions): void {
  if (!opts.presentCategories) return;
  for (const g of groups) {
    const list = opts.presentCategories[g.key];
    if (list) presentByGroup.set(g, presentFrom(list));
  }
}

/**
 * Each home's time to the item's nearest facility into `times` (Infinity: none within the budget),
 * from the table's rows r0..r0+m-1; answers the table cell of the community's nearest (-1: none).
 * The city's hottest loop after the searches (10⁶ items × their homes): columns are looked up once
 * per item, not once per home.
 */
function homeTimes(table: NearestTable, categories: readonly number[], r0: number, m: number, times: Float64Array): number {
  const { entry, time } = table;
  const rows = table.rowCount;
  times.fill(Infinity, 0, m);
  let best = -1;
  let bestTime = Infinity;
  let bestHome = 0;
  for (const c of categories) {
    const column = table.columnOf[c];
    if (column < 0) continue;
    const first = column * rows + r0;
    for (let h = 0; h < m; h++) {
      const cell = first + h;
      if (entry[cell] < 0) continue;
      const t = time[cell];
      if (t < times[h]) times[h] = t;
      // Of equally near cells, the first home's, and of its cells the first category's (visited first).
      if (best < 0 || t < bestTime || (t === bestTime && h < bestHome)) {
        best = cell;
        bestTime = t;
        bestHome = h;
      }
    }
  }
  return best;
}

/** One community's report from the groups' tables, decided as the per-home oracle (coverage.ts) decides. */
function communityReport(
  community: Community,
  i: number,
  groups: TravelGroup[],
  facilities: readonly Facility[],
  opts: CityCoverageOptions,
): CommunityReport {
  const homes = homesOf(community, opts.origin);
  const report = communityReportHead(community, facilities, homes, opts.provision);
  const declared = declaredServices(community, opts.declarations);
  const metShare = opts.metShare ?? DEFAULT_MET_SHARE;
  for (const group of groups) {
    const applicable = group.standards.filter((s) => s.standard.communityType === community.type);
    if (applicable.length === 0) continue;
    const { table, counts, origins, budgetS } = group.work;
    // Categories searched are those placed here; a partition is told the whole city's (presentFrom).
    const given = presentByGroup.get(group);
    const placed = placedHomes(origins, i);
    report.homes.placed = Math.max(report.homes.placed, placed);
    if (placed === 0) {
      report.error = `no home of community ${JSON.stringify(community.id)} is within ${opts.maxSnapM} m of a road usable by ${group.travel.mode}`;
      continue;
    }
    const r0 = origins.rowStart[i];
    const m = origins.rowStart[i + 1] - r0;
    const weights = origins.rowWeight.subarray(r0, r0 + m);
    const times = new Float64Array(m);
    const travel = { mode: group.travel.mode, speedKmh: group.costing.speeds.speedKmh, minutes: group.travel.minutes, metShare };
    for (const { standard, itemCategories } of applicable) {
      const services = declared.forStandard(standard.id);
      const items: ItemResult[] = standard.items.map((item, k) => {
        if (item.kind !== 'place') return programmeItemResult(item, services.has(item.id));
        const reachableCount = counts ? counts.counts[counts.setKeys.indexOf(setKey(itemCategories[k])) * origins.communityCount + i] : undefined;
        let present = false;
        for (const c of itemCategories[k]) if (given ? given[c] === 1 : table.columnOf[c] >= 0) present = true;
        if (!present) return placeItemResult(item, undefined, m, undefined, reachableCount);
        // Per home, the item's categories in its own order, a strictly nearer one replacing (as the
        // oracle's Assessor picks); the community's nearest is its best-placed home's.
        const best = homeTimes(table, itemCategories[k], r0, m, times);
        const verdict = homesVerdict(times, weights, 0, m, budgetS, metShare);
        const nearest = best < 0 ? undefined : nearestFacility(group.placed, table.entry[best], table.time[best], table.meters[best]);
        return placeItemResult(item, verdict, m, nearest, reachableCount);
      });
      report.standards.push(standardResult(standard, items, travel));
    }
  }
  return report;
}
