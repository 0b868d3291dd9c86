import { type ErrorCode, InputError } from '../errors.ts';
import { type Crs, crsFromName } from '../geo/crs.ts';
import { type Mode, MODES, isMode } from '../network/profiles.ts';

/**
 * The limits and defaults of request parameters, shared by the API and the CLI. Bodies are checked
 * against their schemas (bodies.ts, schema-check.ts), which take their numbers from here; what is
 * left below is what a schema cannot say (a coordinate system's name, a count of features) and
 * siting.ts's reading of its body by hand (parseMode … parseEnum), until it reads with its schema.
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
} as const;

export const DEFAULTS = {
  mode: 'walk' as Mode,
  maxSnapM: 500,
  /** How far one may walk from a reached road to count an area as reached (isochrone polygons). */
  offNetworkM: 100,
};

/**
 * The request's `crs`: the coordinate system of its input collections that have no `crs` member of
 * their own (src/geo/collection-crs.ts). Undefined when not given. Read before anything else, so a
 * misspelt system is refused before any network is built.
 */
export function parseCrsParam(value: unknown): Crs | undefined {
  if (value === undefined || value === null) return undefined;
  return crsFromName(value, 'crs');
}

export function parseMode(value: unknown): Mode {
  if (value === undefined) return DEFAULTS.mode;
  if (!isMode(value)) throw param('mode', `got ${JSON.stringify(value)}, expected one of ${MODES.join(', ')}`);
  return value;
}

export function parseSpeedKmh(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return positiveNumber('speedKmh', value, LIMITS.maxSpeedKmh);
}

export function parseMaxSnapM(value: unknown): number {
  if (value === undefined) return DEFAULTS.maxSnapM;
  return positiveNumber('maxSnapM', value, LIMITS.maxSnapM);
}

export function parseEnum<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw param(name, `got ${JSON.stringify(value)}, expected one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function checkCount(name: string, count: number, max: number): void {
  if (count > max) throw param(name, `has ${count} features, at most ${max} are allowed per request`, 'LIMIT_EXCEEDED');
}

/**
 * A number in (0, max]. Over `max`, the code is `overMax`: LIMIT_EXCEEDED where the maximum bounds the
 * work one request may ask for (time budgets), INVALID_PARAMETER where it bounds what makes sense.
 */
function positiveNumber(name: string, value: unknown, max: number, overMax: ErrorCode = 'INVALID_PARAMETER'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    const code = typeof value === 'number' && value > max ? overMax : 'INVALID_PARAMETER';
    throw param(name, `got ${JSON.stringify(value)}, expected a number greater than 0 and at most ${max}`, code);
  }
  return value;
}

function param(name: string, message: string, code: ErrorCode = 'INVALID_PARAMETER'): InputError {
  return new InputError(code, `${name}: ${message}`, { where: name });
}
