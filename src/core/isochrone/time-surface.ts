/**
 * The grid step of an isochrone (expand → grid → contour): rasterises a ReachedNetwork into the
 * earliest arrival time at each cell centre, walking in a straight line from a reached road to the
 * cell for at most `offNetworkM`. Past that distance nothing counts, so ground far from every reached
 * road (across a river without a bridge, inside a large block, behind a railway) stays unreached.
 *
 * Exact per segment. Along a segment the time is t(s) = tA + g·s (g ≥ 0 s/m after orienting the
 * segment so that time grows), and a cell at along-coordinate u and perpendicular distance h is
 * reached at f(s) = tA + g·s + √((u − s)² + h²) / v. f is convex; with k = g·v:
 *   - k < 1 (the road is faster than walking beside it): f′(s*) = 0 at s* = u − h·k/√(1 − k²), where
 *     f(s*) = t(u) + (h/v)·√(1 − k²). Entering the road before the foot of the perpendicular pays off.
 *   - k ≥ 1 (walking beside the road is at least as fast): f increases, so s* is the earliest point.
 * The offNetworkM limit allows s only where √((u − s)² + h²) ≤ offNetworkM, an interval; since f is
 * convex, s* clamped to that interval (and to [0, L]) is the exact constrained minimum. So the surface
 * holds the exact value at every cell centre — the polygon's tolerance comes from the grid alone.
 * (Projecting the cell onto the segment and adding h/v is exact only for k = 0; it overestimates by
 * (h/v)·(1 − √(1 − k²)) when k < 1, and by more when k ≥ 1.)
 */
import CheapRuler from 'cheap-ruler';
import { InputError } from '../errors.ts';
import type { ReachedNetwork } from './reached-network.ts';

export interface TimeSurfaceOptions {
  /** How far one may walk from a reached road to the door, metres (> 0). Beyond it nothing is reached. */
  offNetworkM: number;
  /** Off-network walking speed, m/s (> 0). */
  walkSpeedMps: number;
  /** Wanted cell size in metres; default max(5, offNetworkM / 4). Enlarged when the grid would exceed maxCells. */
  cellM?: number;
  /** Upper bound on width × height; default 2,000,000. */
  maxCells?: number;
}

/**
 * Arrival times on a regular grid in a local metric frame: x = (lon − lon0)·kx, y = (lat − lat0)·ky.
 * Cell (i, j) is `timesS[j * width + i]`, centred at x = x0 + (i + 0.5)·cellM, y = y0 + (j + 0.5)·cellM;
 * row 0 is the southernmost, so the grid's y axis points north like the frame's.
 */
export interface TimeSurface {
  width: number;
  height: number;
  /** Cell size actually used, metres. */
  cellM: number;
  lon0: number;
  lat0: number;
  /** Metres per degree of longitude / latitude at lat0. */
  kx: number;
  ky: number;
  /** South-west corner of cell (0, 0) in the local frame, metres. */
  x0: number;
  y0: number;
  /** Earliest arrival at each cell centre, seconds; UNREACHED_S where no reached road is within offNetworkM. */
  timesS: Float64Array;
  /**
   * Distance from each cell centre to the nearest reached road, metres; exact up to offNetworkM plus
   * two cells, FAR_M beyond. Contouring uses it to place the off-network limit between cell centres,
   * where the time alone only says "reached" or "not".
   */
  networkDistM: Float32Array;
  offNetworkM: number;
  walkSpeedMps: number;
}

/** Time of an unreached cell: large but finite, because contouring interpolates and Infinity makes NaN. */
export const UNREACHED_S = 1e9;
/** Network distance of a cell farther than offNetworkM plus two cells from every reached road. */
export const FAR_M = 1e9;

const DEFAULT_MAX_CELLS = 2_000_000;
const MIN_CELL_M = 5;
/** Padding in cells beyond offNetworkM, so that contours never touch the grid's border. */
const PAD_CELLS = 2;

