import type { Static } from '@sinclair/typebox';
import type { Community } from '../communities/read-communities.ts';
import type { Facility } from '../facilities/read-facilities.ts';
import type { Graph } from '../network/graph.ts';
import type { Mode } from '../network/profiles.ts';
import type { CommunityHomes } from '../communities/homes.ts';
import { type DeclarationsRead, declaredServices } from '../communities/read-declarations.ts';
import { CATEGORY_IDS } from '../facilities/categories.ts';
import { type Costing, costingFor } from '../routing/costing.ts';
import { Router } from '../routing/travel-times.ts';
import type { Standard } from '../standards/types.ts';
import {
  Assessor,
  type CompiledStandard,
  DEFAULT_MET_SHARE,
  compileStandard,
  homesVerdict,
  nearestFacility,
  placeItemResult,
  programmeItemResult,
  standardResult,
} from './assess.ts';
import { type OriginRule, homesOf, placeHomeOrigins } from './home-origins.ts';
import { type PlacedFacilities, placeFacilities } from './facility-index.ts';
import { type ProvisionOptions, provisionChecks } from './provision.ts';
import { ReachedFacilities } from './reach.ts';
import { summarize } from './summary.ts';
import type { CommunityReportSchema, CoverageReportSchema } from './report-schema.ts';

/**
 * The coverage report: every community against every requested standard of its type (urban or
 * rural), by network travel time from the community's homes (each by its own road or its part's
 * gates) to the snapped facilities — never by polygon containment — and the city summary.
 *
 * Standards that travel the same way (mode, speed, minutes) share one search per community; facilities
 * are placed on the network once per mode and speed.
 */
export interface CoverageOptions {
  /** Override every standard's travel. */
  mode?: Mode;
  minutes?: number;
  speedKmh?: number;
  maxSnapM: number;
  /** Facilities already placed for a costing (a server keeps them between requests). */
  placedFor?: (costing: Costing) => PlacedFacilities;
  /** A router to reuse (its arrays are sized to the graph: a server keeps one per graph). */
  router?: Router;
  /**
   * `homes` (default): each community from its homes (community.homes, else a Point's one home);
   * `representative`: the one-point rule (all origins pooled as one home), for comparison.
   */
  origin?: OriginRule;
  /** Share of residents that must reach an item for it to be met (default DEFAULT_MET_SHARE). */
  metShare?: number;
  /** Programme declarations in bulk (readDeclarations), merged with each community's `services`. */
  declarations?: DeclarationsRead['byCommunity'];
  /**
   * Per travel group key (`mode|speedKmh|minutes`), the categories some facility provides on the whole
   * network: a partition of a city (distributed) decides `no_facility` as the whole city would, not by
   * what its own cut holds. Default: the categories placed on the graph computed on.
   */
  presentCategories?: Record<string, string[]>;
  /** Locally set provision norms (Guangdong's rural figures), where a locality has set them. */
  provision?: ProvisionOptions;
}

/** One community against every requested standard of its type, and its provision checks. */
export type CommunityReport = Static<typeof CommunityReportSchema>;

/** Every community's report, the city summary, the facilities and those that could not be placed. */
export type CoverageReport = Static<typeof CoverageReportSchema>;

interface Travel {
  mode: Mode;
  speedKmh?: number;
  minutes: number;
}

interface TravelGroup {
  travel: Travel;
  costing: Costing;
  placed: PlacedFacilities;
  /** Per category: whether some facility of it is placed (an item of none is `no_facility`). */
  present: Uint8Array;
  reached: ReachedFacilities;
  assessor: Assessor;
  standards: CompiledStandard[];
}

export function computeCoverage(graph: Graph, communities: readonly Community[], facilities: readonly Facility[], standards: readonly Standard[], opts: CoverageOptions): CoverageReport {
  const session = new CoverageSession(graph, facilities, standards, opts);
  return session.report(communities.map((community) => session.assess(community)));
}

/**
 * Coverage one community at a time, for callers that report progress or work in chunks (jobs):
 * facilities are placed once, then `assess` each community, then `report` over all of them.
 */
export class CoverageSession {
  private readonly groups: Map<string, TravelGroup>;
  private readonly router: Router;

