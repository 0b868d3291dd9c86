import type { Community } from '../communities/read-communities.ts';
import { categorySeeds } from '../coverage/city-wide/facility-seeds.ts';
import { MultiSourceSearch } from '../coverage/city-wide/multi-source.ts';
import { nearestTable, offerOwnEdges } from '../coverage/city-wide/nearest-table.ts';
import { type OriginSeeds, originSeeds, placedHomes } from '../coverage/city-wide/origin-seeds.ts';
import { type PlacedFacilities, placeFacilities } from '../coverage/facility-index.ts';
import { type OriginRule } from '../coverage/home-origins.ts';
import { InputError } from '../errors.ts';
import { CATEGORY_IDS } from '../facilities/categories.ts';
import type { Facility } from '../facilities/read-facilities.ts';
import type { Graph } from '../network/graph.ts';
import type { Mode } from '../network/profiles.ts';
import { type Costing, costingFor } from '../routing/costing.ts';
import type { SitingChoice } from './choice.ts';
import { exactSiting, programSize } from './exact.ts';
import { greedySiting } from './greedy.ts';
import { type SitingInstance, type SitingLimits, type SitingObjective, evaluate, meets, valueOf } from './instance.ts';
import { type ReachSets, reachSets } from './reach-sets.ts';

/**
 * Where to build next: for one item (its facility categories), the sites among `candidates` that
 * bring the item to the most residents — or the most communities to metShare — with `k` sites, a
 * `budget`, or the fewest sites reaching `targetShare`.
 *
 * 1. Who is served now: the coverage engine's own searches (one multi-source search per category of
 *    the item, from every existing facility: src/core/coverage/city-wide), per home, as coverage reports it.
 * 2. Who each candidate would serve: one bounded reverse search per candidate (reach-sets.ts).
 * 3. The choice: exact (HiGHS), greedy, or `auto` — exact when the program is small enough and proves
 *    its optimum within `timeLimitS`, else greedy (keeping whichever is better), with the bound.
 */
export type SitingMethod = 'exact' | 'greedy' | 'auto';

export interface SitingOptions {
  /** Item categories (indices into CATEGORY_IDS). */
  categories: readonly number[];
  /** Communities the item applies to (a standard's community type). */
  assessed: (c: Community) => boolean;
  mode: Mode;
  minutes: number;
  speedKmh?: number;
  maxSnapM: number;
  metShare: number;
  origin: OriginRule;
  objective: SitingObjective;
  k?: number;
  /** 0–1 of residents (objective residents) or of communities (objective communities). */
  targetShare?: number;
  budget?: number;
  /** Per candidate; absent: 1 each. */
  cost?: Float64Array;
  method: SitingMethod;
  /** Exact's time limit, seconds (`auto` falls back to greedy past it). */
  timeLimitS: number;
  /** `auto` tries exact only up to this many (candidate, home) pairs. */
  exactMaxPairs: number;
  /** Existing facilities placed for a costing (a server's cache); default: placed here. */
  placedFor?: (costing: Costing) => PlacedFacilities;
  multi?: MultiSourceSearch;
  /**
   * The candidates' searches elsewhere (worker threads: src/runtime/jobs/reach-sets-in-threads.ts), given what
   * reachSets is given; default: reachSets in this thread. The core starts no threads itself.
   */
  reachSetsWith?: (costing: Costing, origins: OriginSeeds, unserved: Uint8Array, candidates: PlacedFacilities, budgetS: number, candidateCount: number) => Promise<ReachSets>;
  timings?: Record<string, number>;
}

export interface CommunitySiting {
  index: number;
  id: string;
  name?: string;
  residents: number;
  shareBefore: number;
  shareAfter: number;
  metBefore: boolean;
  metAfter: boolean;
  /** No home placed on the network: not assessed. */
  error?: string;
}

export interface SiteAnswer {
  candidate: number;
  gainPopulation: number;
  gainCommunities: number;
  /** Of residents (objective residents) or communities, after this site and those before it. */
  cumulativeShare: number;
  /** Communities where this site newly serves residents, with how many, and whether it brings them to the item. */
  communities: { index: number; id: string; residents: number; nowMet: boolean }[];
}

