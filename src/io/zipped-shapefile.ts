import { inflateRawSync } from 'node:zlib';
import type { FeatureCollection } from 'geojson';
import { combine, parseDbf, parseShp } from 'shpjs';
import { InputError } from '../errors.ts';
import { checkDbfHeader, checkShpHeader } from './shapefile-headers.ts';

/**
 * A zipped shapefile — what ArcGIS and QGIS users have — as a GeoJSON FeatureCollection in WGS84.
 * shpjs reads the geometry (.shp) and reprojects it from the .prj with proj4 (a set exported in
 * CGCS2000 Gauss–Krüger metres arrives as lon/lat), and decodes the attribute table (.dbf) in the
 * encoding its .cpg names (UTF-8, GBK, …). GCJ-02 / BD-09 are not projections a .prj names: `crs`
 * still applies to them; and a layer without a .prj is refused unless the upload's `crs` says what
 * its coordinates are (src/geo/collection-crs.ts converts them then).
 *
 * The zip itself is read here, not by shpjs's unzipper: that one loops forever on a truncated
 * archive and inflates whatever an entry holds. Here the central directory is checked first and every
 * entry is inflated with a ceiling on its output, so neither a cut-off upload nor a zip bomb (lying
 * about its sizes or not) can hang or exhaust the server. The .shp's and .dbf's headers are checked
 * against their bytes too (shapefile-headers.ts). A zip of several layers is refused: which of them
 * holds the facilities is not ours to guess.
 */
export function zippedShapefileToGeoJson(bytes: Buffer, what: string, limits: { maxUnzippedBytes?: number; crsGiven?: boolean } = {}): FeatureCollection {
  const maxUnzipped = limits.maxUnzippedBytes ?? MAX_UNZIPPED_BYTES;
  const invalid = (message: string) => new InputError('INVALID_SHAPEFILE', `${what}: ${message}`, { where: what });
  if (bytes.byteLength < 22 || bytes.readUInt32LE(0) !== 0x04034b50) throw invalid('not a zip file (a zipped shapefile starts with "PK")');
  const entries = zipEntries(bytes, maxUnzipped);
  if (typeof entries === 'string') throw invalid(entries);
  // macOS's Finder adds __MACOSX/._name.shp resource forks beside the real files.
  const files = entries.filter((e) => !e.name.startsWith('__MACOSX/') && !e.name.endsWith('/'));
  const layers = files.filter((e) => /\.shp$/i.test(e.name));
  if (layers.length === 0) {
    throw invalid(`no .shp in the zip (it holds ${files.length ? files.map((e) => e.name).join(', ') : 'nothing'}); zip the .shp, .shx, .dbf, .prj and .cpg of one layer`);
  }
  if (layers.length > 1) throw invalid(`the zip holds ${layers.length} layers (${layers.map((e) => e.name).join(', ')}); upload one layer per dataset`);
  const base = layers[0].name.slice(0, -4).toLowerCase();
  const part = (extension: string) => files.find((e) => e.name.toLowerCase() === `${base}.${extension}`);
  const dbf = part('dbf');
  if (!dbf) throw invalid(`${layers[0].name} has no .dbf beside it in the zip: its attributes (id, name, category, type) are there`);
  const budget = { left: maxUnzipped, max: maxUnzipped };
  const read = (entry: ZipEntry) => {
    const data = entryBytes(bytes, entry, budget);
    if (typeof data === 'string') throw invalid(data);
    return data;
  };
  const prj = part('prj');
  const cpg = part('cpg');
  // shpjs believes the headers' counts and lengths: they are checked against the bytes first.
  const shpBytes = read(layers[0]);
  const dbfBytes = read(dbf);
  const shp = checkShpHeader(shpBytes, layers[0].name);
  if ('problem' in shp) throw invalid(shp.problem);
  const table = checkDbfHeader(dbfBytes, dbf.name);
  if ('problem' in table) throw invalid(table.problem);
  if (shp.records !== table.records) throw invalid(`${layers[0].name} holds ${shp.records} shapes, ${dbf.name} ${table.records} records: expected one record per shape`);
  let collection: FeatureCollection;
  try {
    const geometries = parseShp(shpBytes.subarray(0, shp.bytes), prj ? read(prj) : undefined);
    // Without a .cpg, shpjs decodes as its own zip reader would (no encoding given): the types say
    // the argument is required, the code reads it as optional.
    collection = combine([geometries, parseDbf(dbfBytes, cpg ? read(cpg) : (undefined as unknown as Buffer))]);
    for (const feature of collection.features) dropNullAttributes(feature.properties);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw invalid(`cannot read ${layers[0].name} (${(err as Error).message}): a damaged or unusual shapefile`);
  }
  // Projected coordinates with no .prj are the upload's `crs` to convert, when it names one.
  const projected = collection.features.length > 0 && collection.features.every((f) => !lonLatLike(firstPosition(f.geometry)));
  if (projected && !(limits.crsGiven && !prj)) {
    throw invalid(`its coordinates are not longitude/latitude, and ${prj ? 'its .prj names no projection proj4 knows' : 'it has no .prj to say what they are'}: zip the layer's .prj with it`);
  }
  return { type: 'FeatureCollection', features: collection.features };
}

