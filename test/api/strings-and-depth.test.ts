import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/core/io/json-text.ts';
import { type Sql } from '../../src/runtime/store/index.ts';
import { sharedStore } from '../helpers/store.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { problemIn, testApp } from './helpers.ts';

/*
 * Strings and depth (issue 10, item 7): a NUL or a lone surrogate anywhere — a request body, a
 * streamed network feature, a CSV cell, the URL — is a 400 naming where it is (they gave 500s from
 * PostgreSQL, `invalid byte sequence for encoding "UTF8": 0x00`); JSON nested deeper than 64 is a
 * 400 INVALID_JSON before anything reads it (5,000 deep overflowed the stack in the describers).
 * Bodies are written with JSON.stringify, which escapes both characters as `\u0000`, `\ud800`.
 */
const KEY = 'strings-key-0123456789';
const auth = { 'x-api-key': KEY };
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-strings-'));
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const nul = 'a\u0000b';
const lone = 'x\ud800y';

const communities = fc([town.point('north', town.at('b'), { type: 'urban' }), town.point('south', town.at('g'), { type: 'urban' })]);
const coverage = (patch: (body: any) => void = () => {}) => {
  const body = JSON.parse(JSON.stringify({ network: town.network, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD, communities }));
  patch(body);
  return JSON.stringify(body);
};
const isochrones = (patch: (body: any) => void = () => {}) => {
  const body = JSON.parse(JSON.stringify({ network: town.network, origins: fc([town.point('o', town.at('a'))]), minutes: [3] }));
  patch(body);
  return JSON.stringify(body);
};

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each([
  ['parsed on the main thread', 1 << 20],
  ['parsed in a worker', 1],
])('request bodies %s', (_, workerThresholdBytes) => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = testApp({ workerThresholdBytes });
    await app.ready();
  });
  afterAll(() => app.close());
  const post = (url: string, payload: string) => app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });

  it('refuses a body nested 5,000 deep: 400 INVALID_JSON, and goes on answering', async () => {
    for (const payload of [`{"origins":${nested(5000)}}`, isochrones((b) => (b.origins.features[0].geometry.coordinates = JSON.parse(nested(1000))))]) {
      const res = await post('/v1/isochrones', payload);
      expect(res.statusCode).toBe(400);
      expect(problemIn(res)).toMatchObject({ code: 'INVALID_JSON', detail: expect.stringMatching(/^request body: nested deeper than 64 levels of objects and arrays \(at byte \d+\); no input needs more$/) });
    }
    expect((await post('/v1/isochrones', isochrones())).statusCode).toBe(200);
  });

  it(`reads ${MAX_JSON_DEPTH} levels: the limit is past what inputs need, not at it`, async () => {
    // The body is level 1, origins 2, features 3, the feature 4, properties 5: the value fills the rest.
    const res = await post('/v1/isochrones', isochrones((b) => (b.origins.features[0].properties.note = JSON.parse(nested(MAX_JSON_DEPTH - 5)))));
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const over = await post('/v1/isochrones', isochrones((b) => (b.origins.features[0].properties.note = JSON.parse(nested(MAX_JSON_DEPTH - 4)))));
    expect(problemIn(over).code).toBe('INVALID_JSON');
  });

  it.each([
    ['a NUL in a facility name', '/v1/coverage', () => coverage((b) => (b.facilities.features[0].properties.name = nul)), 'facilities.features[0].properties.name', 'a NUL character (\\u0000)'],
    ['a lone surrogate in a community id', '/v1/coverage', () => coverage((b) => (b.communities.features[1].properties.id = lone)), 'communities.features[1].properties.id', 'a lone UTF-16 surrogate (\\ud800)'],
    ['a NUL in a network property', '/v1/isochrones', () => isochrones((b) => (b.network.features[2].properties.name = nul)), 'network.features[2].properties.name', 'a NUL character (\\u0000)'],
    ['a lone surrogate in a property name', '/v1/isochrones', () => isochrones((b) => (b.origins.features[0].properties[lone] = 1)), 'origins.features[0].properties.x\\ud800y (the key)', 'a lone UTF-16 surrogate (\\ud800)'],
  ])('answers %s 400 INVALID_PARAMETER, naming its path', async (_, url, body, where, what) => {
    const res = await post(url, body());
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({ code: 'INVALID_PARAMETER', where, detail: `${where}: holds ${what}${what.includes('surrogate') ? ' that is half of no character' : ''}, which no text may hold (it could not be stored)` });
  });
});

