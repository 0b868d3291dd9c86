/**
 * What readers (GeoJSON, OSM XML, OSM PBF) hand to the graph builder: one polyline each,
 * with the OSM-style tags that describe it. Readers know nothing about graphs or modes.
 */

/** OSM-style tags (`highway`, `oneway`, `foot`, ...). An empty object means "untagged". */
export type Tags = Record<string, string>;

export interface RawLine {
  /** Flat lon,lat pairs in WGS84 degrees, at least two points. */
  coords: ArrayLike<number>;
  /**
   * OSM node ids, one per point, when the source has them: lines join where they share a node id.
   * Without ids, lines join where they share an exactly equal coordinate.
   */
  nodeIds?: ArrayLike<number>;
  tags: Tags;
  /** A given length for the whole line in metres (GeoJSON `length_m`), replacing the great-circle length. */
  lengthM?: number;
  /** Where the line came from, for reports: `way/123`, `feature 5`, `feature 5 (id "a")`. */
  ref: string;
}

/** A line (or feature) the reader could not use, with the reason, for the import report. */
export interface RejectedInput {
  ref: string;
  reason: string;
}

/** Receives lines as a reader streams them. */
export interface LineSink {
  addLine(line: RawLine): void;
  reject(rejected: RejectedInput): void;
}
