/**
 * What the XML and PBF parsers report, element by element, in file order. Both parsers feed the
 * same handler, so everything downstream (the road-way collector now, a facility collector next)
 * is written once and is format-agnostic.
 */
import type { Tags } from '../../network/raw-line.ts';

/** One member of a relation, as OSM lists it: `role` is "" when the member has none. */
export interface RelationMember {
  type: 'node' | 'way' | 'relation';
  ref: number;
  role: string;
}

export interface OsmHandler {
  /** `tags` is undefined for the (many) untagged nodes, so that they allocate nothing. */
  node(id: number, lon: number, lat: number, tags: Tags | undefined): void;
  /**
   * `refs` may be a view into a buffer the parser reuses: copy what you keep before returning.
   * `tags` is undefined for untagged ways.
   */
  way(id: number, refs: ArrayLike<number>, tags: Tags | undefined): void;
  /** `members` in the relation's order (multipolygon facilities are built from their ways). */
  relation(id: number, tags: Tags | undefined, members: readonly RelationMember[]): void;
}
