import { type Static, type TSchema, Kind } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { type ValueError, ValueErrorType } from '@sinclair/typebox/errors';
import { type ErrorCode, InputError } from '../../core/errors.ts';
import { type ObjectShape, objectShapeProblem } from './object-shape.ts';
import { CHECKED_BY_CORE, STRING_ENUM, hintsOf, jsonTypesOf } from './schema.ts';

/**
 * The one check of what a request sends: its TypeBox schema, compiled once per thread on first use,
 * and its first fault told as the rest of the core tells one — "where: got X, expected Y", 400
 * INVALID_PARAMETER, or 422 LIMIT_EXCEEDED where a maximum bounds the work (schema.ts: workLimit).
 * The API checks bodies, queries and path parameters with it (its fastify validator compiler), the
 * compute workers and the CLI the bodies they are given; GeoJSON and custom standards inside a body
 * are the readers' to check (schema.ts: checkedByCore).
 *
 *   minutes[1]: got 181, expected a number greater than 0 and at most 180        (422)
 *   communitie: is not a known parameter (did you mean "communities"?); communities: is required
 */

/** Compiles `schema` now (a route's, at start: a kind TypeBox cannot check fails there, not on a request). */
export function compileSchema(schema: TSchema): void {
  compiled(schema);
}

/** `value` as the schema's type, or an InputError naming the first thing wrong with it. */
export function readBody<T extends TSchema>(schema: T, value: unknown): Static<T> {
  const problem = schemaProblem(schema, value);
  if (problem) throw problem;
  return value as Static<T>;
}

/** The first thing wrong with `value`, as a coded error; undefined when it fits. */
export function schemaProblem(schema: TSchema, value: unknown): InputError | undefined {
  const check = compiled(schema);
  if (check.Check(value)) return undefined;
  const first = check.Errors(value).First();
  // The compiled check and the interpreted errors agree; should they not, say so rather than pass it.
  if (!first) return new InputError('INVALID_PARAMETER', 'body: does not match its schema', { where: 'body' });
  return describe(first, schema, value);
}

const checks = new WeakMap<TSchema, TypeCheck<TSchema>>();

function compiled(schema: TSchema): TypeCheck<TSchema> {
  let check = checks.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    checks.set(schema, check);
  }
  return check;
}

function describe(error: ValueError, root: TSchema, rootValue: unknown): InputError {
  const segments = error.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  // A key missing or unknown (or there but undefined): all the object's keys are told at once.
  if (error.type === ValueErrorType.ObjectRequiredProperty || error.type === ValueErrorType.ObjectAdditionalProperties || (error.value === undefined && segments.length > 0)) {
    const parentPath = segments.slice(0, -1);
    const parent = valueAt(rootValue, parentPath);
    const parentSchema = schemaAt(root, parentPath);
    if (isPlainObject(parent) && parentSchema) {
      const problem = objectShapeProblem(parentSchema as ObjectShape, parent, pathName(parentPath));
      if (problem) return new InputError('INVALID_PARAMETER', problem.message, { where: problem.where });
    }
  }
  const where = pathName(segments) || 'body';
  const { message, code } = expectation(error);
  return new InputError(code, `${where}: ${message}`, { where });
}

