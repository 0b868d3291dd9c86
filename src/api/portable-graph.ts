import Flatbush from 'flatbush';
import type { Graph } from '../network/graph.ts';

/**
 * A Graph in a form that survives `postMessage` (structured clone keeps typed arrays but not the
 * Flatbush class): the spatial index travels as its buffer and is wrapped again on arrival.
 * Only used when the default network exists in memory but not as a `.lcg` file a worker could read.
 */
export type PortableGraph = Omit<Graph, 'index'> & { index: { data: ArrayBuffer; byteOffset: number } };

export function toPortableGraph(graph: Graph): PortableGraph {
  return { ...graph, index: { data: graph.index.data as ArrayBuffer, byteOffset: graph.index.byteOffset } };
}

export function fromPortableGraph(portable: PortableGraph): Graph {
  return { ...portable, index: Flatbush.from(portable.index.data, portable.index.byteOffset) };
}
