import { readFileSync } from 'node:fs';
import { InputError } from '../../core/errors.ts';
import { csvToPoints } from '../../core/io/csv-points.ts';
import { decodeText } from '../../core/io/decode-text.ts';
import { type InputFormat } from '../../core/io/input-format.ts';
import { detectFileFormat } from './detect-file-format.ts';
import { badStringError, findBadString, parseJsonText } from '../../core/io/json-text.ts';
import { type OsmPoisRead, readOsmPois } from '../../core/io/osm/read-pois.ts';
import { zippedShapefileToGeoJson } from '../../core/io/zipped-shapefile.ts';
import { fileBytes } from './file-bytes.ts';

/**
 * A set of points or shapes — facilities, communities, homes — in whichever format it comes, as the
 * GeoJSON FeatureCollection the readers take (readFacilities, readCommunities, readHomeFeatures):
 *  - GeoJSON, as it is;
 *  - CSV with longitude/latitude columns (csv-points.ts), in UTF-8, UTF-16 or GBK (decode-text.ts);
 *  - a zipped shapefile, reprojected from its .prj (zipped-shapefile.ts);
 *  - an OpenStreetMap file (files only): its mapped points of interest as facilities, its closed
 *    `landuse=residential` ways as communities, all urban (OSM does not tell villages apart).
 * The format is told by input-format.ts: an upload's content type, else the first bytes, else the
 * file name. Every API upload, CLI option, nightly job and server default reads through here.
 *
 * Coordinates stay in the system they were given in (a shapefile's .prj excepted): the readers
 * downstream apply the `crs` rule (src/core/geo/collection-crs.ts).
 */
export type PointKind = 'facilities' | 'communities' | 'homes';
export type PointSetFormat = 'json' | 'csv' | 'zip';

export interface PointSetOptions {
  /** Names the input in messages: `facilities`, `--facilities data/pois.csv`, `job city: facilities pois.csv`. */
  what: string;
  /** A coordinate system was given with the input (`?crs=`, `--crs`, a job's `crs`): a shapefile without a .prj is read in it. */
  crsGiven?: boolean;
}

/**
 * An upload's bytes in `format`. JSON is checked as every body is (json-text.ts: depth, no NUL or
 * lone surrogate), and an empty body is an INVALID_JSON; CSV and shapefile errors are INVALID_PARAMETER
 * and INVALID_SHAPEFILE naming `what` (and the row, the file in the zip).
 */
export function readPointSet(bytes: Uint8Array, format: PointSetFormat, kind: PointKind, opts: PointSetOptions): unknown {
  if (format === 'csv') return csvToPoints(decodeText(bytes).text, opts.what);
  if (format === 'zip') {
    const collection = zippedShapefileToGeoJson(bytes, opts.what, { crsGiven: opts.crsGiven });
    // parsedbf drops NULs and its decoder never yields a lone surrogate: this only keeps that promise.
    if (findBadString(collection)) throw badStringError(collection, { what: opts.what, root: kind, badStringCode: 'INVALID_SHAPEFILE' });
    return collection;
  }
  if (bytes.byteLength === 0) throw new InputError('INVALID_JSON', `${opts.what} is empty: expected a GeoJSON FeatureCollection of ${kind}`);
  return parseJsonText(bytes, { what: opts.what, root: kind, badStringCode: 'INVALID_GEOJSON' });
}

export interface PointSetFileOptions extends PointSetOptions {
  /** Reads an OSM file's points of interest; give one that remembers, so that a file named by several inputs is read once. */
  osmPois?: (path: string) => Promise<OsmPoisRead>;
}

export interface PointSetFileRead {
  collection: unknown;
  /** Read from an OSM file: WGS84 whatever `crs` the other inputs are given in. */
  osm: boolean;
}

/**
 * A point set from a file, its format told by its first bytes, else its extension. A file that
 * cannot be read, or is not valid JSON, is an INVALID_GEOJSON naming `what` (as `what: not valid JSON (…)`).
 */
export async function readPointSetFile(path: string, kind: PointKind, opts: PointSetFileOptions): Promise<PointSetFileRead> {
  const format = detectFileFormat(path);
  if (format === 'osm') return { collection: osmPointSet(await (opts.osmPois ? opts.osmPois(path) : readOsmPois(fileBytes(path))), kind, opts.what), osm: true };
  return { collection: readFile(path, format, kind, opts), osm: false };
}

function readFile(path: string, format: InputFormat | undefined, kind: PointKind, opts: PointSetOptions): unknown {
  if (format === 'lcg') {
    throw new InputError('UNSUPPORTED_FORMAT', `${opts.what}: is a compiled road network (a graph file), not ${kind}: expected GeoJSON, CSV, a zipped shapefile or an OSM file`);
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new InputError('INVALID_GEOJSON', `${opts.what}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (format === 'csv' || format === 'zip') return readPointSet(bytes, format, kind, opts);
  // GeoJSON, or a file neither its bytes nor its name tell: read as JSON, whose parser says what is wrong.
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new InputError('INVALID_GEOJSON', `${opts.what}: not valid JSON (${(err as Error).message})`);
  }
}

/** An OSM file's points of interest as facilities, its residential areas as (urban) communities. */
function osmPointSet(pois: OsmPoisRead, kind: PointKind, what: string): unknown {
  if (kind === 'facilities') return pois.facilities;
  if (kind === 'homes') {
    throw new InputError('UNSUPPORTED_FORMAT', `${what}: homes are not read from an OSM file (an OSM network's residential buildings are used when no homes are given): give them as GeoJSON, CSV or a zipped shapefile`);
  }
  const features = pois.residential.features;
  if (features.length === 0) throw new InputError('INVALID_GEOJSON', `${what}: has no closed landuse=residential ways, so no communities; give them as GeoJSON`);
  return { type: 'FeatureCollection', features: features.map((f) => ({ ...f, properties: { ...f.properties, type: 'urban' } })) };
}
