import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../src/edge/api/operations.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, town as smallTown } from '../helpers/small-town.ts';
import { fc, testApp, town, townNetwork } from './helpers.ts';

/*
 * Response schemas document the answers; they must not filter, reorder or re-encode them. Answers
 * are serialized with JSON.stringify (app.ts), so the bytes on the wire are exactly the core's
 * result, free-form GeoJSON properties included — which fast-json-stringify, driven by the same
 * schemas, would have dropped (they list a few property keys, not `fill`, `marker-color`,
 * `<standard>:pass`...). And request schemas must not touch the body: no defaults filled in, no
 * unknown property of a feature removed, nothing coerced.
 */
const odd = {
  nested: { deeper: [1, { x: null, y: [true, false] }], empty: {} },
  text: 'line\nbreak, "quotes", \u2028 and 😀 东山',
  big: 1e21,
  tiny: 5e-324,
  negativeZero: -0,
  'key with spaces/and:colons': ['a', 2, { b: 3 }],
};

let app: FastifyInstance;
let received: unknown[];
beforeAll(async () => {
  received = [];
  app = testApp();
  // What the handler gets, after validation.
  app.addHook('preHandler', async (request) => {
    received.push(structuredClone(request.body));
  });
  await app.ready();
});
afterAll(() => app.close());

const post = (url: string, body: unknown, accept?: string) =>
  app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) } });

describe('answers pass through as the core built them', () => {
  const network = { ...townNetwork, features: townNetwork.features.map((f) => ({ ...f, properties: { ...f.properties, survey: odd } })) };
  const origins = fc(
    town.point('Ａ 东 "a"', town.at('a'), { odd }),
    { ...town.point('f', town.at('f')), id: 'feature-level id', properties: { id: 'F', odd, 'marker-color': '#123456' } },
  );

  it('isochrones: polygon and snapped-origin features byte for byte, ids echoed', async () => {
    for (const output of ['polygons', 'lines']) {
      const body = { network, origins, minutes: [2, 4], output };
      const res = await post('/v1/isochrones', body);
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(JSON.stringify(OPERATIONS.isochrones(structuredClone(body), {})));
      const features = res.json().features;
      expect(new Set(features.map((f: any) => f.properties.originId))).toEqual(new Set(['Ａ 东 "a"', 'F']));
      const snapped = features.find((f: any) => f.properties.kind === 'snapped-origin');
      // Keys no response schema lists are there.
      expect(Object.keys(snapped.properties)).toEqual(expect.arrayContaining(['marker-color', 'marker-symbol', 'accessMinutes']));
      expect(Object.keys(features[0].properties)).toEqual(expect.arrayContaining(['stroke', 'stroke-width']));
    }
  });

  it('travel times byte for byte', async () => {
    const body = { network, origins, targets: origins, maxMinutes: 5 };
    const res = await post('/v1/travel-times', body);
    expect(res.body).toBe(JSON.stringify(OPERATIONS['travel-times'](structuredClone(body), {})));
  });

  it('coverage: the report and the GeoJSON map byte for byte, community names and geometries echoed', async () => {
    const name = odd.text;
    const polygon = { type: 'Polygon', coordinates: [[smallTown.at('a'), smallTown.at('b'), smallTown.between('b', 'f', 0.5), smallTown.at('a')]] };
    const communities = {
      type: 'FeatureCollection',
      features: [
        smallTown.point('north', smallTown.at('b'), { type: 'urban', name, district: '越秀区', odd }),
        { type: 'Feature', properties: { id: 'west', type: 'urban', name: 'W', odd }, geometry: polygon },
      ],
    };
    const facilities = { ...TOWN_FACILITIES, features: TOWN_FACILITIES.features.map((f: any) => ({ ...f, properties: { ...f.properties, odd } })) };
    const body = { network: smallTown.network, communities, facilities, standard: SMALL_TOWN_STANDARD };
    const report = await post('/v1/coverage', body);
    expect(report.body).toBe(JSON.stringify(OPERATIONS.coverage(structuredClone(body), {}, 'json')));
    const map = await post('/v1/coverage', body, 'application/geo+json');
    expect(map.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(map.body).toBe((OPERATIONS.coverage(structuredClone(body), {}, 'geojson') as { body: string }).body);
    const [north, west] = map.json().features;
    expect(north.properties).toMatchObject({ id: 'north', name, district: '越秀区', 'small-town:pass': expect.any(Boolean) });
    // Echoed to 7 decimals (≈ 1 cm), as every output is.
    const rounded = { ...polygon, coordinates: polygon.coordinates.map((ring) => ring.map((p) => p.map((v) => Math.round(v * 1e7) / 1e7))) };
    expect(map.body).toContain(JSON.stringify(rounded));
    expect(west.geometry).toEqual(rounded);
  });

  it('request bodies reach the core as sent: no defaults, nothing removed, nothing coerced', async () => {
    received.length = 0;
    const body = { network, origins, minutes: [3] };
    await post('/v1/isochrones', body);
    // As JSON sees it (-0 arrives as 0).
    expect(received).toEqual([JSON.parse(JSON.stringify(body))]);
    expect(JSON.stringify(received[0])).toBe(JSON.stringify(body));
  });
});
