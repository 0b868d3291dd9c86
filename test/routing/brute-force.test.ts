import createGraph from 'ngraph.graph';
import ngraphPath from 'ngraph.path';
import { describe, expect, it } from 'vitest';
import { haversineM } from '../../src/core/geo/distance.ts';
import type { Mode } from '../../src/core/network/profiles.ts';
import { costingFor } from '../../src/core/routing/costing.ts';
import { locatePoints } from '../../src/core/routing/locate.ts';
import type { NetworkPoint } from '../../src/core/routing/network-point.ts';
import { Router } from '../../src/core/routing/travel-times.ts';
import { graphOf } from '../helpers/build.ts';
import { mulberry32, randomNetwork, type RandomNetwork } from '../helpers/random-network.ts';

/**
 * Seeded random networks against brute force (Floyd–Warshall on the same network with every query
 * point inserted as a vertex): single-source, multi-source, reverse, and budget monotonicity.
 */
const SPEED: Record<'walk' | 'car', { residential: number; motorway: number }> = {
  walk: { residential: 4.5 / 3.6, motorway: 0 },
  car: { residential: 20 / 3.6, motorway: 90 / 3.6 },
};

interface QueryPoint {
  edge: number;
  fraction: number;
  lonLat: [number, number];
}

function randomPoints(net: RandomNetwork, rand: () => number, count: number): QueryPoint[] {
  const points: QueryPoint[] = [];
  for (let i = 0; i < count; i++) {
    const edge = Math.floor(rand() * net.edges.length);
    const fraction = 0.05 + rand() * 0.9;
    const a = net.vertices[net.edges[edge].a];
    const b = net.vertices[net.edges[edge].b];
    points.push({ edge, fraction, lonLat: [a[0] + (b[0] - a[0]) * fraction, a[1] + (b[1] - a[1]) * fraction] });
  }
  return points;
}

/** All-pairs times over vertices + query points (indices n.. for points), Floyd–Warshall. */
function bruteForce(net: RandomNetwork, points: QueryPoint[], mode: 'walk' | 'car'): number[][] {
  const n = net.vertices.length;
  const size = n + points.length;
  const d = Array.from({ length: size }, (_, i) => Array.from({ length: size }, (_, j) => (i === j ? 0 : Infinity)));
  net.edges.forEach((e, index) => {
    const speed = e.motorway ? SPEED[mode].motorway : SPEED[mode].residential;
    if (speed === 0) return;
    const length = haversineM(...net.vertices[e.a], ...net.vertices[e.b]);
    // The chain a → points on this edge by fraction → b.
    const stops = points.map((p, k) => ({ p, k })).filter(({ p }) => p.edge === index).sort((x, y) => x.p.fraction - y.p.fraction);
    const chain = [{ node: e.a, f: 0 }, ...stops.map(({ p, k }) => ({ node: n + k, f: p.fraction })), { node: e.b, f: 1 }];
    const oneway = mode === 'car' && e.oneway;
    for (let i = 0; i + 1 < chain.length; i++) {
      const t = ((chain[i + 1].f - chain[i].f) * length) / speed;
      const x = chain[i].node;
      const y = chain[i + 1].node;
      d[x][y] = Math.min(d[x][y], t);
      if (!oneway) d[y][x] = Math.min(d[y][x], t);
    }
  });
  for (let k = 0; k < size; k++) {
    for (let i = 0; i < size; i++) {
      const dik = d[i][k];
      if (dik === Infinity) continue;
      for (let j = 0; j < size; j++) if (dik + d[k][j] < d[i][j]) d[i][j] = dik + d[k][j];
    }
  }
  return d;
}

function place(net: RandomNetwork, mode: Mode, points: QueryPoint[]) {
  const graph = graphOf(net.network);
  const costing = costingFor(graph, { mode });
  const fc = { type: 'FeatureCollection', features: points.map((p, i) => ({ type: 'Feature', properties: { id: `p${i}` }, geometry: { type: 'Point', coordinates: p.lonLat } })) };
  const located = locatePoints(costing, fc, { what: 'points', maxSnapM: 5 });
  return { graph, costing, located };
}

