import { Type } from '@sinclair/typebox';
import { CommunityFeatureCollection } from '../../../runtime/requests/geojson-schemas.ts';
import { Feature, FeatureCollection, LineStringGeometry, PointGeometry } from '../../../runtime/requests/geojson-schemas.ts';

/** The answers of GET /v1/defaults…: what the server offers the map page out of the box. */
const link = (what: string, extra: Record<string, ReturnType<typeof Type.Number>>) =>
  Type.Union([Type.Object({ href: Type.String(), ...extra }), Type.Null()], { description: `${what}; null when the server has none` });

export const DefaultsIndex = Type.Object({
  network: Type.Union(
    [
      Type.Object({
        href: Type.String(),
        status: Type.Unsafe<'loading' | 'loaded' | 'failed'>({ type: 'string', enum: ['loading', 'loaded', 'failed'] }),
        source: Type.Optional(Type.String()),
        edges: Type.Optional(Type.Number()),
        bbox: Type.Optional(Type.Array(Type.Number(), { minItems: 4, maxItems: 4, description: '[west, south, east, north]' })),
      }),
      Type.Null(),
    ],
    { description: 'the default network; null when the server has none' },
  ),
  facilities: link('the default facilities', { count: Type.Number() }),
  communities: link('the default communities', { count: Type.Number({ description: 'those coverage can assess' }) }),
  tiles: Type.Union([Type.Object({ url: Type.String(), attribution: Type.Optional(Type.String()) }), Type.Null()], {
    description: 'raster tiles to draw under the roads (`TILE_URL`); null: the roads are the base map',
  }),
  attribution: Type.Array(Type.String(), { description: 'what the map must credit: the data of the default network (OpenStreetMap for OSM files)' }),
});

export const DefaultNetworkAnswer = FeatureCollection(Feature(LineStringGeometry, Type.Object({ class: Type.String({ description: 'OSM road class (`untagged` for lines without tags)' }), name: Type.Optional(Type.String({ description: 'the street name, when it has one (the map page labels streets with it)' })) })), {
  description:
    'The default network for drawing: one line per edge, simplified to within 2 m and rounded to 6 decimals. Over 200,000 edges, the main roads only (motorway to tertiary): the `x-lifecircle-partial: true` header says so.',
});

export const DefaultFacilitiesAnswer = FeatureCollection(
  Feature(
    PointGeometry,
    Type.Object({
      id: Type.String({ description: 'the id coverage answers name (`nearest.facilityId`)' }),
      name: Type.Optional(Type.String()),
      categories: Type.Array(Type.String(), { description: 'category ids (`GET /v1/categories`)' }),
    }),
  ),
  { description: 'The default facilities, each at the point coverage measures it from (its representative point).' },
);

export const DefaultCommunitiesAnswer = Type.Ref(CommunityFeatureCollection.$id!, { description: 'The default communities, as in their file: send them to `POST /v1/coverage` as they are.' });