describe('uploads and URLs (stored datasets)', () => {
  let sql: Sql;
  let app: FastifyInstance;
  beforeAll(async () => {
    sql = await sharedStore();
    app = testApp({ store: sql, dataDir: dir, apiKeys: [{ name: 'strings', key: KEY }], runJobs: false });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
  });
  const upload = (url: string, payload: string, contentType = 'application/json') => app.inject({ method: 'POST', url, payload, headers: { ...auth, 'content-type': contentType } });

  it('refuses a facility set with a NUL in a name: 400 INVALID_GEOJSON naming the feature and property', async () => {
    const facilities = JSON.parse(JSON.stringify(TOWN_FACILITIES));
    facilities.features[1].properties.name = nul;
    const res = await upload('/v1/datasets/facilities', JSON.stringify(facilities));
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toMatchObject({ code: 'INVALID_GEOJSON', where: 'facilities.features[1].properties.name', detail: expect.stringMatching(/^facilities\.features\[1\]\.properties\.name: holds a NUL character/) });
  });

  it('refuses a CSV with a NUL in a cell, naming row and column', async () => {
    const res = await upload('/v1/datasets/communities', `id,lon,lat,name\nn,${town.at('b').join(',')},北\ns,${town.at('g').join(',')},${nul}\n`, 'text/csv');
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({ code: 'INVALID_PARAMETER', where: 'communities', detail: 'communities: CSV row 3, column "name": holds a NUL character (\\u0000), which no text may hold (it could not be stored)' });
  });

  it('refuses a streamed network with a NUL or a lone surrogate in a feature: 400 INVALID_GEOJSON naming it', async () => {
    for (const [value, what] of [[nul, 'a NUL character'], [lone, 'a lone UTF-16 surrogate']] as const) {
      const network = JSON.parse(JSON.stringify(town.network));
      network.features[2].properties.name = value;
      const res = await upload('/v1/datasets/networks', JSON.stringify(network));
      expect(res.statusCode).toBe(400);
      expect(problemIn(res)).toMatchObject({ code: 'INVALID_GEOJSON', where: 'network.features[2].properties.name', featureIndex: 2, detail: `upload: network.features[2].properties.name: holds ${what}${what.includes('surrogate') ? ' (\\ud800) that is half of no character' : ' (\\u0000)'}, which no text may hold (it could not be stored)` });
    }
  });

  it('refuses uploads nested 5,000 deep: 400 INVALID_JSON', async () => {
    const deepNetwork = `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":${nested(5000)}},"geometry":null}]}`;
    const network = await upload('/v1/datasets/networks', deepNetwork);
    expect(problemIn(network)).toMatchObject({ code: 'INVALID_JSON', featureIndex: 0, detail: expect.stringMatching(/^upload: nested deeper than 64 levels of objects and arrays \(in feature 0, at byte \d+\)/) });
    const facilities = await upload('/v1/datasets/facilities', deepNetwork);
    expect(problemIn(facilities)).toMatchObject({ code: 'INVALID_JSON', detail: expect.stringMatching(/^request body: nested deeper than 64 levels/) });
  });

  it('refuses a NUL in the URL: a query parameter or a path id', async () => {
    const named = await upload('/v1/datasets/facilities?name=a%00b', JSON.stringify(TOWN_FACILITIES));
    expect(problemIn(named)).toEqual({ code: 'INVALID_PARAMETER', where: 'name', detail: 'name (query): holds a NUL character (\\u0000), which no text may hold (it could not be stored)' });
    const id = await app.inject({ method: 'GET', url: '/v1/datasets/ds_%00', headers: auth });
    expect(problemIn(id)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'id' });
    // The same upload, named well, is stored.
    expect((await upload('/v1/datasets/facilities?name=ab', JSON.stringify(TOWN_FACILITIES))).statusCode).toBe(201);
  });
});
