import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost, inlineNetworkSize } from '../../src/runtime/requests/cost.ts';
import type { Sql } from '../../src/runtime/store/index.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, town } from '../helpers/small-town.ts';
import { sharedStore } from '../helpers/store.ts';
import { gridNetwork, gridPoint } from './grid-network.ts';
import { SAMPLE, problemIn, samplePoints, testApp } from './helpers.ts';

/*
 * Admission by cost (issue 10, item 1): every compute request is estimated before it runs
 * (src/runtime/requests/cost.ts); an answer over MAX_ANSWER_MB is refused up front, anything more than a few
 * milliseconds runs in a worker thread — under COMPUTE_TIMEOUT_MS, a memory limit, and only while its
 * client waits — and the event loop stays free. Whether a request ran in a thread is read from the
 * pool's counters, never from timings.
 */
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-admission-'));
const sample = { defaultGraphPath: `${SAMPLE}chengdu.osm.pbf`, networkCacheDir: dir };
let app: FastifyInstance;
beforeAll(async () => {
  app = testApp({ ...sample, workerPool: { maxThreads: 1 } });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = { 'content-type': 'application/json' };
const post = (target: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  target.inject({ method: 'POST', url, payload: JSON.stringify(payload), headers: { ...json, ...headers } });

/** Points in the middle of the sample, seeded. */
function spread(k: number, withIds = true) {
  let seed = 11;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const features = Array.from({ length: k }, (_, i) => ({
    type: 'Feature',
    ...(withIds ? { properties: { id: `o${i}` } } : {}),
    geometry: { type: 'Point', coordinates: [+(104.03 + 0.08 * random()).toFixed(5), +(30.66 + 0.06 * random()).toFixed(5)] },
  }));
  return { type: 'FeatureCollection', features };
}

/** A real place of the sample (data/sample/origins.geojson). */
const place = { ...samplePoints('origins'), features: samplePoints('origins').features.slice(0, 1) };

/** Thousands of car searches across the whole sample, in a body under WORKER_THRESHOLD_MB: seconds of work. */
const heavyTravelTimes = { origins: spread(10_000, false), targets: spread(1), maxMinutes: 180, mode: 'car' };
const heavyBody = JSON.stringify(heavyTravelTimes);

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 3000 && !condition(); i++) await sleep(20);
  if (!condition()) throw new Error(`timed out waiting until ${what}`);
}

describe('admission by cost', () => {
  it('refuses the 54 KB isochrones body (500 origins × 12 budgets up to 180 minutes) up front, without computing it', async () => {
    const body = { origins: spread(500), minutes: [15, 30, 45, 60, 75, 90, 105, 120, 135, 150, 165, 180] };
    expect(JSON.stringify(body).length).toBeLessThan(64 * 1024);
    const before = app.computePool.stats();
    const res = await post(app, '/v1/isochrones', body);
    expect(res.statusCode).toBe(422);
    const problem = problemIn(res);
    expect(problem.code).toBe('LIMIT_EXCEEDED');
    expect(problem.detail).toMatch(/^the answer would be about [\d,]+ MB, over the limit of 64 MB \(MAX_ANSWER_MB\): send fewer origins \(500\) or budgets \(12\), smaller budgets \(up to 180 minutes\), or ask for `output: "lines"`; or split the request$/);
    // Refused on the event loop: no thread was given it.
    expect(app.computePool.stats()).toMatchObject({ completed: before.completed, tasks: 0 });
    // The same origins with one short budget as lines are answered.
    const lines = await post(app, '/v1/isochrones', { ...body, minutes: [5], output: 'lines' });
    expect(lines.statusCode).toBe(200);
    // One ring per origin placed on the network, an error for each other.
    const answer = lines.json();
    expect(answer.features.filter((f: any) => f.properties.kind === 'isochrone').length + answer.errors.length).toBe(500);
    expect(answer.errors.length).toBeLessThan(50);
  });

  it('runs a heavy request with a small body in a worker thread, a light one on the event loop', async () => {
    const origins = place;
    const completed = app.computePool.stats().completed;
    const heavy = await post(app, '/v1/isochrones', { origins, minutes: [60] });
    expect(heavy.statusCode).toBe(200);
    expect(heavy.json().features.map((f: any) => f.properties.kind)).toEqual(['isochrone', 'snapped-origin']);
    expect(app.computePool.stats().completed).toBe(completed + 1);

    const light = await post(app, '/v1/isochrones', { origins, minutes: [2] });
    expect(light.statusCode).toBe(200);
    expect(light.json().features.map((f: any) => f.properties.kind)).toEqual(['isochrone', 'snapped-origin']);
    expect(app.computePool.stats().completed).toBe(completed + 1);
  });

  it('keeps /health answering while a heavy request computes, and stops the work when its client disconnects', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const before = app.computePool.stats();
    let answered = false;
    const client = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/v1/travel-times', headers: { ...json, 'content-length': Buffer.byteLength(heavyBody) } });
    client.on('response', () => (answered = true));
    client.on('error', () => {}); // the socket is destroyed below
    client.end(heavyBody);
    // Handed to a thread (not waiting for one to start): running.
    await until(() => {
      const { tasks, queued, threads } = app.computePool.stats();
      return tasks === 1 && queued === 0 && threads === 1;
    }, 'the heavy request runs in a thread');

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect((await health.json()).workers).toMatchObject({ tasks: 1 });
    expect(answered).toBe(false);

    client.destroy();
    await until(() => app.computePool.stats().cancelled === before.cancelled + 1, 'the task is cancelled');
    expect(app.computePool.stats().tasks).toBe(0);
    expect(answered).toBe(false);
    // The thread that was stopped is replaced: the next heavy request is computed.
    const next = await post(app, '/v1/isochrones', { origins: place, minutes: [60] });
    expect(next.statusCode).toBe(200);
  });

  it('answers 503 TIMEOUT when the work takes longer than COMPUTE_TIMEOUT_MS, and lives on', async () => {
    const hasty = testApp({ ...sample, workerPool: { maxThreads: 1, computeTimeoutMs: 300 } });
    try {
      await hasty.ready();
      const res = await hasty.inject({ method: 'POST', url: '/v1/travel-times', payload: heavyBody, headers: json });
      expect(res.statusCode).toBe(503);
      expect(problemIn(res)).toEqual({ code: 'TIMEOUT', detail: expect.stringMatching(/^computing this request took longer than the limit of 300 ms and was stopped/) });
      expect((await hasty.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      const light = await post(hasty, '/v1/travel-times', { origins: place, targets: spread(2), maxMinutes: 2 });
      expect(light.statusCode).toBe(200);
      expect(hasty.computePool.stats().tasks).toBe(0);
    } finally {
      await hasty.close();
    }
  });
});

describe('answers over MAX_ANSWER_MB', () => {
  it('are refused by their real size when the estimate falls short (roads far denser than the mean)', async () => {
    // A 1.45 km grid, and a scrap of road 20 km away that widens the extent (and is dropped as a fragment).
    const grid = gridNetwork(30);
    const far = { type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[104.26, 30.86], [104.2601, 30.86]] } };
    const network = { ...grid, features: [...grid.features, far] };
    const body = { network, origins: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'centre' }, geometry: { type: 'Point', coordinates: gridPoint(15, 15) } }] }, minutes: [30], output: 'lines' };
    const maxAnswerBytes = 40_000;
    // The estimate lets it through (the mean density is low), the real answer (the whole grid) is larger.
    expect(estimateCost('isochrones', body, inlineNetworkSize(network)).answerBytes).toBeLessThan(maxAnswerBytes);
    const strict = testApp({ workerPool: { maxThreads: 1, maxAnswerBytes } });
    try {
      const res = await post(strict, '/v1/isochrones', body);
      expect(res.statusCode).toBe(422);
      const problem = problemIn(res);
      expect(problem.code).toBe('LIMIT_EXCEEDED');
      expect(problem.detail).toMatch(/^the answer is 0\.\d MB, over the limit of 0\.0 MB \(MAX_ANSWER_MB\): send fewer origins \(1\) or budgets \(1\), smaller budgets \(up to 30 minutes\); or split the request$/);
      expect(strict.computePool.stats().completed).toBe(1);
      const roomy = await post(strict, '/v1/isochrones', { ...body, minutes: [2] });
      expect(roomy.statusCode).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('a worker thread out of memory', () => {
  it('dies alone: the request gets 422 LIMIT_EXCEEDED, the server answers the next one', async () => {
    const tight = testApp({ workerThresholdBytes: 0, workerPool: { maxThreads: 1, memoryMb: 32 } });
    try {
      const network = gridNetwork(140);
      const body = { network, origins: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'c' }, geometry: { type: 'Point', coordinates: gridPoint(70, 70) } }] }, minutes: [30] };
      const res = await post(tight, '/v1/isochrones', body);
      expect(res.statusCode).toBe(422);
      expect(problemIn(res)).toEqual({ code: 'LIMIT_EXCEEDED', detail: expect.stringMatching(/^computing this request needed more memory than a worker thread may use \(32 MB\)/) });
      const small = await post(tight, '/v1/isochrones', { network: town.network, origins: { type: 'FeatureCollection', features: [town.point('a', town.at('a'))] }, minutes: [2] });
      expect(small.statusCode).toBe(200);
    } finally {
      await tight.close();
    }
  });
});

