/**
 * The contour step of an isochrone (expand → grid → contour): traces, for each time budget B, the
 * region {cells reached by B} of a TimeSurface with marching squares (d3-contour) and returns it as
 * lon/lat GeoJSON MultiPolygons with holes, rings closed, outer rings counter-clockwise (RFC 7946).
 *
 * Which cells are inside depends only on time ≤ B, so the topology is that of one field cut at each
 * budget. Where marching squares interpolates along a cell edge, it is given a "slack" that is
 * continuous across the off-network limit (see fillSlack): the limit then falls between cell centres
 * instead of snapping inwards to the last reached one (which would shrink every polygon by half a cell
 * on average). The slack never increases with B, so a larger budget's polygon contains a smaller one's.
 */
import { contours } from 'd3-contour';
import type { MultiPolygon, Position } from 'geojson';
import { InputError } from '../errors.ts';
import { UNREACHED_S, type TimeSurface } from './time-surface.ts';

/** One MultiPolygon per budget, in the order of `budgetsS`. */
export function contourSurface(surface: TimeSurface, budgetsS: readonly number[]): MultiPolygon[] {
  assertBudgets(budgetsS);
  const { width, height } = surface;
  if (width === 0 || height === 0) return budgetsS.map(() => ({ type: 'MultiPolygon', coordinates: [] }));

  // d3 traces where value ≥ threshold; we want slack ≤ 0, so it gets −slack cut at 0.
  const negatedSlack = new Float64Array(width * height);
  const generator = contours().size([width, height]);
  return budgetsS.map((budgetS) => {
    fillSlack(surface, budgetS, negatedSlack);
    // d3 only indexes the array, so a typed array serves (its typings ask for number[]).
    const traced = generator.contour(negatedSlack as unknown as number[], 0);
    return { type: 'MultiPolygon', coordinates: toLonLat(traced.coordinates, surface) };
  });
}

/** Rejects a budget list the contour and line steps cannot serve. */
export function assertBudgets(budgetsS: readonly number[]): void {
  if (!Array.isArray(budgetsS) || budgetsS.length === 0) {
    throw new InputError('INVALID_PARAMETER', `budgets: got ${JSON.stringify(budgetsS)}, expected a non-empty array`, {
      where: 'budgets',
    });
  }
  for (const b of budgetsS) {
    if (!(Number.isFinite(b) && b >= 0)) {
      throw new InputError('INVALID_PARAMETER', `budgets: got ${b}, expected finite seconds ≥ 0`, { where: 'budgets' });
    }
  }
}

/**
 * Writes −slack for budget B, in seconds, where slack ≤ 0 exactly at cells with time ≤ B:
 *   reached cells:   max(time − B, min(0, (dist − offNetworkM)/v))
 *   unreached cells: max(ε, (dist − offNetworkM)/v)
 * Near the off-network limit the distance term dominates, so the boundary lands where the distance to
 * the network crosses offNetworkM; elsewhere it is the time term, i.e. where the time crosses B. The
 * min/max clamps keep the sign equal to "time ≤ B" whatever float32 rounding does to the distance.
 */
function fillSlack(surface: TimeSurface, budgetS: number, out: Float64Array): void {
  const { timesS, networkDistM, offNetworkM, walkSpeedMps } = surface;
  const pace = 1 / walkSpeedMps;
  for (let i = 0; i < out.length; i++) {
    const t = timesS[i];
    const reachSlack = (networkDistM[i] - offNetworkM) * pace;
    const slack =
      t < UNREACHED_S
        ? Math.max(t - budgetS, reachSlack < 0 ? reachSlack : 0)
        : Math.max(reachSlack, Number.EPSILON);
    out[i] = -slack;
  }
}

/**
 * Grid coordinates → lon/lat. d3 puts the centre of cell (i, j) at ⟨i + 0.5, j + 0.5⟩, so grid point
 * (gx, gy) is x0 + gx·cellM metres east of the frame origin — the same convention as TimeSurface.
 * Drops repeated vertices (interpolation can land two on one cell centre) and rings left degenerate.
 */
function toLonLat(polygons: Position[][][], surface: TimeSurface): Position[][][] {
  const { cellM, x0, y0, kx, ky, lon0, lat0 } = surface;
  const out: Position[][][] = [];
  for (const polygon of polygons) {
    const rings: Position[][] = [];
    for (let r = 0; r < polygon.length; r++) {
      const ring: Position[] = [];
      for (const [gx, gy] of polygon[r]) {
        const lon = lon0 + (x0 + gx * cellM) / kx;
        const lat = lat0 + (y0 + gy * cellM) / ky;
        const last = ring[ring.length - 1];
        if (last && last[0] === lon && last[1] === lat) continue;
        ring.push([lon, lat]);
      }
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (first && (first[0] !== last[0] || first[1] !== last[1])) ring.push([first[0], first[1]]);
      if (ring.length < 4) {
        if (r === 0) break; // an outer ring too small to hold anything: drop the polygon
        continue;
      }
      // Outer rings counter-clockwise, holes clockwise (RFC 7946 §3.1.6).
      const isOuter = r === 0;
      if (isOuter !== signedArea(ring) > 0) ring.reverse();
      rings.push(ring);
    }
    if (rings.length > 0) out.push(rings);
  }
  return out;
}

/** Twice the signed area (shoelace), positive for counter-clockwise in lon/lat. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 1; i < ring.length; i++) {
    sum += (ring[i - 1][0] - ring[i][0]) * (ring[i - 1][1] + ring[i][1]);
  }
  return sum;
}
