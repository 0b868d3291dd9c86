import type { Graph } from '../../network/graph.ts';
import { type GraphParts, graphFromParts, sharedGraphParts } from '../../network/graph-buffer.ts';
import type { SpeedTable } from '../../network/profiles.ts';
import type { Costing } from '../../routing/costing.ts';

/**
 * The compiled graph and per-mode arc costs in SharedArrayBuffers, so that every worker thread
 * searches the same memory: a 1M-edge city is ~150 MB of typed arrays, and a copy per thread would
 * blow the memory budget of a nightly run. Structured clone (workerData, task messages) passes a
 * typed array over a SharedArrayBuffer as a view of the same memory, never a copy.
 */
export type SharedGraph = GraphParts;

/** A Costing's arrays over shared memory, with what is needed to rebuild the Costing in a worker. */
export interface SharedCosting {
  speeds: SpeedTable;
  forward: Float64Array;
  reverse: Float64Array;
  accessSpeedMps: number;
}

/**
 * The graph's one buffer in shared memory (src/core/network/graph-buffer.ts): a graph already loaded into a
 * SharedArrayBuffer (the nightly command and the service read graph files so) is used as it is;
 * otherwise its buffer is copied, once.
 */
export function shareGraph(graph: Graph): SharedGraph {
  return sharedGraphParts(graph);
}

/** The Graph a worker searches: views over the shared buffer, the index wrapped without copying. */
export function graphFromShared(shared: SharedGraph): Graph {
  return graphFromParts(shared);
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
