import { readCommunities } from '../../core/communities/read-communities.ts';
import { readHomeFeatures } from '../../core/communities/read-homes.ts';
import { InputError } from '../../core/errors.ts';
import { readFacilities } from '../../core/facilities/read-facilities.ts';
import { collectionCrs } from '../../core/geo/collection-crs.ts';
import { type PointKind, type PointSetFormat, readPointSet } from '../files/read-point-set.ts';
import type { Bbox } from '../store/index.ts';

/**
 * A facility or community set as uploaded — GeoJSON, CSV or a zipped shapefile — read, checked
 * and made ready to store: its counts, bounding box and report, and its payload (the collection as
 * given, with its crs, so that reading it again converts it the same way). Runs in an import
 * process (import-tasks.ts); nothing here touches the store.
 */
export type { PointKind };
export type PointFormat = PointSetFormat;

export interface CheckedPointSet {
  counts: Record<string, number>;
  bbox: Bbox | null;
  report: Record<string, unknown>;
  payload: { type: 'FeatureCollection'; crs: string; source: unknown };
}

/**
 * Parses an upload's bytes in its format (src/runtime/files/read-point-set.ts); every reader checks what it is
 * given against its bytes. `crs` is the upload's `?crs=`, when given.
 */
export function parsePointSet(bytes: Uint8Array, format: PointFormat, kind: PointKind, crs?: string): unknown {
  return readPointSet(bytes, format, kind, { what: format === 'json' ? 'request body' : kind, crsGiven: crs !== undefined });
}

/** Reads the set as jobs will, and says what it holds; throws when no feature is usable. */
export function checkPointSet(kind: PointKind, input: unknown, requestCrs?: string): CheckedPointSet {
  // Stored with the system it was read in (its crs member, else `crs`), by its canonical id: reading
  // it again with that id converts it the same way, and the member, if any, agrees.
  const crs = collectionCrs(input, kind, requestCrs).id;
  if (kind === 'homes') return checkHomes(input, crs);
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
  return { counts, bbox: bboxOf(items), report, payload: { type: 'FeatureCollection', crs, source: input } };
}

/**
 * Homes are checked on their own (geometry, figures, the `community` property's form): which community
 * each belongs to is known only once a job or nightly reads them with its communities (read-homes.ts),
 * and those errors are in its answer.
 */
function checkHomes(input: unknown, crs: string): CheckedPointSet {
  const read = readHomeFeatures(input, { crs });
  if (read.homes.length === 0) {
    const first = read.errors[0];
    throw new InputError('INVALID_GEOJSON', `homes: no usable feature${first ? ` (first problem: ${first.message})` : ''}`, { where: 'homes', ...(first ? { featureIndex: first.index } : {}) });
  }
  const counts = {
    features: read.homes.length + read.errors.length,
    usable: read.homes.length,
    errors: read.errors.length,
    buildings: read.homes.filter((h) => h.areaM2 !== undefined).length,
    tiedById: read.homes.filter((h) => h.community !== undefined).length,
  };
  return { counts, bbox: bboxOf(read.homes), report: { errors: read.errors.slice(0, 100) }, payload: { type: 'FeatureCollection', crs, source: input } };
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
