import { type Static, type TSchema, Type } from '@sinclair/typebox';
import { ORIGIN_RULES } from '../../core/coverage/home-origins.ts';
import { MODES, type Mode } from '../../core/network/profiles.ts';
import { DEFAULTS, LIMITS } from './params.ts';
import { StringEnum, checkedByCore, hinted } from './schema.ts';

/**
 * The bodies of the compute operations: one TypeBox schema each, the one source of what a body may
 * hold. It is what the OpenAPI document shows (GeoJSON shapes, ranges, defaults, examples), what
 * every path checks a body with (schema-check.ts: fastify's validator, the compute workers, the CLI),
 * and, through `Static`, the type the operations read. Limits are the core's own (params.ts), so the
 * document cannot promise other numbers than the checks enforce.
 *
 * GeoJSON inputs and custom standards are `checkedByCore`: their readers check them and name the
 * feature at fault. They refer to the shared schemas (OpenAPI components) by `$id`; src/edge/api/openapi.ts
 * registers them, and the OpenAPI tests fail on a reference it does not resolve.
 */

/** A component of the OpenAPI document, with a description of its own use (`allOf`: @fastify/swagger drops keywords beside a bare `$ref`). */
const component = (id: string, description: string) => Type.Unsafe({ allOf: [Type.Ref(id)], description });

const limit = (text: string) => `${text} (over it: 422 \`LIMIT_EXCEEDED\`)`;

const datasetId = (kind: string) => Type.String({ pattern: '^ds_', description: `the id of one of your ${kind} datasets (needs your API key)` });

const network = checkedByCore(
  Type.Union([Type.Ref('NetworkFeatureCollection'), datasetId('network'), Type.Null()], {
    description: 'an inline road network, or a network dataset id; omitted or null → the server\'s default network',
  }),
  ['object', 'string', 'null'],
);
const mode = StringEnum<Mode>(MODES, { description: 'travel mode (docs/api.md: Travel modes)', default: DEFAULTS.mode });
const speedKmh = Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxSpeedKmh, description: 'walking/cycling speed, or one uniform car speed; default: the mode\'s' });
const maxSnapM = Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxSnapM, default: DEFAULTS.maxSnapM, description: 'farthest a point may be from a road the mode may use' });
/**
 * `crs`, the same on every operation and upload: the coordinate system of the request's point
 * collections that have no GeoJSON `crs` member of their own (src/core/geo/collection-crs.ts). Checked by
 * the core, which names an unknown system with a did-you-mean.
 */
export const CrsParam = Type.String({
  description:
    'coordinate system of the inline communities, facilities, homes, origins and targets that have no GeoJSON `crs` member: an EPSG code (`EPSG:4326` WGS 84, `EPSG:4490` CGCS2000, `EPSG:4491`–`EPSG:4554` CGCS2000 Gauss–Krüger zones, `EPSG:3857` Web Mercator, `EPSG:32601`–`32660`/`32701`–`32760` UTM) as `EPSG:4547` or `urn:ogc:def:crs:EPSG::4547`, `urn:ogc:def:crs:OGC:1.3:CRS84`, or `wgs84`, `gcj02` (Amap, Tencent), `bd09` (Baidu). Default: WGS84. A collection\'s own member wins; both given and different: 400. Answers are WGS84 and say so in their `crs`',
  examples: ['EPSG:4547'],
});
const ferries = Type.Boolean({ default: false, description: 'allow ferry lines' });
/** How travel-times and route travel: the same fields with the same defaults. */
const travelFields = { mode: Type.Optional(mode), speedKmh: Type.Optional(speedKmh), maxSnapM: Type.Optional(maxSnapM), ferries: Type.Optional(ferries), crs: Type.Optional(CrsParam) };
/** A home and a clinic in the sample's Chengdu, 15 minutes: the example of both. */
const POINT_PAIR_EXAMPLE = {
  origins: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'home' }, geometry: { type: 'Point', coordinates: [104.0755, 30.6574] } }] },
  targets: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'clinic' }, geometry: { type: 'Point', coordinates: [104.0803, 30.6601] } }] },
  maxMinutes: 15,
};
const points = (what: string, max: number) => checkedByCore(component('PointFeatureCollection', limit(`${what}, at most ${max.toLocaleString('en')}`)));
/** Minutes where over the maximum is a limit of the service (422), not a wrong value. */
const minutesLimit = (options: { description?: string } = {}) => hinted(Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxMinutes, ...options }), { workLimit: true });

