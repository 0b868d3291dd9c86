import type { FastifyInstance } from 'fastify';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prefersHtml } from '../../src/edge/api/routes/web.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { SAMPLE, badOrigins, fc, problemIn, samplePoints, testApp, town, townNetwork } from './helpers.ts';

/*
 * What the map page needs from the server: the page and its files (GET / by Accept, /web/…,
 * /vendor/maplibre-gl/…), the defaults it opens with (/v1/defaults…), and POST /v1/route.
 */
let app: FastifyInstance;
beforeAll(async () => {
  app = testApp({ defaultGraphPath: `${SAMPLE}chengdu.osm.pbf`, defaultCommunitiesPath: `${SAMPLE}communities.geojson` });
  await app.ready();
});
afterAll(() => app.close());

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
const route = (payload: unknown) => app.inject({ method: 'POST', url: '/v1/route', payload: payload as object });

describe('GET /', () => {
  it('is the map page for browsers, the JSON index for everyone else', async () => {
    const page = await get('/', { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers.vary).toBe('accept');
    expect(page.body).toContain('<script type="module" src="/web/app.js">');
    for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/html', 'text/html;q=0.5, application/json']) {
      const res = await get('/', accept ? { accept } : {});
      expect(res.headers['content-type'], String(accept)).toMatch(/^application\/json/);
      expect(res.json().endpoints).toContain('POST /v1/route');
    }
  });

  it('negotiates by q-value', () => {
    expect(prefersHtml('text/html')).toBe(true);
    expect(prefersHtml('application/json;q=0.9, text/html')).toBe(true);
    expect(prefersHtml('text/html;q=0')).toBe(false);
    expect(prefersHtml('*/*')).toBe(false);
  });
});

describe('the page\'s files', () => {
  it('are served with their content type and an ETag, and revalidate to 304', async () => {
    for (const [url, type] of [['/web/app.js', 'text/javascript'], ['/web/style.css', 'text/css'], ['/vendor/maplibre-gl/maplibre-gl.mjs', 'text/javascript'], ['/vendor/maplibre-gl/maplibre-gl-worker.mjs', 'text/javascript'], ['/vendor/maplibre-gl/maplibre-gl.css', 'text/css']]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toBe(`${type}; charset=utf-8`);
      expect(res.headers['cache-control']).toBe('no-cache');
      const again = await get(url, { 'if-none-match': String(res.headers.etag) });
      expect(again.statusCode, url).toBe(304);
    }
  });

  it('are only the files there: anything else is 404, traversal included', async () => {
    for (const url of ['/web/nope.js', '/web/..%2Fapp.ts', '/web/%2E%2E%2F%2E%2E%2Fpackage.json', '/vendor/maplibre-gl/package.json', '/vendor/maplibre-gl/maplibre-gl-dev.mjs']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(problemIn(res).code).toBe('NOT_FOUND');
    }
  });

  it('are not in the OpenAPI document', () => {
    const paths = Object.keys((app.swagger() as { paths: object }).paths);
    expect(paths.filter((p) => p.startsWith('/web') || p.startsWith('/vendor'))).toEqual([]);
  });
});

