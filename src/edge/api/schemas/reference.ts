import { Type } from '@sinclair/typebox';
import { MODES, type Mode } from '../../../core/network/profiles.ts';

/**
 * The reference data's answers: standards (whole, and summarised) and the facility category
 * vocabulary. `Standard` is also what a coverage request's custom `standard` looks like.
 */
const Names = Type.Object({ zh: Type.String(), en: Type.String() });
const ModeName = Type.Unsafe<Mode>({ type: 'string', enum: [...MODES] });
const CommunityType = Type.Unsafe<'urban' | 'rural'>({ type: 'string', enum: ['urban', 'rural'] });
const Level = Type.Unsafe<'basic' | 'quality'>({ type: 'string', enum: ['basic', 'quality'], description: '便民 basic or 优质 quality circle' });

export const Standard = Type.Object(
  {
    id: Type.String({ examples: ['guangzhou-2020-urban-basic'] }),
    name: Names,
    communityType: CommunityType,
    level: Level,
    mode: ModeName,
    minutes: Type.Number({ exclusiveMinimum: 0, maximum: 180 }),
    travelAssumption: Type.Optional(Type.Object({ zh: Type.String(), en: Type.String() }, { description: 'what of the travel is our assumption, not the source\'s (the rural standards: the policy names no mode or speed for the 30 minutes)' })),
    source: Type.Optional(
      Type.Object({ document: Type.String(), annex: Type.Optional(Type.Number()), issued: Type.Optional(Type.String()), file: Type.Optional(Type.String()) }),
    ),
    target: Type.Optional(
      Type.Object(
        {
          share: Type.Number({ minimum: 0, maximum: 1 }),
          milestones: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), share: Type.Number(), increment: Type.Number() })),
          quote: Type.Optional(Type.String()),
        },
        { description: 'the share of the city\'s communities of this type that should meet it, and dated milestones' },
      ),
    ),
    groups: Type.Array(Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String(), count: Type.Number({ description: 'items the document states for the group' }) })),
    items: Type.Array(
      Type.Object({
        id: Type.String(),
        group: Type.String(),
        number: Type.Number(),
        zh: Type.String(),
        en: Type.String(),
        lead: Type.Array(Type.String()),
        guiding: Type.Array(Type.String()),
        kind: Type.Unsafe<'place' | 'programme' | 'online'>({
          type: 'string',
          enum: ['place', 'programme', 'online'],
          description: '`place`: reached by travel time to a facility of `categories`; `programme`, `online`: declared by the community (`services`)',
        }),
        categories: Type.Optional(Type.Array(Type.String())),
        note: Type.Optional(Type.String()),
      }),
    ),
  },
  { $id: 'Standard', description: 'A life-service-circle standard: indicator items, the travel it assumes, and the city\'s targets.' },
);

export const StandardSummaries = Type.Object({
  standards: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Names,
      communityType: CommunityType,
      level: Level,
      mode: ModeName,
      minutes: Type.Number(),
      travelAssumption: Type.Optional(Type.Object({ zh: Type.String(), en: Type.String() }, { description: 'what of the travel is our assumption, not the source\'s (the rural standards: the policy names no mode or speed for the 30 minutes)' })),
      items: Type.Object({ total: Type.Number(), place: Type.Number(), programme: Type.Number(), online: Type.Number() }),
      groups: Type.Array(Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String(), items: Type.Number(), places: Type.Number() })),
      targetShare: Type.Optional(Type.Number({ description: 'share of the city\'s communities of its type that should meet it' })),
      href: Type.String({ description: 'where the whole standard is' }),
    }),
  ),
});

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
