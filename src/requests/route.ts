import type { Feature, FeatureCollection, LineString } from 'geojson';
import { describeSpeeds } from '../network/profiles.ts';
import type { LocatedPoint } from '../routing/locate.ts';
import { fastestRoute } from '../routing/route.ts';
import { type InlineNetworkReport, type RequestContext, routerFor, withNetworkReport } from './context.ts';
import { LIMITS } from './params.ts';
import { readPointPairs } from './point-pairs.ts';

export type RouteResponse = FeatureCollection<LineString> & {
  mode: string;
  speedKmh: number;
  maxMinutes: number;
  speeds: ReturnType<typeof describeSpeeds>;
  /** The route in numbers, or null when no target is reached within maxMinutes (`reason` says why). */
  route: { originId: string; targetId: string; minutes: number; meters: number; originAccessM: number; targetAccessM: number } | null;
  reason?: string;
  errors: { origins: PointError[]; targets: PointError[] };
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
export function route(body: Record<string, unknown>, ctx: RequestContext): RouteResponse {
  const { mode, maxMinutes, graph, costing, origins, targets } = readPointPairs(body, ctx, LIMITS.maxRouteOrigins);
  const placedOrigins = origins.filter((o) => o.point);
  const placedTargets = targets.filter((t) => t.point);
  const base = {
    mode,
    speedKmh: costing.speeds.speedKmh,
    maxMinutes,
    speeds: describeSpeeds(costing.speeds),
    errors: { origins: errorsOf(origins), targets: errorsOf(targets) },
    ...withNetworkReport(body.network, graph),
  };
  const found = fastestRoute(routerFor(graph), costing, placedOrigins.map((o) => o.point!), placedTargets.map((t) => t.point!), maxMinutes * 60);
  if (!found) {
    const reason =
      placedOrigins.length === 0 ? 'no origin could be placed on the network (see errors.origins)'
      : placedTargets.length === 0 ? 'no target could be placed on the network (see errors.targets)'
      : `no target is reachable by ${mode} within ${maxMinutes} minutes`;
    return { type: 'FeatureCollection', features: [], ...base, route: null, reason };
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
  return { type: 'FeatureCollection', features, ...base, route: summary };
}

/** The walk between a point and where it joins the road (a line of no length when it lies on it). */
function accessLeg(point: LocatedPoint, end: 'origin' | 'target', at: 'start' | 'end'): Feature<LineString> {
  const snapped = [round(point.snap!.lon, 7), round(point.snap!.lat, 7)];
  const given = [point.lon, point.lat];
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
