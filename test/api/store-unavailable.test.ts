import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { type Sql } from '../../src/runtime/store/index.ts';
import { memoryStore } from '../helpers/store.ts';
import { fc, problemIn, testApp, town, townNetwork } from './helpers.ts';

/**
 * The app in process, its embedded store closed under it (the store "goes away"): the store routes
 * answer 503 STORE_UNAVAILABLE with Retry-After, /ready says so, /health and the compute routes go on.
 * A real PostgreSQL stopped and started again under the real server is store-outage.test.ts.
 */
const KEY = 'unavailable-tester-key-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-store-unavailable-'));
let sql: Sql;
let app: FastifyInstance;
beforeAll(async () => {
  sql = await memoryStore();
  app = testApp({ store: sql, dataDir: dir, apiKeys: [{ name: 'tester', key: KEY }], runJobs: { pollMs: 20 }, defaultGraph: graphFromGeoJson(townNetwork, { source: 'town' }) });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = { 'x-api-key': KEY }) => app.inject({ method: 'GET', url, headers });

describe('a store that went away under the app', () => {
  it('answers 503 STORE_UNAVAILABLE with Retry-After where the store is needed, and /ready says so', async () => {
    expect((await get('/v1/datasets')).statusCode).toBe(200);
    expect((await get('/ready')).statusCode).toBe(200);

    await sql.close();

    for (const [url, headers] of [['/v1/datasets', undefined], ['/v1/jobs', undefined], ['/v1/runs', { 'x-api-key': 'another-key-never-looked-up-0123' }]] as const) {
      const res = await get(url, headers);
      expect(res.statusCode, url).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(problemIn(res)).toEqual({ code: 'STORE_UNAVAILABLE', detail: 'the store is unavailable: it was closed; retry later' });
    }
    // /ready's last probe is reused for up to a second.
    let ready = await get('/ready');
    for (const end = Date.now() + 10_000; ready.statusCode === 200 && Date.now() < end; ready = await get('/ready')) await new Promise((r) => setTimeout(r, 50));
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['retry-after']).toBe('5');
    expect(problemIn(ready)).toEqual({ code: 'STORE_UNAVAILABLE', detail: 'the store is unavailable: it was closed' });

    expect((await get('/health')).statusCode).toBe(200);
    const isochrone = await app.inject({ method: 'POST', url: '/v1/isochrones', payload: { origins: fc(town.point('A', town.at('a'))), minutes: [5] } });
    expect(isochrone.statusCode).toBe(200);
  });
});
