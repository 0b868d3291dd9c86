/**
 * The parts of reading a GeoJSON FeatureCollection that facilities and communities share: the
 * collection check (the only throw), ids, and the per-feature problem record. A bad feature never
 * stops the batch: it becomes a `FeatureProblem` and the rest is read.
 */
import type { Feature, Geometry } from 'geojson';
import { InputError, featureRef, showValue } from '../errors.ts';
import { type CollectionInWgs84, featuresInWgs84 } from '../geo/collection-crs.ts';

/** One feature left out (errors) or read with a caveat (warnings). */
export interface FeatureProblem {
  index: number;
  id: string;
  message: string;
}

/** A feature that has passed the shape check: properties are always an object. */
export interface InputFeature {
  index: number;
  id: string;
  /** The id as the data gave it (undefined when the index stands in), for messages. */
  rawId: string | number | undefined;
  geometry: unknown;
  properties: Record<string, unknown>;
}

/** The features of a FeatureCollection; throws `InputError('INVALID_GEOJSON')` for anything else. */
export function collectionFeatures(input: unknown, what: string): unknown[] {
  const fc = input as { type?: unknown; features?: unknown } | null;
  if (!fc || typeof fc !== 'object' || Array.isArray(fc) || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new InputError('INVALID_GEOJSON', `${what}: got ${describe(input)}, expected a GeoJSON FeatureCollection`, { where: what });
  }
  return fc.features;
}

/**
 * The features of a FeatureCollection in WGS84, read in its own `crs` member, else `requestCrs`,
 * else WGS84 (src/core/geo/collection-crs.ts); throws for a non-collection, an unknown or contradicting
 * crs, or coordinates that cannot be in it.
 */
export function readCollection(input: unknown, what: string, requestCrs?: unknown): CollectionInWgs84 {
  const features = collectionFeatures(input, what);
  return featuresInWgs84(features, (input as { crs?: unknown }).crs, what, requestCrs);
}

/**
 * Reads the feature envelope and id: `properties.id`, else the feature's `id`, else the index as a
 * string (as origins and targets do). Repeated ids are the caller's to check: `seen` maps each id
 * to the index that first used it. Returns a problem message instead when the feature is unusable.
 */
export function readEnvelope(raw: unknown, index: number, seen: Map<string, number>): InputFeature | FeatureProblem {
  const feature = raw as Partial<Feature<Geometry | null>> | null;
  const props = feature && typeof feature === 'object' ? feature.properties : undefined;
  const properties = props && typeof props === 'object' && !Array.isArray(props) ? (props as Record<string, unknown>) : {};
  const candidate = properties.id ?? feature?.id;
  const rawId = typeof candidate === 'string' || typeof candidate === 'number' ? candidate : undefined;
  const id = rawId === undefined ? String(index) : String(rawId);
  if (!feature || typeof feature !== 'object' || feature.type !== 'Feature') {
    return { index, id, message: `${featureRef(index, rawId)}: got ${describe(raw)}, expected a GeoJSON Feature` };
  }
  if (candidate !== undefined && candidate !== null && rawId === undefined) {
    return { index, id, message: `${featureRef(index)}: id ${showValue(candidate)}: expected a string or a number` };
  }
  const first = seen.get(id);
  if (first !== undefined) {
    return { index, id, message: `${featureRef(index, rawId)}: id ${JSON.stringify(id)} repeats feature ${first}'s: expected unique ids` };
  }
  seen.set(id, index);
  return { index, id, rawId, geometry: feature.geometry, properties };
}

export function isProblem(value: InputFeature | FeatureProblem): value is FeatureProblem {
  return 'message' in value;
}

/** A problem with one feature, its reference prefixed: `feature 3 (id "a"): …`. */
export function problem(feature: InputFeature, message: string): FeatureProblem {
  return { index: feature.index, id: feature.id, message: `${featureRef(feature.index, feature.rawId)}: ${message}` };
}

/**
 * An optional number ≥ 0: a number, or a numeric string (spreadsheet exports write "1200").
 * Returns undefined when absent, a string message when malformed.
 */
export function optionalNonNegative(properties: Record<string, unknown>, key: string): number | undefined | { problem: string } {
  const value = properties[key];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    return { problem: `properties.${key}: got ${showValue(value)}, expected a number ≥ 0` };
  }
  return n;
}

/** An optional string property; numbers are taken as their text (codes such as 440104). */
export function optionalString(properties: Record<string, unknown>, key: string): string | undefined | { problem: string } {
  const value = properties[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return { problem: `properties.${key}: got ${showValue(value)}, expected a string` };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `an object with type ${showValue((value as { type?: unknown }).type)}`;
  return `a ${typeof value}`;
}
