import type { Static } from '@sinclair/typebox';
import type { ItemSchema, StandardSchema } from './schema.ts';

/**
 * A life-service-circle standard as data: one table of indicator items (an annex of Guangzhou's 2020
 * opinion, or a user's own list in the same shape), what travel it assumes, and the city's targets.
 * Stored as JSON in `data/standards/`, validated when loaded (src/core/standards/validate.ts).
 * The types are their schemas' (src/core/standards/schema.ts), which the OpenAPI document shows:
 * written once. Its parts: `Standard['target']`, `Standard['groups'][number]`, `Item['kind']`.
 */
export type Standard = Static<typeof StandardSchema>;
export type Item = Static<typeof ItemSchema>;
