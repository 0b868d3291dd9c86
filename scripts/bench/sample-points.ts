import type { Feature, FeatureCollection, Point } from 'geojson';
import type { Graph } from '../../src/core/network/graph.ts';
import { FACILITY_CATEGORIES } from '../lib/city-vocab.ts';
import { Rng } from '../lib/prng.ts';

/**
 * Seeded points near a real network's roads (within ~30 m), for benchmarks on extracts that have too
 * few mapped facilities: `facilities` carry one of the 42 categories of the generated city, drawn
 * with the same relative frequencies.
 */
export function pointsNearRoads(graph: Graph, count: number, seed: number, kind: 'facility' | 'origin'): FeatureCollection<Point> {
  const rng = new Rng(seed);
  const totalWeight = FACILITY_CATEGORIES.reduce((s, c) => s + c.weight, 0);
  const features: Feature<Point>[] = [];
  for (let i = 0; i < count; i++) {
    const e = Math.floor(rng.next() * graph.edgeCount);
    const p = graph.edgeGeomStart[e] + Math.floor(rng.next() * (graph.edgeGeomStart[e + 1] - graph.edgeGeomStart[e] - 1));
    const f = rng.next();
    const g = graph.geom;
    const lon = g[2 * p] + (g[2 * p + 2] - g[2 * p]) * f + (rng.next() - 0.5) * 0.0005;
    const lat = g[2 * p + 1] + (g[2 * p + 3] - g[2 * p + 1]) * f + (rng.next() - 0.5) * 0.0005;
    let category = FACILITY_CATEGORIES[0].category;
    if (kind === 'facility') {
      let r = rng.next() * totalWeight;
      for (const c of FACILITY_CATEGORIES) {
        r -= c.weight;
        if (r <= 0) {
          category = c.category;
          break;
        }
      }
    }
    features.push({
      type: 'Feature',
      properties: kind === 'facility' ? { id: `f${i}`, category } : { id: `o${i}` },
      geometry: { type: 'Point', coordinates: [lon, lat] },
    });
  }
  return { type: 'FeatureCollection', features };
}
