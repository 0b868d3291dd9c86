import type { FeatureCollection } from 'geojson';
import shp from 'shpjs';
import { InputError } from '../errors.ts';

/**
 * A zipped shapefile — what ArcGIS and QGIS users have — as a GeoJSON FeatureCollection in WGS84.
 * shpjs reads the geometry (.shp), decodes the attribute table (.dbf) in the encoding its .cpg names
 * (UTF-8, GBK, …), and reprojects from the .prj with proj4: a set exported in CGCS2000 Gauss–Krüger
 * metres arrives as lon/lat. A zip of several layers is refused: which of them holds the facilities
 * is not ours to guess. GCJ-02 / BD-09 are not projections a .prj names: `crs` still applies to them.
 */
export async function zippedShapefileToGeoJson(bytes: Buffer, what: string): Promise<FeatureCollection> {
  const invalid = (message: string) => new InputError('INVALID_SHAPEFILE', `${what}: ${message}`, { where: what });
  if (bytes.byteLength < 22 || bytes.readUInt32LE(0) !== 0x04034b50) throw invalid('not a zip file (a zipped shapefile starts with "PK")');
  const problem = zipProblem(bytes);
  if (problem) throw invalid(problem);
  let read: Awaited<ReturnType<typeof shp>>;
  try {
    read = await shp(bytes);
  } catch (err) {
    throw invalid(`cannot read it as a zipped shapefile (${(err as Error).message || 'no .shp and .dbf found'}); zip the .shp, .shx, .dbf, .prj and .cpg of one layer`);
  }
  const layers = Array.isArray(read) ? read : [read];
  if (layers.length !== 1) {
    throw invalid(`the zip holds ${layers.length} layers (${layers.map((l) => l.fileName ?? '?').join(', ')}); upload one layer per dataset`);
  }
  const [layer] = layers;
  const projected = layer.features.length > 0 && layer.features.every((f) => !lonLatLike(firstPosition(f.geometry)));
  if (projected) {
    throw invalid('its coordinates are not longitude/latitude and it has no .prj to say what they are: zip the layer\'s .prj with it');
  }
  return { type: 'FeatureCollection', features: layer.features };
}

function firstPosition(geometry: unknown): number[] | undefined {
  let c = (geometry as { coordinates?: unknown } | null)?.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) ? (c as number[]) : undefined;
}

function lonLatLike(p: number[] | undefined): boolean {
  return p !== undefined && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
}

/** Unzipped, a layer may be this large: a zip bomb is refused before anything is inflated. */
const MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

/**
 * What is wrong with the zip's structure, read from its central directory before shpjs unzips it:
 * its unzipper loops forever on an archive without an end record (a truncated upload) and believes
 * any sizes, so those are checked here, with the total unzipped size and the presence of a .shp.
 */
function zipProblem(bytes: Buffer): string | undefined {
  let end = -1;
  for (let i = bytes.length - 22, stop = Math.max(0, bytes.length - 22 - 0xffff); i >= stop; i--) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) return 'the zip has no end-of-archive record: truncated?';
  const entries = bytes.readUInt16LE(end + 10);
  const directorySize = bytes.readUInt32LE(end + 12);
  const directory = bytes.readUInt32LE(end + 16);
  if (directory + directorySize > end) return 'the zip\'s directory points past its end: truncated or damaged';
  const names: string[] = [];
  let unzipped = 0;
  for (let k = 0, p = directory; k < entries; k++) {
    if (p + 46 > end || bytes.readUInt32LE(p) !== 0x02014b50) return `the zip's directory is damaged at entry ${k}`;
    const packed = bytes.readUInt32LE(p + 20);
    const nameLength = bytes.readUInt16LE(p + 28);
    const local = bytes.readUInt32LE(p + 42);
    if (local + 30 + packed > directory) return `the zip's entry ${k} points past its data: truncated or damaged`;
    unzipped += bytes.readUInt32LE(p + 24);
    names.push(bytes.toString('utf8', p + 46, Math.min(end, p + 46 + nameLength)));
    p += 46 + nameLength + bytes.readUInt16LE(p + 30) + bytes.readUInt16LE(p + 32);
  }
  if (unzipped > MAX_UNZIPPED_BYTES) return `it unzips to ${Math.round(unzipped / 2 ** 20)} MB, more than the ${MAX_UNZIPPED_BYTES / 2 ** 20} MB a layer may be`;
  if (!names.some((n) => /\.shp$/i.test(n))) return `no .shp in the zip (it holds ${names.length ? names.join(', ') : 'nothing'}); zip the .shp, .shx, .dbf, .prj and .cpg of one layer`;
  return undefined;
}