const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];
/**
 * The least each test must really compare (finite times), below the fewest any seed gives today (26 pairs, 10 kept):
 * 10 origins × ~14 points, ~12 homes, ~40 targets over 5 budgets, 10 A* routes, 6 origins × 30 targets × 3 budgets.
 */
const FLOOR = { pairs: 20, homes: 5, kept: 8, ngraph: 10, listed: 60 };

describe.each(['walk', 'car'] as const)('random networks, %s, against Floyd–Warshall', (mode) => {
  it.each(SEEDS)('seed %i: single-source and multi-source times match', (seed) => {
    const net = randomNetwork(seed, 45);
    const rand = mulberry32(seed * 7919);
    const points = randomPoints(net, rand, 14);
    const { graph, costing, located } = place(net, mode, points);
    const truth = bruteForce(net, points, mode);
    const n = net.vertices.length;
    const router = new Router(graph);
    // Points on motorways are not on the walking network (they may snap to a nearby street instead):
    // leave them out; every other point must be placed.
    const onNetwork = located.filter((p) => mode === 'car' || !net.edges[points[p.index].edge].motorway);
    expect(onNetwork.every((p) => p.point), `seed ${seed}`).toBe(true);
    const usable = onNetwork;
    // Pairs compared with a finite brute-force time: a floor, so that a generator change leaving
    // nothing reachable (every expectation Infinity = Infinity) cannot pass unnoticed.
    let finite = 0;
    for (const origin of usable.slice(0, 10)) {
      router.searchFrom(costing, [origin.point!], Infinity);
      for (const target of usable) {
        const got = router.timeTo(target.point!, [origin.point!]).time;
        const want = truth[n + origin.index][n + target.index];
        if (want === Infinity) expect(got, `seed ${seed} ${origin.id}→${target.id}`).toBe(Infinity);
        else {
          finite++;
          expect(got, `seed ${seed} ${origin.id}→${target.id}`).toBeCloseTo(want, 5);
        }
      }
    }
    expect(finite, `seed ${seed}: finite pairs compared`).toBeGreaterThanOrEqual(FLOOR.pairs);
    // Multi-source: the nearest of three origins.
    const sources = usable.slice(0, 3);
    const seedPoints: NetworkPoint[] = sources.map((s) => s.point!);
    router.searchFrom(costing, seedPoints, Infinity);
    for (const target of usable) {
      const want = Math.min(...sources.map((s) => truth[n + s.index][n + target.index]));
      const got = router.timeTo(target.point!, seedPoints).time;
      if (want === Infinity) expect(got).toBe(Infinity);
      else expect(got, `seed ${seed} multi→${target.id}`).toBeCloseTo(want, 5);
    }
  });

  it.each(SEEDS)('seed %i: reverse search gives the time from each point to the nearest of a set', (seed) => {
    const net = randomNetwork(seed + 100, 40);
    const rand = mulberry32(seed * 104729);
    const points = randomPoints(net, rand, 12);
    const { graph, costing, located } = place(net, mode, points);
    const truth = bruteForce(net, points, mode);
    const n = net.vertices.length;
    const usable = located.filter((p) => p.point && (mode === 'car' || !net.edges[points[p.index].edge].motorway));
    const facilities = usable.slice(0, 3);
    const router = new Router(graph);
    const seedPoints = facilities.map((f) => f.point!);
    router.searchFrom(costing, seedPoints, Infinity, 'reverse');
    let finite = 0;
    for (const home of usable) {
      const want = Math.min(...facilities.map((f) => truth[n + home.index][n + f.index]));
      const got = router.timeTo(home.point!, seedPoints).time;
      if (want === Infinity) expect(got).toBe(Infinity);
      else {
        finite++;
        expect(got, `seed ${seed} ${home.id}→nearest`).toBeCloseTo(want, 5);
      }
    }
    expect(finite, `seed ${seed}: homes compared`).toBeGreaterThanOrEqual(FLOOR.homes);
  });

  it.each(SEEDS)('seed %i: a larger budget never reaches less, and agrees where both reach', (seed) => {
    const net = randomNetwork(seed + 200, 40);
    const points = randomPoints(net, mulberry32(seed), 40);
    const { graph, costing, located } = place(net, mode, points);
    const usable = located.filter((p) => p.point);
    const router = new Router(graph);
    const origin = usable[0].point!;
    let previous = new Map<string, number>();
    let kept = 0;
    for (const budget of [60, 120, 240, 480, 960, Infinity]) {
      router.searchFrom(costing, [origin], budget);
      const now = new Map<string, number>();
      for (const t of usable) {
        const time = router.timeTo(t.point!, [origin]).time;
        if (time <= budget) now.set(t.id, time);
      }
      for (const [id, time] of previous) expect(now.get(id), `seed ${seed} budget ${budget} lost ${id}`).toBeCloseTo(time, 9);
      kept += previous.size;
      previous = now;
    }
    expect(kept, `seed ${seed}: times compared across budgets`).toBeGreaterThanOrEqual(FLOOR.kept);
  });
});

