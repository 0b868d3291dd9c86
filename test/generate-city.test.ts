import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATEGORY_IDS } from '../src/core/facilities/categories.ts';
import { describe, expect, it } from 'vitest';
import type { Feature, LineString, Point, Polygon } from 'geojson';
import { CATEGORIES, CITY_CENTRE, generateCity } from '../scripts/lib/city.ts';
import { writeFeatureCollection } from '../scripts/lib/geojson-stream.ts';
import { Rng, hash01 } from '../scripts/lib/prng.ts';

const OPTIONS = { edges: 5000, pois: 400, communities: 200, origins: 100, seed: 42 };

function collect(seed: number | string) {
  const city = generateCity({ ...OPTIONS, seed });
  return {
    city,
    network: [...city.network()],
    facilities: [...city.facilities()],
    communities: [...city.communities()],
    origins: [...city.origins()],
  };
}

const A = collect(42);

// Local metres around the city centre (equirectangular: fine over a few km).
const KX = 111320 * Math.cos((CITY_CENTRE.lat * Math.PI) / 180);
const KY = 110574;
const mx = (lon: number): number => (lon - CITY_CENTRE.lon) * KX;
const my = (lat: number): number => (lat - CITY_CENTRE.lat) * KY;

/** Segments of the network in local metres: 4 numbers each. */
const SEGMENTS = (() => {
  const out: number[] = [];
  for (const f of A.network) {
    const c = f.geometry.coordinates;
    for (let k = 1; k < c.length; k++) out.push(mx(c[k - 1][0]), my(c[k - 1][1]), mx(c[k][0]), my(c[k][1]));
  }
  return Float64Array.from(out);
})();

function distanceToNetwork(x: number, y: number): number {
  let best = Infinity;
  for (let k = 0; k < SEGMENTS.length; k += 4) {
    const ax = SEGMENTS[k];
    const ay = SEGMENTS[k + 1];
    const dx = SEGMENTS[k + 2] - ax;
    const dy = SEGMENTS[k + 3] - ay;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len2));
    const d = Math.hypot(x - ax - t * dx, y - ay - t * dy);
    if (d < best) best = d;
  }
  return best;
}

function anchor(f: Feature<Point | Polygon>): [number, number] {
  if (f.geometry.type === 'Point') return [mx(f.geometry.coordinates[0]), my(f.geometry.coordinates[1])];
  const ring = f.geometry.coordinates[0].slice(0, -1);
  return [ring.reduce((s, p) => s + mx(p[0]), 0) / ring.length, ring.reduce((s, p) => s + my(p[1]), 0) / ring.length];
}

describe('prng', () => {
  it('is seeded and stream-separated', () => {
    const a = new Rng(1, 'x');
    const b = new Rng(1, 'x');
    const c = new Rng(1, 'y');
    const sa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(sa);
    for (const v of sa) expect(v >= 0 && v < 1).toBe(true);
    expect(hash01(7, 1, 3)).toBe(hash01(7, 1, 3));
    expect(hash01(7, 1, 3)).not.toBe(hash01(7, 1, 4));
  });
});

