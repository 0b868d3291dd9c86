import { Type } from '@sinclair/typebox';
import { HOME_RULES } from '../communities/homes.ts';
import { CommunityType, ITEM_KINDS, LEVELS, enumOf } from '../standards/schema.ts';

/**
 * The coverage report's shapes, written once: these TypeBox schemas are what the OpenAPI document
 * shows (src/runtime/requests/answers.ts puts them in the answer of POST /v1/coverage), and their
 * `Static` types are the ones the core builds (CommunityReport, StandardResult, ItemResult,
 * ProvisionResult, CoverageSummary… in assess.ts, coverage.ts, provision.ts, summary.ts). They
 * document, they do not serialize: the report is JSON.stringify'd as the core built it.
 */

/**
 * `met`: residentsShare ≥ metShare; `unmet`: facilities of the item's categories are in the data, too
 * few residents reach one; `no_facility`: none in the data within the network's reach (a data gap);
 * `declared` / `not_declared`: programmes and online services, by the community's declarations.
 */
export const ItemStatusSchema = Type.Unsafe<'met' | 'unmet' | 'no_facility' | 'declared' | 'not_declared'>({
  type: 'string',
  enum: ['met', 'unmet', 'no_facility', 'declared', 'not_declared'],
  description: '`met`: residentsShare ≥ metShare; `unmet`: the data has facilities of the item, too few residents reach one; `no_facility`: no facility of the item in the data (a data gap); `declared`/`not_declared`: programmes',
});
const ItemRef = Type.Object({ itemId: Type.String(), zh: Type.String(), en: Type.String() });
const BasicOrQuality = enumOf(LEVELS);

export const NearestFacilitySchema = Type.Object(
  {
    facilityId: Type.String(),
    name: Type.Optional(Type.String()),
    category: Type.String(),
    minutes: Type.Number(),
    meters: Type.Number(),
    /** Metres walked between the facility and its road (the community's own leg is in `meters` too). */
    accessM: Type.Number({ description: 'metres walked between the facility and its road' }),
  },
  { description: 'places: the nearest facility that satisfies the item, to any home of the community' },
);

export const ItemResultSchema = Type.Object({
  itemId: Type.String(),
  group: Type.String(),
  number: Type.Number(),
  zh: Type.String(),
  en: Type.String(),
  kind: enumOf(ITEM_KINDS),
  status: ItemStatusSchema,
  /** Place items with data: residents (population-weighted homes) within the budget, 0–1. */
  residentsShare: Type.Optional(Type.Number({ description: 'places with data: population-weighted share of homes within the budget, 0–1' })),
  /** Place items: homes the share is measured over. */
  homes: Type.Optional(Type.Number({ description: 'places: homes the share is measured over' })),
  /** Place items with data: the population-weighted median home's minutes; null when that home reaches none. */
  medianMinutes: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'places with data: the median home\'s minutes to its nearest facility; null when that home reaches none' })),
  /** Place items with data: the worst-placed home's minutes; null when some home reaches none. */
  worstMinutes: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'places with data: the worst-placed home\'s minutes; null when some home reaches none' })),
  /** The nearest facility to any home of the community. */
  nearest: Type.Optional(NearestFacilitySchema),
  reachableCount: Type.Optional(Type.Number({ description: 'places: satisfying facilities within reach' })),
});

const GroupResultSchema = Type.Object({ id: Type.String(), zh: Type.String(), en: Type.String(), met: Type.Number(), total: Type.Number(), share: Type.Number() });

