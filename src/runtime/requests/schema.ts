import { Kind, type SchemaOptions, type TSchema, type TUnsafe, TypeRegistry, Type } from '@sinclair/typebox';

/**
 * What a request schema says beyond plain TypeBox: the two kinds of its own (a string enum, and a
 * part whose reader checks it), and hints for the "got X, expected Y" messages of schema-check.ts.
 * Both kinds are registered with TypeBox here, on import, so that every thread that checks a body
 * (the main thread, the compute workers, the CLI) knows them.
 *
 * Hints live under a symbol: TypeBox keeps them, and they never reach the OpenAPI document.
 */

export interface CheckHints {
  /** What the value should have been, when the keywords say it poorly ("a share greater than 0 and at most 1"). */
  expected?: string;
  /** What an array holds, for "got 13 budgets, at most 12 are allowed". */
  items?: string;
  /** Over the maximum (a number's, or an array's length) is 422 LIMIT_EXCEEDED: it bounds the work a request may ask for, not what makes sense. */
  workLimit?: boolean;
}

const HINTS = Symbol.for('lifecircle.checkHints');

/** `schema` with message hints (see CheckHints). */
export function hinted<T extends TSchema>(schema: T, hints: CheckHints): T {
  return { ...schema, [HINTS]: { ...hintsOf(schema), ...hints } };
}

export function hintsOf(schema: object): CheckHints {
  return ((schema as Record<symbol, unknown>)[HINTS] as CheckHints | undefined) ?? {};
}

/**
 * A string enum as `{ type: 'string', enum }`: the OpenAPI document and Swagger UI then show "one
 * of …", where TypeBox's own (a union of literals) shows `anyOf` and answers "expected union value".
 */
export function StringEnum<T extends string>(values: readonly T[], options: Omit<SchemaOptions, 'default'> & { default?: NoInfer<T> } = {}): TUnsafe<T> {
  return Type.Unsafe<T>({ ...options, [Kind]: STRING_ENUM, type: 'string', enum: [...values] });
}

/**
 * A part of a request the core's readers check, not the schema: a GeoJSON input (the reader names
 * the feature at fault, `origins feature 3 (id "x"): …`, where a schema would say "expected object"
 * somewhere inside), a custom standard (validated field by field), declarations as rows or CSV.
 * `documented` is what the OpenAPI document shows; the check is only its JSON type(s), `types`.
 * Its static type is `unknown`: the reader is what makes it a value of a type.
 */
export function checkedByCore(documented: SchemaOptions, types: JsonType | readonly JsonType[] = 'object'): TUnsafe<unknown> {
  return Type.Unsafe<unknown>({ ...documented, [Kind]: CHECKED_BY_CORE, [JSON_TYPES]: typeof types === 'string' ? [types] : [...types] });
}

export type JsonType = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

/** The JSON type(s) a checkedByCore part may be (to say what was expected). */
export function jsonTypesOf(schema: object): readonly JsonType[] | undefined {
  return (schema as Record<symbol, JsonType[] | undefined>)[JSON_TYPES];
}

function jsonTypeOf(value: unknown): JsonType | 'undefined' {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  const type = typeof value;
  return type === 'object' || type === 'string' || type === 'number' || type === 'boolean' ? type : 'undefined';
}

export const STRING_ENUM = 'StringEnum';
export const CHECKED_BY_CORE = 'CheckedByCore';
const JSON_TYPES = Symbol.for('lifecircle.jsonTypes');

if (!TypeRegistry.Has(STRING_ENUM)) {
  TypeRegistry.Set<{ enum: string[] }>(STRING_ENUM, (schema, value) => typeof value === 'string' && schema.enum.includes(value));
}
if (!TypeRegistry.Has(CHECKED_BY_CORE)) {
  TypeRegistry.Set<object>(CHECKED_BY_CORE, (schema, value) => (jsonTypesOf(schema) ?? []).includes(jsonTypeOf(value) as JsonType));
}
