import type { Geometry } from 'geojson';
import { placeHomes } from '../../core/communities/place-homes.ts';
import { type CommunitiesRead, type Community, readCommunities } from '../../core/communities/read-communities.ts';
import { readHomes } from '../../core/communities/read-homes.ts';
import { type RunDiff, diffRuns } from '../../core/coverage/diff.ts';
import { ORIGIN_RULES, homesOf } from '../../core/coverage/home-origins.ts';
import { DEFAULT_MET_SHARE } from '../../core/coverage/assess.ts';
import { InputError } from '../../core/errors.ts';
import { CATEGORY_IDS, categoryIndex, isCategory } from '../../core/facilities/categories.ts';
import { type Facility, readFacilities } from '../../core/facilities/read-facilities.ts';
import { WGS84_CRS_MEMBER } from '../../core/geo/crs.ts';
import type { Mode } from '../../core/network/profiles.ts';
import { reachSetsInThreads } from '../jobs/reach-sets-in-threads.ts';
import { gridCandidates } from '../../core/siting/grid-candidates.ts';
import { type CandidateSite, readCandidates } from '../../core/siting/read-candidates.ts';
import { type SitingResult, siteFacilities } from '../../core/siting/siting.ts';
import { resolveStandards } from '../files/standards-catalogue.ts';
import type { Standard } from '../../core/standards/types.ts';
import { type RequestContext, multiSourceFor, placedFacilitiesFor, resolveNetwork } from './context.ts';
import { type CoverageResponse, coverage } from './coverage.ts';
import { costingFor } from '../../core/routing/costing.ts';
import { BODY_SCHEMAS, type SitingBody } from './bodies.ts';
import { DEFAULTS, LIMITS, parseCrsParam } from './params.ts';
import { readBody } from './schema-check.ts';

/** Candidates one request may send or a grid may make (a job has no limit). */
const MAX_SITING_CANDIDATES = 100_000;
/** `auto` tries the exact program up to this many (candidate, home) pairs. */
const AUTO_EXACT_MAX_PAIRS = 2_000_000;

export interface SitingResponse extends Omit<SitingResult, 'sites' | 'communities'> {
  crs: typeof WGS84_CRS_MEMBER;
  item: { id: string; standardId?: string; zh?: string; en?: string; categories: string[] };
  travel: { mode: Mode; minutes: number; speedKmh?: number; metShare: number; origin: string };
  sites: (Omit<SitingResult['sites'][number], 'candidate'> & { id: string; name?: string; geometry: Geometry; cost?: number; capacity?: number })[];
  communities: SitingResult['communities'];
  errors: { communities: { index: number; id?: string; message: string }[]; candidates: { index: number; id?: string; message: string }[] };
  warnings: string[];
}

/** The what-if answer: the coverage report with the added facilities, and what changed per community. */
export interface WhatIfResponse {
  whatIf: true;
  added: { id: string; categories: string[] }[];
  changes: RunDiff;
  before: { summary: CoverageResponse['summary'] };
  after: CoverageResponse;
}

export interface SitingRunOptions {
  timings?: Record<string, number>;
  /** Search threads for the candidates' reach (a job's, the CLI's); default: this thread. */
  threads?: number;
  /** The communities read already (a job's thread given them parsed), in place of `body.communities`. */
  communities?: CommunitiesRead;
  /** The communities are read: how many (a job's progress). */
  onRead?(communities: number): void;
}

/**
 * POST /v1/siting and the CLI's `siting`: where to build next (src/core/siting/siting.ts), or — with
 * `add` — the coverage report as if the added facilities existed, with the changes per community.
 */
