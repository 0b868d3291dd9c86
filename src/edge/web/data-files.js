/**
 * GeoJSON files dropped on the page: read, checked and told apart (network, communities,
 * facilities) before anything is sent. The role is guessed from the geometries and properties —
 * never from the file's name — or forced by the slot the file was dropped on. A file the page
 * cannot use is refused with a FileProblem saying why, in the page's language: points dropped as a
 * network, lines as facilities or communities, coordinates out of range or swapped (with the
 * swapped collection offered), projected coordinates without a coordinate system. What the server
 * checks further (a community's `type`, an unknown category) comes back in the coverage answer.
 *
 * The coordinate system: the file's own `crs` member, else the one chosen on the page (added to the
 * collection as its member, which the server reads: src/core/geo/collection-crs.ts).
 */
import { tf } from './i18n.js';

export const KINDS = ['network', 'communities', 'facilities'];

/** Properties that make a feature a facility: a category, OSM tags the server maps, Amap codes. */
const FACILITY_KEYS = ['category', 'categories', 'amenity', 'shop', 'healthcare', 'leisure', 'office', 'social_facility', 'typecode', 'public_transport', 'tourism', 'sport', 'craft', 'emergency', 'railway', 'highway'];
/** The choices of the page's coordinate-system menu that are in degrees; any other EPSG code is taken as metres. */
const DEGREE_SYSTEMS = new Set(['wgs84', 'gcj02', 'bd09', 'EPSG:4326', 'EPSG:4490', 'cgcs2000', 'urn:ogc:def:crs:OGC:1.3:CRS84']);

/** A refused file: `message` in the page's language; `fix`, when there is one, the collection corrected (swapped coordinates). */
class FileProblem extends Error {
  constructor(key, params, fix) {
    super(tf(key, params));
    this.key = key;
    this.params = params;
    this.fix = fix;
  }

  /** The message again, in the language of the moment. */
  get text() {
    return tf(this.key, this.params);
  }
}

/**
 * Reads one file; `kind` forces what it is (a file dropped on a slot); `crs` is the system chosen
 * for files without their own. Throws FileProblem.
 */
export async function readDroppedFile(file, kind, crs = 'wgs84') {
  const text = await file.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FileProblem('file_badJson', { name: file.name, detail: err.message });
  }
  return checkCollection(file.name, json, kind, crs);
}

/** The checks of readDroppedFile on a parsed collection (also for a corrected one). */
function checkCollection(name, json, kind, crs = 'wgs84') {
  if (!json || json.type !== 'FeatureCollection' || !Array.isArray(json.features)) {
    const got = json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json === 'object' ? `type ${JSON.stringify(json.type)}` : typeof json;
    throw new FileProblem('file_notCollection', { name, got });
  }
  const counts = geometryCounts(json.features);
  if (counts.total === 0) throw new FileProblem('file_noFeatures', { name });
  const detected = kind ?? detectKind(json.features, counts);
  if (!detected) throw new FileProblem('file_unknownRole', { name, count: counts.total });
  const problem = kindProblem(detected, counts);
  if (problem) throw new FileProblem(problem, { name, ...counts });
  const system = systemName(json.crs) ?? crs;
  checkCoordinates(name, json, system, detected);
  const collection = json.crs || system === 'wgs84' ? json : { ...json, crs: { type: 'name', properties: { name: system } } };
  return { kind: detected, name, collection, crs: system, count: json.features.length };
}

function geometryCounts(features) {
  const counts = { lines: 0, polygons: 0, points: 0, total: 0 };
  for (const f of features) {
    const type = f?.geometry?.type;
    if (type === 'LineString' || type === 'MultiLineString') counts.lines++;
    else if (type === 'Polygon' || type === 'MultiPolygon') counts.polygons++;
    else if (type === 'Point' || type === 'MultiPoint') counts.points++;
    else continue;
    counts.total++;
  }
  return counts;
}

function detectKind(features, counts) {
  if (counts.lines > counts.total / 2) return 'network';
  const props = features.map((f) => f?.properties ?? {});
  const share = (test) => props.filter(test).length / props.length;
  if (share((p) => p.type === 'urban' || p.type === 'rural' || p.population !== undefined || p.households !== undefined) >= 0.5) return 'communities';
  if (share((p) => FACILITY_KEYS.some((k) => p[k] !== undefined && k !== 'highway') || p.highway === 'bus_stop') >= 0.5) return 'facilities';
  // Areas with no facility tags are where people live (residential areas, sub-districts): the server says which it cannot assess.
  if (counts.polygons > counts.total / 2) return 'communities';
  return undefined;
}

