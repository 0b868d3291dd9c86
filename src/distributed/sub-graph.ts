import { LocalProjection } from '../geo/local-projection.ts';
import { buildArcs, indexSegments } from '../network/compile.ts';
import type { Graph } from '../network/graph.ts';
import type { Bbox } from './partition.ts';

/**
 * The part of a compiled graph whose roads touch any of the boxes, as a graph of its own.
 *
 * Cut from the compiled graph rather than rebuilt from the raw lines, so that a partition's roads are
 * exactly the whole graph's: the same nodes (a junction whose other roads fall outside the boxes stays
 * a node, its edges are not merged), the same edge lengths to the last bit, the same small pieces
 * dropped at import, and the spatial index in the parent's metric frame, so points snap to the same
 * place. Nodes and edges keep their relative order: searches visit ties in the same order too.
 */
export function cutGraph(graph: Graph, boxes: readonly Bbox[], source: string): Graph {
  const keep = new Uint8Array(graph.edgeCount);
  const proj = new LocalProjection(graph.meta.projectionLat);
  const segments = graph.segEdge.length;
  for (const b of boxes) {
    // The index holds segments in the parent's frame, which is linear in lon and lat: a lon/lat box
    // maps to exactly one box there. The filter marks and collects nothing.
    graph.index.search(proj.x(b[0]), proj.y(b[1]), proj.x(b[2]), proj.y(b[3]), (i) => {
      if (i < segments) keep[graph.segEdge[i]] = 1;
      return false;
    });
  }

  const nodeOf = new Int32Array(graph.nodeCount).fill(-1);
  let edgeCount = 0;
  let points = 0;
  for (let e = 0; e < graph.edgeCount; e++) {
    if (!keep[e]) continue;
    edgeCount++;
    points += graph.edgeGeomStart[e + 1] - graph.edgeGeomStart[e];
    nodeOf[graph.edgeFrom[e]] = 0;
    nodeOf[graph.edgeTo[e]] = 0;
  }
  let nodeCount = 0;
  for (let n = 0; n < graph.nodeCount; n++) if (nodeOf[n] === 0) nodeOf[n] = nodeCount++;
  const nodeCoords = new Float64Array(nodeCount * 2);
  for (let n = 0; n < graph.nodeCount; n++) {
    if (nodeOf[n] < 0) continue;
    nodeCoords[2 * nodeOf[n]] = graph.nodeCoords[2 * n];
    nodeCoords[2 * nodeOf[n] + 1] = graph.nodeCoords[2 * n + 1];
  }

  const edgeFrom = new Uint32Array(edgeCount);
  const edgeTo = new Uint32Array(edgeCount);
  const edgeLength = new Float64Array(edgeCount);
  const edgeClass = new Uint8Array(edgeCount);
  const edgeMaxspeed = new Uint8Array(edgeCount);
  const edgeAccess = new Uint8Array(edgeCount);
  const edgeName = new Uint32Array(edgeCount);
  const edgeGeomStart = new Uint32Array(edgeCount + 1);
  const geom = new Float64Array(points * 2);
  const names = [''];
  const nameOf = new Map<number, number>([[0, 0]]);
  let i = 0;
  let p = 0;
  for (let e = 0; e < graph.edgeCount; e++) {
    if (!keep[e]) continue;
    // Edges are in tail-node order and node numbers keep their order: the CSR stays sorted.
    edgeFrom[i] = nodeOf[graph.edgeFrom[e]];
    edgeTo[i] = nodeOf[graph.edgeTo[e]];
    edgeLength[i] = graph.edgeLength[e];
    edgeClass[i] = graph.edgeClass[e];
    edgeMaxspeed[i] = graph.edgeMaxspeed[e];
    edgeAccess[i] = graph.edgeAccess[e];
    let name = nameOf.get(graph.edgeName[e]);
    if (name === undefined) {
      name = names.length;
      names.push(graph.names[graph.edgeName[e]]);
      nameOf.set(graph.edgeName[e], name);
    }
    edgeName[i] = name;
    edgeGeomStart[i] = p;
    const from = graph.edgeGeomStart[e];
    const to = graph.edgeGeomStart[e + 1];
    geom.set(graph.geom.subarray(2 * from, 2 * to), 2 * p);
    p += to - from;
    i++;
  }
  edgeGeomStart[edgeCount] = p;

  const csr = buildArcs(nodeCount, edgeFrom, edgeTo);
  const { segEdge, index, bbox } = indexSegments(edgeCount, edgeGeomStart, geom, graph.meta.projectionLat);
  return {
    nodeCount,
    edgeCount,
    nodeCoords,
    edgeFrom,
    edgeTo,
    edgeLength,
    edgeClass,
    edgeMaxspeed,
    edgeAccess,
    edgeName,
    edgeGeomStart,
    geom,
    ...csr,
    segEdge,
    index,
    names,
    meta: {
      projectionLat: graph.meta.projectionLat,
      bbox: edgeCount > 0 ? bbox : [...graph.meta.bbox],
      source,
      createdAt: graph.meta.createdAt,
      // The import report describes the whole network the piece was cut from.
      report: { ...graph.meta.report, examples: [] },
    },
  };
}
