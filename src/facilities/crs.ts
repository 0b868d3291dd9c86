/**
 * Coordinates from Chinese map providers to WGS84, the system of OSM roads and GPS. Amap (高德),
 * Tencent and most government portals publish GCJ-02; Baidu publishes BD-09. Both are offsets of
 * a few hundred metres that vary across the country — far more than a 15-minute walk can ignore,
 * so facilities and communities are converted on input (gcoord does the arithmetic; outside
 * China's bounding box it leaves points unchanged, as the offsets are only defined inside).
 */
import gcoordModule from 'gcoord';
import type { Geometry, Position } from 'geojson';
import { InputError } from '../errors.ts';

// gcoord's types declare an ES default export, but the package is CommonJS: Node hands its
// `module.exports` (the object the types call `default`) over as the default import.
const gcoord = gcoordModule as unknown as typeof gcoordModule.default;

export const CRS_VALUES = ['wgs84', 'gcj02', 'bd09'] as const;
export type Crs = (typeof CRS_VALUES)[number];

/** `undefined` → `wgs84`; names are case-insensitive. Throws `InputError` on anything else. */
export function parseCrs(value: unknown): Crs {
  if (value === undefined || value === null) return 'wgs84';
  const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
  if (lower !== undefined && (CRS_VALUES as readonly string[]).includes(lower)) return lower as Crs;
  throw new InputError('INVALID_PARAMETER', `crs: got ${JSON.stringify(value)}, expected one of ${CRS_VALUES.join(', ')}`, { where: 'crs' });
}

const GCOORD: Record<Crs, (typeof gcoord)['WGS84' | 'GCJ02' | 'BD09']> = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 };

/** One position in `crs` as WGS84 [lon, lat]; a new array (extra ordinates are dropped). */
export function toWgs84(position: Position, crs: Crs): [number, number] {
  if (crs === 'wgs84') return [position[0], position[1]];
  const [lon, lat] = gcoord.transform([position[0], position[1]], GCOORD[crs], gcoord.WGS84) as [number, number];
  return [lon, lat];
}

/** A copy of the geometry in WGS84; the input is not modified. */
export function geometryToWgs84<G extends Geometry>(geometry: G, crs: Crs): G {
  const convert = (p: Position) => toWgs84(p, crs);
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: convert(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: geometry.coordinates.map(convert) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map((ring) => ring.map(convert)) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(convert))) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map((g) => geometryToWgs84(g, crs)) };
  }
}