function kindProblem(kind, counts) {
  if (kind === 'network' && counts.lines === 0) return 'file_pointsAsNetwork';
  if (kind === 'facilities' && counts.lines > counts.total / 2) return 'file_linesAsFacilities';
  if (kind === 'communities' && counts.lines > counts.total / 2) return 'file_linesAsCommunities';
  return undefined;
}

/** The name of a collection's `crs` member (`urn:ogc:def:crs:EPSG::4547` → `EPSG:4547`), or undefined. */
function systemName(member) {
  const name = member?.properties?.name ?? (member?.properties?.code !== undefined ? `EPSG:${member.properties.code}` : typeof member === 'string' ? member : undefined);
  if (typeof name !== 'string') return undefined;
  const epsg = /EPSG::?(\d+)$/i.exec(name);
  if (epsg) return epsg[1] === '4326' ? 'wgs84' : `EPSG:${epsg[1]}`;
  return /CRS84$/i.test(name) ? 'wgs84' : name;
}

function isDegrees(system) {
  return DEGREE_SYSTEMS.has(system);
}

/**
 * Coordinates that cannot be in `system`: refused before the server sees them, with the reason a
 * planner can act on. Degrees: all far outside ±180/±90 is a projected file without its system;
 * latitudes beyond ±90 with longitudes within it, or China seen as [lat, lon], are swapped (the
 * swapped collection is offered); anything else out of range is named. Metres: all within ±180/±90
 * is longitude/latitude sent with a projected system.
 */
function checkCoordinates(name, json, system, kind) {
  const positions = [];
  for (const f of json.features) collectPositions(f?.geometry?.coordinates, positions, 20_000);
  if (positions.length === 0) return;
  const inDegrees = positions.filter(([x, y]) => Math.abs(x) <= 180 && Math.abs(y) <= 90);
  if (!isDegrees(system)) {
    if (inDegrees.length === positions.length) throw new FileProblem('file_degreesWithProjected', { name, crs: system });
    return;
  }
  const far = positions.filter(([x, y]) => Math.abs(x) > 1000 || Math.abs(y) > 1000);
  if (far.length === positions.length) throw new FileProblem('file_projected', { name });
  const swappedFits = positions.every(([x, y]) => Math.abs(x) <= 90 && Math.abs(y) <= 180);
  const chinaAsLatLon = positions.every(([x, y]) => x >= 3 && x <= 54 && y >= 73 && y <= 136);
  if ((inDegrees.length < positions.length && swappedFits) || chinaAsLatLon) {
    const example = JSON.stringify(positions[0].map((v) => Math.round(v * 1e5) / 1e5));
    throw new FileProblem('file_swapped', { name, example }, () => checkCollection(name, swapCoordinates(json), kind, system));
  }
  if (inDegrees.length < positions.length) {
    const bad = positions.find(([x, y]) => !(Math.abs(x) <= 180 && Math.abs(y) <= 90));
    throw new FileProblem('file_outOfRange', { name, count: positions.length - inDegrees.length, example: JSON.stringify(bad) });
  }
}

function collectPositions(coords, out, max) {
  if (!Array.isArray(coords) || out.length >= max) return;
  if (typeof coords[0] === 'number') {
    if (Number.isFinite(coords[0]) && Number.isFinite(coords[1])) out.push(coords);
    return;
  }
  for (const c of coords) collectPositions(c, out, max);
}

/** The collection with every position's first two ordinates exchanged (and entrances too). */
function swapCoordinates(json) {
  const swap = (coords) => (Array.isArray(coords) && typeof coords[0] === 'number' ? [coords[1], coords[0], ...coords.slice(2)] : Array.isArray(coords) ? coords.map(swap) : coords);
  return {
    ...json,
    features: json.features.map((f) => ({
      ...f,
      geometry: f?.geometry ? { ...f.geometry, coordinates: swap(f.geometry.coordinates) } : f?.geometry,
      ...(Array.isArray(f?.properties?.entrances) ? { properties: { ...f.properties, entrances: f.properties.entrances.map(swap) } } : {}),
    })),
  };
}

/** Facility categories as given in `category`/`categories` (one id, an array, or `a;b`): before the server's answer. */
export function categoriesOf(properties) {
  const value = properties?.category ?? properties?.categories;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(/[;,]/).map((s) => s.trim()).filter(Boolean);
  return [];
}