/** Unzipped, a layer may be this large by default, all its files together. */
const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

interface ZipEntry {
  name: string;
  method: number;
  packed: number;
  local: number;
}

/** The entries of the zip's central directory, or what is wrong with it. */
function zipEntries(bytes: Buffer, maxUnzipped: number): ZipEntry[] | string {
  let end = -1;
  for (let i = bytes.length - 22, stop = Math.max(0, bytes.length - 22 - 0xffff); i >= stop; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return 'the zip has no end-of-archive record: truncated?';
  const count = bytes.readUInt16LE(end + 10);
  const directory = bytes.readUInt32LE(end + 16);
  if (directory + bytes.readUInt32LE(end + 12) > end) return 'the zip\'s directory points past its end: truncated or damaged';
  const entries: ZipEntry[] = [];
  let unzipped = 0;
  for (let k = 0, p = directory; k < count; k++) {
    if (p + 46 > end || bytes.readUInt32LE(p) !== 0x02014b50) return `the zip's directory is damaged at entry ${k}`;
    const packed = bytes.readUInt32LE(p + 20);
    const nameLength = bytes.readUInt16LE(p + 28);
    const local = bytes.readUInt32LE(p + 42);
    if (local + 30 + packed > directory) return `the zip's entry ${k} points past its data: truncated or damaged`;
    unzipped += bytes.readUInt32LE(p + 24);
    entries.push({ name: bytes.toString('utf8', p + 46, Math.min(end, p + 46 + nameLength)), method: bytes.readUInt16LE(p + 10), packed, local });
    p += 46 + nameLength + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  if (unzipped > maxUnzipped) return `it unzips to ${Math.round(unzipped / 2 ** 20)} MB, more than the ${Math.round(maxUnzipped / 2 ** 20)} MB a layer may be`;
  return entries;
}

/** One entry's bytes (stored or deflated), within what is left of the budget, or what is wrong. */
function entryBytes(bytes: Buffer, entry: ZipEntry, budget: { left: number; max: number }): Buffer | string {
  const p = entry.local;
  if (bytes.readUInt32LE(p) !== 0x04034b50) return `the zip's entry ${entry.name} is damaged`;
  const start = p + 30 + bytes.readUInt16LE(p + 26) + bytes.readUInt16LE(p + 28);
  const data = bytes.subarray(start, start + entry.packed);
  if (data.length < entry.packed) return `the zip's entry ${entry.name} is cut short`;
  let out: Buffer;
  if (entry.method === 0) out = Buffer.from(data);
  else if (entry.method === 8) {
    try {
      out = inflateRawSync(data, { maxOutputLength: Math.max(1, budget.left) });
    } catch (err) {
      const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      return tooBig ? `it unzips to more than the ${Math.round(budget.max / 2 ** 20)} MB a layer may be (more than its directory says)` : `the zip's entry ${entry.name} cannot be inflated (${(err as Error).message})`;
    }
  } else return `the zip's entry ${entry.name} is compressed with method ${entry.method}; only stored and deflated entries are read`;
  budget.left -= out.length;
  return out;
}

/**
 * A .dbf has no NULL but blanks: parsedbf reads a blank number as NaN, a blank date as an invalid
 * Date and blank text as ''. Each is left out, as GDAL reads them (NULL), as a GeoJSON `null` and an
 * empty CSV cell are read: an attribute nobody filled in reads the same whatever the file — a
 * community's blank `population` is unknown, not an error.
 */
export function dropNullAttributes(properties: Record<string, unknown> | null): void {
  if (!properties) return;
  for (const [key, value] of Object.entries(properties)) {
    const blank =
      (typeof value === 'number' && Number.isNaN(value)) ||
      (value instanceof Date && Number.isNaN(value.getTime())) ||
      (typeof value === 'string' && value.trim() === '');
    if (blank) delete properties[key];
  }
}

function firstPosition(geometry: unknown): number[] | undefined {
  let c = (geometry as { coordinates?: unknown } | null)?.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) ? (c as number[]) : undefined;
}

function lonLatLike(p: number[] | undefined): boolean {
  return p !== undefined && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
}