const isochrones = Type.Object(
  {
    network: Type.Optional(network),
    origins: points('origins', LIMITS.maxIsochroneOrigins),
    minutes: hinted(
      Type.Array(minutesLimit(), {
        minItems: 1,
        maxItems: LIMITS.maxBudgets,
        description: limit(`time budgets; one expansion serves them all; at most ${LIMITS.maxBudgets}, each at most ${LIMITS.maxMinutes}`),
        examples: [[5, 10, 15]],
      }),
      { expected: 'a non-empty array of minutes, e.g. [5, 10, 15]', items: 'budgets', workLimit: true },
    ),
    mode: Type.Optional(mode),
    speedKmh: Type.Optional(speedKmh),
    output: Type.Optional(StringEnum(['polygons', 'lines'] as const, { default: 'polygons', description: '`polygons`, or `lines`: the reachable network cut exactly at each budget' })),
    offNetworkM: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxOffNetworkM, default: DEFAULTS.offNetworkM, description: 'how far one may walk from a reached road for an area to count as reached' }),
    ),
    maxSnapM: Type.Optional(maxSnapM),
    ferries: Type.Optional(ferries),
    crs: Type.Optional(CrsParam),
  },
  {
    additionalProperties: false,
    examples: [
      {
        origins: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'home' }, geometry: { type: 'Point', coordinates: [104.0755, 30.6574] } }] },
        minutes: [5, 10, 15],
      },
    ],
  },
);

const travelTimes = Type.Object(
  {
    network: Type.Optional(network),
    origins: points('origins', LIMITS.maxTravelTimeOrigins),
    targets: points('targets', LIMITS.maxTargets),
    maxMinutes: minutesLimit({ description: limit(`only targets within it are listed; at most ${LIMITS.maxMinutes}`) }),
    ...travelFields,
  },
  {
    additionalProperties: false,
    examples: [POINT_PAIR_EXAMPLE],
  },
);

const coverage = Type.Object(
  {
    network: Type.Optional(network),
    communities: checkedByCore(
      Type.Union([component('CommunityFeatureCollection', 'inline communities'), datasetId('communities')], {
        description: limit(`inline communities or a communities dataset id; at most ${LIMITS.maxCoverageCommunities.toLocaleString('en')} communities (a job has no limit)`),
      }),
      ['object', 'string'],
    ),
    facilities: Type.Optional(
      checkedByCore(
        Type.Union([component('FacilityFeatureCollection', 'inline facilities'), datasetId('facilities')], {
          description: 'inline facilities or a facilities dataset id; omitted → the server\'s default facilities (`FACILITIES`)',
        }),
        ['object', 'string'],
      ),
    ),
    standards: Type.Optional(Type.Array(Type.String(), { description: 'ids of built-in standards (`GET /v1/standards`); default: all of them unless `standard` is given' })),
    standard: Type.Optional(
      checkedByCore(
        Type.Union([Type.Ref('Standard'), Type.Array(Type.Ref('Standard'))], {
          description: 'your own standard(s), in the shape `GET /v1/standards/{id}` answers; validated with errors naming the field',
        }),
        ['object', 'array'],
      ),
    ),
    declarations: Type.Optional(
      checkedByCore(
        Type.Union(
          [
            Type.Array(
              Type.Object({
                community: Type.Union([Type.String(), Type.Number()], { description: 'a community id of `communities`' }),
                item: Type.String({ description: 'an item id (`public-5`) or its Chinese name as printed (`人民调解服务`)' }),
                provided: Type.Union([Type.Boolean(), Type.String(), Type.Number()], { description: 'true/false, yes/no, 是/否, 1/0, 已提供/未提供' }),
                source: Type.Optional(Type.String()),
                date: Type.Optional(Type.String({ description: 'YYYY-MM-DD: of two rows contradicting each other, the later wins' })),
              }),
            ),
            Type.String({ description: 'the same as CSV text, headers community,item,provided,source,date or 社区,指标,是否提供,来源,日期' }),
          ],
          {
            description:
              'which programme and online items each community provides, in bulk; merged with the communities\' `services` (a row wins). Rows that cannot be applied are listed in `errors.declarations`',
          },
        ),
        ['array', 'string'],
      ),
    ),
    mode: Type.Optional(StringEnum<Mode>(MODES, { description: 'override every standard\'s mode' })),
    minutes: Type.Optional(minutesLimit({ description: limit(`override every standard's minutes; at most ${LIMITS.maxMinutes}`) })),
    speedKmh: Type.Optional(speedKmh),
    maxSnapM: Type.Optional(maxSnapM),
    homes: Type.Optional(
      checkedByCore(
        Type.Object({}, {
          additionalProperties: true,
          description: 'where residents live: a FeatureCollection of points or building polygons with optional `population`/`households` and `community` (id); tied by `community` or by lying inside a polygon community. Omitted: the OSM residential buildings of the server\'s network, else homes on a grid (≤ 50 m) inside each polygon',
        }),
        ['object'],
      ),
    ),
    localNorms: Type.Optional(
      checkedByCore(
        Type.Object({}, {
          additionalProperties: true,
          description: 'figures a locality has set where a document leaves them to it: `{"guangdongRural": {"indoorM2": n, "outdoorM2": n}}` (m² per 100 households; Guangdong says only "more than the urban figure"); absent: rural checks say "≥ urban figure, to be set locally"',
        }),
        ['object'],
      ),
    ),
    metShare: Type.Optional(
      hinted(Type.Number({ exclusiveMinimum: 0, maximum: 1, default: 0.8, description: 'share of a community\'s residents that must reach an item for it to be `met`; every answer states the value used' }), {
        expected: 'a number greater than 0 and at most 1 (the share of residents that must reach an item)',
      }),
    ),
    origin: Type.Optional(
      StringEnum(ORIGIN_RULES, {
        default: 'homes',
        description: '`homes`: each community from its homes (given, OSM buildings, or a grid in its polygon), each by its own part\'s gates or nearest road; `representative`: the one-point rule, for comparison',
      }),
    ),
    crs: Type.Optional(CrsParam),
  },
  {
    additionalProperties: false,
    examples: [
      {
        communities: {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', properties: { id: 'shima-road', name: '狮马路小区', type: 'urban' }, geometry: { type: 'Point', coordinates: [104.0819102, 30.6733102] } }],
        },
        standards: ['guangzhou-2020-urban-basic'],
      },
    ],
  },
);

