/**
 * A stored `homes` dataset: uploaded through the API (GeoJSON or CSV), checked on its own (rows
 * without geometry reported, the rest stored), listed by kind, and read back by the dataset service
 * to be tied to a community set.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { tieHomes } from '../../src/core/communities/read-homes.ts';
import type { Sql } from '../../src/runtime/store/index.ts';
import { testApp } from './helpers.ts';
import { at, fc, rect } from '../communities/homes-fixtures.ts';
import { memoryStore } from '../helpers/store.ts';

const KEY = 'homes-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-homes-dataset-'));
let sql: Sql;
let app: FastifyInstance;

beforeAll(async () => {
  // A migrated in-memory store of its own, copied from the template (not initdb's seconds in this process).
  sql = await memoryStore();
  app = testApp({ store: sql, dataDir: dir, apiKeys: [{ name: 'planner', key: KEY }] });
  await app.ready();
}, 60_000);
afterAll(async () => {
  await app?.close();
  await sql?.close();
  rmSync(dir, { recursive: true, force: true });
});

const upload = (url: string, payload: string, contentType: string) => app.inject({ method: 'POST', url, payload, headers: { 'x-api-key': KEY, 'content-type': contentType } });

describe('homes datasets', () => {
  it('stores homes (points and buildings), reports rows it cannot read, and ties them when read with communities', async () => {
    const homes = fc(
      { type: 'Feature', id: 'h1', geometry: { type: 'Point', coordinates: at(10, 10) }, properties: { population: 30 } },
      { type: 'Feature', id: 'b1', geometry: { type: 'Polygon', coordinates: [rect(50, 50, 20, 20)] }, properties: { community: 'c1' } },
      { type: 'Feature', id: 'bad', geometry: null, properties: {} },
    );
    const res = await upload('/v1/datasets/homes?name=homes', JSON.stringify(homes), 'application/geo+json');
    expect(res.statusCode).toBe(201);
    const stored = res.json();
    expect(stored).toMatchObject({ kind: 'homes', name: 'homes', version: 1, counts: { features: 3, usable: 2, errors: 1, buildings: 1, tiedById: 1 } });
    expect(stored.report.errors).toEqual([{ index: 2, id: 'bad', message: expect.stringMatching(/geometry is null/) }]);

    const list = await app.inject({ method: 'GET', url: '/v1/datasets?kind=homes', headers: { 'x-api-key': KEY } });
    expect(list.statusCode).toBe(200);
    expect(list.json().datasets.map((d: { id: string }) => d.id)).toEqual([stored.id]);

    const owner = (await sql.query<{ id: string }>('SELECT id FROM api_keys')).at(0)!.id;
    const read = await app.datasets!.homes(owner, stored.id);
    const communities = readCommunities(fc({ type: 'Feature', id: 'c1', geometry: { type: 'Polygon', coordinates: [rect(0, 0, 100, 100)] }, properties: { type: 'urban' } })).communities;
    const tied = tieHomes(read, communities);
    expect(tied.byCommunity.get(0)!.map((h) => h.id)).toEqual(['h1', 'b1']);
    expect(tied.errors.map((e) => e.id)).toEqual(['bad']);
  });

  it('takes CSV rows with coordinates and a community column', async () => {
    const [lon, lat] = at(10, 10);
    const res = await upload('/v1/datasets/homes', `lon,lat,community,households\n${lon},${lat},c1,12\n`, 'text/csv');
    expect(res.statusCode).toBe(201);
    expect(res.json().counts).toMatchObject({ usable: 1, tiedById: 1 });
  });

  it('refuses a set with no usable home', async () => {
    const res = await upload('/v1/datasets/homes', JSON.stringify(fc({ type: 'Feature', geometry: { type: 'LineString', coordinates: [at(0, 0), at(1, 1)] }, properties: {} })), 'application/json');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_GEOJSON' });
    expect(res.json().detail).toMatch(/homes: no usable feature .*LineString/);
  });
});