export async function siting(request: Record<string, unknown>, ctx: RequestContext, opts: SitingRunOptions = {}): Promise<{ response: SitingResponse | WhatIfResponse; communities: Community[] }> {
  const body = readBody(BODY_SCHEMAS.siting, request);
  if (body.add !== undefined) return whatIf(body, ctx);
  const { crs, item, categories, standard, mode, minutes, speedKmh, maxSnapM, metShare, origin, objective, method, k, targetShare, budget, timeLimitS } = sitingParams(body);

  const communitiesIn = opts.communities ?? readCommunities(body.communities, { crs });
  opts.onRead?.(communitiesIn.communities.length);
  if (!ctx.unlimited && communitiesIn.communities.length > LIMITS.maxCoverageCommunities) {
    throw new InputError('LIMIT_EXCEEDED', `communities: has ${communitiesIn.communities.length} features, at most ${LIMITS.maxCoverageCommunities} are allowed per request (use a job for a whole city)`, { where: 'communities' });
  }
  const facilities = facilitiesOf(body, ctx, crs);
  const graph = resolveNetwork(body.network, ctx);
  const homesIn = body.homes === undefined ? undefined : readHomes(body.homes, communitiesIn.communities, { crs });
  const buildings = body.network === undefined || body.network === null ? ctx.defaultBuildings : undefined;
  const assessed = (c: Community) => standard === undefined || c.type === standard.communityType;
  if (origin === 'homes' && (homesIn || buildings)) {
    for (const c of communitiesIn.communities) if (assessed(c)) c.homes = placeHomes(c, { given: homesIn?.byCommunity.get(c.index), buildings });
  }
  const { sites, errors: candidateErrors, warnings } = candidatesOf(body, ctx, graph, communitiesIn.communities.filter(assessed), crs, { mode, speedKmh, origin });
  if (sites.length === 0) throw noCandidates(candidateErrors);
  if (budget !== undefined && !sites.some((s) => s.cost !== undefined)) warnings.push('budget: no candidate has a `cost`: each counts 1');
  if (sites.some((s) => s.capacity !== undefined)) warnings.push('capacity: read and reported, not yet a constraint: each site is assumed to serve every home that reaches it');
  if (communitiesIn.communities.filter(assessed).length === 0) {
    throw new InputError('NO_USABLE_INPUT', `communities: none of the ${communitiesIn.communities.length} communities is of the type ${standard?.communityType ?? ''} the standard assesses`, { where: 'communities' });
  }

  const result = await siteFacilities(graph, communitiesIn.communities, facilities, sites as unknown as Facility[], {
    categories,
    assessed,
    mode,
    minutes,
    ...(speedKmh !== undefined ? { speedKmh } : {}),
    maxSnapM,
    metShare,
    origin,
    objective,
    ...(k !== undefined ? { k } : {}),
    ...(targetShare !== undefined ? { targetShare } : {}),
    ...(budget !== undefined ? { budget } : {}),
    ...(sites.some((s) => s.cost !== undefined) ? { cost: Float64Array.from(sites, (s) => s.cost ?? 1) } : {}),
    method,
    timeLimitS,
    exactMaxPairs: AUTO_EXACT_MAX_PAIRS,
    placedFor: (costing) => placedFacilitiesFor(facilities, costing, maxSnapM),
    multi: multiSourceFor(graph),
    ...(opts.timings ? { timings: opts.timings } : {}),
    ...(opts.threads && opts.threads > 1 ? { reachSetsWith: (costing, origins, unserved, placed, budgetS, candidateCount) => reachSetsInThreads(costing, origins, unserved, placed, budgetS, { candidateCount, threads: opts.threads! }) } : {}),
  });
  const { sites: chosen, communities: perCommunity, ...rest } = result;
  return {
    communities: communitiesIn.communities,
    response: {
      crs: WGS84_CRS_MEMBER,
      item,
      travel: { mode, minutes, ...(speedKmh !== undefined ? { speedKmh } : {}), metShare, origin },
      ...rest,
      sites: chosen.map(({ candidate, ...s }) => {
        const site = sites[candidate];
        return { id: site.id, ...(site.name !== undefined ? { name: site.name } : {}), geometry: site.geometry, ...(site.cost !== undefined ? { cost: site.cost } : {}), ...(site.capacity !== undefined ? { capacity: site.capacity } : {}), ...s };
      }),
      communities: perCommunity,
      errors: { communities: communitiesIn.errors, candidates: candidateErrors },
      warnings,
    },
  };
}

