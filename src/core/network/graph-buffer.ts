import Flatbush from 'flatbush';
import { type Graph, type GraphArrays, type GraphCounts, type GraphMeta, GRAPH_SECTIONS, SECTION_NAMES, type SectionName } from './graph.ts';
import { MODES } from './profiles.ts';

/**
 * The graph as one buffer (flatbush's layout): every section of GRAPH_SECTIONS, then the spatial
 * index, each 8-byte aligned, at offsets that follow from the counts alone. A graph is that buffer
 * plus a small JSON header; `graphFromParts` wraps the buffer's sections without copying, whether the
 * bytes came from a file, a database row or another thread (a SharedArrayBuffer stays shared).
 */

/** Everything of a graph that is not in its buffer: small, JSON. */
export interface GraphHeader {
  nodeCount: number;
  edgeCount: number;
  pointCount: number;
  /** The travel modes of `edgeAccess`, in order: a graph built for other modes is refused. */
  modes: string[];
  names: string[];
  meta: GraphMeta;
}

/** A graph as it travels: to a file, a row, or through structured clone to a thread. */
export interface GraphParts {
  header: GraphHeader;
  bytes: Uint8Array;
}

/** Where each section and the index start, and the buffer's size. */
export interface GraphLayout {
  offsets: Record<SectionName, number>;
  indexOffset: number;
  indexBytes: number;
  totalBytes: number;
}

export function graphLayout(counts: GraphCounts): GraphLayout {
  const offsets = {} as Record<SectionName, number>;
  let at = 0;
  for (const name of SECTION_NAMES) {
    const { type, length } = GRAPH_SECTIONS[name];
    offsets[name] = at;
    at = align8(at + length(counts) * type.BYTES_PER_ELEMENT);
  }
  const indexBytes = flatbushBytes(segmentItems(counts));
  return { offsets, indexOffset: at, indexBytes, totalBytes: align8(at + indexBytes) };
}

/**
 * A fresh buffer laid out for these counts, with views of every section to fill in. The index goes
 * in last, with `withIndex`. Shared memory on request: threads then search it without a copy.
 */
export function allocateGraph(counts: GraphCounts, shared = false): { bytes: Uint8Array; arrays: GraphArrays } {
  const layout = graphLayout(counts);
  const bytes = new Uint8Array(shared ? new SharedArrayBuffer(layout.totalBytes) : new ArrayBuffer(layout.totalBytes));
  return { bytes, arrays: sectionViews(bytes, counts, layout) };
}

/** Copies a built Flatbush into the index section of `bytes` and returns the index over it. */
export function placeIndex(bytes: Uint8Array, counts: GraphCounts, built: Flatbush): Flatbush {
  const { indexOffset, indexBytes } = graphLayout(counts);
  const data = new Uint8Array(built.data as ArrayBuffer, built.byteOffset);
  if (data.byteLength !== indexBytes) throw new Error(`spatial index is ${data.byteLength} bytes, the layout expects ${indexBytes}`);
  bytes.set(data, indexOffset);
  return Flatbush.from(bytes.buffer as ArrayBuffer, bytes.byteOffset + indexOffset);
}

/** The Graph over a buffer laid out by `graphLayout` (8-byte aligned): views, not copies. */
export function graphFromParts({ header, bytes }: GraphParts): Graph {
  const counts = countsOf(header);
  const layout = graphLayout(counts);
  return {
    nodeCount: header.nodeCount,
    edgeCount: header.edgeCount,
    ...sectionViews(bytes, counts, layout),
    bytes,
    index: Flatbush.from(bytes.buffer as ArrayBuffer, bytes.byteOffset + layout.indexOffset),
    names: header.names,
    meta: header.meta,
  };
}

/** The graph's header and buffer, without copying. */
export function graphParts(graph: Graph): GraphParts {
  return {
    header: {
      nodeCount: graph.nodeCount,
      edgeCount: graph.edgeCount,
      pointCount: graph.geom.length / 2,
      modes: [...MODES],
      names: graph.names,
      meta: graph.meta,
    },
    bytes: graph.bytes,
  };
}

/**
 * The graph's parts in shared memory: a graph already in a SharedArrayBuffer (read so from its file)
 * as it is, any other copied once. Structured clone (workerData, messages) then passes a view of the
 * same memory to every thread: a 1M-edge city is ~150 MB not duplicated per thread.
 */
export function sharedGraphParts(graph: Graph): GraphParts {
  const parts = graphParts(graph);
  if (graph.bytes.buffer instanceof SharedArrayBuffer) return parts;
  const bytes = new Uint8Array(new SharedArrayBuffer(graph.bytes.byteLength));
  bytes.set(graph.bytes);
  return { header: parts.header, bytes };
}

export function countsOf(header: Pick<GraphHeader, 'nodeCount' | 'edgeCount' | 'pointCount'>): GraphCounts {
  return { nodes: header.nodeCount, edges: header.edgeCount, points: header.pointCount };
}

function sectionViews(bytes: Uint8Array, counts: GraphCounts, layout: GraphLayout): GraphArrays {
  const arrays = {} as Record<SectionName, GraphArrays[SectionName]>;
  for (const name of SECTION_NAMES) {
    const { type: Type, length } = GRAPH_SECTIONS[name];
    arrays[name] = new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset + layout.offsets[name], length(counts));
  }
  return arrays as GraphArrays;
}

/** Flatbush items: one per polyline segment, and one empty box when there is none. */
function segmentItems(counts: GraphCounts): number {
  return Math.max(1, counts.points - counts.edges);
}

/** Bytes of a Flatbush of `numItems` (node size 16, Float64 boxes), as its constructor sizes it. */
function flatbushBytes(numItems: number, nodeSize = 16): number {
  let n = numItems;
  let numNodes = n;
  do {
    n = Math.ceil(n / nodeSize);
    numNodes += n;
  } while (n !== 1);
  return 8 + numNodes * 4 * Float64Array.BYTES_PER_ELEMENT + numNodes * (numNodes < 16384 ? 2 : 4);
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
