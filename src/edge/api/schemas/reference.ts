import { type Static, Type } from '@sinclair/typebox';
import { CommunityType, Level, ModeName, TravelAssumption } from '../../../core/standards/schema.ts';

/**
 * The reference data's answers: standards (whole, and summarised) and the facility category
 * vocabulary. The standard itself is the core's schema (src/core/standards/schema.ts): the `Standard`
 * component, also what a coverage request's custom `standard` looks like.
 */
const Names = Type.Object({ zh: Type.String(), en: Type.String() });

export const StandardSummaries = Type.Object({
  standards: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Names,
      communityType: CommunityType,
      level: Level,
      mode: ModeName,
      minutes: Type.Number(),
      travelAssumption: Type.Optional(TravelAssumption),
      items: Type.Object({ total: Type.Number(), place: Type.Number(), programme: Type.Number(), online: Type.Number() }),
      groups: Type.Array(Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String(), items: Type.Number(), places: Type.Number() })),
      targetShare: Type.Optional(Type.Number({ description: 'share of the city\'s communities of its type that should meet it' })),
      href: Type.String({ description: 'where the whole standard is' }),
    }),
  ),
});

/** One standard's summary (GET /v1/standards): the schema's type, so that it is written once. */
export type StandardSummary = Static<typeof StandardSummaries>['standards'][number];

export const Categories = Type.Object({
  categories: Type.Array(
    Type.Object({
      id: Type.String({ examples: ['clinic'] }),
      zh: Type.String(),
      en: Type.String(),
      items: Type.Array(Type.Object({ standardId: Type.String(), itemId: Type.String(), zh: Type.String() }), {
        description: 'the built-in standards\' place items a facility of this category satisfies',
      }),
    }),
  ),
});
