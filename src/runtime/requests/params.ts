import { type ErrorCode, InputError } from '../../core/errors.ts';
import { type Crs, crsFromName } from '../../core/geo/crs.ts';
import type { Mode } from '../../core/network/profiles.ts';

/**
 * The limits and defaults of request parameters, shared by the API and the CLI. Bodies are checked
 * against their schemas (bodies.ts, schema-check.ts), which take their numbers from here; what is
 * left below is what a schema cannot say (a coordinate system's name, a count of features).
 */
export const LIMITS = {
  /** Largest time budget, minutes: covers the 30-minute rural circle with room for planning scenarios. */
  maxMinutes: 180,
  /** Budgets in one isochrone request. */
  maxBudgets: 12,
  /** Origins in one isochrone request (each is a polygon set). */
  maxIsochroneOrigins: 500,
  /** Origins in one travel-times request. */
  maxTravelTimeOrigins: 10_000,
  /** Targets in one travel-times request. */
  maxTargets: 200_000,
  maxSnapM: 5_000,
  maxOffNetworkM: 1_000,
  maxSpeedKmh: 200,
  /** Origins of one route: one place's gates (a community's entrances, a village's parts). */
  maxRouteOrigins: 100,
  /** Communities in one coverage request; a whole city runs as a job. */
  maxCoverageCommunities: 5_000,
  /** Siting's exact method: the longest it may search, seconds. */
  maxSitingTimeLimitS: 120,
} as const;

export const DEFAULTS = {
  mode: 'walk' as Mode,
  maxSnapM: 500,
  /** How far one may walk from a reached road to count an area as reached (isochrone polygons). */
  offNetworkM: 100,
  /** Siting's exact method: how long it searches unless told, seconds. */
  sitingTimeLimitS: 10,
};

/**
 * The request's `crs`: the coordinate system of its input collections that have no `crs` member of
 * their own (src/core/geo/collection-crs.ts). Undefined when not given. Read before anything else, so a
 * misspelt system is refused before any network is built.
 */
export function parseCrsParam(value: unknown): Crs | undefined {
  if (value === undefined || value === null) return undefined;
  return crsFromName(value, 'crs');
}

export function checkCount(name: string, count: number, max: number): void {
  if (count > max) throw param(name, `has ${count} features, at most ${max} are allowed per request`, 'LIMIT_EXCEEDED');
}

function param(name: string, message: string, code: ErrorCode = 'INVALID_PARAMETER'): InputError {
  return new InputError(code, `${name}: ${message}`, { where: name });
}
