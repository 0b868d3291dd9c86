import { didYouMean } from '../../core/standards/validate.ts';
import { jsonTypesOf } from './schema.ts';

/**
 * What is wrong with the keys of a JSON object against the object schema it should match, said once
 * for all of them (schema-check.ts tells a missing or unknown key with it).
 *
 * A schema's first error for a misspelt key is the required one it hides ("communities: is
 * required"), leaving the client to guess why; and a GeoJSON FeatureCollection sent as the whole body
 * reads as "communities: is required" too. So the keys are looked at together:
 *
 *   communitie: is not a known parameter (did you mean "communities"?); communities: is required
 *   body: got a bare GeoJSON FeatureCollection, expected an object naming its inputs: wrap it as {"communities": …}
 */
export interface ObjectShape {
  required?: readonly string[];
  properties?: Readonly<Record<string, { type?: unknown }>>;
  additionalProperties?: unknown;
}

export interface ShapeProblem {
  /** `where: what`, as every INVALID_PARAMETER detail. */
  message: string;
  /** The key at fault (`communitie`), or `body` (or the object's path) for the object as a whole. */
  where: string;
}

/** The problem with `value`'s keys, or undefined when they fit. `at` is the object's path ('' for the body). */
export function objectShapeProblem(shape: ObjectShape, value: Record<string, unknown>, at = ''): ShapeProblem | undefined {
  const properties = shape.properties ?? {};
  const keys = Object.keys(value);
  const unknown = shape.additionalProperties === false ? keys.filter((key) => !Object.hasOwn(properties, key)) : [];
  const missing = (shape.required ?? []).filter((key) => value[key] === undefined);
  if (unknown.length === 0 && missing.length === 0) return undefined;

  const bare = bareGeoJson(value, properties);
  const wrapIn = bare && collectionKey(shape);
  if (bare && wrapIn) {
    const where = at || 'body';
    const others = (shape.required ?? []).filter((key) => key !== wrapIn);
    const beside = others.length > 0 ? `, with ${others.join(' and ')} beside it` : '';
    return { where, message: `${where}: got a bare GeoJSON ${bare}, expected an object naming its inputs: wrap it as {"${wrapIn}": …}${beside}` };
  }

  const path = (key: string) => (at ? `${at}.${key}` : key);
  // A misspelling is told by the keys the object lacks, not by those it has (`maxMinute` beside `maxMinutes` is no misspelling of it).
  const unused = Object.keys(properties).filter((key) => value[key] === undefined);
  const problems = [
    ...unknown.map((key) => `${path(key)}: is not a known parameter${didYouMean(key, unused) || (missing.length === 0 ? ' (check the spelling)' : '')}`),
    ...missing.map((key) => `${path(key)}: is required`),
  ];
  const shown = problems.slice(0, MAX_LISTED);
  if (problems.length > MAX_LISTED) shown.push(`and ${problems.length - MAX_LISTED} more`);
  return { where: path(unknown[0] ?? missing[0]), message: shown.join('; ') };
}

const MAX_LISTED = 5;
const GEOJSON_TYPES = new Set(['FeatureCollection', 'Feature', 'Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon', 'GeometryCollection']);

/** `FeatureCollection` when `value` is GeoJSON where the schema expects no `type` of its own. */
function bareGeoJson(value: Record<string, unknown>, properties: Readonly<Record<string, unknown>>): string | undefined {
  if (Object.hasOwn(properties, 'type') || typeof value.type !== 'string' || !GEOJSON_TYPES.has(value.type)) return undefined;
  return value.type;
}

/** The input a bare GeoJSON was most likely meant as: the first required key that takes an object. */
function collectionKey(shape: ObjectShape): string | undefined {
  return (shape.required ?? []).find((key) => {
    const property = shape.properties?.[key];
    const type = property && (jsonTypesOf(property) ?? property.type);
    return type === 'object' || (Array.isArray(type) && type.includes('object'));
  });
}
