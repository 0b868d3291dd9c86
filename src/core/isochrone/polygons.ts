/**
 * Isochrone polygons from a reached network: grid (time-surface.ts) then contour (contour.ts).
 *
 * The guarantee. Let v = walkSpeedMps, R = offNetworkM, D = cellM·√2 (one cell diagonal), and for a
 * point x and a network point p let d = |x − p| (cheap-ruler metres at the network's centre latitude):
 *   1. Nothing false is drawn: every point x inside the budget-B polygon is within R + D of a reached
 *      network point p with t(p) + d/v ≤ B + D/v.
 *   2. Nothing true is missed: every point x having a network point p with d ≤ R − D and
 *      t(p) + d/v ≤ B − D/v is inside. With x = p: every reached network point with t ≤ B − D/v is
 *      inside — which needs D ≤ R, true unless maxCells forced a coarse grid (see describeTolerance).
 * Why: the grid holds the exact arrival time at every cell centre (see time-surface.ts), and marching
 * squares draws inside a grid square only when one of its corners, all within D of any point of the
 * square, is reached by B; when all four corners are, the whole square is inside.
 *
 * A larger budget's polygon contains a smaller one's, exactly, not only within the tolerance.
 */
import { area } from '@turf/area';
import type { MultiPolygon } from 'geojson';
import { contourSurface } from './contour.ts';
import type { ReachedNetwork } from './reached-network.ts';
import { timeSurface } from './time-surface.ts';

export interface IsochronePolygonOptions {
  /** How far one may walk from a reached road, metres (> 0). */
  offNetworkM: number;
  /** Off-network walking speed, m/s (> 0). */
  walkSpeedMps: number;
  /** Wanted cell size, metres; default max(5, offNetworkM / 4). */
  cellM?: number;
  /** Upper bound on grid cells; default 2,000,000. The cell grows to respect it. */
  maxCells?: number;
}

export interface IsochronePolygon {
  budgetS: number;
  geometry: MultiPolygon;
  /** Geodesic area, m² (turf). */
  areaM2: number;
}

export interface IsochronePolygons {
  /** Cell size actually used, metres: feed it to describeTolerance. */
  cellM: number;
  /** One per budget, in the order asked. */
  polygons: IsochronePolygon[];
}

export interface IsochroneTolerance {
  /** One cell diagonal, metres. */
  cellDiagM: number;
  /** A point inside a polygon is at most this far from the network point that reaches it: R + cellDiagM. */
  maxOffNetworkM: number;
  /** Slack on the budget, both ways: cellDiagM / walkSpeedMps. */
  budgetSlackS: number;
  /** Whether every reached network point with t ≤ B − budgetSlackS is inside (needs cellDiagM ≤ offNetworkM). */
  coversNetwork: boolean;
}

/** Empty reached network → empty MultiPolygons with area 0. */
export function isochronePolygons(
  reached: ReachedNetwork,
  budgetsS: readonly number[],
  opts: IsochronePolygonOptions,
): IsochronePolygons {
  const surface = timeSurface(reached, opts);
  const geometries = contourSurface(surface, budgetsS);
  return {
    cellM: surface.cellM,
    polygons: geometries.map((geometry, i) => ({
      budgetS: budgetsS[i],
      geometry,
      areaM2: geometry.coordinates.length > 0 ? area(geometry) : 0,
    })),
  };
}

/** The guarantee at the top of this file, in numbers. */
export function describeTolerance(cellM: number, offNetworkM: number, walkSpeedMps: number): IsochroneTolerance {
  const cellDiagM = cellM * Math.SQRT2;
  return {
    cellDiagM,
    maxOffNetworkM: offNetworkM + cellDiagM,
    budgetSlackS: cellDiagM / walkSpeedMps,
    coversNetwork: cellDiagM <= offNetworkM,
  };
}