export const StandardResultSchema = Type.Object({
  standardId: Type.String(),
  level: BasicOrQuality,
  mode: Type.String(),
  speedKmh: Type.Number(),
  minutes: Type.Number(),
  /** Share of residents that makes a place item met, as used. */
  metShare: Type.Number({ description: 'share of residents that makes a place item met, as used' }),
  /** Every item met (places) or declared (programmes, online services). */
  pass: Type.Boolean({ description: 'every item met (places) or declared (programmes, online services)' }),
  /** Every place item met (programmes left aside). */
  passPlaces: Type.Boolean({ description: 'every place item met (programmes left aside)' }),
  met: Type.Number(),
  total: Type.Number(),
  share: Type.Number(),
  groups: Type.Array(GroupResultSchema),
  /** Items unmet or not declared: gaps in the service. */
  missing: Type.Array(ItemRef, { description: 'items unmet or not declared: gaps in the service' }),
  /** Items with no facility in the data: gaps in the data, not (necessarily) in the service. */
  dataGaps: Type.Array(ItemRef, { description: 'items with no facility in the data: gaps in the data' }),
  items: Type.Array(ItemResultSchema),
});

export const ProvisionResultSchema = Type.Object({
  check: Type.Unsafe<'floor_area_per_100_households' | 'outdoor_area_per_100_households' | 'opening_hours'>({
    type: 'string',
    enum: ['floor_area_per_100_households', 'outdoor_area_per_100_households', 'opening_hours'],
  }),
  norm: Type.String(),
  /** The document and the clause the norm is taken from. */
  source: Type.Object({ document: Type.String(), clause: Type.String() }, { description: 'the document and the clause the norm comes from' }),
  threshold: Type.Number(),
  /** m² per 100 households, or the shortest opening day's hours; null when the data is missing. */
  value: Type.Union([Type.Number(), Type.Null()], { description: 'm² per 100 households, or the shortest opening day\'s hours; null when the data is missing' }),
  /** null: cannot be decided (unreadable hours, or a norm the document leaves to be set locally). */
  pass: Type.Union([Type.Boolean(), Type.Null()], { description: 'null: undecided (unreadable hours, or a rural figure the document leaves to be set locally)' }),
  detail: Type.String(),
  /** opening_hours: the days it opens (Mo … Su) and its hours in a week. */
  days: Type.Optional(Type.Array(Type.String(), { description: 'opening_hours: the days it opens, Mo … Su' })),
  weeklyHours: Type.Optional(Type.Number({ description: 'opening_hours: hours open in a week' })),
});

export const CommunityReportSchema = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  type: CommunityType,
  district: Type.Optional(Type.String()),
  subdistrict: Type.Optional(Type.String()),
  population: Type.Optional(Type.Number()),
  households: Type.Optional(Type.Number()),
  /** How the community was measured: its homes' rule, how many, how many placed on the network, its gates. */
  homes: Type.Object(
    {
      rule: enumOf(HOME_RULES),
      count: Type.Number(),
      placed: Type.Number({ description: 'homes placed on the network (the others count as reaching nothing)' }),
      gates: Type.Number({ description: 'gates the homes walk out by (0: each home walks to its nearest road)' }),
      capped: Type.Optional(Type.Object({ cap: Type.Number(), found: Type.Number() })),
    },
    { description: 'where the community was measured from' },
  ),
  /** Set when no home of the community could be placed on the network for some mode. */
  error: Type.Optional(Type.String({ description: 'no home could be placed on the network' })),
  standards: Type.Array(StandardResultSchema),
  provision: Type.Array(ProvisionResultSchema, { description: 'floor area per 100 households, opening hours: reported apart' }),
});

/** A share of communities passing (a standard, a district's, a sub-district's). */
const ShareFields = {
  /** Every community of the standard's type, assessed or not (one not assessed is not passing). */
  communities: Type.Number({ description: 'every community of the type, assessed or not (not assessed: not passing)' }),
  /** Passing every item (places met, programmes declared). */
  passing: Type.Number({ description: 'passing every item (places met, programmes declared)' }),
  share: Type.Number(),
  /** Passing every place item (programmes left aside). */
  passingPlaces: Type.Number({ description: 'passing every place item (programmes left aside)' }),
  sharePlaces: Type.Number(),
  /**
   * Present when at least one community has a population: the shares rest on the people of the
   * `communities` that state one; `missing` communities have none and are left out of these figures.
   */
  population: Type.Optional(
    Type.Object(
      { total: Type.Number(), passing: Type.Number(), share: Type.Number(), communities: Type.Number({ description: 'communities with a population' }), missing: Type.Number({ description: 'communities without one' }) },
      { description: 'when populations are given: the people these shares rest on' },
    ),
  ),
};
export const ShareSchema = Type.Object(ShareFields);