describe('requests naming stored datasets', () => {
  const KEY = 'admission-key-0123456789';
  const auth = { 'x-api-key': KEY };
  let sql: Sql;
  let stored: FastifyInstance;
  const ids: Record<string, string> = {};
  const communities = { type: 'FeatureCollection', features: [town.point('north', town.at('b'), { type: 'urban' }), town.point('south', town.at('g'), { type: 'urban' })] };
  beforeAll(async () => {
    sql = await sharedStore();
    // Every request to a worker thread (no work is too small): the datasets must reach it.
    stored = testApp({ store: sql, dataDir: join(dir, 'store'), apiKeys: [{ name: 'planner', key: KEY }], runJobs: false, workerPool: { maxThreads: 1, mainThreadMaxWorkUs: 0 } });
    await stored.ready();
    for (const [kind, data] of [['networks', town.network], ['facilities', TOWN_FACILITIES], ['communities', communities]] as const) {
      const res = await stored.inject({ method: 'POST', url: `/v1/datasets/${kind}`, payload: JSON.stringify(data), headers: { ...auth, ...json } });
      expect(res.statusCode).toBe(201);
      ids[kind] = res.json().id;
    }
  });
  afterAll(async () => {
    await stored.close();
  });

  it('are computed in a worker thread with the datasets resolved, as the same data inline', async () => {
    const completed = stored.computePool.stats().completed;
    const byId = await post(stored, '/v1/coverage', { network: ids.networks, facilities: ids.facilities, communities: ids.communities, standard: SMALL_TOWN_STANDARD }, auth);
    const inline = await post(stored, '/v1/coverage', { network: town.network, facilities: TOWN_FACILITIES, communities, standard: SMALL_TOWN_STANDARD }, auth);
    expect([byId.statusCode, inline.statusCode]).toEqual([200, 200]);
    const { network: _report, inputs: inlineInputs, ...inlineAnswer } = inline.json();
    const { inputs, ...byIdAnswer } = byId.json();
    expect(byIdAnswer).toEqual(inlineAnswer);
    // The same counts, but the answer names the datasets it used, where the inline one says inline.
    expect(inputs).toEqual({
      network: { ...inlineInputs.network, source: 'dataset', dataset: ids.networks, name: expect.any(String) },
      facilities: { ...inlineInputs.facilities, source: 'dataset', dataset: ids.facilities },
      communities: { ...inlineInputs.communities, source: 'dataset', dataset: ids.communities },
    });
    expect(byId.json().communities.map((c: any) => c.id)).toEqual(['north', 'south']);

    const origins = { type: 'FeatureCollection', features: [town.point('a', town.at('a'))] };
    const isoById = await post(stored, '/v1/isochrones', { network: ids.networks, origins, minutes: [2, 4] }, auth);
    const isoInline = await post(stored, '/v1/isochrones', { network: town.network, origins, minutes: [2, 4] }, auth);
    expect([isoById.statusCode, isoInline.statusCode]).toEqual([200, 200]);
    expect(isoById.json().features).toEqual(isoInline.json().features);
    expect(stored.computePool.stats().completed).toBe(completed + 4);
  });
});
