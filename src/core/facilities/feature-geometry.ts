/**
 * Checking a GeoJSON geometry and placing points on it: what facilities and communities share.
 * Problems are returned as "got X, expected Y" strings, for the reader to file against the feature;
 * nothing here throws on bad input.
 */
import type { Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { haversineM } from '../geo/distance.ts';

export type LonLat = [number, number];

/** Geometry types a feature may have here, and why not: a GeometryCollection has no one place. */
const SUPPORTED = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

/**
 * What is wrong with `geometry`, or undefined when it is usable: a known type, positions of finite
 * lon/lat in range, lines of two or more positions, rings closed with four or more.
 */
export function geometryProblem(geometry: unknown, properties?: Record<string, unknown> | null): string | undefined {
  if (geometry === null || geometry === undefined) {
    // A CSV row whose coordinates could not be read (csv-points.ts) says which column and value.
    if (typeof properties?.csv_error === 'string') return properties.csv_error;
    return 'geometry is null: expected a GeoJSON geometry';
  }
  if (typeof geometry !== 'object') return `geometry: got ${JSON.stringify(geometry)}, expected a GeoJSON geometry`;
  const { type, coordinates } = geometry as { type?: unknown; coordinates?: unknown };
  if (typeof type !== 'string' || !SUPPORTED.has(type)) {
    return `geometry type ${JSON.stringify(type)}: expected Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon`;
  }
  if (!Array.isArray(coordinates)) return `${type} coordinates: got ${JSON.stringify(coordinates)}, expected an array`;
  switch (type) {
    case 'Point':
      return positionProblem(coordinates);
    case 'MultiPoint':
      if (coordinates.length === 0) return 'MultiPoint has no positions: expected at least one';
      return firstProblem(coordinates, positionProblem);
    case 'LineString':
      return lineProblem(coordinates);
    case 'MultiLineString':
      if (coordinates.length === 0) return 'MultiLineString has no lines: expected at least one';
      return firstProblem(coordinates, lineProblem);
    case 'Polygon':
      return polygonProblem(coordinates);
    default:
      if (coordinates.length === 0) return 'MultiPolygon has no polygons: expected at least one';
      return firstProblem(coordinates, polygonProblem);
  }
}

/** Checks one position: [lon, lat] of finite numbers with lon in [-180, 180] and lat in [-90, 90]. */
function positionProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length < 2) return `position ${JSON.stringify(value)}: expected [lon, lat]`;
  const [lon, lat] = value;
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) {
    return `position [${String(lon)}, ${String(lat)}]: expected finite numbers`;
  }
  if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    return `position [${lon}, ${lat}]: expected lon in [-180, 180] and lat in [-90, 90] (is it [lat, lon] or projected?)`;
  }
  return undefined;
}

/**
 * `properties.entrances`: where people get in — gates of a compound or a park. The one accepted
 * shape is an array of [lon, lat] positions, in the same crs as the geometry. Absent, null or []
 * mean "not given"; the result is undefined then, a string when malformed.
 */
export function readEntrances(value: unknown): Position[] | undefined | string {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return `properties.entrances: got ${JSON.stringify(value)}, expected an array of [lon, lat] positions`;
  if (value.length === 0) return undefined;
  for (let i = 0; i < value.length; i++) {
    const problem = positionProblem(value[i]);
    if (problem) return `properties.entrances[${i}]: ${problem}`;
  }
  return value as Position[];
}

/**
 * A point guaranteed strictly inside a polygon (holes included), or undefined for a polygon of no
 * area. Why not turf's `pointOnFeature`: it returns the bbox centre when that is inside, else the
 * nearest *vertex* — on the boundary, and for a C- or L-shaped compound that can be a far corner.
 * Here, as in PostGIS's ST_PointOnSurface: a horizontal line through the middle of the bbox, moved
 * to pass between vertices, crosses the rings; the midpoint of the widest inside stretch is the point.
 */
export function interiorPoint(rings: Position[][]): LonLat | undefined {
  const outer = rings[0];
  let minY = Infinity;
  let maxY = -Infinity;
  for (const p of outer) {
    if (p[1] < minY) minY = p[1];
    if (p[1] > maxY) maxY = p[1];
  }
  const middle = (minY + maxY) / 2;
  let below = -Infinity;
  let above = Infinity;
  for (const ring of rings) {
    for (const p of ring) {
      if (p[1] <= middle) below = Math.max(below, p[1]);
      else above = Math.min(above, p[1]);
    }
  }
  if (below === -Infinity || above === Infinity) return undefined;
  // No vertex lies strictly between `below` and `above`, so the scan line touches none.
  const y = (below + above) / 2;
  const xs: number[] = [];
  for (const ring of rings) {
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[i + 1];
      if (ay > y !== by > y) xs.push(ax + ((y - ay) * (bx - ax)) / (by - ay));
    }
  }
  xs.sort((a, b) => a - b);
  let best: LonLat | undefined;
  let bestWidth = 0;
  for (let i = 0; i + 1 < xs.length; i += 2) {
    const width = xs[i + 1] - xs[i];
    if (width > bestWidth) {
      bestWidth = width;
      best = [(xs[i] + xs[i + 1]) / 2, y];
    }
  }
  return best;
}

