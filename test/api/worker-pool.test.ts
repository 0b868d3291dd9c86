import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Piscina } from 'piscina';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, codedErrorFields, errorFromFields } from '../../src/edge/api/errors.ts';
import { ComputePool } from '../../src/edge/api/worker-pool.ts';
import { InputError } from '../../src/core/errors.ts';
import { writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { gridNetwork, gridPoint } from './grid-network.ts';
import { badOrigins, fc, problemIn, testApp, town, townNetwork } from './helpers.ts';

/*
 * workerThresholdBytes: 0 sends every body to the worker pool, so small requests exercise the
 * worker path: its answers and its errors must be the main thread's, byte for byte.
 */
const graph = graphFromGeoJson(townNetwork, { source: 'town' });
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-pool-'));
const graphFile = join(dir, 'town.lcg');
writeGraphFile(graphFile, graph);

let onMain: FastifyInstance;
let inWorker: FastifyInstance;
let inWorkerFromFile: FastifyInstance;
beforeAll(async () => {
  onMain = testApp({ defaultGraph: graph });
  // The default network reaches the worker as a copy (no file) or as the .lcg file it loads itself.
  inWorker = testApp({ defaultGraph: graph, workerThresholdBytes: 0, workerPool: { maxThreads: 1 } });
  inWorkerFromFile = testApp({ defaultGraph: graph, defaultGraphPath: graphFile, workerThresholdBytes: 0, workerPool: { maxThreads: 1 } });
  await Promise.all([onMain.ready(), inWorker.ready(), inWorkerFromFile.ready()]);
});
afterAll(async () => {
  await Promise.all([onMain.close(), inWorker.close(), inWorkerFromFile.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const origins = fc(town.point('A', town.at('a')), badOrigins().offNetwork, town.point('E', town.at('e')));
const targets = fc(town.point('c', town.at('c')), town.point('f', town.at('f')));

const post = (app: FastifyInstance, url: string, payload: unknown) =>
  app.inject({ method: 'POST', url, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: { 'content-type': 'application/json' } });

async function sameOnBothPaths(url: string, body: unknown, apps = [inWorker, inWorkerFromFile]) {
  const expected = await post(onMain, url, body);
  for (const app of apps) {
    const res = await post(app, url, body);
    expect(res.statusCode).toBe(expected.statusCode);
    expect(res.headers['content-type']).toBe(expected.headers['content-type']);
    if (expected.statusCode === 200) expect(res.json()).toEqual(expected.json());
    else expect(problemIn(res)).toEqual(problemIn(expected));
  }
  return expected;
}

describe('the worker path', () => {
  it('answers isochrones and travel times exactly as the main thread does', async () => {
    const iso = await sameOnBothPaths('/v1/isochrones', { network: townNetwork, origins, minutes: [2, 4] }, [inWorker]);
    expect(iso.statusCode).toBe(200);
    expect(iso.json().errors).toHaveLength(1);
    const tt = await sameOnBothPaths('/v1/travel-times', { network: townNetwork, origins, targets, maxMinutes: 4 }, [inWorker]);
    expect(tt.json().origins[0].reachable.map((r: any) => r.targetId)).toEqual(['c', 'f']);
    expect(inWorker.computePool.stats().completed).toBeGreaterThanOrEqual(2);
  });

  it('uses the default network when the body has none, copied or loaded from its .lcg file', async () => {
    const res = await sameOnBothPaths('/v1/travel-times', { origins, targets, maxMinutes: 4 });
    expect(res.statusCode).toBe(200);
    expect(res.json().origins[2].reachable.map((r: any) => r.targetId)).toEqual(['f', 'c']);
  });

  it.each([
    ['an InputError of the core', { network: townNetwork, origins, minutes: [5], speedKmh: 0 }, 400],
    ['bad GeoJSON', { network: townNetwork, origins: { type: 'Feature' }, minutes: [5] }, 400],
    ['a missing parameter', { network: townNetwork, minutes: [5] }, 400],
    ['an unknown parameter', { network: townNetwork, origins, minutes: [5], minute: 5 }, 400],
    ['a misspelt required parameter', { network: townNetwork, origin: origins, minutes: [5] }, 400],
    ['a bare FeatureCollection', origins, 400],
    ['a limit', { network: townNetwork, origins, minutes: [5, 500] }, 422],
  ])('answers %s with the same problem as the main thread', async (_, body, status) => {
    const res = await sameOnBothPaths('/v1/isochrones', body, [inWorker]);
    expect(res.statusCode).toBe(status);
  });

  it('answers malformed JSON with INVALID_JSON', async () => {
    const res = await post(inWorker, '/v1/isochrones', '{"origins": [');
    expect(res.statusCode).toBe(400);
    expect(problemIn(res)).toEqual({ code: 'INVALID_JSON', detail: expect.stringMatching(/^request body is not valid JSON/) });
  });

  it('answers 503 SERVER_BUSY when the queue is full, and serves the rest', async () => {
    const busy = testApp({ workerThresholdBytes: 0, workerPool: { maxThreads: 1, maxQueue: 1 } });
    try {
      await busy.ready();
      const body = { network: townNetwork, origins, targets, maxMinutes: 4 };
      const answers = await Promise.all(Array.from({ length: 6 }, () => post(busy, '/v1/travel-times', body)));
      const codes = answers.map((r) => r.statusCode);
      expect(codes).toContain(200);
      expect(codes).toContain(503);
      const rejected = answers.find((r) => r.statusCode === 503)!;
      expect(problemIn(rejected).code).toBe('SERVER_BUSY');
      expect(rejected.headers['retry-after']).toBe('5');
    } finally {
      await busy.close();
    }
  });
});

describe('the compute timeout', () => {
  it('answers 503 TIMEOUT (no Retry-After: the same request would time out again) and keeps serving', async () => {
    const hasty = testApp({ workerThresholdBytes: 0, workerPool: { maxThreads: 1, computeTimeoutMs: 1 } });
    try {
      await hasty.ready();
      const res = await post(hasty, '/v1/travel-times', { network: townNetwork, origins, targets, maxMinutes: 4 });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeUndefined();
      expect(problemIn(res)).toEqual({
        code: 'TIMEOUT',
        detail: 'computing this request took longer than the limit of 1 ms and was stopped; send fewer origins, targets or communities, or smaller budgets',
      });
      expect((await hasty.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await hasty.close();
    }
  });

  it('stops a task while it runs: its thread is replaced, and the next task is answered', async () => {
    const pool = new ComputePool({ minThreads: 1, maxThreads: 1 });
    pool.start({});
    try {
      const small = Buffer.from(JSON.stringify({ network: townNetwork, origins, targets, maxMinutes: 4 }));
      expect((await pool.run('travel-times', small)).contentType).toMatch(/^application\/json/); // warm
      // Parsing, building and contouring an hour's walk on a 100 × 100 grid takes far longer than 50 ms.
      const heavy = Buffer.from(JSON.stringify({ network: gridNetwork(100), origins: fc(town.point('o', gridPoint(50, 50))), minutes: [60] }));
      // Stopped, not left to finish: the one thread, which was computing it, is terminated (its id
      // gone from the pool) — told by which thread, not by how long it took.
      const threadIds = () => (pool as unknown as { piscina: Piscina }).piscina.threads.map((thread) => thread.threadId);
      const [computing] = threadIds();
      await expect(pool.run('isochrones', heavy, 'json', { timeoutMs: 50 })).rejects.toMatchObject({ code: 'TIMEOUT', statusCode: 503 });
      expect(threadIds()).not.toContain(computing);
      const again = await pool.run('travel-times', Buffer.from(small));
      expect(JSON.parse(again.bytes.toString()).origins[0].reachable.map((r: any) => r.targetId)).toEqual(['c', 'f']);
    } finally {
      await pool.destroy();
    }
  });
});

describe('coded errors across the thread boundary', () => {
  it('keep code, message, where, featureIndex and featureId', () => {
    const input = new InputError('INVALID_GEOMETRY', 'origins feature 3 (id "x"): bad', { where: 'origins', featureIndex: 3, featureId: 'x' });
    const fields = structuredClone(codedErrorFields(input)!);
    const rebuilt = errorFromFields(fields);
    expect(rebuilt).toBeInstanceOf(InputError);
    expect({ ...rebuilt, message: rebuilt.message }).toMatchObject({ code: 'INVALID_GEOMETRY', message: input.message, where: 'origins', featureIndex: 3, featureId: 'x' });
    const api = errorFromFields(structuredClone(codedErrorFields(new ApiError('INVALID_JSON', 'bad json'))!));
    expect(api).toBeInstanceOf(ApiError);
    expect(api).toMatchObject({ code: 'INVALID_JSON', statusCode: 400, message: 'bad json' });
    expect(codedErrorFields(new Error('bug'))).toBeUndefined();
  });
});