describe('GET /v1/defaults…', () => {
  it('says what the page opens with, and what to credit', async () => {
    const res = await get('/v1/defaults');
    expect(res.json()).toEqual({
      network: { href: '/v1/defaults/network', status: 'loaded', source: expect.stringMatching(/chengdu\.osm\.pbf$/), edges: 5052, bbox: expect.any(Array) },
      facilities: { href: '/v1/defaults/facilities', count: 653 },
      communities: { href: '/v1/defaults/communities', count: 213 },
      tiles: null,
      attribution: ['© OpenStreetMap contributors (ODbL 1.0)'],
    });
  });

  it('network: every edge as a simplified line with its class, gzipped for browsers, 304 when unchanged', async () => {
    const res = await get('/v1/defaults/network');
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8');
    expect(res.headers['x-lifecircle-partial']).toBe('false');
    const network = res.json();
    expect(network.features).toHaveLength(5052);
    expect(network.features[0]).toMatchObject({ type: 'Feature', geometry: { type: 'LineString' }, properties: { class: expect.any(String) } });
    const zipped = await get('/v1/defaults/network', { 'accept-encoding': 'gzip, deflate, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.rawPayload.length).toBeLessThan(res.rawPayload.length / 3);
    expect(gunzipSync(zipped.rawPayload).toString()).toBe(res.body);
    expect((await get('/v1/defaults/network', { 'if-none-match': String(res.headers.etag) })).statusCode).toBe(304);
  });

  it('facilities: points with the ids coverage names and their categories', async () => {
    const facilities = (await get('/v1/defaults/facilities')).json();
    expect(facilities.features).toHaveLength(653);
    expect(facilities.features[0]).toMatchObject({ geometry: { type: 'Point' }, properties: { id: expect.stringMatching(/^(node|way)\//), categories: [expect.any(String)] } });
  });

  it('communities: the file\'s collection, which coverage takes as it is', async () => {
    const communities = (await get('/v1/defaults/communities')).json();
    expect(communities.features).toHaveLength(213);
    const report = (await app.inject({ method: 'POST', url: '/v1/coverage', payload: { communities, standards: ['guangzhou-2020-urban-basic'] } })).json();
    expect(report.summary.standards[0].communities).toBe(213);
    expect(report.errors.communities).toEqual([]);
  });

  it('are 404 where the server has none', async () => {
    const bare = testApp({ defaultGraph: graphFromGeoJson(townNetwork, { source: 'town.geojson' }) });
    await bare.ready();
    try {
      expect((await bare.inject({ url: '/v1/defaults' })).json()).toMatchObject({ facilities: null, communities: null, attribution: [] });
      for (const url of ['/v1/defaults/facilities', '/v1/defaults/communities']) {
        const res = await bare.inject({ url });
        expect(res.statusCode, url).toBe(404);
        expect(problemIn(res).detail).toMatch(/^this server has no default/);
      }
      expect((await bare.inject({ url: '/v1/defaults/network' })).statusCode).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('POST /v1/route', () => {
  const origins = samplePoints('origins');
  const targets = samplePoints('targets');

  it('is the route to the nearest target, with the travel-times time and geometry from snapped point to snapped point', async () => {
    const res = await route({ origins: fc(origins.features[0]), targets, maxMinutes: 30 });
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    const table = (await app.inject({ method: 'POST', url: '/v1/travel-times', payload: { origins: fc(origins.features[0]), targets, maxMinutes: 30 } })).json();
    const nearest = table.origins[0].reachable[0];
    expect(answer.route).toMatchObject({ originId: origins.features[0].properties!.id, targetId: nearest.targetId, minutes: nearest.minutes, meters: nearest.meters });
    const [line, originLeg, targetLeg] = answer.features;
    expect(line.properties).toMatchObject({ kind: 'route', mode: 'walk', stroke: expect.any(String) });
    expect(line.geometry.coordinates[0]).toEqual(originLeg.geometry.coordinates[1]);
    expect(line.geometry.coordinates.at(-1)).toEqual(targetLeg.geometry.coordinates[0]);
    expect(originLeg.properties).toMatchObject({ kind: 'access', end: 'origin', meters: answer.route.originAccessM });
    expect(answer.errors).toEqual({ origins: [], targets: [] });
  });

  it('starts from whichever origin arrives first', async () => {
    const target = fc(targets.features[0]);
    const single = await Promise.all(origins.features.map(async (o) => (await route({ origins: fc(o), targets: target, maxMinutes: 60 })).json().route));
    const together = (await route({ origins, targets: target, maxMinutes: 60 })).json().route;
    const fastest = single.filter(Boolean).sort((a, b) => a.minutes - b.minutes)[0];
    expect(together).toEqual(fastest);
  });

  it('answers null with a reason when no target is within reach, and lists the points it could not place', async () => {
    const far = (await route({ origins: fc(origins.features[0]), targets, maxMinutes: 0.5 })).json();
    expect(far).toMatchObject({ route: null, features: [], reason: 'no target is reachable by walk within 0.5 minutes' });
    const { offNetwork, noCoordinates } = badOrigins();
    // No origin placed at all: nothing to route from, a 422 listing each one (issue 14), not a 200 with route null.
    const unplaced = await route({ origins: fc(offNetwork as never, noCoordinates), targets, maxMinutes: 30 });
    expect(unplaced.statusCode).toBe(422);
    expect(problemIn(unplaced)).toMatchObject({ code: 'NO_USABLE_INPUT', where: 'origins' });
    expect(problemIn(unplaced).errors!.map((e: { id: string }) => e.id)).toEqual(['far', 'nan']);
  });

  it('runs on an inline network', async () => {
    const res = await route({ network: townNetwork, origins: fc(town.point('A', town.at('a'))), targets: fc(town.point('C', town.at('c')), town.point('F', town.at('f'))), maxMinutes: 10 });
    // a→c is 200 m, 8/3 min at 4.5 km/h.
    expect(res.json().route).toMatchObject({ originId: 'A', targetId: 'C', minutes: 2.667, meters: 200 });
  });

  it('refuses bad requests with coded problems', async () => {
    const cases: [unknown, number, string, string][] = [
      [{ targets, maxMinutes: 10 }, 400, 'INVALID_PARAMETER', 'origins'],
      [{ origins, targets, maxMinutes: 10, color: 'red' }, 400, 'INVALID_PARAMETER', 'color'],
      [{ origins: { type: 'Feature' }, targets, maxMinutes: 10 }, 400, 'INVALID_GEOJSON', 'origins'],
      [{ origins, targets, maxMinutes: 500 }, 422, 'LIMIT_EXCEEDED', 'maxMinutes'],
      [{ origins, targets, maxMinutes: 10, mode: 'teleport' }, 400, 'INVALID_PARAMETER', 'mode'],
      [{ origins: fc(...Array.from({ length: 101 }, (_, i) => town.point(`o${i}`, town.at('a')))), targets, maxMinutes: 10 }, 422, 'LIMIT_EXCEEDED', 'origins'],
    ];
    for (const [body, status, code, where] of cases) {
      const res = await route(body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(problemIn(res)).toMatchObject({ code, where });
    }
  });
});
