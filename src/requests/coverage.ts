import { readCommunities } from '../communities/read-communities.ts';
import { type CoverageReport, computeCoverage } from '../coverage/coverage.ts';
import { InputError } from '../errors.ts';
import { readFacilities } from '../facilities/read-facilities.ts';
import type { Facility } from '../facilities/read-facilities.ts';
import type { Community } from '../communities/read-communities.ts';
import { resolveStandards } from '../standards/catalogue.ts';
import { type InlineNetworkReport, type RequestContext, placedFacilitiesFor, resolveNetwork, routerFor, withNetworkReport } from './context.ts';
import { LIMITS, parseMaxSnapM, parseMode, parseSpeedKmh } from './params.ts';

export interface CoverageResponse extends CoverageReport {
  standards: { id: string; name: { zh: string; en: string }; communityType: string; level: string; mode: string; minutes: number }[];
  /** What the request changed from the standards' own travel. */
  overrides: { mode?: string; minutes?: number; speedKmh?: number };
  errors: {
    communities: { index: number; id?: string; message: string }[];
    facilities: { index: number; id?: string; message: string }[];
  };
  /** Readable but doubtful input, e.g. a community without `type` read as urban. */
  warnings: { communities: unknown[] };
  unmappedFacilities: { count: number; byReason: Record<string, number>; examples: unknown[] };
  network?: InlineNetworkReport;
}

/** The parsed inputs too, for the GeoJSON answer (it needs the community geometries). */
export interface CoverageResult {
  response: CoverageResponse;
  communities: Community[];
}

/**
 * POST /v1/coverage and the CLI's `coverage`: communities against the requested standards (ids, a
 * custom standard, or by default all built-in ones), with facilities from the body or the server's
 * default set. Coordinates of communities and facilities may be GCJ-02 or BD-09 (`crs`); networks
 * are WGS84 (OSM).
 */
export function coverage(body: Record<string, unknown>, ctx: RequestContext): CoverageResult {
  const mode = body.mode === undefined ? undefined : parseMode(body.mode);
  const speedKmh = parseSpeedKmh(body.speedKmh);
  const minutes = body.minutes === undefined ? undefined : parseMinutes(body.minutes);
  const maxSnapM = parseMaxSnapM(body.maxSnapM);
  const crs = body.crs === undefined ? undefined : String(body.crs);
  if (body.standards !== undefined && (!Array.isArray(body.standards) || !body.standards.every((s) => typeof s === 'string'))) {
    throw new InputError('INVALID_PARAMETER', `standards: got ${JSON.stringify(body.standards)}, expected an array of standard ids`, { where: 'standards' });
  }
  const standards = resolveStandards(body.standards as string[] | undefined, body.standard);
  const communitiesIn = readCommunities(body.communities, { crs });
  if (!ctx.unlimited && communitiesIn.communities.length > LIMITS.maxCoverageCommunities) {
    throw new InputError('LIMIT_EXCEEDED', `communities: has ${communitiesIn.communities.length} features, at most ${LIMITS.maxCoverageCommunities} are allowed per request (use a job for a whole city)`, { where: 'communities' });
  }
  let facilities: readonly Facility[];
  let facilityErrors: CoverageResponse['errors']['facilities'] = [];
  let unmapped: CoverageResponse['unmappedFacilities'] = { count: 0, byReason: {}, examples: [] };
  if (body.facilities === undefined) {
    if (!ctx.defaultFacilities) throw new InputError('INVALID_PARAMETER', 'facilities: no default facility set is loaded; send one as a GeoJSON FeatureCollection', { where: 'facilities' });
    facilities = ctx.defaultFacilities;
  } else {
    const read = readFacilities(body.facilities, { crs });
    facilities = read.facilities;
    facilityErrors = read.errors;
    unmapped = read.unmapped;
  }
  const graph = resolveNetwork(body.network, ctx);
  const report = computeCoverage(graph, communitiesIn.communities, facilities, standards, {
    mode,
    minutes,
    speedKmh,
    maxSnapM,
    placedFor: (costing) => placedFacilitiesFor(facilities, costing, maxSnapM),
    router: routerFor(graph),
  });
  return {
    communities: communitiesIn.communities,
    response: {
      standards: standards.map((s) => ({ id: s.id, name: s.name, communityType: s.communityType, level: s.level, mode: mode ?? s.mode, minutes: minutes ?? s.minutes })),
      overrides: { ...(mode ? { mode } : {}), ...(minutes ? { minutes } : {}), ...(speedKmh ? { speedKmh } : {}) },
      ...report,
      errors: { communities: communitiesIn.errors, facilities: facilityErrors },
      warnings: { communities: communitiesIn.warnings },
      unmappedFacilities: unmapped,
      ...withNetworkReport(body.network, graph),
    },
  };
}

function parseMinutes(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > LIMITS.maxMinutes) {
    // Over the maximum is a limit of the service; zero, negative or not a number is a wrong value.
    const code = typeof value === 'number' && value > LIMITS.maxMinutes ? 'LIMIT_EXCEEDED' : 'INVALID_PARAMETER';
    throw new InputError(code, `minutes: got ${JSON.stringify(value)}, expected a number greater than 0 and at most ${LIMITS.maxMinutes}`, { where: 'minutes' });
  }
  return value;
}
