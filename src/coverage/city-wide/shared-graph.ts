import Flatbush from 'flatbush';
import type { Graph } from '../../network/graph.ts';
import type { SpeedTable } from '../../network/profiles.ts';
import type { Costing } from '../../routing/costing.ts';

/**
 * The compiled graph and per-mode arc costs in SharedArrayBuffers, so that every worker thread
 * searches the same memory: a 1M-edge city is ~150 MB of typed arrays, and a copy per thread would
 * blow the memory budget of a nightly run. Structured clone (workerData, task messages) passes a
 * typed array over a SharedArrayBuffer as a view of the same memory, never a copy.
 */
export type SharedGraph = Omit<Graph, 'index'> & { index: { data: SharedArrayBuffer; byteOffset: number } };

/** A Costing's arrays over shared memory, with what is needed to rebuild the Costing in a worker. */
export interface SharedCosting {
  speeds: SpeedTable;
  forward: Float64Array;
  reverse: Float64Array;
  accessSpeedMps: number;
}

const GRAPH_ARRAYS = [
  'nodeCoords', 'edgeFrom', 'edgeTo', 'edgeLength', 'edgeClass', 'edgeMaxspeed', 'edgeAccess', 'edgeName',
  'edgeGeomStart', 'geom', 'arcOffsets', 'arcHead', 'arcEdge', 'arcTwin', 'edgeArc', 'segEdge',
] as const;

type GraphArray = (typeof GRAPH_ARRAYS)[number];
type TypedArray = Graph[GraphArray];

/**
 * The graph over shared memory. A graph already loaded into one SharedArrayBuffer (the nightly
 * command reads its graph file straight into one: `graphFromBuffer(new Uint8Array(sab))`) is used
 * as it is; otherwise every array and the spatial index are copied, once, into one new buffer.
 */
export function shareGraph(graph: Graph): SharedGraph {
  const indexData = graph.index.data as ArrayBuffer | SharedArrayBuffer;
  const arrays = GRAPH_ARRAYS.map((name) => graph[name] as TypedArray);
  if (indexData instanceof SharedArrayBuffer && arrays.every((a) => a.buffer instanceof SharedArrayBuffer)) {
    return { ...graph, index: { data: indexData, byteOffset: graph.index.byteOffset } };
  }
  const indexBytes = indexData.byteLength - graph.index.byteOffset;
  let total = align8(indexBytes);
  for (const a of arrays) total += align8(a.byteLength);
  const sab = new SharedArrayBuffer(total);
  const bytes = new Uint8Array(sab);
  // The index first: Flatbush.from needs an 8-byte aligned offset, and 0 is.
  bytes.set(new Uint8Array(indexData, graph.index.byteOffset, indexBytes), 0);
  let offset = align8(indexBytes);
  const copies = {} as Record<GraphArray, TypedArray>;
  for (const name of GRAPH_ARRAYS) {
    const a = graph[name] as TypedArray;
    const Type = a.constructor as new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => TypedArray;
    const copy = new Type(sab, offset, a.length);
    copy.set(a as never);
    copies[name] = copy;
    offset += align8(a.byteLength);
  }
  return { ...graph, ...(copies as Pick<Graph, GraphArray>), index: { data: sab, byteOffset: 0 } };
}

/** The Graph a worker searches: views over the shared arrays, the index wrapped without copying. */
export function graphFromShared(shared: SharedGraph): Graph {
  return { ...shared, index: Flatbush.from(shared.index.data, shared.index.byteOffset) };
}

export function shareCosting(costing: Costing): SharedCosting {
  const n = costing.forward.length;
  const sab = new SharedArrayBuffer(2 * n * Float64Array.BYTES_PER_ELEMENT);
  const forward = new Float64Array(sab, 0, n);
  const reverse = new Float64Array(sab, n * Float64Array.BYTES_PER_ELEMENT, n);
  forward.set(costing.forward);
  reverse.set(costing.reverse);
  return { speeds: costing.speeds, forward, reverse, accessSpeedMps: costing.accessSpeedMps };
}

export function costingFromShared(graph: Graph, shared: SharedCosting): Costing {
  return { graph, speeds: shared.speeds, forward: shared.forward, reverse: shared.reverse, accessSpeedMps: shared.accessSpeedMps };
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