export interface SitingResult {
  method: 'exact' | 'greedy';
  tried: ('exact' | 'greedy')[];
  optimal: boolean;
  bound?: { value: number; kind: string; share: number };
  objective: SitingObjective;
  sites: SiteAnswer[];
  totals: { population: number; communities: number };
  before: { coveredPopulation: number; coveredCommunities: number; populationShare: number; communityShare: number };
  after: { coveredPopulation: number; coveredCommunities: number; populationShare: number; communityShare: number };
  /** With every candidate built: the most any choice could reach. */
  reachable: { coveredPopulation: number; coveredCommunities: number; populationShare: number; communityShare: number };
  target?: { share: number; reached: boolean; fewestSitesBound: number };
  candidates: { count: number; placed: number; useful: number; unplaced: { id: string; index: number; error: string }[] };
  communities: CommunitySiting[];
  /** What the planner should know: k above the useful candidates, a target already met or out of reach. */
  notes: string[];
}

export async function siteFacilities(graph: Graph, communities: readonly Community[], facilities: readonly Facility[], candidates: readonly Facility[], opts: SitingOptions): Promise<SitingResult> {
  const clock = timer(opts.timings);
  const costing = costingFor(graph, { mode: opts.mode, speedKmh: opts.speedKmh });
  const budgetS = opts.minutes * 60;
  const placed = opts.placedFor ? opts.placedFor(costing) : placeFacilities(costing, facilities, opts.maxSnapM);
  const origins = originSeeds(costing, communities, opts.assessed, opts.maxSnapM, false, opts.origin);
  const homeTime = servedTimes(graph, costing, placed, origins, opts.categories, budgetS, opts.multi);
  clock('servedMs');

  // Communities assessed, with their homes' weights and who is served now.
  const groups: { index: number; rowFrom: number; rowTo: number; total: number; served: number; met: boolean; error?: string }[] = [];
  const groupOfRow = new Int32Array(origins.rowCount).fill(-1);
  communities.forEach((c, i) => {
    if (!opts.assessed(c)) return;
    const rowFrom = origins.rowStart[i];
    const rowTo = origins.rowStart[i + 1];
    if (placedHomes(origins, i) === 0) {
      groups.push({ index: i, rowFrom, rowTo, total: 0, served: 0, met: false, error: `no home of community ${JSON.stringify(c.id)} is within ${opts.maxSnapM} m of a road usable by ${opts.mode}` });
      return;
    }
    let total = 0;
    let served = 0;
    const weighted = sumOf(origins.rowWeight, rowFrom, rowTo) > 0;
    for (let r = rowFrom; r < rowTo; r++) {
      const w = weighted ? origins.rowWeight[r] : 1;
      total += w;
      if (homeTime[r] <= budgetS) served += w;
      groupOfRow[r] = groups.length;
    }
    groups.push({ index: i, rowFrom, rowTo, total, served, met: metAt(served, total, opts.metShare) });
  });
  const assessedGroups = groups.filter((g) => g.error === undefined);
  const totalPopulation = assessedGroups.reduce((s, g) => s + g.total, 0);
  const unserved = new Uint8Array(origins.rowCount);
  let unservedCount = 0;
  for (let r = 0; r < origins.rowCount; r++) {
    if (groupOfRow[r] >= 0 && !(homeTime[r] <= budgetS) && origins.pointStart[r + 1] > origins.pointStart[r]) {
      unserved[r] = 1;
      unservedCount++;
    }
  }

  // Candidates placed as facilities of the item's first category (any one will do: it is not searched as such).
  const sitePlacement = placeFacilities(costing, candidates.map((c) => ({ ...c, categories: [CATEGORY_IDS[opts.categories[0]]] })), opts.maxSnapM);
  const reach = opts.reachSetsWith
    ? await opts.reachSetsWith(costing, origins, unserved, sitePlacement, budgetS, candidates.length)
    : reachSets(costing, origins, unserved, sitePlacement, budgetS, { candidateCount: candidates.length, search: opts.multi?.search });
  clock('reachMs');

  const instance = instanceOf(origins, reach, unserved, groupOfRow, groups, opts);
  const useful = countUseful(instance);
  const notes: string[] = [];
  const allValue = evaluate(instance, Array.from({ length: instance.candidateCount }, (_, j) => j));
  const before = summaryOf(groups, totalPopulation, assessedGroups.length, { residents: 0, communities: 0 });
  const reachable = summaryOf(groups, totalPopulation, assessedGroups.length, allValue);
  const unplaced = sitePlacement.unplaced;
  if (unservedCount > 0 && useful === 0) {
    throw new InputError(
      'NO_USABLE_INPUT',
      `candidates: none of the ${candidates.length} candidates (${candidates.length - unplaced.length} placed on the network) is within ${opts.minutes} min by ${opts.mode} of any of the ${unservedCount} homes not yet served (in ${groups.filter((g) => g.served < g.total).length} communities); ${Math.round(before.populationShare * 1000) / 10}% of residents are served now: send candidates nearer to them`,
      { where: 'candidates', reasons: unplaced.map((u) => ({ what: 'candidates', index: u.index, id: u.id, message: u.error })) },
    );
  }
  const limits = limitsOf(opts, before, totalPopulation, assessedGroups.length, allValue, notes);
  if (unservedCount === 0) notes.push(`every assessed home already reaches the item within ${opts.minutes} min: no site is needed`);
  if (opts.k !== undefined && opts.k > useful) {
    notes.push(`k = ${opts.k}, but only ${useful} of the ${candidates.length} candidates reach a home not yet served: at most ${useful} sites are answered`);
  }

  const { choice, tried } = await choose(instance, limits, opts);
  clock('chooseMs');
  const after = summaryOf(groups, totalPopulation, assessedGroups.length, choice.value);
  const objectiveTotal = opts.objective === 'residents' ? totalPopulation : assessedGroups.length;
  const beforeValue = opts.objective === 'residents' ? before.coveredPopulation : before.coveredCommunities;
  const sites = sitesOf(instance, choice, communities, groups, beforeValue, objectiveTotal, opts.objective);
  const communityAnswers = communityChanges(communities, groups, instance, choice);
  return {
    method: choice.method,
    tried,
    optimal: choice.optimal,
    ...(choice.bound ? { bound: { value: round(choice.bound.value, 4), kind: choice.bound.kind, share: share(beforeValue + choice.bound.value, objectiveTotal) } } : {}),
    objective: opts.objective,
    sites,
    totals: { population: round(totalPopulation, 2), communities: assessedGroups.length },
    before,
    after,
    reachable,
    ...(choice.target && opts.targetShare !== undefined ? { target: { share: opts.targetShare, ...choice.target } } : {}),
    candidates: { count: candidates.length, placed: candidates.length - unplaced.length, useful, unplaced },
    communities: communityAnswers,
    notes,
  };
}

