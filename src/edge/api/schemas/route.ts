import { Type } from '@sinclair/typebox';
import { MODES, type Mode } from '../../../core/network/profiles.ts';
import { AnswerCrs, InlineNetwork, Speeds } from '../../../runtime/requests/answers.ts';
import { Feature, LineStringGeometry } from '../../../runtime/requests/geojson-schemas.ts';

/** The answer of POST /v1/route, for the OpenAPI document (see answers.ts: documents, never filters). */
const ModeName = Type.Unsafe<Mode>({ type: 'string', enum: [...MODES] });
const PointError = Type.Object({ id: Type.String(), index: Type.Number({ description: 'the feature\'s index in its collection' }), error: Type.String() });

const RouteNumbers = Type.Object({
  originId: Type.String({ description: 'the origin the route starts from' }),
  targetId: Type.String({ description: 'the nearest target' }),
  minutes: Type.Number({ description: 'including the walked access legs at both ends: the travel-times figure' }),
  meters: Type.Number(),
  originAccessM: Type.Number({ description: 'walked from the origin to its road' }),
  targetAccessM: Type.Number({ description: 'walked from the road to the target' }),
});

export const RouteAnswer = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    crs: AnswerCrs,
    features: Type.Array(
      Feature(
        LineStringGeometry,
        Type.Object({
          kind: Type.Unsafe<'route' | 'access'>({ type: 'string', enum: ['route', 'access'] }),
          minutes: Type.Optional(Type.Number()),
          meters: Type.Number(),
          end: Type.Optional(Type.Unsafe<'origin' | 'target'>({ type: 'string', enum: ['origin', 'target'], description: 'access: which end' })),
        }, { description: 'route: the numbers of `route` too, plus `mode`, `speedKmh`; simplestyle `stroke`, `stroke-width` (access legs dashed)' }),
      ),
      { description: 'the route along the roads, from snapped point to snapped point, then the two access legs; empty when no target is reached' },
    ),
    mode: ModeName,
    speedKmh: Type.Number(),
    maxMinutes: Type.Number(),
    speeds: Type.Ref(Speeds.$id!),
    route: Type.Union([RouteNumbers, Type.Null()], { description: 'null when no target is reachable within maxMinutes' }),
    reason: Type.Optional(Type.String({ description: 'why there is no route' })),
    errors: Type.Object({ origins: Type.Array(PointError), targets: Type.Array(PointError) }, { description: 'points that could not be placed on the network; the others are used' }),
    network: InlineNetwork,
  },
  { description: 'A GeoJSON FeatureCollection: open it in any GeoJSON viewer.' },
);
