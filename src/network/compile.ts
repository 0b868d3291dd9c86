import Flatbush from 'flatbush';
import { LocalProjection } from '../geo/local-projection.ts';
import type { EdgePieces } from './build-graph.ts';
import type { Graph, ImportReport } from './graph.ts';
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
  const nodeCoords = new Float64Array(nodeCount * 2);
  for (let n = 0; n < nodeCount; n++) {
    const v = order[n];
    nodeOfVertex[v] = n;
    nodeCoords[2 * n] = vertexCoords[2 * v];
    nodeCoords[2 * n + 1] = vertexCoords[2 * v + 1];
  }

  // Edges, ordered by their tail node so edge data is read close to arc data.
  kept.sort((a, b) => nodeOfVertex[pieces.from[a]] - nodeOfVertex[pieces.from[b]]);
  const edgeFrom = new Uint32Array(edgeCount);
  const edgeTo = new Uint32Array(edgeCount);
  const edgeLength = new Float64Array(edgeCount);
  const edgeClass = new Uint8Array(edgeCount);
  const edgeMaxspeed = new Uint8Array(edgeCount);
  const edgeAccess = new Uint8Array(edgeCount);
  const edgeName = new Uint32Array(edgeCount);
  const edgeGeomStart = new Uint32Array(edgeCount + 1);
  let points = 0;
  for (const e of kept) points += pieces.geomStart[e + 1] - pieces.geomStart[e];
  const geom = new Float64Array(points * 2);
  let p = 0;
  for (let i = 0; i < edgeCount; i++) {
    const e = kept[i];
    const line = pieces.line[e];
    edgeFrom[i] = nodeOfVertex[pieces.from[e]];
    edgeTo[i] = nodeOfVertex[pieces.to[e]];
    edgeLength[i] = pieces.length[e];
    edgeClass[i] = pieces.lineClass[line];
    edgeMaxspeed[i] = pieces.lineMaxspeed[line];
    edgeAccess[i] = pieces.lineAccess[line];
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

  const csr = buildArcs(nodeCount, edgeFrom, edgeTo);
  const { segEdge, index, projectionLat, bbox } = indexSegments(edgeCount, edgeGeomStart, geom);

  const report = { byMode: usableByMode(edgeCount, edgeClass, edgeMaxspeed, edgeAccess, edgeLength) } as ImportReport;
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
    names: input.names,
    meta: { projectionLat, bbox, source: input.source, createdAt: new Date().toISOString(), report },
  };
}

/** CSR arcs: two per edge, grouped by tail node; twins and the (edge, direction) → arc map. */
export function buildArcs(nodeCount: number, edgeFrom: Uint32Array, edgeTo: Uint32Array) {
  const edgeCount = edgeFrom.length;
  const arcOffsets = new Uint32Array(nodeCount + 1);
  for (let e = 0; e < edgeCount; e++) {
    arcOffsets[edgeFrom[e] + 1]++;
    arcOffsets[edgeTo[e] + 1]++;
  }
  for (let n = 0; n < nodeCount; n++) arcOffsets[n + 1] += arcOffsets[n];
  const fill = arcOffsets.slice(0, nodeCount);
  const arcCount = edgeCount * 2;
  const arcHead = new Uint32Array(arcCount);
  const arcEdge = new Uint32Array(arcCount);
  const edgeArc = new Uint32Array(arcCount);
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
  const arcTwin = new Uint32Array(arcCount);
  for (let a = 0; a < arcCount; a++) arcTwin[a] = edgeArc[arcEdge[a] ^ 1];
  return { arcOffsets, arcHead, arcEdge, arcTwin, edgeArc };
}

/**
 * One Flatbush item per polyline segment, in local metres so that box distances are distances.
 * `projectionLat` fixes the frame (default: the middle of the geometry): a piece cut out of a larger
 * graph keeps its parent's frame, so points snap to exactly the same place in both.
 */
export function indexSegments(edgeCount: number, edgeGeomStart: Uint32Array, geom: Float64Array, projectionLat?: number) {
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
  const segmentCount = geom.length / 2 - edgeCount;
  const segEdge = new Uint32Array(segmentCount);
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
  return { segEdge, index, projectionLat: frameLat, bbox: [minLon, minLat, maxLon, maxLat] as [number, number, number, number] };
}

function usableByMode(edgeCount: number, edgeClass: Uint8Array, edgeMaxspeed: Uint8Array, edgeAccess: Uint8Array, edgeLength: Float64Array) {
  const byMode: Record<string, { edges: number; lengthKm: number }> = {};
  MODES.forEach((mode, m) => {
    const table = speedTable(mode);
    let edges = 0;
    let length = 0;
    for (let e = 0; e < edgeCount; e++) {
      if (((edgeAccess[e] >> (2 * m)) & 3) === 0 || edgeSpeedKmh(table, edgeClass[e], edgeMaxspeed[e]) === 0) continue;
      edges++;
      length += edgeLength[e];
    }
    byMode[mode] = { edges, lengthKm: Math.round(length) / 1000 };
  });
  return byMode;
}

/** Vertex ids sorted along a Hilbert curve over their bounding box. */
function hilbertOrder(vertices: number[], coords: Float64Array): Uint32Array {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const v of vertices) {
    minX = Math.min(minX, coords[2 * v]);
    maxX = Math.max(maxX, coords[2 * v]);
    minY = Math.min(minY, coords[2 * v + 1]);
    maxY = Math.max(maxY, coords[2 * v + 1]);
  }
  const side = (1 << 13) - 1;
  const sx = side / (maxX - minX || 1);
  const sy = side / (maxY - minY || 1);
  // Key = hilbert(26 bits) · 2^27 + position (exact in a double): one numeric sort, no comparator.
  const keys = new Float64Array(vertices.length);
  for (let i = 0; i < vertices.length; i++) {
    const v = vertices[i];
    const h = hilbert(Math.floor((coords[2 * v] - minX) * sx), Math.floor((coords[2 * v + 1] - minY) * sy), side + 1);
    keys[i] = h * 134217728 + i;
  }
  keys.sort();
  const order = new Uint32Array(vertices.length);
  for (let i = 0; i < keys.length; i++) order[i] = vertices[keys[i] % 134217728];
  return order;
}

/** Position of (x, y) along the Hilbert curve filling an n×n grid (n a power of two). */
function hilbert(x: number, y: number, n: number): number {
  let d = 0;
  for (let s = n >> 1; s > 0; s >>= 1) {
    const rx = (x & s) > 0 ? 1 : 0;
    const ry = (y & s) > 0 ? 1 : 0;
    d += s * s * ((3 * rx) ^ ry);
    if (ry === 0) {
      if (rx === 1) {
        x = s - 1 - x;
        y = s - 1 - y;
      }
      const t = x;
      x = y;
      y = t;
    }
  }
  return d;
}
