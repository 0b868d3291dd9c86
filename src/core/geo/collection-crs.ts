/**
 * The one rule for the coordinate system of an input collection (communities, facilities, homes,
 * origins, targets, a network), on every endpoint and upload:
 *
 *  1. its own GeoJSON `crs` member, if it has one; else the request's `crs` (parameter or stored
 *     dataset's); else WGS84. Both given and different: a 400 naming both.
 *  2. Coordinates that cannot be in that system refuse the whole collection with one 400 rather
 *     than one error per feature: in a system of degrees, every feature far outside ±180/±90 (a
 *     projected file sent without its crs); in a system of metres, every feature within ±180/±90
 *     (longitude/latitude sent with a projected crs).
 *  3. The features are converted to WGS84 here — geometries, and `properties.entrances` (given in
 *     the geometry's system) — so the readers after it only ever see WGS84.
 *
 * And one rule for points: a MultiPoint of one position (what `ogr2ogr -nlt MULTIPOINT` and
 * shapefiles write for points) is read as that Point, by every reader.
 */
import { InputError, featureRef } from '../errors.ts';
import { type Crs, WGS84, convertGeometry, convertPositions, crsFromName, crsOfMember, describeCrs, isPosition } from './crs.ts';

export interface CollectionInWgs84 {
  /** The features, converted (the same array when the collection is WGS84 already). */
  features: unknown[];
  /** The system they were read in. */
  crs: Crs;
}

/**
 * `features` and `member` are the collection's; `requestCrs` the request's `crs` (undefined when
 * not given, and for a network, which only its own member says); `what` names the collection in
 * messages (`communities`, `origins`).
 */
export function featuresInWgs84(features: unknown[], member: unknown, what: string, requestCrs?: unknown): CollectionInWgs84 {
  const { crs, own, requested } = resolve(member, what, requestCrs);
  checkPlausible(features, crs, what, own ? `the crs member of ${what}` : requested ? 'the request\'s crs' : undefined);
  const converted = crs === WGS84 ? features : features.map((feature) => featureInWgs84(feature, crs));
  return { features: converted.some(isSinglePoint) ? converted.map(asPoint) : converted, crs };
}

/** Rule 1 alone: the system a collection is in (a non-collection is the readers' to refuse). */
export function collectionCrs(input: unknown, what: string, requestCrs?: unknown): Crs {
  const member = input !== null && typeof input === 'object' ? (input as { crs?: unknown }).crs : undefined;
  return resolve(member, what, requestCrs).crs;
}

function resolve(member: unknown, what: string, requestCrs: unknown): { crs: Crs; own?: Crs; requested?: Crs } {
  const own = crsOfMember(member, what);
  const requested = requestCrs === undefined || requestCrs === null ? undefined : crsFromName(requestCrs, 'crs');
  if (own && requested && own.id !== requested.id) {
    throw new InputError(
      'INVALID_PARAMETER',
      `crs: the request says ${describeCrs(requested)} but ${what} says ${describeCrs(own)} in its crs member: remove one, or make them agree`,
      { where: 'crs' },
    );
  }
  return { crs: own ?? requested ?? WGS84, own, requested };
}

/** Beyond this, a coordinate cannot be degrees: a projected one in metres. */
const FAR_FROM_DEGREES = 1_000;

/** Rule 2: throws when no feature's first position can be in `crs`. */
function checkPlausible(features: unknown[], crs: Crs, what: string, saidBy: string | undefined): void {
  let readable = 0;
  let implausible = 0;
  let example: { index: number; rawId: unknown; position: [number, number] } | undefined;
  features.forEach((feature, index) => {
    const position = firstPosition((feature as { geometry?: { coordinates?: unknown } } | null)?.geometry?.coordinates);
    if (!position) return;
    readable++;
    const [x, y] = position;
    const fits = crs.units === 'degrees' ? Math.max(Math.abs(x), Math.abs(y)) <= FAR_FROM_DEGREES : Math.abs(x) > 180 || Math.abs(y) > 90;
    if (fits) return;
    implausible++;
    if (!example) example = { index, rawId: idOf(feature), position: [x, y] };
  });
  if (readable === 0 || implausible < readable || !example) return;
  const at = `e.g. [${example.position.join(', ')}] in ${featureRef(example.index, example.rawId as string | number | undefined)}`;
  const message =
    crs.units === 'degrees'
      ? saidBy
        ? `${what}: the coordinates look projected (metres, ${at}), but ${saidBy} is ${describeCrs(crs)}, in degrees: give the system they are in, e.g. "EPSG:4547"`
        : what === 'network'
          ? `${what}: the coordinates look projected (metres, ${at}), not longitude/latitude: give the network the crs member ogr2ogr writes, e.g. "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}`
          : `${what}: the coordinates look projected (metres, ${at}), not longitude/latitude: say which system they are in with \`crs\` (e.g. "crs": "EPSG:4547") or a crs member in the collection`
      : `${what}: ${saidBy ?? 'the crs'} is ${describeCrs(crs)}, in metres, but the coordinates look like longitude/latitude (${at}): drop the crs, or send coordinates in ${crs.id}`;
  throw new InputError('INVALID_GEOJSON', message, { where: what });
}

/** The first position of a coordinates array of any depth. */
function firstPosition(coordinates: unknown): [number, number] | undefined {
  let value = coordinates;
  for (let depth = 0; depth < 4 && Array.isArray(value); depth++) {
    if (isPosition(value)) return [value[0], value[1]];
    value = value[0];
  }
  return undefined;
}

function idOf(feature: unknown): unknown {
  const f = feature as { id?: unknown; properties?: { id?: unknown } | null } | null;
  const id = f?.properties?.id ?? f?.id;
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

function isSinglePoint(feature: unknown): boolean {
  const geometry = (feature as { geometry?: { type?: unknown; coordinates?: unknown } } | null)?.geometry;
  return geometry?.type === 'MultiPoint' && Array.isArray(geometry.coordinates) && geometry.coordinates.length === 1;
}

/** A feature whose geometry is a MultiPoint of one position, with that Point instead. */
function asPoint(feature: unknown): unknown {
  if (!isSinglePoint(feature)) return feature;
  const f = feature as { geometry: { coordinates: unknown[] } };
  return { ...f, geometry: { type: 'Point', coordinates: f.geometry.coordinates[0] } };
}

/** A shallow copy with its geometry and `properties.entrances` in WGS84; anything unreadable as given. */
function featureInWgs84(feature: unknown, crs: Crs): unknown {
  if (!feature || typeof feature !== 'object' || Array.isArray(feature)) return feature;
  const f = feature as { geometry?: unknown; properties?: unknown };
  const converted: Record<string, unknown> = { ...f, geometry: convertGeometry(f.geometry, crs) };
  const properties = f.properties as Record<string, unknown> | null | undefined;
  if (properties && typeof properties === 'object' && Array.isArray(properties.entrances)) {
    converted.properties = { ...properties, entrances: convertPositions(properties.entrances, crs) };
  }
  return converted;
}
