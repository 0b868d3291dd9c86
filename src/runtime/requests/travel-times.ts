import type { Static } from '@sinclair/typebox';
import { WGS84_CRS_MEMBER } from '../../core/geo/crs.ts';
import { describeSpeeds } from '../../core/network/profiles.ts';
import type { LocatedPoint } from '../../core/routing/locate.ts';
import type { TravelTimesAnswer } from './answers.ts';
import { type RequestContext, networkUsed, routerFor, withNetworkReport } from './context.ts';
import { pointsUsed } from './usable.ts';
import { LIMITS } from './params.ts';
import { BODY_SCHEMAS } from './bodies.ts';
import { readPointPairs } from './point-pairs.ts';
import { readBody } from './schema-check.ts';

/** The answer, as its schema (answers.ts) documents it. */
export type TravelTimesResponse = Static<typeof TravelTimesAnswer>;

/** The answer and the points it was computed for (their names and positions, for the CSV and GeoJSON answers). */
export interface TravelTimesResult {
  response: TravelTimesResponse;
  origins: LocatedPoint[];
  targets: LocatedPoint[];
}

/**
 * POST /v1/travel-times and the CLI's `travel-times`: for each origin, the targets reachable within
 * maxMinutes, nearest first, each with its time and distance including both access legs.
 */
export function travelTimes(body: Record<string, unknown>, ctx: RequestContext): TravelTimesResponse {
  return travelTimesResult(body, ctx).response;
}

export function travelTimesResult(request: Record<string, unknown>, ctx: RequestContext): TravelTimesResult {
  const body = readBody(BODY_SCHEMAS['travel-times'], request);
  const { mode, maxMinutes, graph, costing, origins, targets } = readPointPairs(body, ctx, LIMITS.maxTravelTimeOrigins);
  const results = routerFor(graph).travelTimes(costing, origins, targets, maxMinutes * 60);
  const response: TravelTimesResponse = {
    crs: WGS84_CRS_MEMBER,
    mode,
    speedKmh: costing.speeds.speedKmh,
    maxMinutes,
    speeds: describeSpeeds(costing.speeds),
    origins: results.map(({ origin, reachable }) => ({
      id: origin.id,
      snapDistanceM: origin.snap ? round(origin.snap.distanceM, 2) : null,
      ...(origin.snap ? { snapped: [round(origin.snap.lon, 7), round(origin.snap.lat, 7)] as [number, number] } : {}),
      ...(origin.error ? { error: origin.error } : {}),
      reachable: reachable.map((r) => ({ targetId: targets[r.targetIndex].id, minutes: round(r.seconds / 60, 3), meters: round(r.meters, 1) })),
    })),
    targetErrors: targets.filter((t) => t.error).map((t) => ({ id: t.id, index: t.index, error: t.error! })),
    inputs: { network: networkUsed(body.network, ctx, graph), origins: pointsUsed(origins), targets: pointsUsed(targets) },
    ...withNetworkReport(body.network, graph),
  };
  return { response, origins, targets };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