/** "got X, expected Y" for one error, and its code. */
function expectation(error: ValueError): { message: string; code: ErrorCode } {
  const schema = error.schema as TSchema & Record<string, unknown>;
  const hints = hintsOf(schema);
  const got = `got ${show(error.value)}`;
  const overMax = hints.workLimit ? 'LIMIT_EXCEEDED' : 'INVALID_PARAMETER';
  // A value of the wrong JSON type is told its type; `expected` hints say what a value of the right type should be.
  switch (error.type) {
    case ValueErrorType.Object:
      return invalid(`${got}, expected an object`);
    case ValueErrorType.Array:
      return invalid(`${got}, expected an array`);
    case ValueErrorType.String:
      return invalid(`${got}, expected a string`);
    case ValueErrorType.Boolean:
      return invalid(`${got}, expected true or false`);
    case ValueErrorType.Number:
      return invalid(`${got}, expected a number`);
    case ValueErrorType.Integer:
      return invalid(`${got}, expected ${hints.expected ?? range(schema)}`);
    case ValueErrorType.Null:
      return invalid(`${got}, expected null`);
    case ValueErrorType.Literal:
      return invalid(`${got}, expected ${JSON.stringify(schema.const)}`);
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.NumberExclusiveMaximum:
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.IntegerExclusiveMaximum:
      return { message: `${got}, expected ${hints.expected ?? range(schema)}`, code: overMax };
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.NumberExclusiveMinimum:
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.IntegerExclusiveMinimum:
    case ValueErrorType.NumberMultipleOf:
    case ValueErrorType.IntegerMultipleOf:
      return invalid(`${got}, expected ${hints.expected ?? range(schema)}`);
    case ValueErrorType.ArrayMinItems:
      return invalid(`${got}, expected ${hints.expected ?? `at least ${schema.minItems} ${hints.items ?? 'items'}`}`);
    case ValueErrorType.ArrayMaxItems:
      return { message: `got ${(error.value as unknown[]).length} ${hints.items ?? 'items'}, at most ${schema.maxItems} are allowed`, code: overMax };
    case ValueErrorType.StringPattern:
    case ValueErrorType.StringFormat:
    case ValueErrorType.StringMinLength:
    case ValueErrorType.StringMaxLength:
      return invalid(`${got}, expected ${hints.expected ?? stringRule(schema)}`);
    case ValueErrorType.Kind:
      if (schema[Kind] === STRING_ENUM) return invalid(`${got}, expected one of ${(schema.enum as string[]).join(', ')}`);
      if (schema[Kind] === CHECKED_BY_CORE) return invalid(`${got}, expected ${hints.expected ?? (jsonTypesOf(schema) ?? []).map(articled).join(' or ')}`);
      break;
  }
  return invalid(`${got}: ${error.message}`);
}

function invalid(message: string): { message: string; code: ErrorCode } {
  return { message, code: 'INVALID_PARAMETER' };
}

/** `a number greater than 0 and at most 180`, `a whole number from 1 to 10000`, `a number ≥ 0`. */
function range(schema: Record<string, unknown>): string {
  const integer = schema.type === 'integer';
  const [min, xmin, max, xmax] = [schema.minimum, schema.exclusiveMinimum, schema.maximum, schema.exclusiveMaximum] as (number | undefined)[];
  const what = integer ? 'a whole number' : 'a number';
  if (integer && min !== undefined && max !== undefined) return `${what} from ${min} to ${max}`;
  const low = xmin !== undefined ? `greater than ${xmin}` : min !== undefined ? `≥ ${min}` : '';
  const high = max !== undefined ? `at most ${max}` : xmax !== undefined ? `less than ${xmax}` : '';
  if (low && high) return `${what} ${low} and ${high}`;
  return low || high ? `${what} ${low || high}` : what;
}

function stringRule(schema: Record<string, unknown>): string {
  if (schema.pattern !== undefined) return `a string matching ${schema.pattern}`;
  if (schema.format !== undefined) return `a ${schema.format} string`;
  const [min, max] = [schema.minLength, schema.maxLength] as (number | undefined)[];
  if (min !== undefined && max !== undefined) return `a string of ${min} to ${max} characters`;
  return min !== undefined ? `a string of at least ${min} characters` : `a string of at most ${max} characters`;
}

/** The value at a JSON pointer's segments. */
function valueAt(value: unknown, segments: readonly string[]): unknown {
  let at = value;
  for (const s of segments) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[s] : undefined;
  return at;
}

/** The schema that checks the value at `segments` (object properties and array items). */
function schemaAt(schema: TSchema, segments: readonly string[]): TSchema | undefined {
  let at: TSchema | undefined = schema;
  for (const s of segments) {
    if (!at) return undefined;
    if (at.type === 'object') at = (at.properties as Record<string, TSchema> | undefined)?.[s];
    else if (at.type === 'array') at = at.items as TSchema | undefined;
    else return undefined;
  }
  return at;
}

/** `minutes[1]`, `standard.items[0]`, as the core names a place in a body. */
function pathName(segments: readonly string[]): string {
  return segments.map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A value as messages quote it: short scalars as JSON, containers by kind. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
  if (value !== null && typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function articled(type: string): string {
  return type === 'null' ? 'null' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
