import { type TSchema, Type } from '@sinclair/typebox';

/**
 * GeoJSON (RFC 7946) as the API reads and writes it, for the OpenAPI document. Coordinates are WGS84
 * [longitude, latitude] unless the collection's `crs` member or the request's `crs` says otherwise
 * (docs/api.md: Coordinate systems); answers are always WGS84. `properties` are free-form: the keys the
 * API reads are listed, any other is allowed and ignored on input; answers add their own (and
 * simplestyle `fill`/`stroke`/`marker-color`, so that a GeoJSON viewer shows the result).
 */
const Position = Type.Array(Type.Number(), {
  minItems: 2,
  maxItems: 3,
  description: '[longitude, latitude] in degrees (a third number, the altitude, is ignored)',
  examples: [[104.0755, 30.6574]],
});

const ring = Type.Array(Position, { minItems: 4, description: 'a closed ring: the first and last positions are equal' });

export const PointGeometry = Type.Object({ type: Type.Literal('Point'), coordinates: Position });
const MultiPointGeometry = Type.Object({ type: Type.Literal('MultiPoint'), coordinates: Type.Array(Position) });
export const LineStringGeometry = Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Position, { minItems: 2 }) });
export const MultiLineStringGeometry = Type.Object({ type: Type.Literal('MultiLineString'), coordinates: Type.Array(Type.Array(Position, { minItems: 2 })) });
const PolygonGeometry = Type.Object({ type: Type.Literal('Polygon'), coordinates: Type.Array(ring) });
export const MultiPolygonGeometry = Type.Object({ type: Type.Literal('MultiPolygon'), coordinates: Type.Array(Type.Array(ring)) });

const FeatureId = Type.Union([Type.String(), Type.Number()]);

/** A Feature with the given geometry and properties (other property keys allowed). */
export function Feature<G extends TSchema, P extends TSchema>(geometry: G, properties: P, description?: string) {
  return Type.Object(
    { type: Type.Literal('Feature'), id: Type.Optional(FeatureId), properties, geometry },
    description ? { description } : {},
  );
}

/** A FeatureCollection of `feature`; `extra` adds top-level members (answers carry their parameters there). */
export function FeatureCollection<F extends TSchema>(feature: F, options: { $id?: string; description?: string } = {}) {
  return Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(feature) }, options);
}

const idProperty = Type.Optional(Type.Union([Type.String(), Type.Number()], { description: 'names the feature in answers and errors; missing → its index' }));

/** Origins and targets of routing requests. */
export const PointFeatureCollection = FeatureCollection(
  Feature(PointGeometry, Type.Object({ id: idProperty })),
  {
    $id: 'PointFeatureCollection',
    description: 'Points with `properties.id`. A point without usable coordinates, or with no road within `maxSnapM`, gets its own `error` in the answer; the others are answered.',
  },
);

/** An inline road network. */
export const NetworkFeatureCollection = FeatureCollection(
  Feature(
    Type.Union([LineStringGeometry, MultiLineStringGeometry]),
    Type.Object(
      {
        highway: Type.Optional(Type.String({ description: 'OSM road class: decides which modes may use the line and the car speed' })),
        oneway: Type.Optional(Type.String()),
        maxspeed: Type.Optional(Type.String()),
      },
      { description: 'OSM tags (`highway`, `oneway`, `access`, `foot`, `bicycle`, `maxspeed`, `route=ferry`, …). No tags at all: a planner\'s own centre line, usable by every mode' },
    ),
  ),
  {
    $id: 'NetworkFeatureCollection',
    description: 'A road network: LineStrings split at shared vertices into a routable graph. Omitted or null → the server\'s default network (`NETWORK`).',
  },
);

/** Communities of a coverage request. */
export const CommunityFeatureCollection = FeatureCollection(
  Feature(
    Type.Union([PointGeometry, MultiPointGeometry, PolygonGeometry, MultiPolygonGeometry]),
    Type.Object({
      id: idProperty,
      name: Type.Optional(Type.String()),
      type: Type.Optional(Type.String({ description: '`urban` | `rural` (also 城市/社区, 农村/村); missing → urban, with a warning', examples: ['urban'] })),
      population: Type.Optional(Type.Number({ minimum: 0 })),
      households: Type.Optional(Type.Number({ minimum: 0 })),
      district: Type.Optional(Type.String()),
      subdistrict: Type.Optional(Type.String()),
      services: Type.Optional(Type.Array(Type.String(), { description: 'ids of the programme and online items the community declares it runs' })),
      entrances: Type.Optional(Type.Array(Position, { description: 'the gates residents set out from (same crs as the geometry)' })),
    }),
    'A Point is one origin; a MultiPoint its entrances; a polygon starts from `entrances`, else from a point inside it (one per part).',
  ),
  { $id: 'CommunityFeatureCollection', description: 'Residential communities (社区 / 村).' },
);

/** Facilities of a coverage request. */
export const FacilityFeatureCollection = FeatureCollection(
  Feature(
    Type.Union([PointGeometry, MultiPointGeometry, PolygonGeometry, MultiPolygonGeometry]),
    Type.Object(
      {
        id: idProperty,
        name: Type.Optional(Type.String()),
        category: Type.Optional(
          Type.Union([Type.String(), Type.Array(Type.String())], { description: 'category id(s) of `GET /v1/categories`: one id, an array, or `a;b`' }),
        ),
        area_m2: Type.Optional(Type.Number({ minimum: 0, description: 'floor area (provision checks)' })),
        outdoor_area_m2: Type.Optional(Type.Number({ minimum: 0 })),
        opening_hours: Type.Optional(Type.String({ description: 'OSM opening_hours syntax' })),
        community: Type.Optional(Type.String({ description: 'id of the community the facility belongs to (provision checks)' })),
        entrances: Type.Optional(
          Type.Array(Position, { description: 'where people walk in (same crs as the geometry); a polygon without them is reached along its outline, every 25 m or less' }),
        ),
      },
      { description: 'Without `category`, OSM tags (`amenity`, `shop`, `leisure`, `healthcare`, …) or Amap fields (`typecode`, `type`) are mapped to categories.' },
    ),
  ),
  { $id: 'FacilityFeatureCollection', description: 'Facilities. Features no mapping recognises are counted in `unmappedFacilities`, not errors.' },
);

/** Free-form GeoJSON an answer may contain (the coverage map): described, not enumerated. */
export const AnyGeometry = Type.Object(
  { type: Type.String({ examples: ['Point'] }), coordinates: Type.Unknown() },
  { description: 'a GeoJSON geometry, as the request gave it (converted to WGS84)' },
);
