import type Flatbush from 'flatbush';
import { MODES } from './profiles.ts';

/**
 * The compiled road graph: flat typed arrays only, so that it loads from a file without parsing,
 * can be shared between worker threads, and the search loop touches no objects.
 *
 * - A node is a junction or a dead end; an edge is the stretch of one way between two nodes, with its
 *   polyline (degree-2 vertices live only in the geometry, not in the search).
 * - Every edge yields two arcs (along and against its line direction), stored in CSR order by tail
 *   node. Whether a mode may use an arc is a per-request cost (Infinity when not), not graph structure.
 *
 * The arrays are the sections of one buffer (`bytes`), declared once in GRAPH_SECTIONS: the Graph type,
 * the graph file (src/runtime/files/graph-file.ts), sharing with threads and cutting partitions (src/core/network/
 * graph-buffer.ts, src/runtime/distributed/sub-graph.ts) are all driven by that list. A new per-edge value is
 * one entry there, filled in by compile.ts.
 */

/** The counts a graph's layout follows from. */
export interface GraphCounts {
  nodes: number;
  edges: number;
  /** Points of all edge polylines (endpoints included): `geom` holds 2 numbers per point. */
  points: number;
}

type ArrayType = Float64ArrayConstructor | Uint32ArrayConstructor | Uint8ArrayConstructor;

export interface SectionSpec {
  readonly type: ArrayType;
  /** Number of elements, from the counts. */
  readonly length: (c: GraphCounts) => number;
  /**
   * Set on plain per-edge values (`perEdge` elements per edge, edge-major): a piece cut out of the
   * graph copies them edge by edge as they are. The other sections are renumbered or rebuilt by the cut.
   */
  readonly perEdge?: number;
}

/** Travel modes whose access each edge stores (one byte each: bit 0 along the line, bit 1 against it). */
const MODE_COUNT = MODES.length;

/** The graph's typed-array sections, in buffer order; the spatial index follows them. */
export const GRAPH_SECTIONS = {
  /** lon,lat per node. */
  nodeCoords: { type: Float64Array, length: (c) => 2 * c.nodes },
  edgeFrom: { type: Uint32Array, length: (c) => c.edges },
  edgeTo: { type: Uint32Array, length: (c) => c.edges },
  /** Length in metres used for travel time (great-circle, or the line's given `length_m`). */
  edgeLength: { type: Float64Array, length: (c) => c.edges, perEdge: 1 },
  /** Index into ROAD_CLASSES. */
  edgeClass: { type: Uint8Array, length: (c) => c.edges, perEdge: 1 },
  /** Tagged maxspeed, km/h, 0 if none. */
  edgeMaxspeed: { type: Uint8Array, length: (c) => c.edges, perEdge: 1 },
  /**
   * Per edge e and mode m (index in MODES), at e * MODES.length + m: bit 0 the mode may travel along
   * the line, bit 1 against it. A byte per mode: a new mode widens the section, not the format.
   */
  edgeAccess: { type: Uint8Array, length: (c) => c.edges * MODE_COUNT, perEdge: MODE_COUNT },
  /** Index into `names`, 0 = unnamed. */
  edgeName: { type: Uint32Array, length: (c) => c.edges },
  /** Edge e's polyline is points edgeGeomStart[e] .. edgeGeomStart[e+1]-1 of `geom`. */
  edgeGeomStart: { type: Uint32Array, length: (c) => c.edges + 1 },
  /** lon,lat pairs of all edge polylines, endpoints included. */
  geom: { type: Float64Array, length: (c) => 2 * c.points },
  /** Arcs of node n are arcOffsets[n] .. arcOffsets[n+1]-1. */
  arcOffsets: { type: Uint32Array, length: (c) => c.nodes + 1 },
  arcHead: { type: Uint32Array, length: (c) => 2 * c.edges },
  /** edge << 1 | direction (0 = along the line, 1 = against it). */
  arcEdge: { type: Uint32Array, length: (c) => 2 * c.edges },
  /** The arc of the same edge in the other direction. */
  arcTwin: { type: Uint32Array, length: (c) => 2 * c.edges },
  /** Arc index of (edge, direction), at 2*edge + direction. */
  edgeArc: { type: Uint32Array, length: (c) => 2 * c.edges },
  /** Segment index i (item i of `index`) belongs to edge segEdge[i]; its first point is geom point i + segEdge[i]. */
  segEdge: { type: Uint32Array, length: (c) => c.points - c.edges },
} as const satisfies Record<string, SectionSpec>;

export type SectionName = keyof typeof GRAPH_SECTIONS;
export const SECTION_NAMES = Object.keys(GRAPH_SECTIONS) as SectionName[];

type ArrayOf<T extends ArrayType> = T extends Float64ArrayConstructor ? Float64Array : T extends Uint32ArrayConstructor ? Uint32Array : Uint8Array;

/** One typed array per section, typed from the section list. */
export type GraphArrays = { readonly [K in SectionName]: ArrayOf<(typeof GRAPH_SECTIONS)[K]['type']> };

export interface Graph extends GraphArrays {
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** The one buffer every section (and the spatial index) is a view of: what a file or a thread carries. */
  readonly bytes: Uint8Array;
  /** Flatbush over segments, in local metres (x = lon·kx, y = lat·ky of `meta.projectionLat`). */
  readonly index: Flatbush;

  readonly names: string[];
  readonly meta: GraphMeta;
}

export interface GraphMeta {
  /** Latitude of the local metric frame of the spatial index. */
  projectionLat: number;
  bbox: [number, number, number, number];
  source: string;
  createdAt: string;
  report: ImportReport;
}

export interface ImportReport {
  source: string;
  linesRead: number;
  linesUsed: number;
  /** Lines the profiles could not use, counted by reason. */
  linesDropped: Record<string, number>;
  /** Features or ways the reader rejected (bad geometry, missing nodes), counted by reason. */
  rejected: number;
  /** A few examples of dropped or rejected lines, with where they are. */
  examples: { ref: string; reason: string }[];
  vertices: number;
  nodes: number;
  edges: number;
  lengthKm: number;
  components: {
    count: number;
    largest: { nodes: number; edges: number; shareOfEdges: number };
    /** Pieces smaller than `minNodes` nodes are dropped: an origin snapped to a stray fragment would reach nothing. */
    dropped: { components: number; nodes: number; edges: number; minNodes: number };
  };
  /** Edges and length usable by each mode (in at least one direction). */
  byMode: Record<string, { edges: number; lengthKm: number }>;
  buildMs: number;
}
