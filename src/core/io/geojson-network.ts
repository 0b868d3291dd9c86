/**
 * Reads a road network given as a GeoJSON FeatureCollection of LineStrings / MultiLineStrings
 * (e.g. a QGIS or ogr2ogr export) into `RawLine`s. A bad feature is reported to the sink and skipped,
 * so that one broken line does not sink an upload of thousands.
 */
import { featureRef, InputError, showValue } from '../errors.ts';
import { featuresInWgs84 } from '../geo/collection-crs.ts';
import { WGS84, crsOfMember, describeCrs } from '../geo/crs.ts';
import { polylineLengthM } from '../geo/distance.ts';
import type { LineSink, Tags } from '../network/raw-line.ts';
import { streamFeatureCollection } from './feature-stream.ts';
import type { NamedBytes } from './osm/byte-source.ts';

export interface GeoJsonNetworkStats {
  /** Entries in `features`, usable or not. */
  features: number;
  /** Lines sent to the sink: one per LineString, one per usable MultiLineString part. */
  linesEmitted: number;
  /** `sink.reject` calls: whole features, or single MultiLineString parts. */
  rejected: number;
}

/**
 * Throws `InputError('INVALID_GEOJSON')` only when `input` is not a FeatureCollection or its `crs`
 * member cannot be read (src/core/geo/collection-crs.ts: a network is read in its own crs member, else
 * WGS84 — OSM's; a request's `crs` is for its points); problems of single features go to
 * `sink.reject` with the reason.
 */
export function readGeoJsonNetwork(input: unknown, sink: LineSink): GeoJsonNetworkStats {
  checkCollection(input);
  const { features } = featuresInWgs84((input as { features: unknown[] }).features, (input as { crs?: unknown }).crs, 'network');
  const { counted, stats } = counting(sink);
  for (let index = 0; index < features.length; index++) readFeature(features[index], index, counted);
  stats.features = features.length;
  return stats;
}

/** The same from a file (src/runtime/files/file-bytes.ts), streamed one feature at a time (see feature-stream.ts). */
export async function readGeoJsonNetworkStream(input: NamedBytes, sink: LineSink): Promise<GeoJsonNetworkStats> {
  const { counted, stats } = counting(sink);
  const chunks = input.stream as AsyncIterable<Buffer>;
  const read = await streamFeatureCollection(chunks, { label: input.name, where: 'network' }, (feature, index) => readFeature(feature, index, counted));
  checkCollection(read.members);
  // A file is read a feature at a time, before its members are known: one in another system than
  // WGS84 is refused rather than misplaced.
  const crs = crsOfMember((read.members as { crs?: unknown }).crs, 'network');
  if (crs && crs.id !== WGS84.id) {
    throw new InputError('INVALID_GEOJSON', `network.crs: ${describeCrs(crs)}: network files are read in WGS84 only; reproject it first (ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson), or send it inline in a request`, { where: 'network.crs' });
  }
  stats.features = read.features;
  return stats;
}

function checkCollection(input: unknown): void {
  if (!isObject(input) || input.type !== 'FeatureCollection') {
    throw new InputError('INVALID_GEOJSON', `network: expected a GeoJSON FeatureCollection, got ${describe(input)}`, {
      where: 'network',
    });
  }
  const features = input.features;
  if (!Array.isArray(features)) {
    throw new InputError(
      'INVALID_GEOJSON',
      `network: FeatureCollection "features" is ${describe(features)}: expected an array`,
      { where: 'network' },
    );
  }
}

function counting(sink: LineSink): { counted: LineSink; stats: GeoJsonNetworkStats } {
  const stats: GeoJsonNetworkStats = { features: 0, linesEmitted: 0, rejected: 0 };
  const counted: LineSink = {
    addLine(line) {
      stats.linesEmitted++;
      sink.addLine(line);
    },
    reject(rejected) {
      stats.rejected++;
      sink.reject(rejected);
    },
  };
  return { counted, stats };
}

/**
 * Properties that describe the export, not the road (ids, the given length): kept out of `tags` so
 * that profiles see only OSM-style tags.
 */
const BOOKKEEPING_KEYS = new Set(['length_m', 'id', 'fid', 'osm_id', 'osm_type', '@id']);

/**
 * Strings, numbers and booleans become string tags (booleans as OSM's yes/no); null, objects and
 * arrays are skipped, and so are empty strings: GIS exports write an absent attribute as "", and a
 * profile must see such a road as untagged, not as `oneway=""`.
 */
function propertiesToTags(properties: Record<string, unknown> | null | undefined): Tags {
  const tags: Tags = {};
  if (!properties) return tags;
  for (const key of Object.keys(properties)) {
    if (BOOKKEEPING_KEYS.has(key)) continue;
    const value = properties[key];
    if (typeof value === 'string') {
      if (value !== '') tags[key] = value;
    } else if (typeof value === 'number') {
      if (Number.isFinite(value)) tags[key] = String(value);
    } else if (typeof value === 'boolean') {
      tags[key] = value ? 'yes' : 'no';
    }
  }
  return tags;
}

