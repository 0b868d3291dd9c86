/**
 * The benchmarks' homes: `per` homes around each community of a generated city (seeded, scattered up
 * to 150 m around its point or inside its compound's box, tied by `community`), as a FeatureCollection
 * a request or a nightly reads. Shared by child-homes.ts and child-siting.ts.
 */
import { Rng } from '../lib/prng.ts';
import { round } from './stats.ts';

export interface CommunityFeature {
  properties: { id: string };
  geometry: { type: string; coordinates: number[] | number[][][] };
}

/** Homes around each community: in its compound's box, or within 150 m of its point. */
export function homesFor(features: CommunityFeature[], per: number, seed: number) {
  const rng = new Rng(seed, 'homes');
  const random = () => rng.next();
  const out: unknown[] = [];
  for (const f of features) {
    let [w, s, e, n] = [0, 0, 0, 0];
    if (f.geometry.type === 'Point') {
      const [lon, lat] = f.geometry.coordinates as number[];
      const dLat = 150 / 111_320;
      const dLon = dLat / Math.cos((lat * Math.PI) / 180);
      [w, s, e, n] = [lon - dLon, lat - dLat, lon + dLon, lat + dLat];
    } else {
      const ring = (f.geometry.coordinates as number[][][])[0];
      [w, s, e, n] = [Math.min(...ring.map((p) => p[0])), Math.min(...ring.map((p) => p[1])), Math.max(...ring.map((p) => p[0])), Math.max(...ring.map((p) => p[1]))];
    }
    for (let h = 0; h < per; h++) {
      out.push({
        type: 'Feature',
        properties: { community: f.properties.id, population: 20 + Math.floor(random() * 80) },
        geometry: { type: 'Point', coordinates: [round(w + random() * (e - w), 7), round(s + random() * (n - s), 7)] },
      });
    }
  }
  return { type: 'FeatureCollection', features: out };
}