/** Siting's own parameters (what to site, how far, how many): POST /v1/siting's, and a siting job's. */
type SitingParams = Pick<SitingBody, 'crs' | 'item' | 'categories' | 'standard' | 'mode' | 'minutes' | 'speedKmh' | 'maxSnapM' | 'metShare' | 'origin' | 'objective' | 'method' | 'k' | 'targetShare' | 'budget' | 'timeLimitSeconds'>;

/**
 * Siting's own parameters, their schema checked (bodies.ts), with what a schema cannot say — the
 * item resolved in its standard, one of `k`, `targetShare` or `budget` — and their defaults. A
 * siting job's are checked with it when it is queued (routes/jobs.ts), before any data is read.
 */
export function sitingParams(body: SitingParams) {
  const crs = parseCrsParam(body.crs);
  const { item, categories, standard } = resolveItem(body);
  // Travel not given is the standard's (an item's), else a 15-minute walk (categories).
  const mode = body.mode ?? standard?.mode ?? DEFAULTS.mode;
  const minutes = body.minutes ?? standard?.minutes ?? 15;
  const { speedKmh, maxSnapM = DEFAULTS.maxSnapM, metShare = DEFAULT_MET_SHARE, origin = 'homes', objective = 'residents', method = 'auto', k, targetShare, budget } = body;
  const timeLimitS = body.timeLimitSeconds ?? DEFAULTS.sitingTimeLimitS;
  if (k === undefined && targetShare === undefined && budget === undefined) {
    throw new InputError('INVALID_PARAMETER', 'k: missing: send `k` (how many new sites), `targetShare` (the fewest sites until that share is served) or `budget` (with candidates\' `cost`)', { where: 'k' });
  }
  if (k !== undefined && targetShare !== undefined) throw new InputError('INVALID_PARAMETER', 'targetShare: send either `k` or `targetShare`, not both', { where: 'targetShare' });
  return { crs, item, categories, standard, mode, minutes, speedKmh, maxSnapM, metShare, origin, objective, method, k, targetShare, budget, timeLimitS };
}

/** The item to site: `item` of `standard`, or `categories` (then every community is assessed). */
function resolveItem(body: Pick<SitingParams, 'item' | 'categories' | 'standard'>): { item: SitingResponse['item']; categories: number[]; standard?: Standard } {
  if (body.item !== undefined && body.categories !== undefined) throw new InputError('INVALID_PARAMETER', 'categories: send either `item` (with `standard`) or `categories`, not both', { where: 'categories' });
  if (body.categories !== undefined) {
    const list = body.categories;
    const unknown = list.find((c) => !isCategory(c));
    if (unknown !== undefined) throw new InputError('INVALID_PARAMETER', `categories: ${JSON.stringify(unknown)} is not a category id; expected one of ${CATEGORY_IDS.slice(0, 6).join(', ')}… (GET /v1/categories)`, { where: 'categories' });
    return { item: { id: `categories:${list.join('+')}`, categories: list }, categories: list.map(categoryIndex) };
  }
  if (body.item === undefined) throw new InputError('INVALID_PARAMETER', 'item: missing: send an item id such as "public-11" (with `standard`), or `categories`', { where: 'item' });
  if (body.standard === undefined) throw new InputError('INVALID_PARAMETER', `standard: missing: item ${JSON.stringify(body.item)} needs the standard it belongs to (an id from GET /v1/standards, or your own standard)`, { where: 'standard' });
  const [standard] = typeof body.standard === 'string' ? resolveStandards([body.standard]) : resolveStandards(undefined, body.standard);
  const found = standard.items.find((i) => i.id === body.item);
  if (!found) throw new InputError('INVALID_PARAMETER', `item: ${JSON.stringify(body.item)} is not an item of ${standard.id}; its items are ${standard.items.slice(0, 5).map((i) => i.id).join(', ')}…`, { where: 'item' });
  if (found.kind !== 'place' || !found.categories || found.categories.length === 0) {
    throw new InputError('INVALID_PARAMETER', `item: ${found.id} (${found.en}) is a ${found.kind} with no facility categories: it is provided by declaration, not by building a site`, { where: 'item' });
  }
  return {
    item: { id: found.id, standardId: standard.id, zh: found.zh, en: found.en, categories: found.categories },
    categories: found.categories.map(categoryIndex),
    standard,
  };
}

