import type { Community } from '../communities/read-communities.ts';
import type { Facility } from '../facilities/read-facilities.ts';
import type { Graph } from '../network/graph.ts';
import type { Mode } from '../network/profiles.ts';
import { type Costing, costingFor, edgeUsable } from '../routing/costing.ts';
import { type NetworkPoint, networkPoint } from '../routing/network-point.ts';
import { Router } from '../routing/travel-times.ts';
import { snapToNetwork } from '../spatial/snap.ts';
import type { Standard } from '../standards/types.ts';
import { Assessor, type CompiledStandard, type StandardResult, compileStandard } from './assess.ts';
import { type PlacedFacilities, placeFacilities } from './facility-index.ts';
import { type ProvisionResult, provisionChecks } from './provision.ts';
import { ReachedFacilities } from './reach.ts';
import { type CoverageSummary, summarize } from './summary.ts';

/**
 * The coverage report: every community against every requested standard of its type (urban or
 * rural), by network travel time from the community's origins (entrances, or a representative point)
 * to the snapped facilities — never by polygon containment — and the city summary.
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
}

export interface CommunityReport {
  id: string;
  name?: string;
  type: 'urban' | 'rural';
  district?: string;
  subdistrict?: string;
  population?: number;
  households?: number;
  origins: { rule: string; count: number; placed: number };
  /** Set when no origin of the community could be placed on the network for some mode. */
  error?: string;
  standards: StandardResult[];
  provision: ProvisionResult[];
}

export interface CoverageReport {
  communities: CommunityReport[];
  summary: CoverageSummary;
  facilities: { count: number; unplaced: { id: string; index: number; error: string; mode: string }[] };
}

interface Travel {
  mode: Mode;
  speedKmh?: number;
  minutes: number;
}

interface TravelGroup {
  travel: Travel;
  costing: Costing;
  placed: PlacedFacilities;
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
    return assessCommunity(this.router, community, this.groups, this.facilities, this.opts.maxSnapM);
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
      group = { travel, costing, placed, ...scratchFor(placed), standards: [] };
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

function assessCommunity(router: Router, community: Community, groups: Map<string, TravelGroup>, facilities: readonly Facility[], maxSnapM: number): CommunityReport {
  const report = communityReportHead(community, facilities);
  const services = new Set(community.services);
  for (const group of groups.values()) {
    const applicable = group.standards.filter((s) => s.standard.communityType === community.type);
    if (applicable.length === 0) continue;
    const seeds = placeOrigins(group.costing, community.origins, maxSnapM);
    report.origins.placed = Math.max(report.origins.placed, seeds.length);
    if (seeds.length === 0) {
      report.error = `no origin of community ${JSON.stringify(community.id)} is within ${maxSnapM} m of a road usable by ${group.travel.mode}`;
      continue;
    }
    const search = router.searchFrom(group.costing, seeds, group.travel.minutes * 60);
    group.reached.scan(search, seeds);
    const travel = { mode: group.travel.mode, speedKmh: group.costing.speeds.speedKmh, minutes: group.travel.minutes };
    for (const compiled of applicable) report.standards.push(group.assessor.assess(compiled, group.reached, services, travel));
  }
  return report;
}

/**
 * A community's report before its standards are assessed: who it is, its origins (none placed yet),
 * its provision checks. Shared with the city-wide computation, so both write the same keys in the
 * same order (the same JSON and CSV bytes).
 */
export function communityReportHead(community: Community, facilities: readonly Facility[]): CommunityReport {
  return {
    id: community.id,
    ...(community.name !== undefined ? { name: community.name } : {}),
    type: community.type,
    ...(community.district !== undefined ? { district: community.district } : {}),
    ...(community.subdistrict !== undefined ? { subdistrict: community.subdistrict } : {}),
    ...(community.population !== undefined ? { population: community.population } : {}),
    ...(community.households !== undefined ? { households: community.households } : {}),
    origins: { rule: community.originRule, count: community.origins.length, placed: 0 },
    standards: [],
    provision: provisionChecks(community, facilities),
  };
}

/** A community's origins placed on roads usable by the costing's mode; those too far from one are left out. */
export function placeOrigins(costing: Costing, origins: readonly [number, number][], maxSnapM: number): NetworkPoint[] {
  const usable = (e: number) => edgeUsable(costing, e);
  const points: NetworkPoint[] = [];
  for (const [lon, lat] of origins) {
    const snap = snapToNetwork(costing.graph, lon, lat, maxSnapM, usable);
    if (snap) points.push(networkPoint(costing, snap));
  }
  return points;
}
