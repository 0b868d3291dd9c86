import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, codedErrorFields, errorFromFields } from '../../src/api/errors.ts';
import { InputError } from '../../src/errors.ts';
import { writeGraphFile } from '../../src/io/graph-file.ts';
import { graphFromGeoJson } from '../../src/io/load-network.ts';
import { badOrigins, fc, testApp, town, townNetwork } from './helpers.ts';

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
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual(expected.json());
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
    ['an InputError of the core', { network: townNetwork, origins, minutes: [5], speedKmh: 0 }],
    ['bad GeoJSON', { network: townNetwork, origins: { type: 'Feature' }, minutes: [5] }],
    ['a missing parameter', { network: townNetwork, minutes: [5] }],
    ['an unknown parameter', { network: townNetwork, origins, minutes: [5], minute: 5 }],
  ])('answers %s with the same 400 as the main thread', async (_, body) => {
    const res = await sameOnBothPaths('/v1/isochrones', body, [inWorker]);
    expect(res.statusCode).toBe(400);
  });

  it('answers malformed JSON with INVALID_JSON', async () => {
    const res = await post(inWorker, '/v1/isochrones', '{"origins": [');
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'INVALID_JSON', message: expect.stringMatching(/^request body is not valid JSON/) });
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
      expect(rejected.json().error.code).toBe('SERVER_BUSY');
      expect(rejected.headers['retry-after']).toBe('5');
    } finally {
      await busy.close();
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
