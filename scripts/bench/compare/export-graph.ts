/**
 * The network and origins the comparison benchmarks hand to the other engines, so every engine
 * reads the same graph and starts from the same vertices.
 */
import type { Graph } from '../../../src/core/network/graph.ts';
import { type Costing, edgeCost } from '../../../src/core/routing/costing.ts';
import { locatePoints } from '../../../src/core/routing/locate.ts';
import { pointsNearRoads } from '../sample-points.ts';

/**
 * The walking graph as pgRouting's edge list (id, source, target, cost, reverse_cost; networkx reads
 * the same CSV), ids from 1, times in seconds. Costs are written with JavaScript's shortest
 * round-trip representation, so PostgreSQL and Python parse back the very float64 lifecircle adds:
 * the answers can then be compared to 1e-6 s, not to a rounding. -1 marks a direction the mode may
 * not use (pgRouting's convention).
 */
export function edgeListCsv(costing: Costing): string {
  const graph = costing.graph;
  const lines = ['id,source,target,cost,reverse_cost'];
  for (let e = 0; e < graph.edgeCount; e++) {
    const along = edgeCost(costing, e, 0);
    const against = edgeCost(costing, e, 1);
    if (along === Infinity && against === Infinity) continue;
    lines.push(`${e + 1},${graph.edgeFrom[e] + 1},${graph.edgeTo[e] + 1},${along === Infinity ? -1 : along},${against === Infinity ? -1 : against}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Up to `count` distinct origin vertices (0-based): seeded points near roads, each moved to the nearer
 * end of the edge it snaps to, because pgr_drivingDistance starts from vertices. Distinct, because
 * pgRouting answers a repeated root once and the engines must do the same work; a small network
 * (Taipei: 91 nodes) gives fewer. Only vertices a point at their position denotes (`pointVertices`),
 * so the HTTP request starts from the same ones.
 */
export function originVertices(graph: Graph, costing: Costing, count: number): number[] {
  const points = locatePoints(costing, pointsNearRoads(graph, count * 10, 43, 'origin'), { what: 'origins' });
  const candidates = new Set<number>();
  for (const { snap } of points) if (snap) candidates.add(snap.fraction < 0.5 ? graph.edgeFrom[snap.edge] : graph.edgeTo[snap.edge]);
  const denoted = pointVertices(costing, [...candidates]);
  return [...candidates].filter((v) => denoted.has(v)).slice(0, count);
}

/**
 * The vertices a point at their own position snaps back to (at that end of an edge of theirs). A point
 * API (travel-times) names places by coordinates, and some vertices share theirs with another place on
 * the network: two vertices at one position, or a vertex lying on another edge's line where roads cross
 * without meeting (bridges, tunnels). A point there may snap to the other place, so it does not stand
 * for the vertex.
 */
export function pointVertices(costing: Costing, vertices: readonly number[]): Set<number> {
  const graph = costing.graph;
  const features = vertices.map((v) => ({ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [graph.nodeCoords[2 * v], graph.nodeCoords[2 * v + 1]] } }));
  const located = locatePoints(costing, { type: 'FeatureCollection', features }, { what: 'targets' });
  const denoted = new Set<number>();
  located.forEach(({ snap }, i) => {
    const v = vertices[i];
    if (snap && ((snap.fraction === 0 && graph.edgeFrom[snap.edge] === v) || (snap.fraction === 1 && graph.edgeTo[snap.edge] === v))) denoted.add(v);
  });
  return denoted;
}