describe('node-to-node times agree with ngraph.path (an independent A*)', () => {
  it.each([11, 12, 13])('seed %i', (seed) => {
    const net = randomNetwork(seed, 50);
    const model = createGraph<unknown, { seconds: number }>();
    net.edges.forEach((e) => {
      if (e.motorway) return;
      const seconds = haversineM(...net.vertices[e.a], ...net.vertices[e.b]) / SPEED.walk.residential;
      model.addLink(e.a, e.b, { seconds });
      model.addLink(e.b, e.a, { seconds });
    });
    const finder = ngraphPath.aStar(model, { oriented: true, distance: (_a, _b, link) => link.data.seconds });
    const graph = graphOf(net.network);
    const costing = costingFor(graph, { mode: 'walk' });
    const fc = { type: 'FeatureCollection', features: net.vertices.map((v, i) => ({ type: 'Feature', properties: { id: i }, geometry: { type: 'Point', coordinates: v } })) };
    const located = locatePoints(costing, fc, { what: 'junctions', maxSnapM: 1 });
    const router = new Router(graph);
    const rand = mulberry32(seed);
    // Queries until ten have a route (or 200 tries): pairs with none, or off the walking network, are drawn again.
    let finite = 0;
    for (let q = 0; q < 200 && finite < 10; q++) {
      const a = Math.floor(rand() * net.vertices.length);
      const b = Math.floor(rand() * net.vertices.length);
      if (!located[a].point || !located[b].point || !model.hasNode(a) || !model.hasNode(b)) continue;
      const path = finder.find(a, b);
      let want = path.length === 0 && a !== b ? Infinity : 0;
      for (let i = path.length - 1; i > 0; i--) want += model.getLink(path[i].id, path[i - 1].id)!.data.seconds;
      router.searchFrom(costing, [located[a].point!], Infinity);
      const got = router.timeTo(located[b].point!, [located[a].point!]).time;
      if (want === Infinity) expect(got).toBe(Infinity);
      else {
        finite++;
        expect(got, `seed ${seed} ${a}→${b}`).toBeCloseTo(want, 5);
      }
    }
    expect(finite, `seed ${seed}: routes compared with ngraph`).toBeGreaterThanOrEqual(FLOOR.ngraph);
  });
});

describe('travel-time tables read from reached edges only', () => {
  it.each([21, 22, 23, 24])('seed %i: list exactly the targets within the budget, with brute-force times', (seed) => {
    const net = randomNetwork(seed, 45);
    const points = randomPoints(net, mulberry32(seed), 30);
    const { graph, costing, located } = place(net, 'car', points);
    const truth = bruteForce(net, points, 'car');
    const n = net.vertices.length;
    const router = new Router(graph);
    const origins = located.slice(0, 6);
    let listed = 0;
    for (const budget of [90, 240, Infinity]) {
      const table = router.travelTimes(costing, origins, located, budget);
      table.forEach(({ origin, reachable }) => {
        const want = located.filter((t) => truth[n + origin.index][n + t.index] < Infinity && truth[n + origin.index][n + t.index] <= budget).map((t) => t.index).sort((a, b) => a - b);
        expect(reachable.map((r) => r.targetIndex).sort((a, b) => a - b), `seed ${seed} ${origin.id} budget ${budget}`).toEqual(want);
        for (const r of reachable) expect(r.seconds).toBeCloseTo(truth[n + origin.index][n + r.targetIndex], 5);
        listed += reachable.length;
      });
    }
    expect(listed, `seed ${seed}: listed targets compared`).toBeGreaterThanOrEqual(FLOOR.listed);
  });
});
