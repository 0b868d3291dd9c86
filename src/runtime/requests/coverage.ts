import type { Static } from '@sinclair/typebox';
import { placeHomes } from '../../core/communities/place-homes.ts';
import { readCommunities } from '../../core/communities/read-communities.ts';
import { readHomes } from '../../core/communities/read-homes.ts';
import { type DeclarationsRead, readDeclarations } from '../../core/communities/read-declarations.ts';
import { DEFAULT_MET_SHARE } from '../../core/coverage/assess.ts';
import type { ProvisionOptions } from '../../core/coverage/provision.ts';
import { computeCityCoverageSync } from '../../core/coverage/city-wide/city-coverage.ts';
import type { CommunityReport } from '../../core/coverage/coverage.ts';
import type { OriginRule } from '../../core/coverage/home-origins.ts';
import { type FeatureReason, InputError } from '../../core/errors.ts';
import { readFacilities } from '../../core/facilities/read-facilities.ts';
import { WGS84_CRS_MEMBER } from '../../core/geo/crs.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import type { Community } from '../../core/communities/read-communities.ts';
import { resolveStandards } from '../files/standards-catalogue.ts';
import { type RequestContext, hasOwnNetwork, multiSourceFor, networkUsed, placedFacilitiesFor, resolveNetwork, routerFor, withNetworkReport } from './context.ts';
import { BODY_SCHEMAS } from './bodies.ts';
import { DEFAULTS, LIMITS, parseCrsParam } from './params.ts';
import { readBody } from './schema-check.ts';
import type { CoverageReport } from './answers.ts';


/**
 * The report POST /v1/coverage answers: the core's (communities, summary, facilities) with the
 * request's `crs`, standards and overrides, how it was assessed, what it rests on, what was left out.
 * The type of the schema the OpenAPI document shows (src/runtime/requests/answers.ts): written once.
 */
export type CoverageResponse = Static<typeof CoverageReport>;

/** The parsed inputs too, for the GeoJSON answer (it needs the community geometries). */
export interface CoverageResult {
  response: CoverageResponse;
  communities: Community[];
  /** The body's `declarations` matched to its communities and standards (absent when it has none). */
  declarations?: DeclarationsRead;
}

/**
 * POST /v1/coverage and the CLI's `coverage`: communities against the requested standards (ids, a
 * custom standard, or by default all built-in ones), with facilities from the body or the server's
 * default set. Communities, facilities and homes are read in their own crs member, else the
 * body's `crs`, else WGS84 (src/core/geo/collection-crs.ts); an inline network in its own member, else WGS84.
 */
