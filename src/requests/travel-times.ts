import { describeSpeeds } from '../network/profiles.ts';
import { type InlineNetworkReport, type RequestContext, routerFor, withNetworkReport } from './context.ts';
import { LIMITS } from './params.ts';
import { readPointPairs } from './point-pairs.ts';

export interface TravelTimesResponse {
  mode: string;
  speedKmh: number;
  maxMinutes: number;
  speeds: ReturnType<typeof describeSpeeds>;
  origins: {
    id: string;
    snapDistanceM: number | null;
    snapped?: [number, number];
    error?: string;
    reachable: { targetId: string; minutes: number; meters: number }[];
  }[];
  targetErrors: { id: string; index: number; error: string }[];
  network?: InlineNetworkReport;
}

/**
 * POST /v1/travel-times and the CLI's `travel-times`: for each origin, the targets reachable within
 * maxMinutes, nearest first, each with its time and distance including both access legs.
 */
export function travelTimes(body: Record<string, unknown>, ctx: RequestContext): TravelTimesResponse {
  const { mode, maxMinutes, graph, costing, origins, targets } = readPointPairs(body, ctx, LIMITS.maxTravelTimeOrigins);
  const results = routerFor(graph).travelTimes(costing, origins, targets, maxMinutes * 60);
  return {
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
    ...withNetworkReport(body.network, graph),
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