  constructor(
    graph: Graph,
    private readonly facilities: readonly Facility[],
    private readonly standards: readonly Standard[],
    private readonly opts: CoverageOptions,
  ) {
    this.groups = travelGroups(graph, facilities, standards, opts);
    this.router = opts.router ?? new Router(graph);
  }

  assess(community: Community): CommunityReport {
    return assessCommunity(this.router, community, this.groups, this.facilities, this.opts);
  }

  /** Per travel group key, the categories some facility provides here (CoverageOptions.presentCategories). */
  presentCategories(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [key, g] of this.groups) out[key] = CATEGORY_IDS.filter((_, c) => g.present[c] === 1);
    return out;
  }

  report(communities: CommunityReport[]): CoverageReport {
    const unplaced = new Map<string, CoverageReport['facilities']['unplaced'][number]>();
    for (const g of this.groups.values()) for (const u of g.placed.unplaced) if (!unplaced.has(u.id)) unplaced.set(u.id, { ...u, mode: g.travel.mode });
    return {
      communities,
      summary: summarize(communities, this.standards),
      facilities: { count: this.facilities.length, unplaced: [...unplaced.values()] },
    };
  }
}

function travelGroups(graph: Graph, facilities: readonly Facility[], standards: readonly Standard[], opts: CoverageOptions): Map<string, TravelGroup> {
  const groups = new Map<string, TravelGroup>();
  for (const standard of standards) {
    const travel: Travel = { mode: opts.mode ?? standard.mode, speedKmh: opts.speedKmh, minutes: opts.minutes ?? standard.minutes };
    const key = `${travel.mode}|${travel.speedKmh ?? ''}|${travel.minutes}`;
    let group = groups.get(key);
    if (!group) {
      const costing = costingFor(graph, { mode: travel.mode, speedKmh: travel.speedKmh });
      const placed = opts.placedFor ? opts.placedFor(costing) : placeFacilities(costing, facilities, opts.maxSnapM);
      const given = opts.presentCategories?.[key];
      const present = given ? presentFrom(given) : presentCategories(placed);
      group = { travel, costing, placed, present, ...scratchFor(placed), standards: [] };
      groups.set(key, group);
    }
    group.standards.push(compileStandard(standard));
  }
  return groups;
}

// Scratch arrays sized to a facility placement, reused by every request that uses the placement
// (requests run one at a time on the event loop).
const scratch = new WeakMap<PlacedFacilities, { reached: ReachedFacilities; assessor: Assessor }>();

function scratchFor(placed: PlacedFacilities): { reached: ReachedFacilities; assessor: Assessor } {
  let s = scratch.get(placed);
  if (!s) scratch.set(placed, (s = { reached: new ReachedFacilities(placed), assessor: new Assessor(placed.facilities.length) }));
  return s;
}

/**
 * The per-home oracle: one forward search from each home (from its own points, or its part's gates),
 * then one pooled search from all of them for the reachable counts. Slower than the city-wide engine
 * by the number of homes; kept as the independent check the engine is tested against.
 */