export function coverage(request: Record<string, unknown>, ctx: RequestContext): CoverageResult {
  const body = readBody(BODY_SCHEMAS.coverage, request);
  const { mode, speedKmh, minutes, maxSnapM = DEFAULTS.maxSnapM, metShare = DEFAULT_MET_SHARE, origin = 'homes' } = body;
  const crs = parseCrsParam(body.crs);
  const standards = resolveStandards(body.standards, body.standard);
  const communitiesIn = readCommunities(body.communities, { crs });
  if (!ctx.unlimited && communitiesIn.communities.length > LIMITS.maxCoverageCommunities) {
    throw new InputError('LIMIT_EXCEEDED', `communities: has ${communitiesIn.communities.length} features, at most ${LIMITS.maxCoverageCommunities} are allowed per request (use a job for a whole city)`, { where: 'communities' });
  }
  let facilities: readonly Facility[];
  let facilityErrors: CoverageResponse['errors']['facilities'] = [];
  let unmapped: CoverageResponse['unmappedFacilities'] = { count: 0, byReason: {}, examples: [] };
  if (body.facilities === undefined && ctx.datasets?.facilities === undefined && hasOwnNetwork(body.network, ctx)) {
    // The server's facilities lie on the server's network (another city, perhaps): measured on this
    // one they would all be unplaced, and every community would fail without a word why.
    throw new InputError(
      'INVALID_PARAMETER',
      `facilities: is required when the request brings its own network (${ctx.datasets?.network !== undefined ? `dataset ${ctx.datasets.network}` : 'inline'}): the server's default facilities belong to the server's network, not to this one; send the facilities inline as a GeoJSON FeatureCollection, or name a facilities dataset`,
      { where: 'facilities' },
    );
  }
  if (body.facilities === undefined) {
    if (!ctx.defaultFacilities) throw new InputError('INVALID_PARAMETER', 'facilities: no default facility set is loaded; send one as a GeoJSON FeatureCollection', { where: 'facilities' });
    facilities = ctx.defaultFacilities;
  } else {
    const read = readFacilities(body.facilities, { crs });
    facilities = read.facilities;
    facilityErrors = read.errors;
    unmapped = read.unmapped;
  }
  // Rows naming an unknown community or item are reported one by one; the rest apply.
  const declarations = body.declarations === undefined ? undefined : readDeclarations(body.declarations, { communities: communitiesIn.communities, standards });
  const graph = resolveNetwork(body.network, ctx);
  // Features sent, none readable: 422 with each one's reason (an empty collection is answered, empty).
  if (communitiesIn.communities.length === 0 && communitiesIn.errors.length > 0) throw nothingToAssess(communitiesIn.errors, []);
  // Homes given in the body, tied to their communities; else the network's residential buildings
  // (the server's OSM network only: an inline network brings none); else the engine's grid.
  const homesIn = body.homes === undefined ? undefined : readHomes(body.homes, communitiesIn.communities, { crs });
  const buildings = body.network === undefined || body.network === null ? ctx.defaultBuildings : undefined;
  if (origin === 'homes' && (homesIn || buildings)) {
    for (const c of communitiesIn.communities) c.homes = placeHomes(c, { given: homesIn?.byCommunity.get(c.index), buildings });
  }
  // One engine for every caller (issue 12): the city-wide multi-source computation, here in this
  // thread with the server's cached search arrays; reachable counts from one search per community.
  const report = computeCityCoverageSync(graph, communitiesIn.communities, facilities, standards, {
    mode,
    minutes,
    speedKmh,
    maxSnapM,
    metShare,
    origin,
    ...(body.localNorms !== undefined ? { provision: parseLocalNorms(body.localNorms) } : {}),
    ...(declarations ? { declarations: declarations.byCommunity } : {}),
    detail: 'full',
    threads: 1,
    placedFor: (costing) => placedFacilitiesFor(facilities, costing, maxSnapM),
    router: routerFor(graph),
    multi: multiSourceFor(graph),
  });
  const { detail: _detail, ...reportFields } = report;
  // Every community read but none placed on the network (all far from it, or on no road the mode uses).
  if (report.communities.length > 0 && report.communities.every((r) => r.error !== undefined)) throw nothingToAssess(communitiesIn.errors, report.communities, communitiesIn.communities);
  const featureCount = (input: unknown) => (Array.isArray((input as { features?: unknown })?.features) ? (input as { features: unknown[] }).features.length : 0);
  const inputs: CoverageInputs = {
    network: networkUsed(body.network, ctx, graph),
    facilities: {
      source: body.facilities !== undefined ? 'inline' : ctx.datasets?.facilities !== undefined ? 'dataset' : 'default',
      dataset: ctx.datasets?.facilities ?? null,
      features: body.facilities !== undefined ? featureCount(body.facilities) : facilities.length,
      used: facilities.length - new Set(report.facilities.unplaced.map((u) => u.index)).size,
    },
    communities: {
      source: ctx.datasets?.communities !== undefined ? 'dataset' : 'inline',
      dataset: ctx.datasets?.communities ?? null,
      features: featureCount(body.communities),
      used: report.communities.filter((r) => r.error === undefined).length,
    },
    ...(homesIn ? { homes: { source: 'inline', dataset: null, features: featureCount(body.homes), used: featureCount(body.homes) - homesIn.errors.length } } : {}),
  };
  return {
    communities: communitiesIn.communities,
    ...(declarations ? { declarations } : {}),
    response: {
      crs: WGS84_CRS_MEMBER,
      standards: standards.map((s) => ({ id: s.id, name: s.name, communityType: s.communityType, level: s.level, mode: mode ?? s.mode, minutes: minutes ?? s.minutes, ...(s.travelAssumption ? { travelAssumption: s.travelAssumption } : {}) })),
      overrides: { ...(mode ? { mode } : {}), ...(minutes ? { minutes } : {}), ...(speedKmh ? { speedKmh } : {}) },
      assessment: assessmentOf(report.communities, origin, metShare),
      inputs,
      ...reportFields,
      errors: { communities: communitiesIn.errors, facilities: facilityErrors, homes: homesIn?.errors ?? [], declarations: declarations?.errors ?? [] },
      warnings: { communities: communitiesIn.warnings },
      unmappedFacilities: unmapped,
      ...withNetworkReport(body.network, graph),
    },
  };
}