export const StandardSummarySchema = Type.Object({
  standardId: Type.String(),
  name: Type.Object({ zh: Type.String(), en: Type.String() }),
  communityType: CommunityType,
  level: BasicOrQuality,
  ...ShareFields,
  /** Communities of this type that could not be assessed, with why: in `communities`, never passing. */
  notAssessed: Type.Array(Type.Object({ id: Type.String(), name: Type.Optional(Type.String()), reason: Type.String() }), {
    description: 'communities of the type that could not be assessed: counted in `communities`, not passing',
  }),
  /** Items no facility in the data provides for any assessed community: gaps in the data, listed apart. */
  dataGaps: Type.Array(ItemRef, { description: 'items no facility in the data provides: listed apart from items out of reach' }),
  target: Type.Optional(
    Type.Object({
      share: Type.Number(),
      met: Type.Boolean(),
      /** More communities that must meet the standard to reach the target (0 when met). */
      communitiesShort: Type.Number({ description: 'more communities that must meet the standard to reach the target' }),
      milestones: Type.Array(Type.Object({ date: Type.String(), share: Type.Number(), reached: Type.Boolean() })),
    }),
  ),
  byDistrict: Type.Array(Type.Object({ district: Type.String(), ...ShareFields })),
  bySubdistrict: Type.Array(Type.Object({ district: Type.Optional(Type.String()), subdistrict: Type.String(), ...ShareFields })),
  /**
   * Per item, worst first among items with data, then the data gaps; empty when no community of the
   * standard's type was assessed. `noFacility`: communities for which the data has no facility of the item.
   */
  items: Type.Array(
    Type.Object({
      itemId: Type.String(),
      zh: Type.String(),
      en: Type.String(),
      group: Type.String(),
      kind: Type.String(),
      communities: Type.Number(),
      reaching: Type.Number(),
      share: Type.Number(),
      noFacility: Type.Number({ description: 'communities for which the data has no facility of the item' }),
      dataGap: Type.Boolean({ description: 'no facility of the item for any assessed community: ranked after the items with data' }),
      populationShare: Type.Optional(Type.Number()),
    }),
    { description: 'per item, worst first' },
  ),
});

export const CoverageSummarySchema = Type.Object({
  communities: Type.Object({ total: Type.Number(), urban: Type.Number(), rural: Type.Number(), withPopulation: Type.Number() }),
  /** What the figures rest on that a reader should know (e.g. communities without a population). */
  warnings: Type.Array(Type.String(), { description: 'what the figures rest on, e.g. communities without a population' }),
  standards: Type.Array(StandardSummarySchema),
});

const FacilitiesReportSchema = Type.Object({
  count: Type.Number(),
  unplaced: Type.Array(Type.Object({ id: Type.String(), index: Type.Number(), error: Type.String(), mode: Type.String() })),
});

/**
 * What a city-wide report's items state (`detail`, src/core/coverage/city-wide/city-coverage.ts, whose
 * CoverageDetail is this schema's `Static`): `nearest`, statuses and nearest facilities only
 * (`reachableCount` absent: not counted); `full`, every place item's `reachableCount` too.
 */
export const CoverageDetailSchema = enumOf(['nearest', 'full'] as const, {
  description: 'what the items state: `full` (with reachable counts) or `nearest` (`reachableCount` absent: not counted)',
});

/** The core's report: every community against its standards, the city summary, the facilities placed. */
export const CoverageReportSchema = Type.Object({
  communities: Type.Array(CommunityReportSchema),
  summary: CoverageSummarySchema,
  facilities: FacilitiesReportSchema,
});
