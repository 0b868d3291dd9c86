import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../src/runtime/store/index.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES } from '../helpers/small-town.ts';
import { sharedStore } from '../helpers/store.ts';
import { fc, problemIn, testApp, town, townNetwork } from './helpers.ts';

/*
 * One crs rule on every endpoint and upload (src/core/geo/collection-crs.ts): a collection's own `crs`
 * member, else the request's `crs`, else WGS84; answers are WGS84 and say so. Here each endpoint
 * gets its points in Web Mercator, computed by the closed form below (not by the code under test),
 * and must answer exactly as it does for the WGS84 twin.
 */
const R = 6_378_137;
const toWebMercator = ([lon, lat]: number[]) => [(R * lon * Math.PI) / 180, R * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))];
const mercator = (collection: any, member = true) => ({
  ...collection,
  ...(member ? { crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::3857' } } } : {}),
  features: collection.features.map((f: any) => ({ ...f, geometry: { ...f.geometry, coordinates: positions(f.geometry.coordinates) } })),
});
const positions = (c: any): any => (typeof c[0] === 'number' ? toWebMercator(c) : c.map(positions));
const ANSWER_CRS = { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } };

const KEY = 'crs-test-key-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-crs-'));
let sql: Sql;
let app: FastifyInstance;
beforeAll(async () => {
  sql = await sharedStore();
  app = testApp({ store: sql, dataDir: dir, apiKeys: [{ name: 'gis', key: KEY }], runJobs: false, workerThresholdBytes: Infinity });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });
const A = town.point('A', town.at('a'));
const F = town.point('F', town.at('f'));

describe('isochrones, travel-times, route: points in another system read alike', () => {
  it('isochrones: origins in EPSG:3857 (member or parameter) give the WGS84 answer, which says it is WGS84', async () => {
    const base = { network: townNetwork, minutes: [2, 4] };
    const wgs = (await post('/v1/isochrones', { ...base, origins: fc(A) })).json();
    const byMember = await post('/v1/isochrones', { ...base, origins: mercator(fc(A)) });
    expect(byMember.statusCode, byMember.body.slice(0, 300)).toBe(200);
    const byParam = await post('/v1/isochrones', { ...base, origins: mercator(fc(A), false), crs: 'EPSG:3857' });
    for (const answer of [wgs, byMember.json(), byParam.json()]) expect(answer.crs).toEqual(ANSWER_CRS);
    // The same polygons up to the conversion's rounding: areas to the square metre, same snapped origin.
    const areas = (a: any) => a.features.filter((f: any) => f.properties.kind === 'isochrone').map((f: any) => f.properties.areaM2);
    expect(areas(byMember.json())).toEqual(areas(wgs));
    expect(areas(byParam.json())).toEqual(areas(wgs));
    const snapped = (a: any) => a.features.find((f: any) => f.properties.kind === 'snapped-origin').geometry.coordinates;
    expect(snapped(byMember.json())).toEqual(snapped(wgs));
  });

  it('isochrones: a single-part MultiPoint origin is read as its Point; one of several points is refused by name', async () => {
    const multi = { ...A, geometry: { type: 'MultiPoint', coordinates: [town.at('a')] } };
    const two = { ...F, geometry: { type: 'MultiPoint', coordinates: [town.at('f'), town.at('a')] } };
    const res = await post('/v1/isochrones', { network: townNetwork, minutes: [2], origins: fc(multi as any, two as any) });
    expect(res.statusCode).toBe(200);
    const answer = res.json();
    const asPoint = (await post('/v1/isochrones', { network: townNetwork, minutes: [2], origins: fc(A) })).json();
    expect(answer.features.filter((f: any) => f.properties.originId === 'A')).toEqual(asPoint.features);
    expect(answer.errors).toEqual([
      { originId: 'F', index: 1, error: 'origins feature 1 (id "F"): MultiPoint of 2 positions: expected a Point, or a MultiPoint of one position (split it into one feature per point, e.g. ogr2ogr -explodecollections)' },
    ]);
  });

  it('travel-times and route: origins and targets each in their own system', async () => {
    const body = { network: townNetwork, maxMinutes: 10 };
    const wgs = (await post('/v1/travel-times', { ...body, origins: fc(A), targets: fc(F) })).json();
    const mixed = await post('/v1/travel-times', { ...body, origins: mercator(fc(A)), targets: fc(F) });
    expect(mixed.statusCode, mixed.body.slice(0, 300)).toBe(200);
    expect(mixed.json()).toEqual(wgs);
    expect(wgs.crs).toEqual(ANSWER_CRS);
    const route = (await post('/v1/route', { ...body, origins: fc(A), targets: mercator(fc(F)) })).json();
    expect(route.crs).toEqual(ANSWER_CRS);
    expect(route.route).toEqual((await post('/v1/route', { ...body, origins: fc(A), targets: fc(F) })).json().route);
  });

  it('a crs parameter contradicting a member, and a projected collection without one: one 400 each', async () => {
    const body = { network: townNetwork, maxMinutes: 10, targets: fc(F) };
    const contradicting = await post('/v1/travel-times', { ...body, origins: mercator(fc(A)), crs: 'wgs84' });
    expect(problemIn(contradicting)).toEqual({
      code: 'INVALID_PARAMETER',
      where: 'crs',
      detail: 'crs: the request says EPSG:4326 (WGS 84) but origins says EPSG:3857 (WGS 84 / Pseudo-Mercator) in its crs member: remove one, or make them agree',
    });
    const bare = await post('/v1/route', { ...body, origins: mercator(fc(A), false) });
    expect(bare.statusCode).toBe(400);
    expect(problemIn(bare)).toMatchObject({ code: 'INVALID_GEOJSON', where: 'origins', detail: expect.stringMatching(/^origins: the coordinates look projected \(metres, e\.g\. \[.*\] in feature 0 \(id "A"\)\), not longitude\/latitude: say which system/) });
  });

  it('an inline network carries its own crs member; the request\'s crs is for its points', async () => {
    const wgs = (await post('/v1/isochrones', { network: townNetwork, minutes: [3], origins: fc(A) })).json();
    const res = await post('/v1/isochrones', { network: mercator(townNetwork), minutes: [3], origins: fc(A) });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const areas = (a: any) => a.features.filter((f: any) => f.properties.kind === 'isochrone').map((f: any) => f.properties.areaM2);
    expect(areas(res.json())).toEqual(areas(wgs));
  });
});