export type CoverageInputs = CoverageResponse['inputs'];

/**
 * 422 NO_USABLE_INPUT: no community could be assessed — every feature refused by the reader, or every
 * community read but none placed on the network — with each one's reason.
 */
function nothingToAssess(refused: readonly { index: number; id?: string; message: string }[], unplaced: readonly CommunityReport[], read: readonly Community[] = []): InputError {
  const indexOf = new Map(read.map((c) => [c.id, c.index]));
  const reasons: FeatureReason[] = [
    ...refused.map((e) => ({ what: 'communities', index: e.index, ...(e.id !== undefined ? { id: e.id } : {}), message: e.message })),
    ...unplaced.map((r) => ({ what: 'communities', index: indexOf.get(r.id) ?? -1, id: r.id, message: r.error! })),
  ].sort((a, b) => a.index - b.index);
  const total = refused.length + unplaced.length;
  const message =
    unplaced.length > 0 && refused.length === 0 ? `communities: none of the ${total} communities could be placed on the network (see errors): are they within the network's area, and in the crs the request says?`
    : `communities: none of the ${total} communities could be assessed (see errors, one by one)`;
  return new InputError('NO_USABLE_INPUT', message, { where: 'communities', reasons });
}

/**
 * How the verdicts were measured, stated in every answer: `origin` (homes, or the one-point rule),
 * `metShare`, and how many communities' homes came from each rule, so a reader knows what a share
 * rests on.
 */
export type Assessment = CoverageResponse['assessment'];

function assessmentOf(reports: readonly Pick<CommunityReport, 'homes'>[], origin: OriginRule, metShare: number): Assessment {
  const byRule: Record<string, number> = {};
  let total = 0;
  for (const r of reports) {
    byRule[r.homes.rule] = (byRule[r.homes.rule] ?? 0) + 1;
    total += r.homes.count;
  }
  const percent = `${Math.round(metShare * 1000) / 10}%`;
  return {
    origin,
    metShare,
    homes: { total, byRule },
    statement:
      origin === 'homes'
        ? {
            zh: `每个社区从其住宅出发测量（住宅经本区块的出入口或最近道路进入路网）；一项指标在至少 ${percent} 的居民可达时计为满足。`,
            en: `Each community is measured from its homes (each joins the network by its own part's gates or its nearest road); an item is met when at least ${percent} of residents reach it.`,
          }
        : {
            zh: '每个社区以一个代表点（或其全部出入口合并）测量，仅供对比；一项指标在该点可达时计为满足。',
            en: 'Each community is measured from one representative point (or all its gates pooled), for comparison only; an item is met when that point reaches it.',
          },
  };
}

/**
 * `localNorms`: the figures a locality has set where a document leaves them to it — today Guangdong's
 * rural floor and outdoor area per 100 households ("more than the urban figure, set locally").
 */
function parseLocalNorms(value: unknown): ProvisionOptions {
  const bad = (what: string) => new InputError('INVALID_PARAMETER', `localNorms${what}`, { where: 'localNorms' });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(`: got ${JSON.stringify(value)}, expected {"guangdongRural": {"indoorM2": n, "outdoorM2": n}}`);
  const rural = (value as { guangdongRural?: unknown }).guangdongRural;
  if (rural === undefined) return {};
  if (typeof rural !== 'object' || rural === null) throw bad(`.guangdongRural: got ${JSON.stringify(rural)}, expected {"indoorM2"?: n, "outdoorM2"?: n} (m² per 100 households)`);
  const out: { indoorM2?: number; outdoorM2?: number } = {};
  for (const key of ['indoorM2', 'outdoorM2'] as const) {
    const v = (rural as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(`.guangdongRural.${key}: got ${JSON.stringify(v)}, expected a positive number of m² per 100 households`);
    out[key] = v;
  }
  return { guangdongRural: out };
}
