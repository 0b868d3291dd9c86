import type { Geometry, Position } from 'geojson';

/**
 * What the GIS writers (zipped shapefile, GeoPackage) take: named layers of flat records, each with a
 * geometry or none. A layer without any geometry is a table (a shapefile's lone .dbf, a GeoPackage
 * `attributes` table), e.g. a coverage answer's per-item rows or its assumptions.
 *
 * Values are scalars; `null` and `undefined` are NULL in every format (absent from GeoJSON, an empty
 * cell in CSV, a blank in a .dbf, NULL in SQLite), so an attribute reads the same wherever it goes.
 */
export type ExportValue = string | number | boolean | null | undefined;

export interface ExportRecord {
  geometry: Geometry | null;
  properties: Record<string, ExportValue>;
}

export interface ExportLayer {
  name: string;
  records: ExportRecord[];
}

/** Simplestyle members (for GeoJSON viewers): left out of GIS layers, where styles are the GIS's own. */
export const STYLE_KEYS: ReadonlySet<string> = new Set([
  'marker-color', 'marker-size', 'marker-symbol', 'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'title',
]);

/**
 * GeoJSON features as a layer: geometries rounded, style members left out, nested values (arrays,
 * objects) as their JSON text — a GIS column holds one scalar.
 */
export function featuresLayer(name: string, features: readonly { geometry: Geometry | null; properties: Record<string, unknown> | null }[]): ExportLayer {
  return {
    name,
    records: features.map((f) => {
      const properties: Record<string, ExportValue> = {};
      for (const [key, value] of Object.entries(f.properties ?? {})) {
        if (STYLE_KEYS.has(key)) continue;
        properties[key] = value !== null && typeof value === 'object' ? JSON.stringify(value) : (value as ExportValue);
      }
      return { geometry: roundGeometry(f.geometry), properties };
    }),
  };
}

export type FieldType = 'integer' | 'real' | 'text' | 'boolean';

export interface ExportField {
  name: string;
  type: FieldType;
}

/**
 * A layer's columns, in the order they first appear, each typed by every value it holds: numbers
 * that are all whole are integers, other numbers reals, booleans booleans, anything mixed text.
 */
export function layerFields(layer: ExportLayer): ExportField[] {
  const types = new Map<string, FieldType | undefined>();
  for (const { properties } of layer.records) {
    for (const [name, value] of Object.entries(properties)) {
      const seen = types.get(name);
      if (value === null || value === undefined) {
        if (!types.has(name)) types.set(name, undefined);
        continue;
      }
      types.set(name, widen(seen, valueType(value)));
    }
  }
  return [...types].map(([name, type]) => ({ name, type: type ?? 'text' }));
}

function valueType(value: string | number | boolean): FieldType {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'real';
  return 'text';
}

function widen(a: FieldType | undefined, b: FieldType): FieldType {
  if (a === undefined || a === b) return b;
  if ((a === 'integer' && b === 'real') || (a === 'real' && b === 'integer')) return 'real';
  return 'text';
}

/** Digits kept in every coordinate written: 1e-7° is about 1 cm, finer than any input means. */
const COORDINATE_DIGITS = 7;
const COORDINATE_SCALE = 10 ** COORDINATE_DIGITS;

/** The geometry with every coordinate rounded to COORDINATE_DIGITS decimals (a new object). */
export function roundGeometry<G extends Geometry | null>(geometry: G): G {
  if (geometry === null) return geometry;
  if (geometry.type === 'GeometryCollection') return { ...geometry, geometries: geometry.geometries.map(roundGeometry) } as G;
  return { ...geometry, coordinates: roundCoordinates(geometry.coordinates) } as G;
}

export function roundCoordinate(value: number): number {
  return Math.round(value * COORDINATE_SCALE) / COORDINATE_SCALE;
}

function roundCoordinates(c: unknown): unknown {
  if (typeof c === 'number') return roundCoordinate(c);
  if (Array.isArray(c)) return c.map(roundCoordinates);
  return c;
}

/** Every position of a geometry, flattened (for bounding boxes). */
export function positionsOf(geometry: Geometry): Position[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates;
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
    case 'GeometryCollection':
      return geometry.geometries.flatMap(positionsOf);
  }
}

/** [minX, minY, maxX, maxY] of some positions; zeros when there are none. */
export function boundsOf(positions: Iterable<Position>): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const [x, y] of positions) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return minX === Infinity ? [0, 0, 0, 0] : [minX, minY, maxX, maxY];
}

/** A CSV cell (RFC 4180): NULL is empty, text with a comma, quote or line break is quoted. */
export function csvField(value: ExportValue): string {
  // A number's text never needs quotes: no test (a city's table has millions of numeric cells).
  if (typeof value === 'number') return String(value);
  if (value === null || value === undefined) return '';
  const s = String(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const NEEDS_QUOTES = /[",\r\n]/;
