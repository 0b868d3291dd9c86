import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { travelTimes } from '../../src/runtime/requests/travel-times.ts';
import { graphOf } from '../helpers/build.ts';
import { badOrigins, fc, testApp, town, townNetwork } from './helpers.ts';

let app: FastifyInstance;
beforeAll(async () => {
  app = testApp();
  await app.ready();
});
afterAll(() => app.close());

const origins = fc(town.point('A', town.at('a')), town.point('F', town.at('f')));

describe('POST /v1/isochrones on an inline network', () => {
  it('answers one polygon per origin and budget, largest first, plus the snapped origins', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/isochrones', payload: { network: townNetwork, origins, minutes: [2, 4], mode: 'walk' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const answer = res.json();
    expect(answer).toMatchObject({ type: 'FeatureCollection', mode: 'walk', speedKmh: 4.5, minutes: [2, 4], output: 'polygons', errors: [] });
    const rings = answer.features.filter((f: any) => f.properties.kind === 'isochrone');
    expect(rings.map((f: any) => [f.properties.originId, f.properties.minutes])).toEqual([['A', 4], ['A', 2], ['F', 4], ['F', 2]]);
    for (const ring of rings) {
      expect(ring.geometry.type).toBe('MultiPolygon');
      expect(ring.properties).toMatchObject({ mode: 'walk', speedKmh: 4.5 });
      expect(ring.properties.areaM2).toBeGreaterThan(0);
    }
    expect(rings[0].properties.areaM2).toBeGreaterThan(rings[1].properties.areaM2);
    const snapped = answer.features.filter((f: any) => f.properties.kind === 'snapped-origin');
    expect(snapped.map((f: any) => f.properties.originId)).toEqual(['A', 'F']);
    expect(snapped[0].geometry.coordinates[0]).toBeCloseTo(town.at('a')[0], 6);
  });

  it('answers the reachable road lines with output=lines', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/isochrones', payload: { network: townNetwork, origins, minutes: [2, 4], output: 'lines' } });
    expect(res.statusCode).toBe(200);
    const lines = res.json().features.filter((f: any) => f.properties.kind === 'isochrone');
    expect(lines.every((f: any) => f.geometry.type === 'MultiLineString')).toBe(true);
    const lengthOf = (id: string, minutes: number) => lines.find((f: any) => f.properties.originId === id && f.properties.minutes === minutes).properties.lengthM;
    // 2 minutes is 150 m of walking: a-b and a-d whole, then 50 m on each of b-c, b-e and d-e.
    expect(lengthOf('A', 2)).toBeCloseTo(350, 0);
    expect(lengthOf('A', 4)).toBeGreaterThan(lengthOf('A', 2));
  });

  it('gives a bad origin its own error and still answers the others', async () => {
    const { offNetwork, noCoordinates } = badOrigins();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/isochrones',
      payload: { network: townNetwork, origins: fc(offNetwork, town.point('A', town.at('a')), noCoordinates), minutes: [3] },
    });
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    expect(answer.features.filter((f: any) => f.properties.kind === 'isochrone').map((f: any) => f.properties.originId)).toEqual(['A']);
    expect(answer.errors).toEqual([
      { originId: 'far', index: 0, error: expect.stringMatching(/^origins feature 0 \(id "far"\): no road usable by walk within 500 m/) },
      { originId: 'nan', index: 2, error: expect.stringMatching(/^origins feature 2 \(id "nan"\): coordinates .* are not WGS84 lon\/lat/) },
    ]);
  });
});

