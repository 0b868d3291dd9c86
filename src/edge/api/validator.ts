import { Kind, type TSchema } from '@sinclair/typebox';
import type { FastifySchemaCompiler } from 'fastify';
import { compileSchema, schemaProblem } from '../../runtime/requests/schema-check.ts';

/**
 * fastify's validator compiler: every route's body, query and path parameters are checked by the
 * TypeBox check of src/runtime/requests/schema-check.ts (compiled once, at start), the same that the compute
 * workers and the CLI run, with the same "got X, expected Y" errors. Fastify's Ajv is not used.
 *
 * Nothing is coerced, filled in or removed: the value is checked, never changed.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, url, httpPart }) => {
  if (onlyDescribes(schema)) return () => true;
  try {
    compileSchema(schema);
  } catch (err) {
    throw new Error(`${url} ${httpPart}: its schema cannot be checked (${(err as Error).message}); use TypeBox types, StringEnum or checkedByCore (src/runtime/requests/schema.ts)`, { cause: err });
  }
  return (value: unknown) => {
    const error = schemaProblem(schema, value);
    return error ? { error } : true;
  };
};

/** A schema that documents without constraining (an upload's "the file"): nothing to check. */
function onlyDescribes(schema: TSchema): boolean {
  return schema[Kind] === 'Unsafe' && Object.keys(schema).every((key) => ANNOTATIONS.has(key));
}

const ANNOTATIONS = new Set(['description', 'title', 'examples', 'default']);
