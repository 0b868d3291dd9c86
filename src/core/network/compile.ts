import Flatbush from 'flatbush';
import { hilbertOrder } from '../geo/hilbert-order.ts';
import { LocalProjection } from '../geo/local-projection.ts';
import type { EdgePieces } from './build-graph.ts';
import type { Graph, GraphArrays, ImportReport } from './graph.ts';
import { allocateGraph, placeIndex } from './graph-buffer.ts';
import { MODES, edgeSpeedKmh, speedTable } from './profiles.ts';

export interface CompileInput {
  vertexCoords: Float64Array;
  vertexCount: number;
  pieces: EdgePieces;
  keepEdge: (e: number) => boolean;
  names: string[];
  source: string;
}

/**
 * Packs edges into the typed-array graph. Nodes are numbered along a Hilbert curve so that a search,
 * which spreads through space, walks through memory mostly in order.
 */
export function compileGraph(input: CompileInput): Graph {
  const { pieces, vertexCoords } = input;
  const kept: number[] = [];
  for (let e = 0; e < pieces.edgeCount; e++) if (input.keepEdge(e)) kept.push(e);
  const edgeCount = kept.length;

  // Nodes: vertices ending a kept edge, in Hilbert order.
  const nodeOfVertex = new Int32Array(input.vertexCount).fill(-1);
  const nodeVertices: number[] = [];
  for (const e of kept) {
    for (const v of [pieces.from[e], pieces.to[e]]) {
      if (nodeOfVertex[v] === -2) continue;
      nodeOfVertex[v] = -2;
      nodeVertices.push(v);
    }
  }
  const order = hilbertOrder(nodeVertices, vertexCoords);
  const nodeCount = order.length;
  let points = 0;
  for (const e of kept) points += pieces.geomStart[e + 1] - pieces.geomStart[e];
  // Every array is a section of the graph's one buffer, filled in place.
  const counts = { nodes: nodeCount, edges: edgeCount, points };
  const { bytes, arrays } = allocateGraph(counts);
  const { nodeCoords, edgeFrom, edgeTo, edgeLength, edgeClass, edgeMaxspeed, edgeAccess, edgeName, edgeGeomStart, geom } = arrays;
  for (let n = 0; n < nodeCount; n++) {
    const v = order[n];
    nodeOfVertex[v] = n;
    nodeCoords[2 * n] = vertexCoords[2 * v];
    nodeCoords[2 * n + 1] = vertexCoords[2 * v + 1];
  }

  // Edges, ordered by their tail node so edge data is read close to arc data.
  kept.sort((a, b) => nodeOfVertex[pieces.from[a]] - nodeOfVertex[pieces.from[b]]);
  const modeCount = MODES.length;
  let p = 0;
  for (let i = 0; i < edgeCount; i++) {
    const e = kept[i];
    const line = pieces.line[e];
    edgeFrom[i] = nodeOfVertex[pieces.from[e]];
    edgeTo[i] = nodeOfVertex[pieces.to[e]];
    edgeLength[i] = pieces.length[e];
    edgeClass[i] = pieces.lineClass[line];
    edgeMaxspeed[i] = pieces.lineMaxspeed[line];
    for (let m = 0; m < modeCount; m++) edgeAccess[i * modeCount + m] = pieces.lineAccess[line * modeCount + m];
    edgeName[i] = pieces.lineName[line];
    edgeGeomStart[i] = p;
    for (let k = pieces.geomStart[e]; k < pieces.geomStart[e + 1]; k++) {
      const v = pieces.geomVertices[k];
      geom[2 * p] = vertexCoords[2 * v];
      geom[2 * p + 1] = vertexCoords[2 * v + 1];
      p++;
    }
  }
  edgeGeomStart[edgeCount] = p;

  buildArcs(arrays);
  const { index, projectionLat, bbox } = indexSegments(arrays);

  const report = { byMode: usableByMode(arrays) } as ImportReport;
  return {
    nodeCount,
    edgeCount,
    ...arrays,
    bytes,
    index: placeIndex(bytes, counts, index),
    names: input.names,
    meta: { projectionLat, bbox, source: input.source, createdAt: new Date().toISOString(), report },
  };
}

