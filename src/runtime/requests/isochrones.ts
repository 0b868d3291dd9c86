import type { Static } from '@sinclair/typebox';
import type { MultiLineString, MultiPolygon } from 'geojson';
import { roundGeometry } from '../../core/io/export-layers.ts';
import { isochroneLines } from '../../core/isochrone/lines.ts';
import { describeTolerance, isochronePolygons } from '../../core/isochrone/polygons.ts';
import { WGS84_CRS_MEMBER } from '../../core/geo/crs.ts';
import { describeSpeeds } from '../../core/network/profiles.ts';
import { costingFor } from '../../core/routing/costing.ts';
import { locatePoints, pointFeatures } from '../../core/routing/locate.ts';
import { type NetworkUsed, type PointsUsed, type RequestContext, expanderFor, networkUsed, resolveNetwork, routerFor, withNetworkReport } from './context.ts';
import type { IsochronesAnswer } from './answers.ts';
import { BODY_SCHEMAS } from './bodies.ts';
import { DEFAULTS, LIMITS, checkCount, parseCrsParam } from './params.ts';
import { readBody } from './schema-check.ts';
import { pointsUsed, requireSomePlaced } from './usable.ts';

/** The answer, as its schema (answers.ts) documents it. */
export type IsochroneResponse = Static<typeof IsochronesAnswer>;
type IsochroneFeature = IsochroneResponse['features'][number];

/** Simplestyle colours from near (green) to far (red), so the answer shows itself in any viewer. */
const RING_COLOURS = ['#1a9850', '#66bd63', '#a6d96a', '#fee08b', '#fdae61', '#f46d43', '#d73027', '#a50026'];

/**
 * POST /v1/isochrones and the CLI's `isochrones`: one expansion per origin to the largest budget,
 * then per budget the reachable network (lines, cut exactly at the budget) or polygons.
 */
export function isochrones(request: Record<string, unknown>, ctx: RequestContext): IsochroneResponse {
  const body = readBody(BODY_SCHEMAS.isochrones, request);
  const crs = parseCrsParam(body.crs);
  const { speedKmh, mode = DEFAULTS.mode, output = 'polygons', maxSnapM = DEFAULTS.maxSnapM, offNetworkM = DEFAULTS.offNetworkM, ferries = false } = body;
  const minutes = [...new Set(body.minutes)].sort((a, b) => a - b);
  checkCount('origins', pointFeatures(body.origins, 'origins').length, LIMITS.maxIsochroneOrigins);
  const graph = resolveNetwork(body.network, ctx);
  const costing = costingFor(graph, { mode, speedKmh, ferries });
  const origins = locatePoints(costing, body.origins, { what: 'origins', maxSnapM, crs });
  requireSomePlaced('origins', origins);
  const router = routerFor(graph);
  const expander = expanderFor(graph);
  const budgetsS = minutes.map((m) => m * 60);
  const maxBudget = budgetsS[budgetsS.length - 1];
  const features: IsochroneFeature[] = [];
  let cellM = 0;
  for (const origin of origins) {
    if (!origin.point || !origin.snap) continue;
    const seedPoints = [origin.point];
    const search = router.searchFrom(costing, seedPoints, maxBudget);
    const reached = expander.expand(search, seedPoints, maxBudget);
    const base = { originId: origin.id, mode, speedKmh: costing.speeds.speedKmh };
    if (output === 'lines') {
      isochroneLines(reached, budgetsS).forEach((line, i) => {
        features.push(ring(line.geometry, { ...base, minutes: minutes[i], lengthM: Math.round(line.lengthM) }, i, minutes.length, false));
      });
    } else {
      // 10 m cells keep the polygon within ~11 s of the exact walking time (see tolerance in the answer).
      const result = isochronePolygons(reached, budgetsS, { offNetworkM, walkSpeedMps: costing.accessSpeedMps, cellM: Math.min(10, offNetworkM / 2) });
      cellM = Math.max(cellM, result.cellM);
      // Largest first, so that in a viewer the smaller rings are drawn on top.
      for (let i = result.polygons.length - 1; i >= 0; i--) {
        const p = result.polygons[i];
        features.push(ring(p.geometry, { ...base, minutes: minutes[i], areaM2: Math.round(p.areaM2), cellM: round(result.cellM, 2) }, i, minutes.length, true));
      }
    }
    features.push({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [round(origin.snap.lon, 7), round(origin.snap.lat, 7)] },
      properties: { kind: 'snapped-origin', originId: origin.id, snapDistanceM: round(origin.snap.distanceM, 2), accessMinutes: round(origin.point.accessS / 60, 3), ...SNAPPED_STYLE },
    });
  }
  return {
    type: 'FeatureCollection',
    crs: WGS84_CRS_MEMBER,
    features,
    mode,
    speedKmh: costing.speeds.speedKmh,
    minutes,
    output,
    speeds: describeSpeeds(costing.speeds),
    ...(output === 'polygons' && cellM > 0 ? { tolerance: { ...describeTolerance(cellM, offNetworkM, costing.accessSpeedMps), offNetworkM, cellM } } : {}),
    errors: origins.filter((o) => o.error).map((o) => ({ originId: o.id, index: o.index, error: o.error! })),
    inputs: { network: networkUsed(body.network, ctx, graph), origins: pointsUsed(origins) },
    ...withNetworkReport(body.network, graph),
  };
}

/** Simplestyle of a snapped origin (the schema's features allow such keys beside theirs). */
const SNAPPED_STYLE = { 'marker-color': '#000000', 'marker-symbol': 'star' };

function ring(geometry: MultiPolygon | MultiLineString, props: Omit<IsochroneFeature['properties'], 'kind'>, i: number, n: number, filled: boolean): IsochroneFeature {
  const colour = RING_COLOURS[Math.round((i / Math.max(1, n - 1)) * (RING_COLOURS.length - 1))];
  const style = filled ? { fill: colour, 'fill-opacity': 0.35, stroke: colour, 'stroke-width': 1 } : { stroke: colour, 'stroke-width': 3 };
  return { type: 'Feature', geometry: roundGeometry(geometry), properties: { kind: 'isochrone', ...props, ...style } };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
