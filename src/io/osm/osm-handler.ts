/**
 * What the XML and PBF parsers report, element by element, in file order. Both parsers feed the
 * same handler, so everything downstream (the road-way collector now, a facility collector next)
 * is written once and is format-agnostic.
 */
import type { Tags } from '../../network/raw-line.ts';

export interface OsmHandler {
  /** `tags` is undefined for the (many) untagged nodes, so that they allocate nothing. */
  node(id: number, lon: number, lat: number, tags: Tags | undefined): void;
  /**
   * `refs` may be a view into a buffer the parser reuses: copy what you keep before returning.
   * `tags` is undefined for untagged ways.
   */
  way(id: number, refs: ArrayLike<number>, tags: Tags | undefined): void;
  /** Members are not reported yet: nothing needs them so far. */
  relation(id: number, tags: Tags | undefined): void;
}
