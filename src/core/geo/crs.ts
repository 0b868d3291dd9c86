/**
 * Coordinate systems of the data people send, and its conversion to WGS84 [lon, lat], the system
 * of OSM roads and of every answer. One module for all readers: communities, facilities, homes,
 * origins, targets, networks.
 *
 *  - EPSG systems (epsg.ts: WGS 84, CGCS2000 and its Gauss–Krüger zones, Web Mercator, UTM) are
 *    converted by proj4js, named as GDAL writes them in a GeoJSON `crs` member
 *    (`urn:ogc:def:crs:EPSG::4547`, `urn:ogc:def:crs:OGC:1.3:CRS84`) or as people type them
 *    (`EPSG:4547`, `http://www.opengis.net/def/crs/EPSG/0/4547`).
 *  - GCJ-02 (Amap, Tencent, most government portals) and BD-09 (Baidu) are not projections but
 *    offsets of a few hundred metres that vary across China: `gcj02` and `bd09`, converted by
 *    gcoord (outside China's box it leaves points unchanged, as the offsets are only defined inside).
 *  - `wgs84` is EPSG:4326, the default.
 */
import gcoordModule from 'gcoord';
import type { Geometry, Position } from 'geojson';
import proj4 from 'proj4';
import { type ErrorCode, InputError } from '../errors.ts';
import { didYouMean } from '../standards/validate.ts';
import { SUPPORTED_EPSG, epsgDefinition } from './epsg.ts';

// gcoord's types declare an ES default export, but the package is CommonJS: Node hands its
// `module.exports` (the object the types call `default`) over as the default import.
const gcoord = gcoordModule as unknown as typeof gcoordModule.default;

export interface Crs {
  /** Canonical id: `EPSG:4547`, or `gcj02` / `bd09` (offsets of WGS 84, with no EPSG code). */
  id: string;
  /** The register's name, for messages: `CGCS2000 / 3-degree Gauss-Kruger CM 114E`. */
  name: string;
  units: 'degrees' | 'metres';
  /** WGS84 [lon, lat] of one position; not finite when the position has none in this system. */
  toWgs84(x: number, y: number): [number, number];
}

export const WGS84: Crs = { id: 'EPSG:4326', name: 'WGS 84', units: 'degrees', toWgs84: (x, y) => [x, y] };

/**
 * What answers carry as `crs`: the GeoJSON (2008) named-crs member GDAL writes for WGS84
 * longitude/latitude, so that QGIS, ogr2ogr and scripts all read the answer's system the same way.
 */
export const WGS84_CRS_MEMBER = { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } } as const;

/** The names without an EPSG code (case-insensitive): the legacy parameter values. */
const CRS_NAMES = ['wgs84', 'gcj02', 'bd09', 'cgcs2000'] as const;

/** A `crs` parameter: undefined or null → WGS84; else `crsFromName`. */
export function parseCrs(value: unknown): Crs {
  if (value === undefined || value === null) return WGS84;
  return crsFromName(value, 'crs');
}

/**
 * A coordinate system by name (or an already parsed `Crs`). Throws `InputError` naming the value
 * and what was expected, with a did-you-mean where one is close; `code` is the error's code
 * (INVALID_PARAMETER for a parameter, INVALID_GEOJSON for a collection's own member).
 */
export function crsFromName(value: unknown, where: string, code: ErrorCode = 'INVALID_PARAMETER'): Crs {
  if (isCrs(value)) return value;
  const text = typeof value === 'string' ? value.trim() : undefined;
  const found = text === undefined ? undefined : lookUp(text);
  if (found) return found;
  throw new InputError(code, `${where}: got ${JSON.stringify(value)}, ${expectation(text)}`, { where });
}

/**
 * A GeoJSON collection's `crs` member, as GDAL writes it (`{"type": "name", "properties": {"name":
 * "urn:ogc:def:crs:EPSG::4547"}}`), or the 2008 draft's `{"type": "EPSG", "properties": {"code":
 * 4547}}`. Undefined when absent; throws `INVALID_GEOJSON` for a member that names nothing we read.
 */
export function crsOfMember(member: unknown, what: string): Crs | undefined {
  if (member === undefined || member === null) return undefined;
  const where = `${what}.crs`;
  if (typeof member === 'string') return crsFromName(member, where, 'INVALID_GEOJSON');
  const { type, properties } = (typeof member === 'object' ? member : {}) as { type?: unknown; properties?: { name?: unknown; code?: unknown } | null };
  if (type === 'name' && typeof properties?.name === 'string') return crsFromName(properties.name, where, 'INVALID_GEOJSON');
  if (type === 'EPSG' && (typeof properties?.code === 'number' || typeof properties?.code === 'string')) {
    return crsFromName(`EPSG:${properties.code}`, where, 'INVALID_GEOJSON');
  }
  throw new InputError('INVALID_GEOJSON', `${where}: got ${JSON.stringify(member).slice(0, 200)}, expected a named crs such as {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}`, { where });
}

/** `EPSG:4547 (CGCS2000 / 3-degree Gauss-Kruger CM 114E)`, for messages. */
export function describeCrs(crs: Crs): string {
  return `${crs.id} (${crs.name})`;
}

/** One position in `crs` as WGS84 [lon, lat]; a new array (extra ordinates are dropped). */
export function toWgs84(position: Position, crs: Crs | string): [number, number] {
  return (isCrs(crs) ? crs : parseCrs(crs)).toWgs84(position[0], position[1]);
}

