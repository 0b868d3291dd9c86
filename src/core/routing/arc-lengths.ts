import type { Graph } from '../network/graph.ts';

/**
 * Metres per arc, laid out like the arcs so a search's relaxation loop reads one array instead of
 * going through the arc's edge. Derived once per graph and shared by every search on it (a router and
 * a city-wide search in the same thread would otherwise each hold 16 MB of it on a 1M-edge city).
 */
const byGraph = new WeakMap<Graph, Float64Array>();

export function arcLengths(graph: Graph): Float64Array {
  let lengths = byGraph.get(graph);
  if (!lengths) {
    lengths = new Float64Array(graph.arcHead.length);
    for (let a = 0; a < lengths.length; a++) lengths[a] = graph.edgeLength[graph.arcEdge[a] >>> 1];
    byGraph.set(graph, lengths);
  }
  return lengths;
}
