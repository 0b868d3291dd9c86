import { length as turfLength } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { costingFor } from '../../src/core/routing/costing.ts';
import { locatePoints } from '../../src/core/routing/locate.ts';
import { PoiIndex, nearestByCategory } from '../../src/core/routing/poi-index.ts';
import { routeBetween } from '../../src/core/routing/route.ts';
import { Router } from '../../src/core/routing/travel-times.ts';
import { graphOf } from '../helpers/build.ts';
import { mulberry32, randomNetwork } from '../helpers/random-network.ts';

function randomPointsNear(net: ReturnType<typeof randomNetwork>, rand: () => number, count: number) {
  return Array.from({ length: count }, (_, i) => {
    const e = net.edges[Math.floor(rand() * net.edges.length)];
    const f = rand();
    const a = net.vertices[e.a];
    const b = net.vertices[e.b];
    // Up to ~20 m off the road, so access legs are exercised.
    const lon = a[0] + (b[0] - a[0]) * f + (rand() - 0.5) * 0.0004;
    const lat = a[1] + (b[1] - a[1]) * f + (rand() - 0.5) * 0.0004;
    return { type: 'Feature', properties: { id: `p${i}` }, geometry: { type: 'Point', coordinates: [lon, lat] } };
  });
}

describe.each(['walk', 'car'] as const)('nearest POI of each category (%s)', (mode) => {
  it.each([1, 2, 3, 4, 5])('seed %i: equals the minimum over per-POI travel times', (seed) => {
    const net = randomNetwork(seed, 60);
    const rand = mulberry32(seed);
    const graph = graphOf(net.network);
    const costing = costingFor(graph, { mode });
    const pois = locatePoints(costing, { type: 'FeatureCollection', features: randomPointsNear(net, rand, 80) }, { what: 'pois' });
    const categories = pois.map(() => Math.floor(rand() * 6));
    const index = new PoiIndex(costing, pois.map((p) => p.point), categories, 6);
    const origins = locatePoints(costing, { type: 'FeatureCollection', features: randomPointsNear(net, rand, 8) }, { what: 'origins' }).filter((o) => o.point);
    const router = new Router(graph);
    const outTime = new Float64Array(6);
    const outPoi = new Int32Array(6);
    for (const budget of [120, 400, 900]) {
      for (const origin of origins) {
        const seedPoints = [origin.point!];
        const search = router.searchFrom(costing, seedPoints, budget);
        nearestByCategory(search, index, seedPoints, outTime, outPoi);
        const want = new Array(6).fill(Infinity);
        pois.forEach((p, i) => {
          if (!p.point) return;
          const t = router.timeTo(p.point, seedPoints).time;
          if (t < want[categories[i]]) want[categories[i]] = t;
        });
        for (let c = 0; c < 6; c++) {
          if (want[c] === Infinity) expect(outTime[c], `seed ${seed} budget ${budget} category ${c}`).toBe(Infinity);
          else {
            expect(outTime[c], `seed ${seed} budget ${budget} category ${c}`).toBeCloseTo(want[c], 6);
            expect(categories[outPoi[c]]).toBe(c);
          }
        }
      }
    }
  });
});

describe('routes', () => {
  it.each([1, 2, 3])('seed %i: a route takes the travel-time table time and its geometry runs snap to snap', (seed) => {
    const net = randomNetwork(seed, 50);
    const rand = mulberry32(seed + 50);
    const graph = graphOf(net.network);
    const costing = costingFor(graph, { mode: 'walk' });
    const points = locatePoints(costing, { type: 'FeatureCollection', features: randomPointsNear(net, rand, 12) }, { what: 'points' }).filter((p) => p.point);
    const router = new Router(graph);
    let checked = 0;
    for (let i = 0; i + 1 < points.length; i += 2) {
      const [a, b] = [points[i], points[i + 1]];
      const route = routeBetween(router, costing, a.point!, b.point!);
      router.searchFrom(costing, [a.point!], Infinity);
      const table = router.timeTo(b.point!, [a.point!]).time;
      if (table === Infinity) {
        expect(route).toBeNull();
        continue;
      }
      checked++;
      expect(route!.seconds).toBeCloseTo(table, 9);
      const coords = route!.geometry.coordinates;
      expect(coords[0][0]).toBeCloseTo(a.snap!.lon, 9);
      expect(coords[0][1]).toBeCloseTo(a.snap!.lat, 9);
      expect(coords[coords.length - 1][0]).toBeCloseTo(b.snap!.lon, 9);
      expect(coords[coords.length - 1][1]).toBeCloseTo(b.snap!.lat, 9);
      const drawnM = turfLength({ type: 'Feature', properties: {}, geometry: route!.geometry }, { units: 'meters' });
      expect(drawnM).toBeCloseTo(route!.meters - route!.originAccessM - route!.targetAccessM, 3);
    }
    expect(checked).toBeGreaterThan(0);
  });
});