/** CSR arcs into the graph's arc sections: two per edge, grouped by tail node; twins and the (edge, direction) → arc map. */
export function buildArcs(graph: Pick<GraphArrays, 'edgeFrom' | 'edgeTo' | 'arcOffsets' | 'arcHead' | 'arcEdge' | 'arcTwin' | 'edgeArc'>): void {
  const { edgeFrom, edgeTo, arcOffsets, arcHead, arcEdge, arcTwin, edgeArc } = graph;
  const edgeCount = edgeFrom.length;
  const nodeCount = arcOffsets.length - 1;
  for (let e = 0; e < edgeCount; e++) {
    arcOffsets[edgeFrom[e] + 1]++;
    arcOffsets[edgeTo[e] + 1]++;
  }
  for (let n = 0; n < nodeCount; n++) arcOffsets[n + 1] += arcOffsets[n];
  const fill = arcOffsets.slice(0, nodeCount);
  for (let e = 0; e < edgeCount; e++) {
    const along = fill[edgeFrom[e]]++;
    arcHead[along] = edgeTo[e];
    arcEdge[along] = e * 2;
    edgeArc[e * 2] = along;
    const against = fill[edgeTo[e]]++;
    arcHead[against] = edgeFrom[e];
    arcEdge[against] = e * 2 + 1;
    edgeArc[e * 2 + 1] = against;
  }
  for (let a = 0; a < arcEdge.length; a++) arcTwin[a] = edgeArc[arcEdge[a] ^ 1];
}

/**
 * One Flatbush item per polyline segment, in local metres so that box distances are distances.
 * `projectionLat` fixes the frame (default: the middle of the geometry): a piece cut out of a larger
 * graph keeps its parent's frame, so points snap to exactly the same place in both.
 */
export function indexSegments(graph: Pick<GraphArrays, 'edgeGeomStart' | 'geom' | 'segEdge'>, projectionLat?: number) {
  const { edgeGeomStart, geom, segEdge } = graph;
  const edgeCount = edgeGeomStart.length - 1;
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (let i = 0; i < geom.length; i += 2) {
    if (geom[i] < minLon) minLon = geom[i];
    if (geom[i] > maxLon) maxLon = geom[i];
    if (geom[i + 1] < minLat) minLat = geom[i + 1];
    if (geom[i + 1] > maxLat) maxLat = geom[i + 1];
  }
  const frameLat = projectionLat ?? (minLat + maxLat) / 2;
  const proj = new LocalProjection(frameLat);
  const segmentCount = segEdge.length;
  const index = new Flatbush(Math.max(1, segmentCount));
  let s = 0;
  for (let e = 0; e < edgeCount; e++) {
    for (let p = edgeGeomStart[e]; p < edgeGeomStart[e + 1] - 1; p++) {
      const x0 = proj.x(geom[2 * p]);
      const y0 = proj.y(geom[2 * p + 1]);
      const x1 = proj.x(geom[2 * p + 2]);
      const y1 = proj.y(geom[2 * p + 3]);
      index.add(Math.min(x0, x1), Math.min(y0, y1), Math.max(x0, x1), Math.max(y0, y1));
      segEdge[s++] = e;
    }
  }
  if (segmentCount === 0) index.add(0, 0, 0, 0);
  index.finish();
  return { index, projectionLat: frameLat, bbox: [minLon, minLat, maxLon, maxLat] as [number, number, number, number] };
}

function usableByMode({ edgeClass, edgeMaxspeed, edgeAccess, edgeLength }: GraphArrays) {
  const edgeCount = edgeLength.length;
  const byMode: Record<string, { edges: number; lengthKm: number }> = {};
  MODES.forEach((mode, m) => {
    const table = speedTable(mode);
    let edges = 0;
    let length = 0;
    for (let e = 0; e < edgeCount; e++) {
      if (edgeAccess[e * MODES.length + m] === 0 || edgeSpeedKmh(table, edgeClass[e], edgeMaxspeed[e]) === 0) continue;
      edges++;
      length += edgeLength[e];
    }
    byMode[mode] = { edges, lengthKm: Math.round(length) / 1000 };
  });
  return byMode;
}
