import { type TSchema, Type } from '@sinclair/typebox';

/**
 * Request bodies have one schema each, written for the reader: the OpenAPI document shows it whole
 * (GeoJSON shapes, ranges, defaults, examples). What Ajv checks at the edge is a projection of it,
 * the *shape* only: types, enums, required and unknown keys. Everything else is the core's check,
 * for three reasons:
 *  - the core names the feature at fault (`origins feature 3 (id "x"): …`) where a schema error
 *    would say "must be array" somewhere inside;
 *  - over a maximum is 422 LIMIT_EXCEEDED, out of range 400 INVALID_PARAMETER: one message either way;
 *  - large bodies are parsed in a worker thread, which has no Ajv: the core's checks are the ones
 *    both paths share, so they answer alike.
 *
 * `edgeSchema` makes the projection; `checkedByCore` marks a part (a GeoJSON input, a custom
 * standard) whose inside only the core checks; the swagger transform puts the documented schema back.
 */

/** The keywords the edge keeps: they describe shape. Ranges, formats and annotations are dropped. */
const SHAPE_KEYWORDS = new Set(['type', 'enum', 'const', 'required', 'additionalProperties', 'properties', 'items', 'minItems']);
const CHECKED_BY_CORE = Symbol('lifecircle.checkedByCore');
const documented = new WeakMap<object, TSchema>();

/** A part the edge only checks for its JSON type (`object`, `['object', 'null']`); the core checks the rest. */
export function checkedByCore<T extends TSchema>(schema: T, type: string | string[] = 'object'): T {
  return Object.assign(Type.Unsafe<T['static']>({ ...schema }), { [CHECKED_BY_CORE]: type }) as unknown as T;
}

/** The edge projection of a documented body schema, remembered so the OpenAPI document shows the original. */
export function edgeSchema<T extends TSchema>(schema: T): TSchema {
  const edge = project(schema, 'body');
  documented.set(edge, schema);
  return edge;
}

/** The documented schema of an edge projection (the swagger transform's lookup), or the schema itself. */
export function documentedSchema(schema: unknown): unknown {
  return (schema && typeof schema === 'object' && documented.get(schema)) || schema;
}

function project(schema: TSchema, at: string): TSchema {
  const coreType = (schema as unknown as Record<symbol, unknown>)[CHECKED_BY_CORE] as string | string[] | undefined;
  if (coreType !== undefined) return { type: coreType } as unknown as TSchema;
  const edge: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!SHAPE_KEYWORDS.has(key)) {
      if (key === 'anyOf' || key === 'oneOf' || key === 'allOf' || key === '$ref') {
        // Ajv's error for a union is "must match a schema in anyOf": say what is wrong instead.
        throw new Error(`${at}: ${key} in a request schema; give it a single type, or mark it checkedByCore`);
      }
      continue;
    }
    if (key === 'properties') {
      edge.properties = Object.fromEntries(Object.entries(value as Record<string, TSchema>).map(([name, sub]) => [name, project(sub, `${at}.${name}`)]));
    } else if (key === 'items' || (key === 'additionalProperties' && typeof value === 'object')) {
      edge[key] = project(value as TSchema, `${at}[]`);
    } else {
      edge[key] = value;
    }
  }
  return edge as TSchema;
}