describe('POST /v1/travel-times on an inline network', () => {
  const targets = fc(town.point('b', town.at('b')), town.point('c', town.at('c')), town.point('e', town.at('e')), town.point('f', town.at('f')));

  it('lists the targets reachable from each origin, nearest first, with minutes and metres', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/travel-times', payload: { network: townNetwork, origins, targets, maxMinutes: 3 } });
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    expect(answer).toMatchObject({ mode: 'walk', speedKmh: 4.5, maxMinutes: 3, targetErrors: [] });
    const [a, f] = answer.origins;
    expect(a).toMatchObject({ id: 'A', snapDistanceM: 0 });
    expect(a.error).toBeUndefined();
    expect(a.reachable.map((r: any) => r.targetId)).toEqual(['b', 'c', 'e']);
    expect(a.reachable[0]).toEqual({ targetId: 'b', minutes: expect.closeTo(4 / 3, 2), meters: expect.closeTo(100, 0) });
    expect(a.reachable[1].minutes).toBeCloseTo(8 / 3, 2);
    expect(f.reachable.map((r: any) => [r.targetId, r.minutes])).toEqual([['f', 0], ['c', expect.closeTo(4 / 3, 2)], ['e', expect.closeTo(4 / 3, 2)], ['b', expect.closeTo(8 / 3, 2)]]);
  });

  it('reaches more targets, never fewer, as maxMinutes grows, at the same times', async () => {
    let previous = new Map<string, number>();
    for (const maxMinutes of [1, 2, 3, 4, 6]) {
      const res = await app.inject({ method: 'POST', url: '/v1/travel-times', payload: { network: townNetwork, origins: fc(town.point('A', town.at('a'))), targets, maxMinutes } });
      const reachable: { targetId: string; minutes: number }[] = res.json().origins[0].reachable;
      const now = new Map(reachable.map((r) => [r.targetId, r.minutes]));
      for (const [id, minutes] of previous) expect(now.get(id)).toBe(minutes);
      expect(reachable.every((r) => r.minutes <= maxMinutes)).toBe(true);
      expect(now.size).toBeGreaterThanOrEqual(previous.size);
      previous = now;
    }
    expect([...previous.keys()].sort()).toEqual(['b', 'c', 'e', 'f']);
  });

  it('gives a bad origin an error and an empty list, and still answers the others', async () => {
    const { offNetwork, noCoordinates } = badOrigins();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/travel-times',
      payload: { network: townNetwork, origins: fc(noCoordinates, town.point('A', town.at('a')), offNetwork), targets, maxMinutes: 3 },
    });
    expect(res.statusCode).toBe(200);
    const [nan, a, far] = res.json().origins;
    expect(nan).toEqual({ id: 'nan', snapDistanceM: null, error: expect.stringContaining('origins feature 0 (id "nan")'), reachable: [] });
    expect(far).toMatchObject({ id: 'far', snapDistanceM: null, error: expect.stringContaining('no road usable by walk within 500 m'), reachable: [] });
    expect(a.reachable).toHaveLength(3);
  });
});

describe('an inline network with lines the service could not use', () => {
  // The town plus a point where a road should be, a line of one position, and a motorway.
  const network = {
    ...townNetwork,
    features: [
      ...townNetwork.features,
      { type: 'Feature', id: 'pt', properties: { highway: 'residential' }, geometry: { type: 'Point', coordinates: town.at('a') } },
      { type: 'Feature', id: 'short', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [town.at('a')] } },
    ],
  };
  const n = townNetwork.features.length;

  it.each([
    ['/v1/isochrones', { origins, minutes: [3] }],
    ['/v1/travel-times', { origins, targets: origins, maxMinutes: 10 }],
    ['/v1/route', { origins, targets: origins, maxMinutes: 10 }],
    ['/v1/coverage', { communities: fc(town.point('A', town.at('a'), { type: 'urban' })), facilities: fc(town.point('c', town.at('c'), { category: 'clinic' })), standards: ['guangzhou-2020-urban-basic'] }],
  ])('%s answers with what became of each line, naming the features left out', async (url, body) => {
    const res = await app.inject({ method: 'POST', url, payload: { network, ...body } });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json().network;
    expect(report).toMatchObject({ source: 'inline', linesRead: n, linesUsed: n, rejected: 2 });
    expect(report.examples.map((e: { ref: string }) => e.ref)).toEqual([`feature ${n} (id "pt")`, `feature ${n + 1} (id "short")`]);
    expect(report.edges).toBeGreaterThan(0);
  });

  it('is absent for the server\'s own network', () => {
    const body = { origins, targets: origins, maxMinutes: 10 };
    expect(travelTimes({ ...body, network }, {}).network).toBeDefined();
    expect(travelTimes(body, { defaultGraph: graphOf(network as typeof townNetwork) })).not.toHaveProperty('network');
  });
});