function assessCommunity(router: Router, community: Community, groups: Map<string, TravelGroup>, facilities: readonly Facility[], opts: CoverageOptions): CommunityReport {
  const homes = homesOf(community, opts.origin);
  const report = communityReportHead(community, facilities, homes, opts.provision);
  const declared = declaredServices(community, opts.declarations);
  const metShare = opts.metShare ?? DEFAULT_MET_SHARE;
  const weights = homes.homes.map((h) => h.weight);
  for (const group of groups.values()) {
    const applicable = group.standards.filter((s) => s.standard.communityType === community.type);
    if (applicable.length === 0) continue;
    const perHome = placeHomeOrigins(group.costing, homes, opts.maxSnapM);
    const placed = perHome.filter((p) => p.length > 0).length;
    report.homes.placed = Math.max(report.homes.placed, placed);
    if (placed === 0) {
      report.error = `no home of community ${JSON.stringify(community.id)} is within ${opts.maxSnapM} m of a road usable by ${group.travel.mode}`;
      continue;
    }
    const budgetS = group.travel.minutes * 60;
    const m = homes.homes.length;
    // Per standard and item: each home's nearest entry and its time and metres.
    const nearest = applicable.map((s) => s.standard.items.map(() => ({ time: new Float64Array(m).fill(Infinity), meters: new Float64Array(m), entry: new Int32Array(m).fill(-1) })));
    const entry = new Int32Array(Math.max(...applicable.map((s) => s.standard.items.length)));
    perHome.forEach((points, h) => {
      if (points.length === 0) return;
      group.reached.scan(router.searchFrom(group.costing, points, budgetS), points);
      applicable.forEach((compiled, s) => {
        group.assessor.scan(compiled, group.reached, entry);
        for (let i = 0; i < compiled.standard.items.length; i++) {
          const k = entry[i];
          if (k < 0) continue;
          nearest[s][i].time[h] = group.reached.time[k];
          nearest[s][i].meters[h] = group.reached.meters[k];
          nearest[s][i].entry[h] = k;
        }
      });
    });
    // Reachable counts: facilities some home reaches, from all their points at once.
    const counts = new Int32Array(entry.length);
    const all = perHome.flat();
    group.reached.scan(router.searchFrom(group.costing, all, budgetS), all);
    const travel = { mode: group.travel.mode, speedKmh: group.costing.speeds.speedKmh, minutes: group.travel.minutes, metShare };
    applicable.forEach((compiled, s) => {
      group.assessor.scan(compiled, group.reached, entry, counts);
      const services = declared.forStandard(compiled.standard.id);
      const items = compiled.standard.items.map((item, i) => {
        if (item.kind !== 'place') return programmeItemResult(item, services.has(item.id));
        if (!compiled.itemCategories[i].some((c) => group.present[c])) return placeItemResult(item, undefined, m, undefined, counts[i]);
        const n = nearest[s][i];
        let best = -1;
        for (let h = 0; h < m; h++) if (n.entry[h] >= 0 && (best < 0 || n.time[h] < n.time[best])) best = h;
        const verdict = homesVerdict(n.time, weights, 0, m, budgetS, metShare);
        const near = best < 0 ? undefined : nearestFacility(group.placed, n.entry[best], n.time[best], n.meters[best]);
        return placeItemResult(item, verdict, m, near, counts[i]);
      });
      report.standards.push(standardResult(compiled.standard, items, travel));
    });
  }
  return report;
}

/**
 * A community's report before its standards are assessed: who it is, its origins (none placed yet),
 * its provision checks. Shared with the city-wide computation, so both write the same keys in the
 * same order (the same JSON and CSV bytes).
 */
export function communityReportHead(community: Community, facilities: readonly Facility[], homes: CommunityHomes, provision?: ProvisionOptions): CommunityReport {
  return {
    id: community.id,
    ...(community.name !== undefined ? { name: community.name } : {}),
    type: community.type,
    ...(community.district !== undefined ? { district: community.district } : {}),
    ...(community.subdistrict !== undefined ? { subdistrict: community.subdistrict } : {}),
    ...(community.population !== undefined ? { population: community.population } : {}),
    ...(community.households !== undefined ? { households: community.households } : {}),
    homes: {
      rule: homes.rule,
      count: homes.homes.length,
      placed: 0,
      gates: homes.pooledOrigins ? 0 : homes.gates.reduce((n, part) => n + part.length, 0),
      ...(homes.capped ? { capped: homes.capped } : {}),
    },
    standards: [],
    provision: provisionChecks(community, facilities, provision),
  };
}

/** Per category, whether it is in the list. */
export function presentFrom(categories: readonly string[]): Uint8Array {
  const present = new Uint8Array(CATEGORY_IDS.length);
  for (const c of categories) {
    const i = CATEGORY_IDS.indexOf(c as (typeof CATEGORY_IDS)[number]);
    if (i >= 0) present[i] = 1;
  }
  return present;
}

/** Per category, whether the placement holds some facility of it. */
function presentCategories(placed: PlacedFacilities): Uint8Array {
  const present = new Uint8Array(CATEGORY_IDS.length);
  for (const c of placed.index.category) present[c] = 1;
  return present;
}
