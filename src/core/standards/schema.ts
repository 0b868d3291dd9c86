import { Type } from '@sinclair/typebox';
import { MODES, type Mode } from '../network/profiles.ts';

/**
 * A life-service-circle standard as data, written once: the TypeBox schema below is what the
 * OpenAPI document shows (the `Standard` component, also a coverage request's custom `standard`),
 * and its `Static` is the type the core computes with (src/core/standards/types.ts). Checked when
 * loaded by src/core/standards/validate.ts, which names the field at fault.
 */
const Names = Type.Object({ zh: Type.String(), en: Type.String() });
/** A string enum as `{ type: 'string', enum }` (Ajv and Swagger UI show "one of …"), typed as its values. */
export function enumOf<T extends string>(values: readonly T[], options: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}
export const LEVELS = ['basic', 'quality'] as const;
export const ITEM_KINDS = ['place', 'programme', 'online'] as const;

/** A mode by name, so that the document lists them. */
export const ModeName = enumOf(MODES);
export const CommunityType = enumOf(['urban', 'rural'] as const);
export const Level = enumOf(LEVELS, { description: '便民 basic or 优质 quality circle' });
const ItemKindName = enumOf(ITEM_KINDS, {
  description: '`place`: reached by travel time to a facility of `categories`; `programme`, `online`: declared by the community (`services`)',
});
/** What of the travel is an assumption of ours rather than the source's, in words (zh/en). */
export const TravelAssumption = Type.Object(
  { zh: Type.String(), en: Type.String() },
  { description: 'what of the travel is our assumption, not the source\'s (the rural standards: the policy names no mode or speed for the 30 minutes)' },
);

const TargetSchema = Type.Object(
  {
    /** Final share, 0–1 (e.g. 0.9 of urban communities for the basic circle). */
    share: Type.Number({ minimum: 0, maximum: 1 }),
    /** Dated milestones: cumulative share due by the date, and what that step adds. */
    milestones: Type.Array(Type.Object({ date: Type.String({ format: 'date' }), share: Type.Number(), increment: Type.Number() })),
    /** The sentence of the document the target comes from. */
    quote: Type.Optional(Type.String()),
  },
  { description: 'the share of the city\'s communities of this type that should meet it, and dated milestones' },
);

const ServiceGroupSchema = Type.Object({
  /** `party`, `public`, `volunteer`, `community`, `convenience`, `culture_sports`. */
  id: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  /** Item count stated in the document, e.g. 公共服务（15项）: checked against the items. */
  count: Type.Number({ description: 'items the document states for the group' }),
});

export const ItemSchema = Type.Object({
  /** Unique within the standard, e.g. `public-11`. */
  id: Type.String(),
  group: Type.String(),
  /** Number within its group as printed (1-based). */
  number: Type.Number(),
  /** The Chinese name exactly as in the document. */
  zh: Type.String(),
  en: Type.String(),
  /** 牵头建设单位 / 指导单位 as printed (merged table cells resolved). */
  lead: Type.Array(Type.String()),
  guiding: Type.Array(Type.String()),
  /**
   * `place`: assessed by travel time to a facility of one of `categories`.
   * `programme` / `online`: assessed from what the community declares (`services` ids).
   */
  kind: ItemKindName,
  categories: Type.Optional(Type.Array(Type.String())),
  /** Why this kind / these categories, where it is a judgement. */
  note: Type.Optional(Type.String()),
});

/**
 * One table of indicator items (an annex of Guangzhou's 2020 opinion, or a user's own list in the
 * same shape), what travel it assumes, and the city's targets. Stored as JSON in `data/standards/`.
 */
export const StandardSchema = Type.Object(
  {
    /** Stable id, e.g. `guangzhou-2020-urban-basic`. */
    id: Type.String({ examples: ['guangzhou-2020-urban-basic'] }),
    name: Names,
    /** Which communities it assesses. */
    communityType: CommunityType,
    /** 便民 basic or 优质 quality circle. */
    level: Level,
    /** Default travel: urban 15 minutes' walk; rural 30 minutes (by e-bike by default). */
    mode: ModeName,
    minutes: Type.Number({ exclusiveMinimum: 0, maximum: 180 }),
    /**
     * What of the travel is an assumption of ours rather than the source's, in words (zh/en): the
     * Guangzhou opinion sets villages a 30-minute circle but names no mode or speed. Every answer
     * assessing a community by the standard carries it.
     */
    travelAssumption: Type.Optional(TravelAssumption),
    source: Type.Optional(
      Type.Object({ document: Type.String(), annex: Type.Optional(Type.Number()), issued: Type.Optional(Type.String()), file: Type.Optional(Type.String()) }),
    ),
    /** Share of the city's communities of this type that should meet the standard, and the dated steps. */
    target: Type.Optional(TargetSchema),
    /** The service groups, in table order, with the number of items the document gives for each. */
    groups: Type.Array(ServiceGroupSchema),
    items: Type.Array(ItemSchema),
  },
  { $id: 'Standard', description: 'A life-service-circle standard: indicator items, the travel it assumes, and the city\'s targets.' },
);