describe('generateCity (5,000 edges)', () => {
  it('lands within 1% of the requested edge count, with about 0.55 vertices per edge', () => {
    expect(Math.abs(A.network.length - OPTIONS.edges)).toBeLessThanOrEqual(OPTIONS.edges * 0.01);
    expect(A.city.stats.edges).toBe(A.network.length);
    const vertices = new Set<string>();
    for (const f of A.network) {
      const c = f.geometry.coordinates;
      expect(c.length).toBeGreaterThanOrEqual(2);
      expect(c.length).toBeLessThanOrEqual(4);
      vertices.add(c[0].join(','));
      vertices.add(c[c.length - 1].join(','));
    }
    expect(vertices.size).toBe(A.city.stats.vertices);
    expect(vertices.size / A.network.length).toBeGreaterThan(0.5);
    expect(vertices.size / A.network.length).toBeLessThan(0.6);
  });

  it('has a realistic road mix', () => {
    const count = (pred: (f: Feature<LineString>) => boolean): number => A.network.filter(pred).length;
    const n = A.network.length;
    const hw = (v: string) => (f: Feature<LineString>) => f.properties?.highway === v;
    expect(count(hw('residential')) / n).toBeGreaterThan(0.4);
    for (const v of ['primary', 'secondary', 'tertiary', 'service', 'footway', 'motorway', 'motorway_link']) {
      expect(count(hw(v)), v).toBeGreaterThan(0);
    }
    const oneway = count((f) => f.properties?.oneway === 'yes') / n;
    expect(oneway).toBeGreaterThan(0.04);
    expect(oneway).toBeLessThan(0.14);
    // Arterials carry names; bridges exist.
    for (const f of A.network) {
      if (f.properties?.highway === 'primary' || f.properties?.highway === 'secondary') expect(typeof f.properties.name).toBe('string');
    }
    expect(count((f) => f.properties?.bridge === 'yes')).toBeGreaterThan(0);
  });

  it('is connected for walking (shared vertices are bit-identical)', () => {
    const ids = new Map<string, number>();
    const parent: number[] = [];
    const id = (c: number[]): number => {
      const key = `${c[0]},${c[1]}`;
      let v = ids.get(key);
      if (v === undefined) {
        v = parent.length;
        parent.push(v);
        ids.set(key, v);
      }
      return v;
    };
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x] = parent[parent[x]];
      return x;
    };
    const walkVertices = new Set<number>();
    for (const f of A.network) {
      const c = f.geometry.coordinates;
      const a = id(c[0]);
      const b = id(c[c.length - 1]);
      const h = f.properties?.highway;
      if (h === 'motorway' || h === 'motorway_link') continue;
      walkVertices.add(a).add(b);
      parent[find(a)] = find(b);
    }
    const sizes = new Map<number, number>();
    for (const v of walkVertices) sizes.set(find(v), (sizes.get(find(v)) ?? 0) + 1);
    const largest = Math.max(...sizes.values());
    expect(largest / walkVertices.size).toBeGreaterThan(0.98);
  });

  it('places every facility, community and origin near a road but not on one', () => {
    const all: Feature<Point | Polygon>[] = [...A.facilities, ...A.communities, ...A.origins];
    expect(all.length).toBe(OPTIONS.pois + OPTIONS.communities + OPTIONS.origins);
    for (const f of all) {
      const [x, y] = anchor(f);
      const d = distanceToNetwork(x, y);
      expect(d, JSON.stringify(f.properties)).toBeLessThanOrEqual(60);
      expect(d, JSON.stringify(f.properties)).toBeGreaterThan(2);
    }
  });

  it('uses the whole facility category vocabulary with varying frequencies, and unique ids', () => {
    expect([...CATEGORIES].sort()).toEqual([...CATEGORY_IDS].sort());
    expect(new Set(CATEGORIES).size).toBe(CATEGORY_IDS.length);
    for (const c of CATEGORIES) expect(c).toMatch(/^[a-z]+(_[a-z]+)*$/);
    const seen = new Map<string, number>();
    for (const f of A.facilities) {
      expect(CATEGORIES).toContain(f.properties.category);
      seen.set(f.properties.category, (seen.get(f.properties.category) ?? 0) + 1);
    }
    expect(seen.get('convenience_store') ?? 0).toBeGreaterThan(seen.get('library') ?? 0);
    expect(new Set(A.facilities.map((f) => f.properties.id)).size).toBe(OPTIONS.pois);
    expect(A.facilities[0].properties.id).toBe('f1');
    expect(new Set(A.communities.map((f) => f.properties.id)).size).toBe(OPTIONS.communities);
    expect(new Set(A.origins.map((f) => f.properties.id)).size).toBe(OPTIONS.origins);
  });

  it('describes communities: urban/rural, population, households, districts', () => {
    const rural = A.communities.filter((f) => f.properties.type === 'rural').length / OPTIONS.communities;
    expect(rural).toBeGreaterThan(0.07);
    expect(rural).toBeLessThan(0.25);
    const polygons = A.communities.filter((f) => f.geometry.type === 'Polygon').length / OPTIONS.communities;
    expect(polygons).toBeGreaterThan(0.18);
    expect(polygons).toBeLessThan(0.42);
    for (const f of A.communities) {
      const p = f.properties;
      expect(p.district).toMatch(/^D[1-8]$/);
      expect(p.subdistrict.length).toBeGreaterThan(0);
      expect(p.population).toBeGreaterThan(0);
      expect(p.households).toBeGreaterThan(0);
      expect(p.households).toBeLessThan(p.population);
      if (f.geometry.type === 'Polygon') {
        const ring = f.geometry.coordinates[0];
        expect(ring[0]).toEqual(ring[ring.length - 1]);
      }
    }
  });

  it('is deterministic: same seed → identical features, different seed → different', () => {
    const B = collect(42);
    expect(JSON.stringify(B.network)).toBe(JSON.stringify(A.network));
    expect(JSON.stringify(B.facilities)).toBe(JSON.stringify(A.facilities));
    expect(JSON.stringify(B.communities)).toBe(JSON.stringify(A.communities));
    expect(JSON.stringify(B.origins)).toBe(JSON.stringify(A.origins));
    const C = collect(43);
    expect(JSON.stringify(C.network)).not.toBe(JSON.stringify(A.network));
    expect(JSON.stringify(C.facilities)).not.toBe(JSON.stringify(A.facilities));
    expect(JSON.stringify(C.communities)).not.toBe(JSON.stringify(A.communities));
    expect(JSON.stringify(C.origins)).not.toBe(JSON.stringify(A.origins));
  });

  it('rejects sizes it cannot build', () => {
    expect(() => generateCity({ ...OPTIONS, edges: 10 })).toThrow(/edges/);
    expect(() => generateCity({ ...OPTIONS, pois: -1 })).toThrow(/pois/);
  });
});

describe('writeFeatureCollection', () => {
  it('streams a valid FeatureCollection in small chunks and reports its size', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'city-'));
    try {
      const path = join(dir, 'origins.geojson');
      const result = await writeFeatureCollection(path, A.origins, 256);
      const text = readFileSync(path, 'utf8');
      expect(result.bytes).toBe(Buffer.byteLength(text));
      expect(result.features).toBe(A.origins.length);
      expect(JSON.parse(text)).toEqual({ type: 'FeatureCollection', features: A.origins });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
