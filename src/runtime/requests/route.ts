import type { Feature, FeatureCollection, LineString } from 'geojson';
import { WGS84_CRS_MEMBER } from '../../core/geo/crs.ts';
import { describeSpeeds } from '../../core/network/profiles.ts';
import type { LocatedPoint } from '../../core/routing/locate.ts';
import { fastestRoute } from '../../core/routing/route.ts';
import { type InlineNetworkReport, type NetworkUsed, type PointsUsed, type RequestContext, networkUsed, routerFor, withNetworkReport } from './context.ts';
import { pointsUsed } from './usable.ts';
import { LIMITS } from './params.ts';
import { BODY_SCHEMAS } from './bodies.ts';
import { readPointPairs } from './point-pairs.ts';
import { readBody } from './schema-check.ts';

export type RouteResponse = FeatureCollection<LineString> & {
  /** Coordinates are WGS84 longitude/latitude, whatever the request's were. */
  crs: typeof WGS84_CRS_MEMBER;
  mode: string;
  speedKmh: number;
  maxMinutes: number;
  speeds: ReturnType<typeof describeSpeeds>;
  /** The route in numbers, or null when no target is reached within maxMinutes (`reason` says why). */
  route: { originId: string; targetId: string; minutes: number; meters: number; originAccessM: number; targetAccessM: number } | null;
  reason?: string;
  errors: { origins: PointError[]; targets: PointError[] };
  /** What the answer rests on: the network (default, inline or a dataset), the origins and targets, with counts. */
  inputs: { network: NetworkUsed; origins: PointsUsed; targets: PointsUsed };
  network?: InlineNetworkReport;
};

interface PointError {
  id: string;
  index: number;
  error: string;
}

/** Simplestyle colours, so that the answer shows itself in any GeoJSON viewer. */
const ROUTE_STYLE = { stroke: '#0b63c4', 'stroke-width': 4 };
const ACCESS_STYLE = { stroke: '#0b63c4', 'stroke-width': 2, 'stroke-dasharray': '2 2' };

/**
 * POST /v1/route: the fastest route from the origins (which set out together, like a community's
 * gates in coverage) to the nearest of the targets within maxMinutes, with its geometry: the way
 * along the roads from snapped point to snapped point, and the two walked access legs. Its time is
 * the time travel-times reports for the same pair (one search, followed back).
 */
export function route(request: Record<string, unknown>, ctx: RequestContext): RouteResponse {
  const body = readBody(BODY_SCHEMAS.route, request);
  const { mode, maxMinutes, graph, costing, origins, targets } = readPointPairs(body, ctx, LIMITS.maxRouteOrigins);
  const placedOrigins = origins.filter((o) => o.point);
  const placedTargets = targets.filter((t) => t.point);
  const base = {
    mode,
    speedKmh: costing.speeds.speedKmh,
    maxMinutes,
    speeds: describeSpeeds(costing.speeds),
    errors: { origins: errorsOf(origins), targets: errorsOf(targets) },
    inputs: { network: networkUsed(body.network, ctx, graph), origins: pointsUsed(origins), targets: pointsUsed(targets) },
    ...withNetworkReport(body.network, graph),
  };
  const found = fastestRoute(routerFor(graph), costing, placedOrigins.map((o) => o.point!), placedTargets.map((t) => t.point!), maxMinutes * 60);
  if (!found) {
    // Origins and targets none of which could be placed are a 422 (readPointPairs): here some are.
    const reason = `no target is reachable by ${mode} within ${maxMinutes} minutes`;
    return { type: 'FeatureCollection', crs: WGS84_CRS_MEMBER, features: [], ...base, route: null, reason };
  }
  const origin = placedOrigins[found.originIndex];
  const target = placedTargets[found.targetIndex];
  const r = found.route;
  const summary = {
    originId: origin.id,
    targetId: target.id,
    minutes: round(r.seconds / 60, 3),
    meters: round(r.meters, 1),
    originAccessM: round(r.originAccessM, 1),
    targetAccessM: round(r.targetAccessM, 1),
  };
  const features: Feature<LineString>[] = [
    {
      type: 'Feature',
      geometry: { type: 'LineString', coordinates: r.geometry.coordinates.map(([lon, lat]) => [round(lon, 7), round(lat, 7)]) },
      properties: { kind: 'route', ...summary, mode, speedKmh: costing.speeds.speedKmh, ...ROUTE_STYLE },
    },
    accessLeg(origin, 'origin', 'start'),
    accessLeg(target, 'target', 'end'),
  ];
  return { type: 'FeatureCollection', crs: WGS84_CRS_MEMBER, features, ...base, route: summary };
}

/** The walk between a point and where it joins the road (a line of no length when it lies on it). */
function accessLeg(point: LocatedPoint, end: 'origin' | 'target', at: 'start' | 'end'): Feature<LineString> {
  const snapped = [round(point.snap!.lon, 7), round(point.snap!.lat, 7)];
  const given = [round(point.lon, 7), round(point.lat, 7)];
  return {
    type: 'Feature',
    geometry: { type: 'LineString', coordinates: at === 'start' ? [given, snapped] : [snapped, given] },
    properties: { kind: 'access', end, id: point.id, meters: round(point.snap!.distanceM, 1), ...ACCESS_STYLE },
  };
}

function errorsOf(points: readonly LocatedPoint[]): PointError[] {
  return points.filter((p) => p.error).map((p) => ({ id: p.id, index: p.index, error: p.error! }));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
