import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import gcoordModule from 'gcoord';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readOsmPois } from '../../src/core/io/osm/read-pois.ts';
import { SAMPLE, problemIn, samplePoints, testApp } from './helpers.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

const gcoord = gcoordModule as unknown as typeof gcoordModule.default;

/*
 * POST /v1/coverage against the server's defaults, as deployed with the bundled sample: the Chengdu
 * network and the points of interest of the same OSM file. The same requests are sent to a second
 * server whose worker threshold is low, so that they are parsed and answered in a worker thread:
 * its answers must be the main thread's, byte for byte.
 */
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-coverage-'));
const WORKER_THRESHOLD_BYTES = 16 * 1024;

let onMain: FastifyInstance;
let inWorker: FastifyInstance;
let residential: { type: 'FeatureCollection'; features: any[] };
beforeAll(async () => {
  const defaults = { defaultGraphPath: `${SAMPLE}chengdu.osm.pbf`, networkCacheDir: dir };
  // Every body parsed and computed on the event loop, however costly (the worker path's reference).
  onMain = testApp({ ...defaults, workerThresholdBytes: Infinity, workerPool: { mainThreadMaxWorkUs: Infinity } });
  await onMain.ready();
  // Ready one after the other: the second finds the network compiled and cached by the first.
  inWorker = testApp({ ...defaults, workerThresholdBytes: WORKER_THRESHOLD_BYTES, workerPool: { maxThreads: 1 } });
  await inWorker.ready();
  // The sample's residential areas as communities: a body of a realistic size.
  const pois = await readOsmPois(fileBytes(`${SAMPLE}chengdu.osm.pbf`));
  residential = { type: 'FeatureCollection', features: pois.residential.features.map((f) => ({ ...f, properties: { ...f.properties, type: 'urban' } })) };
});
afterAll(async () => {
  await Promise.all([onMain.close(), inWorker.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** The three sample places (real Chengdu addresses) as urban communities. */
const places = samplePoints('origins');
const communities = { ...places, features: places.features.map((f) => ({ ...f, properties: { ...f.properties, type: 'urban' } })) };

const post = (app: FastifyInstance, payload: unknown, accept?: string) =>
  app.inject({ method: 'POST', url: '/v1/coverage', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) } });
const statuses = (community: any) => community.standards.map((s: any) => s.items.map((i: any) => `${s.standardId}/${i.itemId}:${i.status}:${i.nearest?.facilityId ?? ''}`));

describe('POST /v1/coverage on the sample network and its OSM facilities', () => {
  it('uses the default facilities when the body brings none', async () => {
    const res = await post(onMain, { communities });
    expect(res.statusCode).toBe(200);
    const report = res.json();
    expect(report.facilities.count).toBe(onMain.network.facilities!.length);
    expect(report.facilities.count).toBeGreaterThan(300);
    expect(report.errors).toEqual({ communities: [], facilities: [], homes: [], declarations: [] });
    // Without `standards`, every shipped one; urban communities are assessed by the urban ones only.
    expect(report.standards.map((s: any) => s.id)).toEqual(['guangzhou-2020-urban-basic', 'guangzhou-2020-rural-basic', 'guangzhou-2020-urban-quality', 'guangzhou-2020-rural-quality']);
    expect(report.communities.map((c: any) => c.id)).toEqual(['shima-road', 'shudong-west', 'minhang-dorm']);
    for (const community of report.communities) {
      expect(community.homes).toEqual({ rule: 'point', count: 1, placed: 1, gates: 0 });
      expect(community.standards.map((s: any) => [s.standardId, s.mode, s.minutes, s.total])).toEqual([
        ['guangzhou-2020-urban-basic', 'walk', 15, 34],
        ['guangzhou-2020-urban-quality', 'walk', 15, 52],
      ]);
      const places = community.standards.flatMap((s: any) => s.items.filter((i: any) => i.kind === 'place'));
      const met = places.filter((i: any) => i.status === 'met');
      // The city centre has a bus stop, a shop, a restaurant... within a 15-minute walk of each place.
      expect(met.length).toBeGreaterThan(3);
      for (const item of met) {
        expect(item.nearest.facilityId).toMatch(/^(node|way)\/\d+$/);
        expect(item.nearest.minutes).toBeLessThanOrEqual(15);
        expect(item.reachableCount).toBeGreaterThanOrEqual(1);
      }
      // Nothing is declared: programmes and online services are the community's to declare.
      expect(community.standards.flatMap((s: any) => s.items.filter((i: any) => i.kind !== 'place').map((i: any) => i.status))).not.toContain('declared');
    }
    const summary = report.summary;
    expect(summary.communities).toEqual({ total: 3, urban: 3, rural: 0, withPopulation: 0 });
    expect(summary.standards.map((s: any) => [s.standardId, s.communities, s.passing])).toEqual([
      ['guangzhou-2020-urban-basic', 3, 0],
      ['guangzhou-2020-rural-basic', 0, 0],
      ['guangzhou-2020-urban-quality', 3, 0],
      ['guangzhou-2020-rural-quality', 0, 0],
    ]);
    expect(summary.standards[0].target).toEqual({
      share: 0.9, met: false, communitiesShort: 3,
      milestones: [
        { date: '2020-06-30', share: 0.3, reached: false },
        { date: '2020-12-31', share: 0.6, reached: false },
        { date: '2021-06-30', share: 0.9, reached: false },
      ],
    });
    expect(summary.standards[0].byDistrict).toEqual([]);
    // Worst first among the items with data; the data gaps (no facility in the data) after them.
    const items = summary.standards[0].items;
    const withData = items.filter((i: any) => !i.dataGap).map((i: any) => i.share);
    expect(withData).toEqual([...withData].sort((a: number, b: number) => a - b));
    const firstGap = items.findIndex((i: any) => i.dataGap);
    expect(firstGap).toBeGreaterThan(0);
    expect(items.slice(firstGap).every((i: any) => i.dataGap && i.share === 0)).toBe(true);
    expect(summary.standards[0].dataGaps.map((g: any) => g.itemId)).toEqual(items.slice(firstGap).map((i: any) => i.itemId));
  });

  it('crs gcj02: a community given in GCJ-02 coordinates gets the answer of its WGS84 point', async () => {
    const wgs = samplePoints('origins').features[0];
    const [lon, lat] = wgs.geometry.coordinates;
    const gcj = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02) as [number, number];
    // Chengdu's offset: a few hundred metres, enough to change what a 15-minute walk reaches.
    expect(Math.hypot((gcj[0] - lon) * 96_000, (gcj[1] - lat) * 111_000)).toBeGreaterThan(200);
    const community = (coordinates: number[]) => ({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'c', type: 'urban' }, geometry: { type: 'Point', coordinates } }] });
    const standards = ['guangzhou-2020-urban-quality'];

    const fromWgs = (await post(onMain, { communities: community([lon, lat]), standards })).json().communities[0];
    const fromGcj = (await post(onMain, { communities: community(gcj), standards, crs: 'gcj02' })).json().communities[0];
    expect(statuses(fromGcj)).toEqual(statuses(fromWgs));
    const metres = (c: any) => c.standards[0].items.map((i: any) => i.nearest?.meters ?? -1);
    metres(fromGcj).forEach((m: number, i: number) => expect(Math.abs(m - metres(fromWgs)[i])).toBeLessThanOrEqual(1));
    // Read as WGS84, the GCJ-02 point is somewhere else: the same facilities are hundreds of metres nearer or farther.
    const misread = (await post(onMain, { communities: community(gcj), standards })).json().communities[0];
    const shifts = metres(misread).map((m: number, i: number) => Math.abs(m - metres(fromWgs)[i]));
    expect(Math.max(...shifts)).toBeGreaterThan(100);
  });
});