function facilitiesOf(body: SitingBody, ctx: RequestContext, crs: unknown): readonly Facility[] {
  if (body.facilities !== undefined) return readFacilities(body.facilities, { crs }).facilities;
  if (ctx.datasets?.facilities === undefined && body.network !== undefined && body.network !== null) {
    throw new InputError('INVALID_PARAMETER', 'facilities: is required when the request brings its own network: the server\'s default facilities belong to the server\'s network', { where: 'facilities' });
  }
  if (!ctx.defaultFacilities) throw new InputError('INVALID_PARAMETER', 'facilities: no default facility set is loaded; send one as a GeoJSON FeatureCollection', { where: 'facilities' });
  return ctx.defaultFacilities;
}

function candidatesOf(
  body: SitingBody,
  ctx: RequestContext,
  graph: ReturnType<typeof resolveNetwork>,
  communities: readonly Community[],
  crs: unknown,
  travel: { mode: Mode; speedKmh?: number; origin: (typeof ORIGIN_RULES)[number] },
): { sites: CandidateSite[]; errors: { index: number; id?: string; message: string }[]; warnings: string[] } {
  const c = body.candidates;
  const limit = ctx.unlimited ? Infinity : MAX_SITING_CANDIDATES;
  const spacing = gridSpacing(c);
  if (spacing !== undefined) {
    const extent = extentOf(communities, travel.origin);
    if (!extent) throw new InputError('NO_USABLE_INPUT', 'candidates.grid: the communities have no homes to span a grid over', { where: 'candidates' });
    const costing = costingFor(graph, travel);
    const { sites, cells } = gridCandidates(costing, extent, spacing, limit === Infinity ? Number.MAX_SAFE_INTEGER : limit + 1);
    if (sites.length > limit) throw new InputError('LIMIT_EXCEEDED', `candidates.grid: ${spacing} m over the communities' extent makes more than ${limit} sites; use a larger spacing, or a job`, { where: 'candidates.grid' });
    return {
      sites: sites.map((s, index) => ({ index, id: s.id, lon: s.lon, lat: s.lat, geometry: { type: 'Point', coordinates: [s.lon, s.lat] } })),
      errors: [],
      warnings: [`candidates: a ${spacing} m grid over the communities' extent: ${sites.length} sites on the network from ${cells} cells`],
    };
  }
  const read = readCandidates(c, { crs });
  if (read.sites.length > limit) throw new InputError('LIMIT_EXCEEDED', `candidates: has ${read.sites.length} sites, at most ${limit} are allowed per request (use a job)`, { where: 'candidates' });
  return { sites: read.sites, errors: read.errors, warnings: [] };
}

/**
 * The spacing of `{"grid": metres}` candidates, or undefined for a FeatureCollection of them; a
 * missing or malformed grid is a 400. (A job checks its candidates with it and `checkCandidateSites`
 * when it is queued.)
 */
function gridSpacing(candidates: unknown): number | undefined {
  if (candidates === undefined) throw new InputError('INVALID_PARAMETER', 'candidates: missing: send a FeatureCollection of candidate sites, or {"grid": metres}', { where: 'candidates' });
  const c = candidates as { grid?: unknown; type?: unknown } | null;
  if (c === null || typeof c !== 'object' || Array.isArray(c) || c.type !== undefined || !('grid' in c)) return undefined;
  const spacing = c.grid;
  if (typeof spacing !== 'number' || !Number.isFinite(spacing) || spacing < 10 || spacing > 5000) {
    throw new InputError('INVALID_PARAMETER', `candidates.grid: got ${JSON.stringify(spacing)}, expected metres between 10 and 5000`, { where: 'candidates.grid' });
  }
  return spacing;
}