/** Per home (row), seconds to its nearest facility of the item's categories (Infinity: none within the budget). */
function servedTimes(graph: Graph, costing: Costing, placed: PlacedFacilities, origins: OriginSeeds, categories: readonly number[], budgetS: number, reuse?: MultiSourceSearch): Float64Array {
  const seeds = categorySeeds(placed, false);
  const present = categories.filter((c) => seeds.start[c + 1] > seeds.start[c]);
  const table = nearestTable(present, origins.rowCount, false);
  const multi = reuse ?? new MultiSourceSearch(graph);
  const work = { speeds: costing.speeds, forward: costing.forward, reverse: costing.reverse, accessSpeedMps: costing.accessSpeedMps };
  if (present.length > 0) {
    const originTimes = multi.fillOriginTimesSparse(work, origins, budgetS);
    try {
      for (let j = 0; j < present.length; j++) multi.fillColumn(work, seeds, origins, originTimes, budgetS, table, j);
    } finally {
      multi.clearOriginTimes();
    }
  }
  offerOwnEdges(table, origins, placed, budgetS);
  const time = new Float64Array(origins.rowCount).fill(Infinity);
  for (let j = 0; j < present.length; j++) {
    for (let r = 0; r < origins.rowCount; r++) time[r] = Math.min(time[r], table.time[j * origins.rowCount + r]);
  }
  return time;
}

type Group = { index: number; rowFrom: number; rowTo: number; total: number; served: number; met: boolean; error?: string };

