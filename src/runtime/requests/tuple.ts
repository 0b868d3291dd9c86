import { type Static, type TSchema, type TTuple, Type } from '@sinclair/typebox';

/**
 * A fixed-length array of typed members (`[longitude, latitude]`), as OpenAPI 3.1 and JSON Schema
 * 2020-12 say it: `prefixItems`, with `items: false` for "nothing after them". TypeBox's Type.Tuple
 * writes the draft-07 form (`items: [...]` with `additionalItems`), which 3.1 validators
 * (openapi-spec-validator, ajv 2020, redocly) reject.
 */
export function Tuple<T extends TSchema[]>(members: [...T], options: { description?: string } = {}) {
  return Type.Unsafe<Static<TTuple<T>>>({ type: 'array', prefixItems: members, items: false, minItems: members.length, maxItems: members.length, ...options });
}
