/**
 * One OSM stream, several consumers: roads and points of interest from a single read of a file,
 * instead of parsing it once per consumer.
 */
import type { Tags } from '../../network/raw-line.ts';
import type { OsmHandler, RelationMember } from './osm-handler.ts';

/** A handler that hands every element to each of `handlers`, in order. */
export function fanOut(handlers: readonly OsmHandler[]): OsmHandler {
  if (handlers.length === 1) return handlers[0];
  return {
    node(id: number, lon: number, lat: number, tags: Tags | undefined) {
      for (const h of handlers) h.node(id, lon, lat, tags);
    },
    way(id: number, refs: ArrayLike<number>, tags: Tags | undefined) {
      for (const h of handlers) h.way(id, refs, tags);
    },
    relation(id: number, tags: Tags | undefined, members: readonly RelationMember[]) {
      for (const h of handlers) h.relation(id, tags, members);
    },
  };
}