/** The cell size used when none is asked for: a quarter of the off-network reach, at least 5 m. */
function defaultCellM(offNetworkM: number): number {
  return Math.max(MIN_CELL_M, offNetworkM / 4);
}

export function timeSurface(reached: ReachedNetwork, opts: TimeSurfaceOptions): TimeSurface {
  const { offNetworkM, walkSpeedMps } = opts;
  assertPositive('offNetworkM', offNetworkM);
  assertPositive('walkSpeedMps', walkSpeedMps);
  if (opts.cellM !== undefined) assertPositive('cellM', opts.cellM);
  const maxCells = opts.maxCells ?? DEFAULT_MAX_CELLS;
  if (!Number.isFinite(maxCells) || maxCells < 100) {
    throw new InputError('INVALID_PARAMETER', `maxCells: got ${maxCells}, expected a number ≥ 100`, { where: 'maxCells' });
  }
  const wantedCellM = opts.cellM ?? defaultCellM(offNetworkM);

  const bbox = lonLatBounds(reached);
  if (!bbox) return emptySurface(wantedCellM, offNetworkM, walkSpeedMps);

  // One ruler per query, at the centre latitude: distances in this frame are cheap-ruler distances.
  const lon0 = (bbox[0] + bbox[2]) / 2;
  const lat0 = (bbox[1] + bbox[3]) / 2;
  const { kx, ky } = new CheapRuler(lat0, 'meters');
  const spanX = (bbox[2] - bbox[0]) * kx + 2 * offNetworkM;
  const spanY = (bbox[3] - bbox[1]) * ky + 2 * offNetworkM;
  const cellM = fitCellM(spanX, spanY, wantedCellM, maxCells);
  const width = cellsAcross(spanX, cellM);
  const height = cellsAcross(spanY, cellM);

  const surface: TimeSurface = {
    width,
    height,
    cellM,
    lon0,
    lat0,
    kx,
    ky,
    x0: (bbox[0] - lon0) * kx - offNetworkM - PAD_CELLS * cellM,
    y0: (bbox[1] - lat0) * ky - offNetworkM - PAD_CELLS * cellM,
    timesS: new Float64Array(width * height).fill(UNREACHED_S),
    networkDistM: new Float32Array(width * height).fill(FAR_M),
    offNetworkM,
    walkSpeedMps,
  };
  for (let seg = 0; seg < reached.count; seg++) splatSegment(surface, reached, seg);
  return surface;
}