/**
 * A copy of the geometry in WGS84 (the input is not modified). Tolerant of bad input: only
 * positions of two finite numbers are converted, and one with no WGS84 place (not finite once
 * converted) is left as given; the readers' checks then name what is wrong with either.
 */
export function geometryToWgs84<G extends Geometry>(geometry: G, crs: Crs | string): G {
  const system = isCrs(crs) ? crs : parseCrs(crs);
  if (system === WGS84) return geometry;
  return convertGeometry(geometry, system) as G;
}

/** `geometryToWgs84` for any value: geometries of any shape, however malformed. */
export function convertGeometry(geometry: unknown, crs: Crs): unknown {
  if (!geometry || typeof geometry !== 'object' || Array.isArray(geometry)) return geometry;
  const g = geometry as { coordinates?: unknown; geometries?: unknown };
  if (Array.isArray(g.geometries)) return { ...g, geometries: g.geometries.map((part) => convertGeometry(part, crs)) };
  if (!Array.isArray(g.coordinates)) return geometry;
  return { ...g, coordinates: convertPositions(g.coordinates, crs) };
}

/** Nested arrays of positions (any depth) converted, anything else left as it is. */
export function convertPositions(value: unknown, crs: Crs): unknown {
  if (!Array.isArray(value)) return value;
  if (isPosition(value)) {
    const converted = crs.toWgs84(value[0], value[1]);
    return Number.isFinite(converted[0]) && Number.isFinite(converted[1]) ? converted : value;
  }
  return value.map((item) => convertPositions(item, crs));
}

/** A position of two finite numbers (more ordinates allowed). */
export function isPosition(value: unknown): value is [number, number, ...number[]] {
  return Array.isArray(value) && value.length >= 2 && typeof value[0] === 'number' && typeof value[1] === 'number' && Number.isFinite(value[0]) && Number.isFinite(value[1]);
}

function isCrs(value: unknown): value is Crs {
  return typeof value === 'object' && value !== null && typeof (value as Crs).toWgs84 === 'function';
}

const GCJ02: Crs = { id: 'gcj02', name: 'GCJ-02 (Amap, Tencent)', units: 'degrees', toWgs84: offsetConverter(gcoord.GCJ02) };
const BD09: Crs = { id: 'bd09', name: 'BD-09 (Baidu)', units: 'degrees', toWgs84: offsetConverter(gcoord.BD09) };

function offsetConverter(from: (typeof gcoord)['GCJ02' | 'BD09']): Crs['toWgs84'] {
  return (x, y) => gcoord.transform([x, y], from, gcoord.WGS84) as [number, number];
}

const byCode = new Map<number, Crs>([[4326, WGS84]]);

/** The `Crs` of an EPSG code, its proj4 converter built once. */
function epsgCrs(code: number): Crs | undefined {
  const known = byCode.get(code);
  if (known) return known;
  const definition = epsgDefinition(code);
  if (!definition) return undefined;
  if (definition.code !== code) return epsgCrs(definition.code);
  const converter = proj4(definition.proj4, 'WGS84');
  const crs: Crs = {
    id: `EPSG:${definition.code}`,
    name: definition.name,
    units: definition.units,
    toWgs84: (x, y) => {
      const [lon, lat] = converter.forward([x, y]);
      return [lon, lat];
    },
  };
  byCode.set(code, crs);
  return crs;
}

const EPSG_FORMS = [
  /^epsg:(\d+)$/i,
  /^urn:ogc:def:crs:epsg:[\d.]*:(\d+)$/i,
  /^https?:\/\/www\.opengis\.net\/def\/crs\/epsg\/[\d.]+\/(\d+)$/i,
];
const CRS84_FORMS = [/^crs84$/i, /^ogc:crs84$/i, /^urn:ogc:def:crs:ogc:[\d.]*:crs84$/i, /^https?:\/\/www\.opengis\.net\/def\/crs\/ogc\/[\d.]+\/crs84$/i];

function lookUp(text: string): Crs | undefined {
  const lower = text.toLowerCase();
  if (lower === 'wgs84') return WGS84;
  if (lower === 'gcj02') return GCJ02;
  if (lower === 'bd09') return BD09;
  if (lower === 'cgcs2000') return epsgCrs(4490);
  if (CRS84_FORMS.some((form) => form.test(text))) return WGS84;
  for (const form of EPSG_FORMS) {
    const match = form.exec(text);
    if (match) return epsgCrs(Number(match[1]));
  }
  return undefined;
}

/** "expected …" for a name not read, with a did-you-mean when the text is close to one. */
function expectation(text: string | undefined): string {
  const names = `one of ${CRS_NAMES.join(', ')}`;
  const general = `expected a coordinate system such as "EPSG:4547", "urn:ogc:def:crs:EPSG::4547", "urn:ogc:def:crs:OGC:1.3:CRS84" or ${names}`;
  if (text === undefined) return general;
  if (EPSG_FORMS.some((form) => form.test(text))) {
    return `a coordinate system this service does not convert; expected ${SUPPORTED_EPSG}, or ${names}: reproject the data first (e.g. ogr2ogr -t_srs EPSG:4326)`;
  }
  const digits = /(?:^|\D)(\d{4,6})$/.exec(text);
  if (digits && epsgDefinition(Number(digits[1]))) return `${general} (did you mean "EPSG:${digits[1]}"?)`;
  return `${general}${didYouMean(text, CRS_NAMES)}`;
}