const route = Type.Object(
  {
    network: Type.Optional(network),
    origins: points('where the route may start, e.g. a community\'s entrances (they set out together: the route starts from the one that arrives first)', LIMITS.maxRouteOrigins),
    targets: points('where it may end: the route goes to the nearest of them (send one to get the route to it)', LIMITS.maxTargets),
    maxMinutes: minutesLimit({ description: limit(`targets farther are not considered; at most ${LIMITS.maxMinutes}`) }),
    ...travelFields,
  },
  {
    additionalProperties: false,
    examples: [POINT_PAIR_EXAMPLE],
  },
);

const siting = Type.Object(
  {
    ...coverage.properties,
    standard: Type.Optional(
      checkedByCore(
        Type.Union([Type.String({ description: 'a built-in standard id' }), Type.Ref('Standard')], {
          description: 'the standard `item` belongs to: a built-in id (`GET /v1/standards`) or your own standard; it also says which communities are assessed (its type) and the travel (mode, minutes)',
        }),
        ['string', 'object'],
      ),
    ),
    item: Type.Optional(Type.String({ description: 'the place item to site, e.g. `public-11`, of `standard`; a programme or online item (no categories) is a 400' })),
    categories: Type.Optional(
      hinted(
        Type.Array(Type.String(), { minItems: 1, description: 'instead of `item`: the facility categories to site (`GET /v1/categories`); every community is assessed, travel from `mode`/`minutes` (default walk, 15)' }),
        { expected: 'a non-empty array of category ids (GET /v1/categories)' },
      ),
    ),
    candidates: Type.Optional(
      checkedByCore(
        Type.Union([
          Type.Object({}, { additionalProperties: true, description: 'a FeatureCollection of candidate sites: points, or parcels (Polygon/MultiPolygon, reached at their outline or `entrances`); optional `cost` and `capacity` (capacity is reported, not yet a constraint)' }),
        ]),
        ['object'],
      ),
    ),
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'how many new sites' })),
    targetShare: Type.Optional(
      hinted(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'instead of `k`: the fewest sites until this share of residents (or of communities, `objective: "communities"`) reaches the item' }), {
        expected: 'a share greater than 0 and at most 1',
      }),
    ),
    budget: Type.Optional(Type.Number({ minimum: 0, description: 'at most this summed candidate `cost` (a candidate without one costs 1)' })),
    objective: Type.Optional(StringEnum(['residents', 'communities'] as const, { default: 'residents', description: '`residents`: residents newly served; `communities`: communities newly meeting the item at `metShare`' })),
    method: Type.Optional(StringEnum(['auto', 'exact', 'greedy'] as const, { default: 'auto', description: '`exact`: a mixed-integer program (HiGHS); `greedy`: lazy greedy with a proven bound; `auto`: exact when it proves its optimum within `timeLimitSeconds`, else greedy' })),
    timeLimitSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxSitingTimeLimitS, default: DEFAULTS.sitingTimeLimitS, description: 'time limit of the exact method' })),
    add: Type.Optional(
      checkedByCore(
        Type.Object({}, { additionalProperties: true, description: 'what-if: hypothetical facilities (a FeatureCollection; without `category` they take the item\'s): the answer is the coverage report as if they existed, with the changes per community' }),
        ['object'],
      ),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        communities: {
          type: 'FeatureCollection',
          features: [{ type: 'Feature', properties: { id: 'shima-road', name: '狮马路小区', type: 'urban', population: 3000 }, geometry: { type: 'Point', coordinates: [104.0819102, 30.6733102] } }],
        },
        standard: 'guangzhou-2020-urban-basic',
        item: 'public-11',
        candidates: { grid: 200 },
        k: 3,
      },
    ],
  },
);

/** The body of each operation. */
export const BODY_SCHEMAS = { isochrones, 'travel-times': travelTimes, coverage, route, siting } as const satisfies Record<string, TSchema>;

export type TravelTimesBody = Static<typeof travelTimes>;
export type RouteBody = Static<typeof route>;
export type SitingBody = Static<typeof siting>;
