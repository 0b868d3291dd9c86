import type { Community } from '../../core/communities/read-communities.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import type { PointsSourceText } from '../store/index.ts';
import type { PointSet } from './coverage-in-thread.ts';

/**
 * The point sets a job's thread is handed (coverage-thread.ts, siting-thread.ts): parsed already (the
 * server's defaults, tests), or a dataset's stored source read in the thread — a city's sets parsed
 * on the main thread would stall its event loop for seconds.
 */

/** A point set as given: parsed already, or a dataset's stored source (JSON text, maybe in slices) to read here. */
export function points<T extends Facility | Community>(set: PointSet<T>, read: (source: unknown, crs: string) => T[]): readonly T[] {
  if ('items' in set) return set.items;
  return read(sourceJson(set.source), set.crs);
}

/** A stored set's source text (whole, or a collection and its features in slices) as one parsed value. */
export function sourceJson(text: PointsSourceText): unknown {
  if ('whole' in text) return JSON.parse(text.whole);
  const collection = JSON.parse(text.collection) as Record<string, unknown>;
  collection.features = text.features.flatMap((slice) => JSON.parse(slice) as unknown[]);
  return collection;
}
