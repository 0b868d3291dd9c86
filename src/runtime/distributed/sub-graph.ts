import { LocalProjection } from '../../core/geo/local-projection.ts';
import { buildArcs, indexSegments } from '../../core/network/compile.ts';
import { type Graph, GRAPH_SECTIONS, SECTION_NAMES, type SectionSpec } from '../../core/network/graph.ts';
import { allocateGraph, placeIndex } from '../../core/network/graph-buffer.ts';
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

  const counts = { nodes: nodeCount, edges: edgeCount, points };
  const { bytes, arrays } = allocateGraph(counts);
  for (let n = 0; n < graph.nodeCount; n++) {
    if (nodeOf[n] < 0) continue;
    arrays.nodeCoords[2 * nodeOf[n]] = graph.nodeCoords[2 * n];
    arrays.nodeCoords[2 * nodeOf[n] + 1] = graph.nodeCoords[2 * n + 1];
  }
  // Plain per-edge values (length, class, access, ... whatever GRAPH_SECTIONS marks so) are copied as
  // they are; nodes and names are renumbered, geometry gathered, arcs and segments rebuilt.
  const perEdge = SECTION_NAMES.flatMap((name) => {
    const width = (GRAPH_SECTIONS[name] as SectionSpec).perEdge;
    return width ? [{ parent: graph[name], piece: arrays[name], width }] : [];
  });
  const { edgeFrom, edgeTo, edgeName, edgeGeomStart, geom } = arrays;
  const names = [''];
  const nameOf = new Map<number, number>([[0, 0]]);
  let i = 0;
  let p = 0;
  for (let e = 0; e < graph.edgeCount; e++) {
    if (!keep[e]) continue;
    // Edges are in tail-node order and node numbers keep their order: the CSR stays sorted.
    edgeFrom[i] = nodeOf[graph.edgeFrom[e]];
    edgeTo[i] = nodeOf[graph.edgeTo[e]];
    for (const { parent, piece, width } of perEdge) for (let k = 0; k < width; k++) piece[i * width + k] = parent[e * width + k];
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

  buildArcs(arrays);
  const { index, bbox } = indexSegments(arrays, graph.meta.projectionLat);
  return {
    nodeCount,
    edgeCount,
    ...arrays,
    bytes,
    index: placeIndex(bytes, counts, index),
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
