import type { Facility } from '../../core/facilities/read-facilities.ts';

/**
 * The stored datasets a request names (`network`, `facilities`, `communities`: "ds_…"), resolved on
 * the main thread — which has the store and knows the key — into what the core needs, in a form a
 * worker thread can take too: the network as its compiled graph file (each thread reads it), the
 * facilities as read, the communities as stored (GeoJSON with its crs).
 */
export interface DatasetRefs {
  graphFile?: string;
  facilities?: readonly Facility[];
  communities?: { crs: string; source: unknown };
  /** The ids as named, for the answer's `inputs`. */
  ids?: { network?: string; facilities?: string; communities?: string };
}

/**
 * The body as the core is to read it: the network and facilities ids removed (the context's defaults
 * take their place), the communities id replaced by the stored collection, its stored crs set as
 * its crs member — so the one rule applies (src/core/geo/collection-crs.ts): a body `crs` that
 * contradicts it is a 400 naming both, and the body's inline points keep their own system.
 */
export function withDatasets(body: Record<string, unknown>, refs: DatasetRefs): Record<string, unknown> {
  const resolved = { ...body };
  if (refs.graphFile !== undefined) delete resolved.network;
  if (refs.facilities !== undefined) delete resolved.facilities;
  if (refs.communities !== undefined) {
    const source = refs.communities.source as Record<string, unknown>;
    resolved.communities = { ...source, crs: { type: 'name', properties: { name: refs.communities.crs } } };
  }
  return resolved;
}