/** Lowers the surface's times and distances with one segment, visiting only cells near it. */
function splatSegment(surface: TimeSurface, reached: ReachedNetwork, seg: number): void {
  const { width, height, cellM, lon0, lat0, kx, ky, x0, y0, timesS, networkDistM, offNetworkM, walkSpeedMps } =
    surface;
  const c = reached.coords;
  // Orient so that time grows from A to B: then g ≥ 0 and the best entry lies towards A.
  const flip = reached.times[2 * seg + 1] < reached.times[2 * seg];
  const a = flip ? 2 : 0;
  const b = flip ? 0 : 2;
  const ax = (c[4 * seg + a] - lon0) * kx;
  const ay = (c[4 * seg + a + 1] - lat0) * ky;
  const bx = (c[4 * seg + b] - lon0) * kx;
  const by = (c[4 * seg + b + 1] - lat0) * ky;
  const tA = reached.times[2 * seg + (a >> 1)];
  const tB = reached.times[2 * seg + (b >> 1)];
  const length = Math.hypot(bx - ax, by - ay);
  const dirX = length > 0 ? (bx - ax) / length : 1;
  const dirY = length > 0 ? (by - ay) / length : 0;
  const g = length > 0 ? (tB - tA) / length : 0;
  const pace = 1 / walkSpeedMps;
  const k = g * walkSpeedMps;
  const entryShift = k < 1 ? k / Math.sqrt(1 - k * k) : 0;
  const reach2 = offNetworkM * offNetworkM;
  const band = offNetworkM + PAD_CELLS * cellM;
  const band2 = band * band;

  // Cells whose centre lies in the segment's bounding box grown by `band`.
  const i0 = Math.max(0, Math.ceil((Math.min(ax, bx) - band - x0) / cellM - 0.5));
  const i1 = Math.min(width - 1, Math.floor((Math.max(ax, bx) + band - x0) / cellM - 0.5));
  const j0 = Math.max(0, Math.ceil((Math.min(ay, by) - band - y0) / cellM - 0.5));
  const j1 = Math.min(height - 1, Math.floor((Math.max(ay, by) + band - y0) / cellM - 0.5));

  for (let j = j0; j <= j1; j++) {
    const py = y0 + (j + 0.5) * cellM - ay;
    const row = j * width;
    for (let i = i0; i <= i1; i++) {
      const px = x0 + (i + 0.5) * cellM - ax;
      const u = px * dirX + py * dirY;
      const h = Math.abs(py * dirX - px * dirY);
      const du = u < 0 ? u : u > length ? u - length : 0;
      const dist2 = du * du + h * h;
      if (dist2 > band2) continue;
      const idx = row + i;
      const dist = Math.sqrt(dist2);
      if (dist < networkDistM[idx]) networkDistM[idx] = dist;
      if (dist2 > reach2) continue;

      // Points of the segment within reach: |u − s| ≤ r. Non-empty, as the nearest point is within reach.
      const r = Math.sqrt(Math.max(0, reach2 - h * h));
      const lo = Math.max(0, u - r);
      const hi = Math.min(length, u + r);
      let entry = k < 1 ? u - entryShift * h : lo;
      entry = entry < lo ? lo : entry > hi ? hi : entry;
      const walk = Math.sqrt((u - entry) * (u - entry) + h * h);
      const t = tA + g * entry + walk * pace;
      if (t < timesS[idx]) timesS[idx] = t;
    }
  }
}

/** [west, south, east, north] of all segment ends, or null for an empty network; rejects non-finite input. */
function lonLatBounds(reached: ReachedNetwork): [number, number, number, number] | null {
  if (reached.count === 0) return null;
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const c = reached.coords;
  for (let i = 0; i < reached.count * 2; i++) {
    const lon = c[2 * i];
    const lat = c[2 * i + 1];
    const t = reached.times[i];
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || !Number.isFinite(t)) {
      throw new Error(`reached network: segment ${i >> 1} has lon ${lon}, lat ${lat}, time ${t}; expected finite numbers`);
    }
    if (lon < west) west = lon;
    if (lon > east) east = lon;
    if (lat < south) south = lat;
    if (lat > north) north = lat;
  }
  return [west, south, east, north];
}

function cellsAcross(spanM: number, cellM: number): number {
  return Math.max(1, Math.ceil(spanM / cellM)) + 2 * PAD_CELLS;
}

/** The wanted cell size, enlarged just enough for the grid to fit in maxCells. */
function fitCellM(spanX: number, spanY: number, wantedCellM: number, maxCells: number): number {
  const cellCount = (cellM: number) => cellsAcross(spanX, cellM) * cellsAcross(spanY, cellM);
  let cellM = wantedCellM;
  if (cellCount(cellM) <= maxCells) return cellM;
  cellM = Math.max(cellM, Math.sqrt((spanX * spanY) / maxCells));
  while (cellCount(cellM) > maxCells) cellM *= 1.01;
  return cellM;
}

function emptySurface(cellM: number, offNetworkM: number, walkSpeedMps: number): TimeSurface {
  return {
    width: 0,
    height: 0,
    cellM,
    lon0: 0,
    lat0: 0,
    kx: 1,
    ky: 1,
    x0: 0,
    y0: 0,
    timesS: new Float64Array(0),
    networkDistM: new Float32Array(0),
    offNetworkM,
    walkSpeedMps,
  };
}

function assertPositive(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new InputError('INVALID_PARAMETER', `${name}: got ${value}, expected a finite number > 0`, { where: name });
  }
}