/** Candidates sent as features: at least one readable, else NO_USABLE_INPUT naming each feature's fault. */
export function checkCandidateSites(candidates: unknown, crs: unknown): void {
  if (gridSpacing(candidates) !== undefined) return;
  const read = readCandidates(candidates, { crs });
  if (read.sites.length === 0) throw noCandidates(read.errors);
}

function noCandidates(errors: readonly { index: number; id?: string; message: string }[]): InputError {
  return new InputError('NO_USABLE_INPUT', `candidates: none of the ${errors.length} candidate features could be read (see errors)`, {
    where: 'candidates',
    reasons: errors.map((e) => ({ what: 'candidates', index: e.index, id: e.id, message: e.message })),
  });
}

function extentOf(communities: readonly Community[], origin: (typeof ORIGIN_RULES)[number]): [number, number, number, number] | undefined {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const c of communities) {
    for (const h of homesOf(c, origin).homes) {
      box[0] = Math.min(box[0], h.lon);
      box[1] = Math.min(box[1], h.lat);
      box[2] = Math.max(box[2], h.lon);
      box[3] = Math.max(box[3], h.lat);
    }
  }
  return box[0] <= box[2] ? box : undefined;
}

/**
 * What-if: the coverage request (its own keys) with the `add` facilities included — a thin layer over
 * coverage(), run twice — and what changed per community and standard (diffRuns). An added feature
 * without a `category` takes the item's categories, when the request names an item.
 */
function whatIf(body: SitingBody, ctx: RequestContext): { response: WhatIfResponse; communities: Community[] } {
  const crs = parseCrsParam(body.crs);
  const defaultCategories = body.item !== undefined || body.categories !== undefined ? resolveItem(body).item.categories : undefined;
  const add = body.add as { type?: unknown; features?: unknown } | null;
  if (!add || typeof add !== 'object' || add.type !== 'FeatureCollection' || !Array.isArray(add.features)) {
    throw new InputError('INVALID_GEOJSON', `add: got ${JSON.stringify(add)?.slice(0, 60)}, expected a GeoJSON FeatureCollection of facilities to try`, { where: 'add' });
  }
  const features = (add.features as { properties?: Record<string, unknown> | null }[]).map((f, i) => {
    const properties = { ...(f?.properties ?? {}) };
    properties.id ??= `added-${i}`;
    if (properties.category === undefined && properties.amenity === undefined && defaultCategories) properties.category = defaultCategories.join(';');
    return { ...f, properties };
  });
  const added = readFacilities({ ...add, features }, { crs });
  if (added.errors.length > 0) {
    const e = added.errors[0];
    throw new InputError('INVALID_PARAMETER', `add: ${e.message}`, { where: 'add', featureIndex: e.index, featureId: e.id });
  }
  if (added.facilities.length === 0) throw new InputError('INVALID_PARAMETER', 'add: no facility to add (each needs a `category`, or the request an `item`)', { where: 'add' });
  const { add: _add, item: _item, categories: _categories, candidates: _c, k: _k, targetShare: _t, budget: _b, method: _m, objective: _o, timeLimitSeconds: _l, ...coverageBody } = body;
  if (typeof body.standard === 'string') {
    coverageBody.standards = [body.standard];
    delete coverageBody.standard;
  }
  const before = coverage(coverageBody, ctx);
  const after =
    body.facilities !== undefined
      ? coverage({ ...coverageBody, facilities: { ...(body.facilities as object), features: [...((body.facilities as { features?: unknown[] }).features ?? []), ...features] } }, ctx)
      : coverage(coverageBody, { ...ctx, defaultFacilities: [...(ctx.defaultFacilities ?? []), ...added.facilities] });
  return {
    communities: after.communities,
    response: {
      whatIf: true,
      added: added.facilities.map((f) => ({ id: f.id, categories: f.categories })),
      changes: diffRuns(before.response, after.response),
      before: { summary: before.response.summary },
      after: after.response,
    },
  };
}