/** Elements: unserved homes some candidate reaches, weighted by their residents. */
function instanceOf(origins: OriginSeeds, reach: ReturnType<typeof reachSets>, unserved: Uint8Array, groupOfRow: Int32Array, groups: Group[], opts: SitingOptions): SitingInstance {
  const elementOfRow = new Int32Array(origins.rowCount).fill(-1);
  for (const r of reach.rows) elementOfRow[r] = 0;
  const weight: number[] = [];
  const group: number[] = [];
  for (let r = 0; r < origins.rowCount; r++) {
    if (elementOfRow[r] < 0 || !unserved[r]) continue;
    const g = groups[groupOfRow[r]];
    elementOfRow[r] = weight.length;
    weight.push(sumOf(origins.rowWeight, g.rowFrom, g.rowTo) > 0 ? origins.rowWeight[r] : 1);
    group.push(groupOfRow[r]);
  }
  const members = new Uint32Array(reach.rows.length);
  for (let p = 0; p < reach.rows.length; p++) members[p] = elementOfRow[reach.rows[p]];
  // What each community lacks of metShare; Infinity when every candidate together could not bring it there.
  const coverable = new Float64Array(groups.length);
  weight.forEach((w, e) => (coverable[group[e]] += w));
  const need = Float64Array.from(groups, (g, i) => {
    if (g.error !== undefined || g.met) return 0;
    const lack = Math.max(0, g.total * opts.metShare - g.served);
    return coverable[i] >= lack * (1 - 1e-9) ? lack : Infinity;
  });
  return {
    elementCount: weight.length,
    elementWeight: Float64Array.from(weight),
    elementGroup: Uint32Array.from(group),
    candidateCount: reach.candidateCount,
    start: reach.start,
    members,
    need,
    ...(opts.cost ? { cost: opts.cost } : {}),
  };
}

function limitsOf(opts: SitingOptions, before: SitingResult['before'], totalPopulation: number, communityCount: number, all: { residents: number; communities: number }, notes: string[]): SitingLimits {
  const limits: SitingLimits = { objective: opts.objective, ...(opts.k !== undefined ? { k: opts.k } : {}), ...(opts.budget !== undefined ? { budget: opts.budget } : {}) };
  if (opts.targetShare === undefined) return limits;
  const residents = opts.objective === 'residents';
  const total = residents ? totalPopulation : communityCount;
  const now = residents ? before.coveredPopulation : before.coveredCommunities;
  const most = valueOf(all, opts.objective);
  let needed = opts.targetShare * total - now;
  const what = residents ? 'residents' : 'communities';
  if (needed <= 0) notes.push(`the target (${pct(opts.targetShare)} of ${what}) is met already: ${pct(share(now, total))}`);
  else if (needed > most * (1 + 1e-9)) {
    notes.push(`no choice of these candidates reaches the target (${pct(opts.targetShare)} of ${what}): all of them together reach ${pct(share(now + most, total))}; the sites answered reach that`);
    needed = most;
  }
  return { ...limits, target: Math.max(0, needed) };
}

async function choose(instance: SitingInstance, limits: SitingLimits, opts: SitingOptions): Promise<{ choice: SitingChoice; tried: ('exact' | 'greedy')[] }> {
  if (opts.method === 'greedy') return { choice: greedySiting(instance, limits), tried: ['greedy'] };
  if (opts.method === 'exact') {
    const exact = await exactSiting(instance, limits, { timeLimitS: opts.timeLimitS });
    if (exact) return { choice: exact, tried: ['exact'] };
    // No incumbent within the time limit: greedy's answer, saying exact was tried.
    return { choice: greedySiting(instance, limits), tried: ['exact', 'greedy'] };
  }
  if (programSize(instance) <= opts.exactMaxPairs) {
    const exact = await exactSiting(instance, limits, { timeLimitS: opts.timeLimitS });
    if (exact?.optimal) return { choice: exact, tried: ['exact'] };
    const greedy = greedySiting(instance, limits);
    if (!exact) return { choice: greedy, tried: ['exact', 'greedy'] };
    const better = limits.target !== undefined ? (exact.target!.reached && exact.sites.length <= greedy.sites.length ? exact : greedy) : valueOf(exact.value, limits.objective) >= valueOf(greedy.value, limits.objective) ? exact : greedy;
    const bounds = [exact.bound, greedy.bound].filter((b) => b !== undefined);
    const bound = bounds.length > 0 ? bounds.reduce((a, b) => (a.value <= b.value ? a : b)) : undefined;
    const target = better.target && exact.target && greedy.target ? { ...better.target, fewestSitesBound: Math.max(exact.target.fewestSitesBound, greedy.target.fewestSitesBound) } : better.target;
    return { choice: { ...better, ...(bound ? { bound } : {}), ...(target ? { target } : {}) }, tried: ['exact', 'greedy'] };
  }
  return { choice: greedySiting(instance, limits), tried: ['greedy'] };
}

