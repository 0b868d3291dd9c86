import type { Feature, FeatureCollection, LineString } from 'geojson';
import { EARTH_RADIUS_M, haversineM } from '../../src/core/geo/distance.ts';

/** A small seeded PRNG (mulberry32): tests print the seed, so any failure can be replayed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomEdge {
  a: number;
  b: number;
  /** Vehicles may only go a → b. */
  oneway: boolean;
  /** Walkers may not use it. */
  motorway: boolean;
}

export interface RandomNetwork {
  vertices: [number, number][];
  edges: RandomEdge[];
  network: FeatureCollection<LineString>;
}

const KY = (EARTH_RADIUS_M * Math.PI) / 180;

/**
 * A random road network of `n` junctions in a ~2 km square: each junction joined to a few of its
 * nearest neighbours, some streets one-way, a few motorways. Every edge is one straight line, so
 * brute force can use the same haversine lengths as the graph.
 */
export function randomNetwork(seed: number, n: number): RandomNetwork {
  const rand = mulberry32(seed);
  const lat0 = 23.13;
  const kx = KY * Math.cos((lat0 * Math.PI) / 180);
  const vertices: [number, number][] = [];
  for (let i = 0; i < n; i++) vertices.push([113.26 + (rand() * 2000) / kx, lat0 + (rand() * 2000) / KY]);
  const edges: RandomEdge[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const near = vertices
      .map((v, j) => ({ j, d: haversineM(vertices[i][0], vertices[i][1], v[0], v[1]) }))
      .filter((x) => x.j !== i)
      .sort((x, y) => x.d - y.d)
      .slice(0, 1 + Math.floor(rand() * 3));
    for (const { j } of near) {
      const key = i < j ? `${i}-${j}` : `${j}-${i}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ a: i, b: j, oneway: rand() < 0.25, motorway: rand() < 0.08 });
    }
  }
  const features: Feature<LineString>[] = edges.map((e) => ({
    type: 'Feature',
    properties: e.motorway ? { highway: 'motorway', oneway: e.oneway ? 'yes' : 'no' } : { highway: 'residential', ...(e.oneway ? { oneway: 'yes' } : {}) },
    geometry: { type: 'LineString', coordinates: [vertices[e.a], vertices[e.b]] },
  }));
  return { vertices, edges, network: { type: 'FeatureCollection', features } };
}