describe('categorize and uploads take the same crs', () => {
  it('categorize: an unknown crs (parameter or member) is a 400, a known one is fine', async () => {
    const ok = await app.inject({ method: 'POST', url: '/v1/categorize?crs=EPSG:4547', payload: TOWN_FACILITIES as object });
    expect(ok.statusCode).toBe(200);
    const param = await app.inject({ method: 'POST', url: '/v1/categorize?crs=gcj-02', payload: TOWN_FACILITIES as object });
    expect(problemIn(param)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'crs', detail: expect.stringMatching(/\(did you mean "gcj02"\?\)$/) });
    const member = await app.inject({ method: 'POST', url: '/v1/categorize', payload: { ...TOWN_FACILITIES, crs: { type: 'name', properties: { name: 'EPSG:1234' } } } });
    expect(problemIn(member)).toMatchObject({ code: 'INVALID_GEOJSON', where: 'body.crs' });
  });

  it('a dataset uploaded in EPSG:3857 (crs member) is stored as such and assessed as its WGS84 twin', async () => {
    const communities = fc(town.point('c1', town.at('b'), { type: 'urban' }), town.point('c2', town.at('f'), { type: 'urban' }));
    const auth = { 'x-api-key': KEY, 'content-type': 'application/json' };
    const stored = await app.inject({ method: 'POST', url: '/v1/datasets/communities', payload: JSON.stringify(mercator(communities)), headers: auth });
    expect(stored.statusCode, stored.body.slice(0, 300)).toBe(201);
    const body = { network: townNetwork, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD };
    const statuses = (report: any) => report.communities.map((c: any) => c.standards[0].items.map((i: any) => [i.itemId, i.status, i.nearest?.meters]));
    const wgs = (await post('/v1/coverage', { ...body, communities })).json();
    const fromStore = await app.inject({ method: 'POST', url: '/v1/coverage', payload: { ...body, communities: stored.json().id }, headers: { 'x-api-key': KEY } });
    expect(fromStore.statusCode, fromStore.body.slice(0, 300)).toBe(200);
    expect(statuses(fromStore.json())).toEqual(statuses(wgs));
    // The stored set's system and an explicit, different body crs: the same 400 as for a member.
    const contradicting = await app.inject({ method: 'POST', url: '/v1/coverage', payload: { ...body, communities: stored.json().id, crs: 'gcj02' }, headers: { 'x-api-key': KEY } });
    expect(problemIn(contradicting)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'crs', detail: expect.stringMatching(/^crs: the request says gcj02 .* but communities says EPSG:3857/) });
  });
});
