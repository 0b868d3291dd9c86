import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { InputError } from '../../../core/errors.ts';
import { FACILITY_CATEGORIES } from '../../../core/facilities/categories.ts';
import { getStandard, listStandards } from '../../../runtime/files/standards-catalogue.ts';
import { StandardSchema } from '../../../core/standards/schema.ts';
import type { Standard as StandardData } from '../../../core/standards/types.ts';
import { ApiError } from '../errors.ts';
import { problemResponses } from '../schemas/problem.ts';
import { Categories, type StandardSummary, StandardSummaries } from '../schemas/reference.ts';
import { NO_KEY } from '../schemas/security.ts';

/**
 * The reference data a coverage request refers to:
 *  - GET /v1/standards: the shipped standards, one summary each (what they assess, how they travel,
 *    how many items per service group, the city's target share);
 *  - GET /v1/standards/:id: one standard whole, as stored in data/standards/ (items with their names,
 *    kind, categories and departments; the target with its milestones);
 *  - GET /v1/categories: the facility category vocabulary, which facilities are labelled with and
 *    standards' place items are reached by, with the items each category serves.
 * All of it ships with the code and never changes while the server runs: summaries are built once.
 */
export const standardsRoute: FastifyPluginAsync = async (app) => {
  let summaries: { standards: StandardSummary[] } | undefined;
  let categories: { categories: CategoryEntry[] } | undefined;

  app.get(
    '/v1/standards',
    { schema: { operationId: 'listStandards', tags: ['reference'], security: NO_KEY, summary: 'The built-in standards, one summary each', response: { 200: StandardSummaries, ...problemResponses() } } },
    async () => (summaries ??= { standards: listStandards().map(summarizeStandard) }),
  );

  app.get<{ Params: { id: string } }>(
    '/v1/standards/:id',
    {
      schema: {
        operationId: 'getStandard',
        tags: ['reference'],
        security: NO_KEY,
        summary: 'One built-in standard whole: its items, travel and targets (the shape of a custom `standard`)',
        params: Type.Object({ id: Type.String({ description: 'a standard id, e.g. `guangzhou-2020-urban-basic`' }) }),
        response: { 200: Type.Ref(StandardSchema.$id!), ...problemResponses(['NOT_FOUND']) },
      },
    },
    async (request) => findStandard(request.params.id),
  );

  app.get(
    '/v1/categories',
    { schema: { operationId: 'listCategories', tags: ['reference'], security: NO_KEY, summary: 'The facility category vocabulary, with the items each category serves', response: { 200: Categories, ...problemResponses() } } },
    async () => (categories ??= { categories: categoryEntries(listStandards()) }),
  );
};

interface CategoryEntry {
  id: string;
  zh: string;
  en: string;
  /** The shipped standards' place items a facility of this category satisfies. */
  items: { standardId: string; itemId: string; zh: string }[];
}

/** A shipped standard by id; an unknown one is 404 with the catalogue's message (the known ids, a close match). */
function findStandard(id: string): StandardData {
  try {
    return getStandard(id, 'id');
  } catch (err) {
    if (err instanceof InputError) throw new ApiError('NOT_FOUND', err.message, 'id');
    throw err;
  }
}

function summarizeStandard(standard: StandardData): StandardSummary {
  const count = (kind: string) => standard.items.filter((item) => item.kind === kind).length;
  return {
    id: standard.id,
    name: standard.name,
    communityType: standard.communityType,
    level: standard.level,
    mode: standard.mode,
    minutes: standard.minutes,
    ...(standard.travelAssumption ? { travelAssumption: standard.travelAssumption } : {}),
    items: { total: standard.items.length, place: count('place'), programme: count('programme'), online: count('online') },
    // Counted from the items (the validator checks that they agree with the counts the document states).
    groups: standard.groups.map((g) => {
      const inGroup = standard.items.filter((item) => item.group === g.id);
      return { id: g.id, zh: g.zh, en: g.en, items: inGroup.length, places: inGroup.filter((item) => item.kind === 'place').length };
    }),
    ...(standard.target ? { targetShare: standard.target.share } : {}),
    href: `/v1/standards/${encodeURIComponent(standard.id)}`,
  };
}

function categoryEntries(standards: readonly StandardData[]): CategoryEntry[] {
  const items = new Map<string, CategoryEntry['items']>(FACILITY_CATEGORIES.map((c) => [c.id, []]));
  for (const standard of standards) {
    for (const item of standard.items) {
      for (const category of item.categories ?? []) items.get(category)?.push({ standardId: standard.id, itemId: item.id, zh: item.zh });
    }
  }
  return FACILITY_CATEGORIES.map((c) => ({ id: c.id, zh: c.zh, en: c.en, items: items.get(c.id)! }));
}
