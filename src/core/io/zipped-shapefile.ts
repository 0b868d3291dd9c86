import type { FeatureCollection } from 'geojson';
import { combine, parseDbf, parseShp } from 'shpjs';
import { InputError } from '../errors.ts';
import { checkDbfHeader, checkShpHeader } from './shapefile-headers.ts';
import { type ZipEntry, ZipProblem, extractZip, listZip } from './zip-archive.ts';

/**
 * A zipped shapefile — what ArcGIS and QGIS users have — as a GeoJSON FeatureCollection in WGS84.
 * shpjs reads the geometry (.shp) and reprojects it from the .prj with proj4 (a set exported in
 * CGCS2000 Gauss–Krüger metres arrives as lon/lat), and decodes the attribute table (.dbf) in the
 * encoding its .cpg names (UTF-8, GBK, …). GCJ-02 / BD-09 are not projections a .prj names: `crs`
 * still applies to them; and a layer without a .prj is refused unless the upload's `crs` says what
 * its coordinates are (src/core/geo/collection-crs.ts converts them then).
 *
 * The zip itself is read by fflate (zip-archive.ts), not by shpjs's unzipper: that one loops forever
 * on a truncated archive and inflates whatever an entry holds. The central directory is checked
 * first and the layer's files are inflated under a ceiling, so neither a cut-off upload nor a zip
 * bomb (lying about its sizes or not) can hang or exhaust the server. The .shp's and .dbf's headers are checked
 * against their bytes too (shapefile-headers.ts). A zip of several layers is refused: which of them
 * holds the facilities is not ours to guess.
 */
export function zippedShapefileToGeoJson(bytes: Uint8Array, what: string, limits: { maxUnzippedBytes?: number; crsGiven?: boolean } = {}): FeatureCollection {
  const maxUnzipped = limits.maxUnzippedBytes ?? MAX_UNZIPPED_BYTES;
  const invalid = (message: string) => new InputError('INVALID_SHAPEFILE', `${what}: ${message}`, { where: what });
  if (bytes.byteLength < 22 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw invalid('not a zip file (a zipped shapefile starts with "PK")');
  const zip = <T>(read: () => T): T => {
    try {
      return read();
    } catch (err) {
      throw err instanceof ZipProblem ? invalid(err.message) : err;
    }
  };
  const entries = zip(() => listZip(bytes));
  const declared = entries.reduce((sum, e) => sum + e.bytes, 0);
  if (declared > maxUnzipped) throw invalid(`it unzips to ${megabytes(declared)} MB, more than the ${megabytes(maxUnzipped)} MB a layer may be`);
  // macOS's Finder adds __MACOSX/._name.shp resource forks beside the real files.
  const files = entries.filter((e) => !e.name.startsWith('__MACOSX/') && !e.name.endsWith('/'));
  const layers = files.filter((e) => /\.shp$/i.test(e.name));
  if (layers.length === 0) {
    throw invalid(`no .shp in the zip (it holds ${files.length ? files.map((e) => e.name).join(', ') : 'nothing'}); zip the .shp, .shx, .dbf, .prj and .cpg of one layer`);
  }
  if (layers.length > 1) throw invalid(`the zip holds ${layers.length} layers (${layers.map((e) => e.name).join(', ')}); upload one layer per dataset`);
  const layer = layers[0];
  const base = layer.name.slice(0, -4).toLowerCase();
  const part = (extension: string) => files.find((e) => e.name.toLowerCase() === `${base}.${extension}`);
  const dbf = part('dbf');
  if (!dbf) throw invalid(`${layer.name} has no .dbf beside it in the zip: its attributes (id, name, category, type) are there`);
  const prj = part('prj');
  const cpg = part('cpg');
  const taken = zip(() => extractZip(bytes, [layer, dbf, ...(prj ? [prj] : []), ...(cpg ? [cpg] : [])], { maxBytes: maxUnzipped, ceiling: `the ${megabytes(maxUnzipped)} MB a layer may be` }));
  // shpjs takes Buffers (it decodes the .prj and .cpg with Buffer's toString).
  const read = (entry: ZipEntry) => {
    const data = taken.get(entry.name)!;
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  };
  // shpjs believes the headers' counts and lengths: they are checked against the bytes first.
  const shpBytes = read(layer);
  const dbfBytes = read(dbf);
  const shp = checkShpHeader(shpBytes, layer.name);
  if ('problem' in shp) throw invalid(shp.problem);
  const table = checkDbfHeader(dbfBytes, dbf.name);
  if ('problem' in table) throw invalid(table.problem);
  if (shp.records !== table.records) throw invalid(`${layer.name} holds ${shp.records} shapes, ${dbf.name} ${table.records} records: expected one record per shape`);
  let collection: FeatureCollection;
  try {
    const geometries = parseShp(shpBytes.subarray(0, shp.bytes), prj ? read(prj) : undefined);
    // Without a .cpg, shpjs decodes as its own zip reader would (no encoding given): the types say
    // the argument is required, the code reads it as optional.
    collection = combine([geometries, parseDbf(dbfBytes, cpg ? read(cpg) : (undefined as unknown as Buffer))]);
    for (const feature of collection.features) dropNullAttributes(feature.properties);
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw invalid(`cannot read ${layer.name} (${(err as Error).message}): a damaged or unusual shapefile`);
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

function megabytes(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

/**
 * A .dbf has no NULL but blanks: parsedbf reads a blank number as NaN, a blank date as an invalid
 * Date and blank text as ''. Each is left out, as GDAL reads them (NULL), as a GeoJSON `null` and an
 * empty CSV cell are read: an attribute nobody filled in reads the same whatever the file — a
 * community's blank `population` is unknown, not an error.
 */
function dropNullAttributes(properties: Record<string, unknown> | null): void {
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
