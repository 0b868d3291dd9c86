import { readCommunities } from '../communities/read-communities.ts';
import { InputError } from '../errors.ts';
import { readFacilities } from '../facilities/read-facilities.ts';
import { csvToPoints } from '../io/csv-points.ts';
import { badStringError, findBadString, parseJsonText } from '../io/json-text.ts';
import { zippedShapefileToGeoJson } from '../io/zipped-shapefile.ts';
import type { Bbox } from '../store/index.ts';

/**
 * A facility or community set as uploaded — GeoJSON, CSV or a zipped shapefile — read, checked
 * and made ready to store: its counts, bounding box and report, and its payload (the collection as
 * given, with its crs, so that reading it again converts it the same way). Runs in an import
 * process (import-tasks.ts); nothing here touches the store.
 */
export type PointKind = 'facilities' | 'communities';
export type PointFormat = 'json' | 'csv' | 'zip';

export interface CheckedPointSet {
  counts: Record<string, number>;
  bbox: Bbox | null;
  report: Record<string, unknown>;
  payload: { type: 'FeatureCollection'; crs: string; source: unknown };
}

/** Parses an upload's bytes in its format; every reader checks what it is given against its bytes. */
export function parsePointSet(bytes: Uint8Array, format: PointFormat, kind: PointKind): unknown {
  if (format === 'csv') return csvToPoints(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), kind);
  if (format === 'zip') {
    const collection = zippedShapefileToGeoJson(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), kind);
    // parsedbf drops NULs and its decoder never yields a lone surrogate: this only keeps that promise.
    if (findBadString(collection)) throw badStringError(collection, { what: kind, root: kind, badStringCode: 'INVALID_SHAPEFILE' });
    return collection;
  }
  if (bytes.byteLength === 0) throw new InputError('INVALID_JSON', `request body is empty: expected a GeoJSON FeatureCollection of ${kind}`);
  return parseJsonText(bytes, { what: 'request body', root: kind, badStringCode: 'INVALID_GEOJSON' });
}

/** Reads the set as jobs will, and says what it holds; throws when no feature is usable. */
export function checkPointSet(kind: PointKind, input: unknown, crs?: string): CheckedPointSet {
  const read = kind === 'facilities' ? readFacilities(input, { crs }) : readCommunities(input, { crs });
  const items = kind === 'facilities' ? (read as ReturnType<typeof readFacilities>).facilities : (read as ReturnType<typeof readCommunities>).communities;
  if (items.length === 0) {
    const first = read.errors[0];
    throw new InputError('INVALID_GEOJSON', `${kind}: no usable feature${first ? ` (first problem: ${first.message})` : ''}`, { where: kind, ...(first ? { featureIndex: first.index } : {}) });
  }
  const total = Array.isArray((input as { features?: unknown }).features) ? (input as { features: unknown[] }).features.length : items.length + read.errors.length;
  const counts: Record<string, number> = { features: total, usable: items.length, errors: read.errors.length };
  const report: Record<string, unknown> = { errors: read.errors.slice(0, 100) };
  if (kind === 'facilities') {
    const unmapped = (read as ReturnType<typeof readFacilities>).unmapped;
    counts.unmapped = unmapped.count;
    report.unmapped = unmapped;
  } else {
    report.warnings = (read as ReturnType<typeof readCommunities>).warnings;
  }
  return { counts, bbox: bboxOf(items), report, payload: { type: 'FeatureCollection', crs: crs ?? 'wgs84', source: input } };
}

function bboxOf(items: readonly { lon?: number; lat?: number; origins?: [number, number][] }[]): Bbox | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const add = (x: number, y: number) => {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  };
  for (const item of items) {
    if (item.lon !== undefined && item.lat !== undefined) add(item.lon, item.lat);
    for (const [x, y] of item.origins ?? []) add(x, y);
  }
  return minX === Infinity ? null : [minX, minY, maxX, maxY];
}
