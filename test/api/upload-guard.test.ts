import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import type { Sql } from '../../src/runtime/store/index.ts';
import { alteredFacilities, shapefileFixture } from '../helpers/shapefile-zip.ts';
import { freshDataDir, sharedStore } from '../helpers/store.ts';
import { problemIn, testApp, townNetwork } from './helpers.ts';
import { type ServerProcess, freePort, startServer } from './server-process.ts';

/*
 * Uploads are read under guard: every reader checks declared sizes against the bytes it has, and
 * uploads are parsed in an import process with a heap ceiling and a clock. The repros of issue 10
 * (a 1.6 KB zipped shapefile whose .dbf claims 100,000,000 records, or has a UTF-8 BOM before it)
 * froze the server until its heap died; here they are 400s, and the server goes on answering.
 */
const KEY = 'guard-key-0123456789';
const auth = { 'x-api-key': KEY };
const root = mkdtempSync(join(tmpdir(), 'lifecircle-upload-guard-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lyingCount = () => alteredFacilities('dbf', (dbf) => (dbf.writeUInt32LE(100_000_000, 4), dbf));
const bomBeforeDbf = () => alteredFacilities('dbf', (dbf) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), dbf]));
const lyingShpLength = () => alteredFacilities('shp', (shp) => (shp.writeInt32BE(50_000_000, 24), shp));

describe('the repros, against a server process', () => {
  let server: ServerProcess | undefined;
  afterEach(async () => {
    await server?.kill(); // fails the test if the server died of an uncaught error meanwhile
    server = undefined;
  });

  it('answers the lying shapefiles 400 INVALID_SHAPEFILE, naming file and field, while /health answers throughout', { timeout: 180_000 }, async () => {
    // Uploads are what this is about: a small default network and a data directory ready to open,
    // so that the server is not busy building the sample's graph, running initdb or migrating.
    const dataDir = join(root, 'store');
    freshDataDir(dataDir, 'migrated');
    const network = join(root, 'town.lcg');
    writeGraphFile(network, graphFromGeoJson(townNetwork, { source: 'town' }));
    server = await startServer(await freePort(), { DATA_DIR: dataDir, NETWORK: network, API_KEYS: `guard:${KEY}`, NETWORK_CACHE_DIR: join(root, 'cache'), RATE_LIMIT_PER_MINUTE: '0' });
    await server.logged(/^ready$/);
    const base = server.base;
    const upload = (zip: Buffer) => fetch(`${base}/v1/datasets/facilities`, { method: 'POST', headers: { ...auth, 'content-type': 'application/zip' }, body: new Uint8Array(zip) }).then(async (res) => ({ status: res.status, body: await res.json() }));
    let uploadsDone = false;
    const uploads = Promise.all([upload(lyingCount()), upload(bomBeforeDbf()), upload(lyingShpLength())]).finally(() => (uploadsDone = true));
    // /health is asked over and over while the uploads are in flight, and once after: every time 200.
    const healths: number[] = [];
    do healths.push((await fetch(`${base}/health`)).status);
    while (!uploadsDone);
    healths.push((await fetch(`${base}/health`)).status);
    const [count, bom, shp] = await uploads;
    expect(healths.every((s) => s === 200)).toBe(true);
    expect(count).toMatchObject({ status: 400, body: { code: 'INVALID_SHAPEFILE', where: 'facilities', detail: expect.stringMatching(/facilities\.dbf: its header's record count says 100000000 records/) } });
    expect(bom).toMatchObject({ status: 400, body: { code: 'INVALID_SHAPEFILE', detail: expect.stringMatching(/facilities\.dbf starts with a UTF-8 byte-order mark/) } });
    expect(shp).toMatchObject({ status: 400, body: { code: 'INVALID_SHAPEFILE', detail: expect.stringMatching(/facilities\.shp: its header's file length says 100000000 bytes, the file has 184/) } });
    // Still serving uploads: the fixture itself is stored.
    const good = await upload(shapefileFixture('facilities-cgcs2000-gk105.zip'));
    expect(good).toMatchObject({ status: 201, body: { kind: 'facilities', counts: { features: 3, usable: 3 } } });
  });
});

describe('the import process\'s limits', () => {
  let sql: Sql;
  let app: FastifyInstance;
  const build = async (importLimits: { maxMemoryMb: number; timeoutMs: number }) => {
    sql = await sharedStore();
    app = testApp({ store: sql, dataDir: join(root, 'graphs'), apiKeys: [{ name: 'guard', key: KEY }], runJobs: false, importLimits });
    await app.ready();
  };
  afterEach(async () => {
    await app?.close();
  });
  const post = (url: string, payload: string | Buffer, contentType: string) => app.inject({ method: 'POST', url, payload, headers: { ...auth, 'content-type': contentType } });

  it('stops an upload read for longer than the clock: 503 TIMEOUT, and the next request is served', { timeout: 180_000 }, async () => {
    // 1 ms, for 100,000 rows: reading them takes a hundred times that on any machine.
    await build({ maxMemoryMb: 1024, timeoutMs: 1 });
    const rows = Array.from({ length: 100_000 }, (_, i) => `c${i},${(104 + i * 1e-6).toFixed(6)},30.66,urban`).join('\n');
    const res = await post('/v1/datasets/communities', `id,lon,lat,type\n${rows}\n`, 'text/csv');
    expect(res.statusCode).toBe(503);
    expect(problemIn(res)).toMatchObject({ code: 'TIMEOUT', where: 'communities', detail: 'communities: reading the upload took over 1 ms and was stopped; split it into smaller files' });
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('answers an upload that needs more heap than the import process may have 422 LIMIT_EXCEEDED, not a crash', { timeout: 180_000 }, async () => {
    await build({ maxMemoryMb: 48, timeoutMs: 60_000 });
    // ~40 MB of GeoJSON: its parsed tree alone is several times the ceiling.
    const feature = (i: number) => ({ type: 'Feature', properties: { id: `f${i}`, name: `设施 ${i}`, category: 'clinic' }, geometry: { type: 'Point', coordinates: [104 + i * 1e-7, 30.6] } });
    const body = JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: 300_000 }, (_, i) => feature(i)) });
    const res = await post('/v1/datasets/facilities', body, 'application/json');
    expect(res.statusCode).toBe(422);
    expect(problemIn(res)).toMatchObject({ code: 'LIMIT_EXCEEDED', where: 'facilities', detail: 'facilities: reading the upload needed more than the 48 MB an import may use; split it into smaller files' });
    // The same set, small, still goes through (a new process per import); five at once take turns.
    const small = (i: number) => JSON.stringify({ type: 'FeatureCollection', features: [feature(i)] });
    const answers = await Promise.all([1, 2, 3, 4, 5].map((i) => post('/v1/datasets/facilities', small(i), 'application/json')));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201]);
    expect(answers.map((a) => a.json().bbox[0])).toEqual([1, 2, 3, 4, 5].map((i) => 104 + i * 1e-7));
  });
});
