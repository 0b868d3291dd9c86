/**
 * A regular grid of homes inside a polygon part, for a community whose homes are neither given nor
 * mapped as buildings: each grid point stands for the people of one `spacing × spacing` cell.
 *
 * The grid is square in a local metric frame, centred on the part's bounding box (so a 100 m × 50 m
 * rectangle at 25 m gets the 4 × 2 cell centres, none on its edge), and its points are found row by
 * row: a row crosses the rings at a few x values, the even-odd stretches between them are inside
 * (holes included), and the columns falling in them are the row's points. That is exact
 * point-in-polygon for every grid point, at the cost of one pass over the edges per row, and counting
 * the points needs no enumeration — which is how a cap is fitted before anything is placed.
 */
import type { Position } from 'geojson';
import type { LonLat } from '../facilities/feature-geometry.ts';
import type { LocalProjection } from '../geo/local-projection.ts';

/** A part's grid, in the frame's metres: column i at `x0 + i·spacing`, row j at `y0 + j·spacing`. */
interface GridLayout {
  spacing: number;
  x0: number;
  y0: number;
  columns: number;
  rows: number;
}

/** How many grid points lie inside the part (0 for a sliver narrower than the spacing). */
function countGridPoints(rings: Position[][], spacingM: number, proj: LocalProjection): number {
  let count = 0;
  scanGrid(rings, layout(rings, spacingM, proj), proj, (first, last) => {
    count += last - first + 1;
  });
  return count;
}

/** The grid points inside the part, row by row from the south, west to east in each row. */
export function gridPoints(rings: Position[][], spacingM: number, proj: LocalProjection): LonLat[] {
  const grid = layout(rings, spacingM, proj);
  const points: LonLat[] = [];
  scanGrid(rings, grid, proj, (first, last, y) => {
    for (let i = first; i <= last; i++) points.push([proj.lon(grid.x0 + i * grid.spacing), proj.lat(y)]);
  });
  return points;
}

/**
 * The smallest spacing (from `spacingM` up) at which the parts hold at most `cap` homes, each part
 * counting at least one (its interior point when no grid point falls inside). When the parts alone
 * outnumber the cap, the spacing at which every part is down to one.
 */
export function fitSpacing(parts: Position[][][], spacingM: number, cap: number, proj: LocalProjection): { spacingM: number; homes: number; homesAtRequested: number } {
  const homesAt = (s: number) => parts.reduce((sum, rings) => sum + Math.max(1, countGridPoints(rings, s, proj)), 0);
  let spacing = spacingM;
  let homes = homesAt(spacing);
  const homesAtRequested = homes;
  // Homes fall roughly with the square of the spacing: a few steps reach the cap.
  for (let step = 0; homes > cap && step < 60; step++) {
    if (homes === parts.length) break;
    spacing *= Math.max(1.05, Math.sqrt(homes / cap));
    homes = homesAt(spacing);
  }
  return { spacingM: spacing, homes, homesAtRequested };
}

/** Distance in metres from a point to a part's outline (its rings), in the frame. */
export function distanceToRingsM(lon: number, lat: number, rings: Position[][], proj: LocalProjection): number {
  const px = proj.x(lon);
  const py = proj.y(lat);
  let best = Infinity;
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const ax = proj.x(ring[i][0]);
      const ay = proj.y(ring[i][1]);
      const dx = proj.x(ring[i + 1][0]) - ax;
      const dy = proj.y(ring[i + 1][1]) - ay;
      const length2 = dx * dx + dy * dy;
      const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
      best = Math.min(best, Math.hypot(px - (ax + t * dx), py - (ay + t * dy)));
    }
  }
  return best;
}

function layout(rings: Position[][], spacing: number, proj: LocalProjection): GridLayout {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of rings[0]) {
    const x = proj.x(p[0]);
    const y = proj.y(p[1]);
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  // As many cells as fit (a part narrower than one cell gets one column), centred in the box.
  const columns = Math.max(1, Math.round((maxX - minX) / spacing));
  const rows = Math.max(1, Math.round((maxY - minY) / spacing));
  return {
    spacing,
    x0: (minX + maxX) / 2 - ((columns - 1) * spacing) / 2,
    y0: (minY + maxY) / 2 - ((rows - 1) * spacing) / 2,
    columns,
    rows,
  };
}

/** Calls `visit(first, last, y)` for each run of grid columns inside the part, row by row. */
function scanGrid(rings: Position[][], grid: GridLayout, proj: LocalProjection, visit: (first: number, last: number, y: number) => void): void {
  const xs: number[] = [];
  for (let j = 0; j < grid.rows; j++) {
    const y = grid.y0 + j * grid.spacing;
    xs.length = 0;
    for (const ring of rings) {
      for (let i = 0; i + 1 < ring.length; i++) {
        const ay = proj.y(ring[i][1]);
        const by = proj.y(ring[i + 1][1]);
        // Half-open on y, so a row through a vertex counts the two edges meeting there once.
        if (ay > y !== by > y) {
          const ax = proj.x(ring[i][0]);
          const bx = proj.x(ring[i + 1][0]);
          xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
        }
      }
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const first = Math.max(0, Math.ceil((xs[k] - grid.x0) / grid.spacing));
      const last = Math.min(grid.columns - 1, Math.floor((xs[k + 1] - grid.x0) / grid.spacing));
      if (first <= last) visit(first, last, y);
    }
  }
}