/**
 * One point that stands for a (valid) geometry: a Point itself; the first position of a MultiPoint;
 * the middle (by length) of a line, or of the longest line of a MultiLineString; a point inside a
 * polygon, or inside the largest polygon of a MultiPolygon. Undefined for a polygon of no area.
 */
export function representativePoint(geometry: Geometry): LonLat | undefined {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates[0], geometry.coordinates[1]];
    case 'MultiPoint':
      return [geometry.coordinates[0][0], geometry.coordinates[0][1]];
    case 'LineString':
      return lineMidpoint(geometry.coordinates);
    case 'MultiLineString':
      return lineMidpoint(maxBy(geometry.coordinates, lineLengthM));
    case 'Polygon':
      return interiorPoint(geometry.coordinates);
    case 'MultiPolygon':
      return interiorPoint(maxBy(geometry.coordinates, planarArea));
    default:
      return undefined;
  }
}

/** How far apart, at most, the points along a facility's outline are (`outlinePoints`). */
const OUTLINE_SPACING_M = 25;

/**
 * Points along the outer ring of each part of a polygon, evenly spaced by great-circle length, at
 * most `spacingM` apart and at least three a part: where a park or a compound without mapped gates
 * can be walked into. Holes are left out: they are mostly ponds and private enclaves, not the
 * edge the public reaches. The ring's start is the first point, so a square's corners are not
 * favoured over its sides. A ring of no length gives its one position.
 */
export function outlinePoints(geometry: Polygon | MultiPolygon, spacingM = OUTLINE_SPACING_M): LonLat[] {
  const parts = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const points: LonLat[] = [];
  for (const rings of parts) {
    const ring = rings[0];
    const length = lineLengthM(ring);
    if (length === 0) {
      points.push([ring[0][0], ring[0][1]]);
      continue;
    }
    const count = Math.max(3, Math.ceil(length / spacingM));
    const step = length / count;
    // Walk the ring once, emitting a point every `step` metres.
    let next = 0;
    let walked = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      const [ax, ay] = ring[i];
      const [bx, by] = ring[i + 1];
      const segment = haversineM(ax, ay, bx, by);
      while (next < count && next * step <= walked + segment) {
        const t = segment > 0 ? (next * step - walked) / segment : 0;
        points.push([ax + t * (bx - ax), ay + t * (by - ay)]);
        next++;
      }
      walked += segment;
    }
  }
  return points;
}

/** The point halfway along a line, by great-circle length. */
export function lineMidpoint(line: Position[]): LonLat {
  const half = lineLengthM(line) / 2;
  let walked = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const [ax, ay] = line[i];
    const [bx, by] = line[i + 1];
    const step = haversineM(ax, ay, bx, by);
    if (walked + step >= half && step > 0) {
      const t = (half - walked) / step;
      return [ax + t * (bx - ax), ay + t * (by - ay)];
    }
    walked += step;
  }
  return [line[0][0], line[0][1]];
}

function lineLengthM(line: Position[]): number {
  let length = 0;
  for (let i = 0; i + 1 < line.length; i++) length += haversineM(line[i][0], line[i][1], line[i + 1][0], line[i + 1][1]);
  return length;
}

/** Shoelace area in squared degrees, outer ring minus holes, longitude scaled by cos(lat): for comparing parts only. */
function planarArea(rings: Position[][]): number {
  const scale = Math.cos((rings[0][0][1] * Math.PI) / 180);
  let area = 0;
  rings.forEach((ring, r) => {
    let twice = 0;
    for (let i = 0; i + 1 < ring.length; i++) twice += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
    area += (r === 0 ? 1 : -1) * Math.abs(twice / 2) * scale;
  });
  return area;
}

function maxBy<T>(items: T[], measure: (item: T) => number): T {
  let best = items[0];
  let bestValue = measure(best);
  for (let i = 1; i < items.length; i++) {
    const value = measure(items[i]);
    if (value > bestValue) {
      best = items[i];
      bestValue = value;
    }
  }
  return best;
}

function lineProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length < 2) return `line ${short(value)}: expected two or more positions`;
  return firstProblem(value, positionProblem);
}

function polygonProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return `polygon ${short(value)}: expected an array of rings`;
  for (let r = 0; r < value.length; r++) {
    const ring = value[r];
    const which = r === 0 ? 'outer ring' : `hole ${r}`;
    if (!Array.isArray(ring) || ring.length < 4) return `${which} ${short(ring)}: expected a closed ring of four or more positions`;
    const problem = firstProblem(ring, positionProblem);
    if (problem) return `${which}: ${problem}`;
    const first = ring[0] as number[];
    const last = ring[ring.length - 1] as number[];
    if (first[0] !== last[0] || first[1] !== last[1]) {
      return `${which} is not closed: starts at [${first[0]}, ${first[1]}], ends at [${last[0]}, ${last[1]}]; expected the first position repeated at the end`;
    }
  }
  return undefined;
}

function firstProblem(items: unknown[], check: (item: unknown) => string | undefined): string | undefined {
  for (const item of items) {
    const problem = check(item);
    if (problem) return problem;
  }
  return undefined;
}

function short(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
