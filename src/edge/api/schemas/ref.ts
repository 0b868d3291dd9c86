import { type TSchema, Type } from '@sinclair/typebox';

/**
 * A reference to a shared schema (an OpenAPI component) with a description of its own use: as
 * `allOf: [{ $ref }]`, because @fastify/swagger drops the keywords beside a bare `$ref`.
 */
export function refTo<T extends TSchema>(schema: T, options: { description: string }) {
  if (!schema.$id) throw new Error('refTo: the schema has no $id');
  return Type.Unsafe<T['static']>({ allOf: [Type.Ref(schema.$id)], ...options });
}