function countUseful(instance: SitingInstance): number {
  let n = 0;
  for (let j = 0; j < instance.candidateCount; j++) if (instance.start[j + 1] > instance.start[j]) n++;
  return n;
}

function sitesOf(instance: SitingInstance, choice: SitingChoice, communities: readonly Community[], groups: Group[], beforeValue: number, objectiveTotal: number, objective: SitingObjective): SiteAnswer[] {
  let cumulative = beforeValue;
  return choice.sites.map((site) => {
    cumulative += objective === 'residents' ? site.gainResidents : site.gainCommunities;
    // Residents newly served per community by this site, given the sites before it.
    const byGroup = new Map<number, number>();
    const coveredBefore = coveredBy(instance, choice.sites.slice(0, choice.sites.indexOf(site)).map((s) => s.candidate));
    for (let p = instance.start[site.candidate]; p < instance.start[site.candidate + 1]; p++) {
      const e = instance.members[p];
      if (coveredBefore[e]) continue;
      const g = instance.elementGroup[e];
      byGroup.set(g, (byGroup.get(g) ?? 0) + instance.elementWeight[e]);
    }
    const met = new Set(site.newlyMet);
    return {
      candidate: site.candidate,
      gainPopulation: round(site.gainResidents, 2),
      gainCommunities: site.gainCommunities,
      cumulativeShare: share(cumulative, objectiveTotal),
      communities: [...byGroup].sort((a, b) => b[1] - a[1]).map(([g, residents]) => ({ index: groups[g].index, id: communities[groups[g].index].id, residents: round(residents, 2), nowMet: met.has(g) })),
    };
  });
}

function communityChanges(communities: readonly Community[], groups: Group[], instance: SitingInstance, choice: SitingChoice): CommunitySiting[] {
  const covered = coveredBy(instance, choice.sites.map((s) => s.candidate));
  const gained = new Float64Array(groups.length);
  for (let e = 0; e < instance.elementCount; e++) if (covered[e]) gained[instance.elementGroup[e]] += instance.elementWeight[e];
  return groups.map((g, i) => {
    const c = communities[g.index];
    const head = { index: g.index, id: c.id, ...(c.name !== undefined ? { name: c.name } : {}) };
    if (g.error !== undefined) return { ...head, residents: 0, shareBefore: 0, shareAfter: 0, metBefore: false, metAfter: false, error: g.error };
    const servedAfter = g.served + gained[i];
    return { ...head, residents: round(g.total, 2), shareBefore: share(g.served, g.total), shareAfter: share(servedAfter, g.total), metBefore: g.met, metAfter: g.met || meets(gained[i], instance.need[i]) };
  });
}

function coveredBy(instance: SitingInstance, chosen: readonly number[]): Uint8Array {
  const covered = new Uint8Array(instance.elementCount);
  for (const j of chosen) for (let p = instance.start[j]; p < instance.start[j + 1]; p++) covered[instance.members[p]] = 1;
  return covered;
}

function summaryOf(groups: Group[], totalPopulation: number, communityCount: number, gain: { residents: number; communities: number }) {
  const servedNow = groups.reduce((s, g) => s + g.served, 0);
  const metNow = groups.filter((g) => g.met).length;
  const coveredPopulation = servedNow + gain.residents;
  const coveredCommunities = metNow + gain.communities;
  return { coveredPopulation: round(coveredPopulation, 2), coveredCommunities, populationShare: share(coveredPopulation, totalPopulation), communityShare: share(coveredCommunities, communityCount) };
}

/** As homesVerdict decides: on the share as reported (4 decimals). */
function metAt(served: number, total: number, metShare: number): boolean {
  return total > 0 && round(served / total, 4) >= metShare - 1e-12;
}

function sumOf(a: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i];
  return s;
}

function share(part: number, total: number): number {
  return total > 0 ? round(part / total, 4) : 0;
}

function pct(s: number): string {
  return `${Math.round(s * 1000) / 10}%`;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function timer(timings: Record<string, number> | undefined): (phase: string) => void {
  let last = performance.now();
  return (phase) => {
    const now = performance.now();
    if (timings) timings[phase] = Math.round(now - last);
    last = now;
  };
}
