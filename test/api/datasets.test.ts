import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sql } from '../../src/runtime/store/index.ts';
import { sharedStore } from '../helpers/store.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { SAMPLE, problemIn, testApp } from './helpers.ts';

/*
 * Stored datasets, jobs and runs through the API, on an in-memory store: a GeoJSON network and point
 * sets uploaded, a coverage job over them polled to its run, the run in its three formats, the
 * facilities replaced, a second job, and the diff naming what changed.
 */
const KEY = 'planner-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-api-datasets-'));
let sql: Sql;
let app: FastifyInstance;

beforeAll(async () => {
  sql = await sharedStore();
  app = testApp({ store: sql, dataDir: dir, apiKeys: [{ name: 'planner', key: KEY }], runJobs: { pollMs: 20 }, uploadLimitBytes: 200_000 });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = { 'x-api-key': KEY };
const upload = (url: string, payload: string | Buffer, contentType: string, method: 'POST' | 'PUT' = 'POST') =>
  app.inject({ method, url, payload, headers: { ...auth, 'content-type': contentType } });
const get = (url: string, accept?: string) => app.inject({ method: 'GET', url, headers: { ...auth, ...(accept ? { accept } : {}) } });

const communities = fc([
  town.point('north', town.at('b'), { type: 'urban', name: '北' }),
  town.point('south', town.at('g'), { type: 'urban', name: '南' }),
]);

async function untilDone(jobId: string) {
  for (let i = 0; i < 500; i++) {
    const job = (await get(`/v1/jobs/${jobId}`)).json();
    if (job.state !== 'queued' && job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('datasets, jobs and runs', () => {
  let network: any;
  let facilities: any;
  let people: any;

  it('uploads a GeoJSON network (streamed to disk, format told by its bytes)', async () => {
    const res = await upload('/v1/datasets/networks?name=town', JSON.stringify(town.network), 'application/json');
    expect(res.statusCode).toBe(201);
    network = res.json();
    expect(network).toMatchObject({ kind: 'network', name: 'town', version: 1, counts: { nodes: expect.any(Number), edges: expect.any(Number) } });
    expect(network.id).toMatch(/^ds_/);
    expect(res.headers.location).toBe(`/v1/datasets/${network.id}`);
    expect(network.report).toBeDefined();
    expect(network).not.toHaveProperty('owner');
    expect(network).not.toHaveProperty('graphFile');
  });

  it('uploads facilities as GeoJSON and communities as CSV', async () => {
    const f = await upload('/v1/datasets/facilities?name=pois', JSON.stringify(TOWN_FACILITIES), 'application/geo+json');
    expect(f.statusCode).toBe(201);
    facilities = f.json();
    expect(facilities.counts).toMatchObject({ features: 3, usable: 3 });
    const csv = ['id,name,type,lon,lat', ...communities.features.map((c: any) => `${c.properties.id},${c.properties.name},urban,${c.geometry.coordinates[0]},${c.geometry.coordinates[1]}`)].join('\n');
    const c = await upload('/v1/datasets/communities', csv, 'text/csv');
    expect(c.statusCode).toBe(201);
    people = c.json();
    expect(people).toMatchObject({ kind: 'communities', counts: { usable: 2 } });
    expect(people.bbox).toHaveLength(4);
  });

  it('uploads a zipped shapefile: reprojected from its .prj, attributes in its .cpg encoding; a broken one is a 400 naming it', async () => {
    const zip = (name: string) => readFileSync(new URL(`../fixtures/shapefile/${name}`, import.meta.url));
    const f = await upload('/v1/datasets/facilities?name=gk', zip('facilities-cgcs2000-gk105.zip'), 'application/zip');
    expect(f.statusCode, f.body).toBe(201);
    expect(f.json()).toMatchObject({ kind: 'facilities', name: 'gk', counts: { features: 3, usable: 3 } });
    // The bbox is lon/lat: the Gauss–Krüger metres were reprojected.
    const [west, south, east, north] = f.json().bbox;
    expect([west, south, east, north].map((v: number) => Math.round(v * 1000) / 1000)).toEqual([104.07, 30.657, 104.08, 30.663]);
    const c = await upload('/v1/datasets/communities', zip('communities-wgs84-gbk.zip'), 'application/x-zip-compressed');
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().counts).toMatchObject({ features: 4, usable: 4 });
    const broken = await upload('/v1/datasets/communities', zip('communities-wgs84-gbk.zip').subarray(0, 300), 'application/zip');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'INVALID_SHAPEFILE', where: 'communities', detail: 'communities: the zip has no end-of-archive record: truncated?' });
    // Damaged inside (two bytes of the deflated .shp flipped): a 400 naming the entry, not a layer read wrong.
    const damaged = Buffer.from(zip('communities-wgs84-gbk.zip'));
    damaged[700] ^= 0xff;
    damaged[701] ^= 0x55;
    const corrupt = await upload('/v1/datasets/communities', damaged, 'application/zip');
    expect(corrupt.statusCode).toBe(400);
    expect(corrupt.json()).toMatchObject({ code: 'INVALID_SHAPEFILE', where: 'communities', detail: "communities: the zip's entry communities/communities.shp cannot be inflated (invalid distance)" });
    // ZIP64 (Info-ZIP's `zip -fz`): read as the same layer.
    const zip64 = await upload('/v1/datasets/facilities', zip('facilities-zip64.zip'), 'application/zip');
    expect(zip64.statusCode, zip64.body).toBe(201);
    expect(zip64.json().bbox).toEqual(f.json().bbox);
    for (const id of [f.json().id, c.json().id, zip64.json().id]) expect((await app.inject({ method: 'DELETE', url: `/v1/datasets/${id}`, headers: auth })).statusCode).toBe(204);
  });

  it('lists and shows them, by kind, without their content', async () => {
    const all = (await get('/v1/datasets')).json().datasets;
    expect(all.map((d: any) => d.id).sort()).toEqual([network.id, facilities.id, people.id].sort());
    expect((await get('/v1/datasets?kind=network')).json().datasets.map((d: any) => d.id)).toEqual([network.id]);
    const one = await get(`/v1/datasets/${facilities.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: facilities.id, counts: facilities.counts });
    expect(one.json()).not.toHaveProperty('payload');
  });

  it('runs a job over them to a run, answered as JSON, GeoJSON and CSV; a second run after replacing the facilities; the diff', async () => {
    const body = { kind: 'coverage', network: network.id, facilities: facilities.id, communities: people.id, standard: SMALL_TOWN_STANDARD };
    const queued = await app.inject({ method: 'POST', url: '/v1/jobs', payload: body, headers: auth });
    expect(queued.statusCode).toBe(202);
    expect(queued.json()).toMatchObject({ state: 'queued', progress: { done: 0 } });
    expect(queued.headers.location).toBe(`/v1/jobs/${queued.json().id}`);
    const first = await untilDone(queued.json().id);
    expect(first).toMatchObject({ state: 'succeeded', progress: { done: 2, total: 2 }, runHref: `/v1/runs/${first.runId}` });

    const report = (await get(first.runHref)).json();
    const north = report.communities.find((c: any) => c.id === 'north');
    expect(north.standards[0].items.find((i: any) => i.itemId === 'clinic').status).toBe('met');
    const map = await get(first.runHref, 'application/geo+json');
    expect(map.headers['content-type']).toMatch(/^application\/geo\+json/);
    expect(map.json().features.map((f: any) => f.properties.id).sort()).toEqual(['north', 'south']);
    expect(map.json().features[0].properties.fill ?? map.json().features[0].properties['marker-color']).toMatch(/^#/);
    const table = await get(first.runHref, 'text/csv');
    expect(table.headers['content-type']).toMatch(/^text\/csv/);
    expect(table.body).toContain('north,北');

    // The clinic closes: the facilities dataset is replaced without it.
    const withoutClinic = fc(TOWN_FACILITIES.features.filter((f: any) => f.properties.id !== 'clinic-1'));
    const replaced = await upload(`/v1/datasets/${facilities.id}`, JSON.stringify(withoutClinic), 'application/json', 'PUT');
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ id: facilities.id, version: 2, name: 'pois', counts: { features: 2 } });
    const again = await app.inject({ method: 'POST', url: '/v1/jobs', payload: body, headers: auth });
    const second = await untilDone(again.json().id);
    expect(second.state).toBe('succeeded');

    // Each run says which versions of the datasets it used.
    const used = (run: { runHref: string }) => get(run.runHref).then((r) => r.json().inputs);
    expect(await used(first)).toEqual({ network: { dataset: network.id, version: 1 }, facilities: { dataset: facilities.id, version: 1 }, communities: { dataset: people.id, version: 1 } });
    expect((await used(second)).facilities).toEqual({ dataset: facilities.id, version: 2 });

    const diff = await get(`/v1/runs/${first.runId}/diff/${second.runId}`);
    expect(diff.statusCode).toBe(200);
    const northChange = diff.json().changed.find((c: any) => c.communityId === 'north');
    expect(northChange.itemsLost.map((i: any) => i.itemId)).toContain('clinic');
    expect(diff.json().added).toEqual([]);

    const runs = (await get('/v1/runs')).json().runs;
    expect(runs.map((r: any) => r.id).sort()).toEqual([first.runId, second.runId].sort());
    expect((await get('/v1/jobs')).json().jobs).toHaveLength(2);
  });

  it('answers a compute request that names datasets, with the key they belong to', async () => {
    const body = { network: network.id, facilities: facilities.id, communities: people.id, standard: SMALL_TOWN_STANDARD };
    const res = await app.inject({ method: 'POST', url: '/v1/coverage', payload: body, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().communities.map((c: any) => c.id).sort()).toEqual(['north', 'south']);
    const iso = await app.inject({ method: 'POST', url: '/v1/isochrones', payload: { network: network.id, origins: fc([town.point('b', town.at('b'))]), minutes: [2] }, headers: { authorization: `Bearer ${KEY}` } });
    expect(iso.statusCode).toBe(200);
    // Without the key, a dataset id is 401; an unknown id is 400 naming the field.
    const anonymous = await app.inject({ method: 'POST', url: '/v1/coverage', payload: body });
    expect(anonymous.statusCode).toBe(401);
    expect(problemIn(anonymous).code).toBe('UNAUTHORIZED');
    const unknown = await app.inject({ method: 'POST', url: '/v1/coverage', payload: { ...body, network: 'ds_nope' }, headers: auth });
    expect(unknown.statusCode).toBe(400);
    expect(problemIn(unknown)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'network' });
  });

  it('refuses jobs over unknown datasets or of the wrong kind, before queueing them', async () => {
    const missing = await app.inject({ method: 'POST', url: '/v1/jobs', payload: { kind: 'coverage', communities: 'ds_missing' }, headers: auth });
    expect(missing.statusCode).toBe(400);
    expect(problemIn(missing)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'communities' });
    const wrongKind = await app.inject({ method: 'POST', url: '/v1/jobs', payload: { kind: 'coverage', communities: facilities.id, network: network.id, facilities: facilities.id }, headers: auth });
    expect(problemIn(wrongKind)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'communities' });
    const badStandard = await app.inject({ method: 'POST', url: '/v1/jobs', payload: { kind: 'coverage', communities: people.id, network: network.id, facilities: facilities.id, standards: ['nope'] }, headers: auth });
    expect(badStandard.statusCode).toBe(400);
    const unknownField = await app.inject({ method: 'POST', url: '/v1/jobs', payload: { kind: 'coverage', communities: people.id, colour: 'red' }, headers: auth });
    expect(problemIn(unknownField)).toMatchObject({ code: 'INVALID_PARAMETER', where: 'colour' });
    expect((await get('/v1/jobs')).json().jobs).toHaveLength(2);
  });

  it('cancels a job', async () => {
    await app.jobRunner!.stop(); // nothing claims it meanwhile
    const queued = (await app.inject({ method: 'POST', url: '/v1/jobs', payload: { kind: 'coverage', network: network.id, facilities: facilities.id, communities: people.id, standard: SMALL_TOWN_STANDARD }, headers: auth })).json();
    const cancelled = await app.inject({ method: 'DELETE', url: `/v1/jobs/${queued.id}`, headers: auth });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().state).toBe('cancelled');
    expect((await get(`/v1/jobs/${queued.id}`)).json().state).toBe('cancelled');
  });

  it('refuses a replacement of another kind, bodies of the wrong type, and uploads over the limit', async () => {
    const kind = await upload(`/v1/datasets/${facilities.id}`, JSON.stringify(town.network), 'application/json', 'PUT');
    expect(kind.statusCode).toBe(400);
    const wrongType = await upload('/v1/datasets/facilities', 'x', 'text/plain');
    expect(wrongType.statusCode).toBe(415);
    expect(problemIn(wrongType).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const big = await upload('/v1/datasets/networks', Buffer.alloc(300_000, 0x20), 'application/octet-stream');
    expect(big.statusCode).toBe(413);
    expect(problemIn(big)).toMatchObject({ code: 'BODY_TOO_LARGE', detail: expect.stringContaining('limit') });
    const notJson = await upload('/v1/datasets/communities', '{', 'application/json');
    expect(problemIn(notJson).code).toBe('INVALID_JSON');
    const empty = await upload('/v1/datasets/communities', JSON.stringify(fc([])), 'application/json');
    expect(problemIn(empty).code).toBe('INVALID_GEOJSON');
  });

  it('deletes a dataset: 204, then 404', async () => {
    const extra = (await upload('/v1/datasets/facilities', JSON.stringify(TOWN_FACILITIES), 'application/json')).json();
    expect((await app.inject({ method: 'DELETE', url: `/v1/datasets/${extra.id}`, headers: auth })).statusCode).toBe(204);
    const gone = await get(`/v1/datasets/${extra.id}`);
    expect(gone.statusCode).toBe(404);
    expect(problemIn(gone).code).toBe('NOT_FOUND');
    expect((await app.inject({ method: 'DELETE', url: `/v1/datasets/${extra.id}`, headers: auth })).statusCode).toBe(404);
  });
});

describe('an OSM upload', () => {
  it('compiles data/sample/chengdu.osm.pbf, sent as bytes', async () => {
    const big = testApp({ store: sql, dataDir: dir, apiKeys: [{ name: 'planner', key: KEY }], runJobs: false });
    try {
      const res = await big.inject({ method: 'POST', url: '/v1/datasets/networks?name=chengdu', payload: readFileSync(`${SAMPLE}chengdu.osm.pbf`), headers: { ...auth, 'content-type': 'application/x-protobuf' } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ kind: 'network', name: 'chengdu', counts: { edges: expect.any(Number) } });
      expect(res.json().counts.edges).toBeGreaterThan(1000);
    } finally {
      await big.close();
    }
  });
});
