import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../src/core/network/graph.ts';
import { badOrigins, chengduGraph, fc, samplePoints, testApp } from './helpers.ts';

let graph: Graph;
let app: FastifyInstance;
beforeAll(async () => {
  graph = await chengduGraph();
  app = testApp({ defaultGraph: graph });
  await app.ready();
});
afterAll(() => app.close());

const origins = samplePoints('origins');
const targets = samplePoints('targets');
const originIds = origins.features.map((f) => f.properties!.id);

describe('the default network (Chengdu sample)', () => {
  it('GET /health says which network is loaded', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      status: 'ok',
      uptimeS: expect.any(Number),
      network: { loaded: true, source: expect.stringMatching(/chengdu\.osm\.pbf$/), nodes: graph.nodeCount, edges: graph.edgeCount, lengthKm: expect.any(Number) },
      workers: { threads: 0, maxThreads: expect.any(Number), queued: 0, completed: 0, tasks: 0, cancelled: 0 },
    });
    expect(graph.nodeCount).toBeGreaterThan(3000);
  });

  it('GET / points to the docs', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.json()).toMatchObject({ service: 'lifecircle', endpoints: expect.arrayContaining(['GET /health', 'POST /v1/isochrones', 'POST /v1/travel-times', 'POST /v1/coverage']) });
  });

  it('POST /v1/isochrones: rings grow with the budget for every sample origin', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/isochrones', payload: { origins, minutes: [15, 5, 10] } });
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({ mode: 'walk', minutes: [5, 10, 15], output: 'polygons', errors: [] });
    expect(answer.tolerance).toMatchObject({ offNetworkM: 100 });
    for (const id of originIds) {
      const rings = answer.features.filter((f: any) => f.properties.kind === 'isochrone' && f.properties.originId === id);
      expect(rings.map((f: any) => f.properties.minutes)).toEqual([15, 10, 5]);
      const areas = rings.map((f: any) => f.properties.areaM2);
      expect(areas[0]).toBeGreaterThan(areas[1]);
      expect(areas[1]).toBeGreaterThan(areas[2]);
      // A 15-minute walk covers at most a disc of 1125 m radius (4 km²) plus the off-network margin.
      expect(areas[0]).toBeLessThan(Math.PI * 1225 ** 2);
      expect(areas[2]).toBeGreaterThan(20_000);
      const snapped = answer.features.find((f: any) => f.properties.kind === 'snapped-origin' && f.properties.originId === id);
      expect(snapped.properties.snapDistanceM).toBeLessThan(200);
    }
  });

  it('POST /v1/travel-times: the sample targets reachable grow with maxMinutes, at unchanged times', async () => {
    const previous = new Map<string, Map<string, number>>();
    const counts: number[] = [];
    for (const maxMinutes of [5, 10, 15, 20, 30]) {
      const res = await app.inject({ method: 'POST', url: '/v1/travel-times', payload: { origins, targets, maxMinutes } });
      expect(res.statusCode).toBe(200);
      const answer = res.json();
      expect(answer).toMatchObject({ mode: 'walk', speedKmh: 4.5, maxMinutes, targetErrors: [] });
      expect(answer.origins.map((o: any) => o.id)).toEqual(originIds);
      let count = 0;
      for (const origin of answer.origins) {
        expect(Object.keys(origin).sort()).toEqual(['id', 'reachable', 'snapDistanceM', 'snapped']);
        const minutes = origin.reachable.map((r: any) => r.minutes);
        expect(minutes).toEqual([...minutes].sort((a, b) => a - b));
        expect(minutes.every((m: number) => m <= maxMinutes)).toBe(true);
        for (const r of origin.reachable) expect(r.meters).toBeGreaterThan(0);
        const now = new Map<string, number>(origin.reachable.map((r: any) => [r.targetId, r.minutes]));
        for (const [target, m] of previous.get(origin.id) ?? []) expect(now.get(target)).toBe(m);
        previous.set(origin.id, now);
        count += now.size;
      }
      counts.push(count);
    }
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(counts[0]).toBeLessThan(counts[counts.length - 1]);
  });

  it('answers the good origins when one has no coordinates', async () => {
    const withBad = fc(...origins.features, badOrigins().noCoordinates);
    const res = await app.inject({ method: 'POST', url: '/v1/travel-times', payload: { origins: withBad, targets, maxMinutes: 20 } });
    expect(res.statusCode).toBe(200);
    const answered = res.json().origins;
    expect(answered.slice(0, 3).every((o: any) => !o.error && o.reachable.length > 0)).toBe(true);
    expect(answered[3]).toMatchObject({ id: 'nan', error: expect.stringContaining('origins feature 3 (id "nan")'), reachable: [] });
  });
});
