import type { Graph } from '../../core/network/graph.ts';
import type { Mode } from '../../core/network/profiles.ts';
import { type Costing, costingFor } from '../../core/routing/costing.ts';
import { type LocatedPoint, locatePoints, pointFeatures } from '../../core/routing/locate.ts';
import { type RequestContext, resolveNetwork } from './context.ts';
import { requireSomePlaced } from './usable.ts';
import type { RouteBody, TravelTimesBody } from './bodies.ts';
import { DEFAULTS, LIMITS, checkCount, parseCrsParam } from './params.ts';

/**
 * What travel-times and route both read: the travel (mode, speed, ferries, maxMinutes), the
 * network, and the origins and targets placed on it — each point with its own error when it cannot
 * be placed. `maxOrigins` is the operation's own limit. Points in another system than WGS84 (`crs`,
 * or a collection's crs member) are converted as they are read.
 */
export interface PointPairs {
  mode: Mode;
  maxMinutes: number;
  graph: Graph;
  costing: Costing;
  origins: LocatedPoint[];
  targets: LocatedPoint[];
}

/** `body` has been read with its operation's schema (bodies.ts): travel-times and route share these fields. */
export function readPointPairs(body: TravelTimesBody | RouteBody, ctx: RequestContext, maxOrigins: number): PointPairs {
  const crs = parseCrsParam(body.crs);
  const { speedKmh, maxMinutes, mode = DEFAULTS.mode, maxSnapM = DEFAULTS.maxSnapM, ferries = false } = body;
  checkCount('origins', pointFeatures(body.origins, 'origins').length, maxOrigins);
  checkCount('targets', pointFeatures(body.targets, 'targets').length, LIMITS.maxTargets);
  const graph = resolveNetwork(body.network, ctx);
  const costing = costingFor(graph, { mode, speedKmh, ferries });
  const origins = locatePoints(costing, body.origins, { what: 'origins', maxSnapM, crs });
  const targets = locatePoints(costing, body.targets, { what: 'targets', maxSnapM, crs });
  requireSomePlaced('origins', origins);
  requireSomePlaced('targets', targets);
  return { mode, maxMinutes, graph, costing, origins, targets };
}