function readFeature(feature: unknown, index: number, sink: LineSink): void {
  if (!isObject(feature) || feature.type !== 'Feature') {
    sink.reject({ ref: featureRef(index), reason: `expected a GeoJSON Feature, got ${describe(feature)}` });
    return;
  }
  const properties = feature.properties;
  if (properties !== undefined && properties !== null && !isObject(properties)) {
    const reason = `properties is ${describe(properties)}: expected an object or null`;
    sink.reject({ ref: featureRef(index, feature.id), reason });
    return;
  }
  const id = feature.id ?? properties?.id;
  const ref = featureRef(index, id);
  const geometry = feature.geometry;
  if (geometry === null || geometry === undefined) {
    sink.reject({ ref, reason: geometry === null ? 'geometry is null' : 'geometry is missing' });
    return;
  }
  if (!isObject(geometry) || (geometry.type !== 'LineString' && geometry.type !== 'MultiLineString')) {
    const what = isObject(geometry) ? `geometry type ${typeof geometry.type === 'string' ? geometry.type : showValue(geometry.type)}` : `geometry ${describe(geometry)}`;
    sink.reject({ ref, reason: `${what} is not a road: expected LineString or MultiLineString` });
    return;
  }
  const lengthValue = properties?.length_m;
  let lengthM: number | undefined;
  if (lengthValue !== undefined && lengthValue !== null) {
    if (typeof lengthValue !== 'number' || !Number.isFinite(lengthValue) || lengthValue <= 0) {
      sink.reject({ ref, reason: `length_m is ${showValue(lengthValue)}: expected a positive number` });
      return;
    }
    lengthM = lengthValue;
  }
  const tags = propertiesToTags(properties);

  if (geometry.type === 'LineString') {
    const line = flatCoordinates(geometry.coordinates);
    if (typeof line === 'string') sink.reject({ ref, reason: line });
    else sink.addLine({ coords: line, tags, lengthM, ref });
    return;
  }

  const parts = geometry.coordinates;
  if (!Array.isArray(parts)) {
    sink.reject({ ref, reason: `coordinates is ${showValue(parts)}: expected an array of lines` });
    return;
  }
  const usable: { coords: Float64Array; ref: string }[] = [];
  for (let part = 0; part < parts.length; part++) {
    const partRef = partReference(index, part, id);
    const line = flatCoordinates(parts[part]);
    if (typeof line === 'string') sink.reject({ ref: partRef, reason: line });
    else usable.push({ coords: line, ref: partRef });
  }
  if (parts.length === 0) sink.reject({ ref, reason: 'MultiLineString has no parts' });
  const partLengths = lengthM === undefined ? [] : splitLength(lengthM, usable.map((p) => p.coords));
  usable.forEach((part, i) => sink.addLine({ coords: part.coords, tags, lengthM: partLengths[i], ref: part.ref }));
}

/**
 * Flat lon,lat pairs without consecutive duplicates (they would make zero-length edges), or the
 * reason the line is unusable. Extra dimensions (z, m) are dropped.
 */
function flatCoordinates(positions: unknown): Float64Array | string {
  if (!Array.isArray(positions)) return `coordinates is ${showValue(positions)}: expected an array of [lon, lat] positions`;
  const coords = new Float64Array(positions.length * 2);
  let count = 0;
  for (let i = 0; i < positions.length; i++) {
    const position: unknown = positions[i];
    if (!isLonLat(position)) {
      return `coordinate ${i} is ${showValue(position)}: expected finite lon in [-180,180], lat in [-90,90]`;
    }
    const lon = position[0];
    const lat = position[1];
    if (count > 0 && coords[2 * count - 2] === lon && coords[2 * count - 1] === lat) continue;
    coords[2 * count] = lon;
    coords[2 * count + 1] = lat;
    count++;
  }
  if (count < 2) {
    return `line has ${count} distinct point${count === 1 ? '' : 's'}: expected at least 2`;
  }
  return count * 2 === coords.length ? coords : coords.slice(0, count * 2);
}

/**
 * Shares a feature's given length among its parts in proportion to their great-circle lengths, so
 * that the parts keep the detour factor the length encodes. Rejected parts take no share: the
 * given length then counts for what is left.
 */
function splitLength(lengthM: number, parts: Float64Array[]): number[] {
  const measured = parts.map((coords) => polylineLengthM(coords));
  const total = measured.reduce((sum, m) => sum + m, 0);
  if (!(total > 0)) return parts.map(() => lengthM / parts.length);
  return measured.map((m) => (lengthM * m) / total);
}

/** `feature 3 part 1 (id "x")`: `featureRef` with the part, for one line of a MultiLineString. */
function partReference(index: number, part: number, id: unknown): string {
  return `feature ${index} part ${part}${id === undefined || id === null ? '' : ` (id ${showValue(id)})`}`;
}

function isLonLat(position: unknown): position is [number, number, ...unknown[]] {
  if (!Array.isArray(position) || position.length < 2) return false;
  const [lon, lat] = position as unknown[];
  return (
    typeof lon === 'number' &&
    typeof lat === 'number' &&
    Number.isFinite(lon) &&
    Number.isFinite(lat) &&
    lon >= -180 &&
    lon <= 180 &&
    lat >= -90 &&
    lat <= 90
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a value is, for "got ..." messages: `null`, `an array`, `a Feature`, `a string`. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (isObject(value)) return typeof value.type === 'string' ? `a ${value.type}` : 'an object without "type"';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
