import type Flatbush from 'flatbush';

/**
 * The compiled road graph: flat typed arrays only, so that it loads from a file without parsing,
 * can be shared between worker threads, and the search loop touches no objects.
 *
 * - A node is a junction or a dead end; an edge is the stretch of one way between two nodes, with its
 *   polyline (degree-2 vertices live only in the geometry, not in the search).
 * - Every edge yields two arcs (along and against its line direction), stored in CSR order by tail
 *   node. Whether a mode may use an arc is a per-request cost (Infinity when not), not graph structure.
 */
export interface Graph {
  readonly nodeCount: number;
  readonly edgeCount: number;
  /** lon,lat per node. */
  readonly nodeCoords: Float64Array;

  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  /** Length in metres used for travel time (great-circle, or the line's given `length_m`). */
  readonly edgeLength: Float64Array;
  /** Index into ROAD_CLASSES. */
  readonly edgeClass: Uint8Array;
  /** Tagged maxspeed, km/h, 0 if none. */
  readonly edgeMaxspeed: Uint8Array;
  /** Per mode m: bit 2m along the line, bit 2m+1 against it. */
  readonly edgeAccess: Uint8Array;
  /** Index into `names`, 0 = unnamed. */
  readonly edgeName: Uint32Array;
  /** Edge e's polyline is points edgeGeomStart[e] .. edgeGeomStart[e+1]-1 of `geom`. */
  readonly edgeGeomStart: Uint32Array;
  /** lon,lat pairs of all edge polylines, endpoints included. */
  readonly geom: Float64Array;

  /** Arcs of node n are arcOffsets[n] .. arcOffsets[n+1]-1. */
  readonly arcOffsets: Uint32Array;
  readonly arcHead: Uint32Array;
  /** edge << 1 | direction (0 = along the line, 1 = against it). */
  readonly arcEdge: Uint32Array;
  /** The arc of the same edge in the other direction. */
  readonly arcTwin: Uint32Array;
  /** Arc index of (edge, direction), at 2*edge + direction. */
  readonly edgeArc: Uint32Array;

  /** Segment index i (item i of `index`) belongs to edge segEdge[i]; its first point is geom point i + segEdge[i]. */
  readonly segEdge: Uint32Array;
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

/** Number of points of edge e's polyline. */
export function edgePointCount(graph: Graph, e: number): number {
  return graph.edgeGeomStart[e + 1] - graph.edgeGeomStart[e];
}
