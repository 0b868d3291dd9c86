import { haversineM } from '../geo/distance.ts';
import type { Graph } from './graph.ts';

/**
 * The part of edge e's polyline between two positions (shares of its length), as [lon, lat] points,
 * in travel order: reversed when `from` > `to`.
 */
export function edgeSlice(graph: Graph, e: number, from: number, to: number): [number, number][] {
  const start = graph.edgeGeomStart[e];
  const end = graph.edgeGeomStart[e + 1];
  const g = graph.geom;
  const lengths: number[] = [];
  let total = 0;
  for (let p = start; p < end - 1; p++) {
    const len = haversineM(g[2 * p], g[2 * p + 1], g[2 * p + 2], g[2 * p + 3]);
    lengths.push(len);
    total += len;
  }
  const lo = Math.min(from, to) * total;
  const hi = Math.max(from, to) * total;
  const out: [number, number][] = [];
  let acc = 0;
  for (let i = 0, p = start; p < end - 1; i++, p++) {
    const a = acc;
    const b = acc + lengths[i];
    acc = b;
    if (b < lo || a > hi) continue;
    const at = (d: number): [number, number] => {
      const k = lengths[i] > 0 ? (d - a) / lengths[i] : 0;
      return [g[2 * p] + (g[2 * p + 2] - g[2 * p]) * k, g[2 * p + 1] + (g[2 * p + 3] - g[2 * p + 1]) * k];
    };
    if (out.length === 0) out.push(at(Math.max(lo, a)));
    out.push(at(Math.min(hi, b)));
    if (b >= hi) break;
  }
  if (out.length === 1) out.push(out[0]);
  return from > to ? out.reverse() : out;
}
