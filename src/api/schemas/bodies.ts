import { type TSchema, Type } from '@sinclair/typebox';
import { MODES, type Mode } from '../../network/profiles.ts';
import { DEFAULTS, LIMITS } from '../../requests/params.ts';
import { checkedByCore, edgeSchema } from './edge.ts';
import { refTo } from './ref.ts';
import { CommunityFeatureCollection, FacilityFeatureCollection, NetworkFeatureCollection, PointFeatureCollection } from './geojson.ts';
import { Standard } from './reference.ts';

/**
 * The request bodies of the compute routes, as documented; `BODY_SCHEMAS` are what the edge checks
 * (see edge.ts). Limits come from src/requests/params.ts, the core's own, so the document cannot
 * promise other numbers than the checks enforce.
 */

/** A string enum as `{ type, enum }`: Ajv then answers "expected one of walk, bike, …", not "must match anyOf". */
export function StringEnum<T extends string>(values: readonly T[], options: { description?: string; default?: T } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });
}

const limit = (text: string) => `${text} (over it: 422 \`LIMIT_EXCEEDED\`)`;

const datasetId = (kind: string) => Type.String({ pattern: '^ds_', description: `the id of one of your ${kind} datasets (needs your API key)` });

const network = checkedByCore(
  Type.Union([Type.Ref(NetworkFeatureCollection.$id!), datasetId('network'), Type.Null()], {
    description: 'an inline road network, or a network dataset id; omitted or null → the server\'s default network',
  }),
  ['object', 'string', 'null'],
);
const mode = StringEnum<Mode>(MODES, { description: 'travel mode (docs/api.md: Travel modes)', default: DEFAULTS.mode });
const speedKmh = Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxSpeedKmh, description: 'walking/cycling speed, or one uniform car speed; default: the mode\'s' });
const maxSnapM = Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxSnapM, default: DEFAULTS.maxSnapM, description: 'farthest a point may be from a road the mode may use' });
const ferries = Type.Boolean({ default: false, description: 'allow ferry lines' });
/** How travel-times and route travel: the same fields with the same defaults. */
const travelFields = { mode: Type.Optional(mode), speedKmh: Type.Optional(speedKmh), maxSnapM: Type.Optional(maxSnapM), ferries: Type.Optional(ferries) };
/** A home and a clinic in the sample's Chengdu, 15 minutes: the example of both. */
const POINT_PAIR_EXAMPLE = {
  origins: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'home' }, geometry: { type: 'Point', coordinates: [104.0755, 30.6574] } }] },
  targets: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'clinic' }, geometry: { type: 'Point', coordinates: [104.0803, 30.6601] } }] },
  maxMinutes: 15,
};
const points = (what: string, max: number) =>
  checkedByCore(refTo(PointFeatureCollection, { description: limit(`${what}, at most ${max.toLocaleString('en')}`) }));

const isochrones = Type.Object(
  {
    network: Type.Optional(network),
    origins: points('origins', LIMITS.maxIsochroneOrigins),
    minutes: Type.Array(Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxMinutes }), {
      minItems: 1,
      maxItems: LIMITS.maxBudgets,
      description: limit(`time budgets; one expansion serves them all; at most ${LIMITS.maxBudgets}, each at most ${LIMITS.maxMinutes}`),
      examples: [[5, 10, 15]],
    }),
    mode: Type.Optional(mode),
    speedKmh: Type.Optional(speedKmh),
    output: Type.Optional(StringEnum(['polygons', 'lines'] as const, { default: 'polygons', description: '`polygons`, or `lines`: the reachable network cut exactly at each budget' })),
    offNetworkM: Type.Optional(
      Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxOffNetworkM, default: DEFAULTS.offNetworkM, description: 'how far one may walk from a reached road for an area to count as reached' }),
    ),
    maxSnapM: Type.Optional(maxSnapM),
    ferries: Type.Optional(ferries),
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
    maxMinutes: Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxMinutes, description: limit(`only targets within it are listed; at most ${LIMITS.maxMinutes}`) }),
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
      Type.Union([refTo(CommunityFeatureCollection, { description: 'inline communities' }), datasetId('communities')], {
        description: limit(`inline communities or a communities dataset id; at most ${LIMITS.maxCoverageCommunities.toLocaleString('en')} communities (a job has no limit)`),
      }),
      ['object', 'string'],
    ),
    facilities: Type.Optional(
      checkedByCore(
        Type.Union([refTo(FacilityFeatureCollection, { description: 'inline facilities' }), datasetId('facilities')], {
          description: 'inline facilities or a facilities dataset id; omitted → the server\'s default facilities (`FACILITIES`)',
        }),
        ['object', 'string'],
      ),
    ),
    standards: Type.Optional(Type.Array(Type.String(), { description: 'ids of built-in standards (`GET /v1/standards`); default: all of them unless `standard` is given' })),
    standard: Type.Optional(
      checkedByCore(
        Type.Union([Type.Ref(Standard.$id!), Type.Array(Type.Ref(Standard.$id!))], {
          description: 'your own standard(s), in the shape `GET /v1/standards/{id}` answers; validated with errors naming the field',
        }),
        ['object', 'array'],
      ),
    ),
    mode: Type.Optional(StringEnum<Mode>(MODES, { description: 'override every standard\'s mode' })),
    minutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxMinutes, description: limit(`override every standard's minutes; at most ${LIMITS.maxMinutes}`) })),
    speedKmh: Type.Optional(speedKmh),
    maxSnapM: Type.Optional(maxSnapM),
    crs: Type.Optional(
      StringEnum(['wgs84', 'gcj02', 'bd09'] as const, { default: 'wgs84', description: 'coordinates of communities and facilities: `gcj02`, `bd09` for Chinese map providers (networks are WGS84)' }),
    ),
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
    maxMinutes: Type.Number({ exclusiveMinimum: 0, maximum: LIMITS.maxMinutes, description: limit(`targets farther are not considered; at most ${LIMITS.maxMinutes}`) }),
    ...travelFields,
  },
  {
    additionalProperties: false,
    examples: [POINT_PAIR_EXAMPLE],
  },
);

/** The documented body of each operation. */
export const DOCUMENTED_BODIES = { isochrones, 'travel-times': travelTimes, coverage, route } as const;

/** What the edge checks: the documented bodies' shape (edge.ts). */
export const BODY_SCHEMAS = {
  isochrones: edgeSchema(isochrones),
  'travel-times': edgeSchema(travelTimes),
  coverage: edgeSchema(coverage),
  route: edgeSchema(route),
} as const satisfies Record<keyof typeof DOCUMENTED_BODIES, TSchema>;