describe('a large coverage body goes through the worker', () => {
  const largeBody = () => ({
    communities: {
      ...residential,
      // A broken community in the middle: reported by the worker as by the main thread.
      features: [...residential.features.slice(0, 50), { type: 'Feature', properties: { id: 'broken', type: 'urban' }, geometry: { type: 'Polygon', coordinates: [] } }, ...residential.features.slice(50)],
    },
  });

  it('and gives the main thread\'s JSON, CSV and GeoJSON answers', async () => {
    const body = largeBody();
    const bytes = JSON.stringify(body).length;
    expect(bytes).toBeGreaterThan(WORKER_THRESHOLD_BYTES);
    expect(body.communities.features.length).toBeGreaterThan(100);
    const completed = inWorker.computePool.stats().completed;

    for (const accept of [undefined, 'text/csv', 'application/geo+json']) {
      const [main, worker] = [await post(onMain, body, accept), await post(inWorker, body, accept)];
      expect([main.statusCode, worker.statusCode]).toEqual([200, 200]);
      expect(worker.headers['content-type']).toBe(main.headers['content-type']);
      expect(worker.rawPayload.equals(main.rawPayload)).toBe(true);
    }
    expect(inWorker.computePool.stats().completed).toBe(completed + 3);
    expect(onMain.computePool.stats().completed).toBe(0);

    const report = (await post(inWorker, body)).json();
    expect(report.communities).toHaveLength(residential.features.length);
    expect(report.errors.communities).toEqual([{ index: 50, id: 'broken', message: expect.stringContaining('feature 50 (id "broken")') }]);
    const csv = (await post(inWorker, body, 'text/csv')).rawPayload;
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // Header + one row per community × urban standard × item (34 basic + 52 quality), and one for the broken community, with its error.
    const lines = csv.toString('utf8').trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + residential.features.length * (34 + 52) + 1);
    expect(lines.at(-1)).toMatch(/^broken,.*,not_assessed,.*feature 50 \(id ""broken""\)/);
  });

  it.each([
    ['a custom standard with a bad category', { standard: { id: 'x' } }],
    ['an unknown standard id', { standards: ['guangzhou'] }],
    ['an unknown parameter', { minute: 5 }],
  ])('and answers %s with the main thread\'s 400', async (_, extra) => {
    const body = { ...largeBody(), ...extra };
    const [main, worker] = [await post(onMain, body), await post(inWorker, body)];
    expect(main.statusCode).toBe(400);
    expect(worker.statusCode).toBe(400);
    expect(problemIn(worker)).toEqual(problemIn(main));
  });

  it('and answers standards that are not an array with the main thread\'s 400 (one schema, compiled in both threads)', async () => {
    const body = { ...largeBody(), standards: 'x' };
    const [main, worker] = [await post(onMain, body), await post(inWorker, body)];
    expect([main.statusCode, worker.statusCode]).toEqual([400, 400]);
    expect(problemIn(main)).toEqual({ code: 'INVALID_PARAMETER', where: 'standards', detail: 'standards: got "x", expected an array' });
    expect(problemIn(worker)).toEqual(problemIn(main));
  });
});
