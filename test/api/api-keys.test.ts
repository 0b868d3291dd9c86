import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore, revokeApiKey } from '../../src/runtime/store/index.ts';
import { freshDataDir } from '../helpers/store.ts';
import { problemIn, testApp } from './helpers.ts';

/*
 * API_KEYS is the truth at each start, seen through the API: a key taken out of it answers 401
 * exactly like a key never issued, across restarts of the service on the same store, and answers
 * again with its data when listed again. A key revoked while the server runs is refused within the
 * lookup cache's few seconds.
 */
const OPS = { name: 'ops', key: 'ops-key-0123456789abcdef' };
const PLANNING = { name: 'planning', key: 'planning-key-0123456789' };
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-api-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const storeDir = join(dir, 'store');
freshDataDir(storeDir, 'migrated');

/** A start of the service on the store in `storeDir` with these API_KEYS; `stop` closes both. */
async function start(apiKeys: { name: string; key: string }[]) {
  const store = await openStore({ dataDir: storeDir });
  const app = testApp({ store, dataDir: join(dir, 'graphs'), apiKeys, runJobs: false });
  await app.ready();
  const as = (key: string, method: 'GET' | 'POST' = 'GET', url = '/v1/datasets', payload?: object) =>
    app.inject({ method, url, headers: { 'x-api-key': key }, ...(payload ? { payload } : {}) });
  return { app, store, as, stop: async () => (await app.close(), await store.close()) };
}

describe('API_KEYS across restarts', () => {
  it('refuses a key no longer listed like an unknown one, its data kept; listed again, it answers with its data', async () => {
    const first = await start([OPS, PLANNING]);
    const created = await first.as(PLANNING.key, 'POST', '/v1/datasets/facilities?name=clinics', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { category: 'clinic' }, geometry: { type: 'Point', coordinates: [104.05, 30.65] } }],
    });
    expect(created.statusCode).toBe(201);
    const datasetId = created.json().id;
    await first.stop();

    const second = await start([OPS]);
    const unknown = await second.as('never-issued-key-0123456789');
    const removed = await second.as(PLANNING.key);
    expect(removed.statusCode).toBe(401);
    expect(problemIn(removed)).toEqual(problemIn(unknown));
    expect(removed.headers['www-authenticate']).toBe(unknown.headers['www-authenticate']);
    expect((await second.as(OPS.key)).statusCode).toBe(200);
    await second.stop();

    // Still out of API_KEYS: still refused (a restart does not bring it back).
    const third = await start([OPS]);
    expect((await third.as(PLANNING.key)).statusCode).toBe(401);
    await third.stop();

    const fourth = await start([OPS, PLANNING]);
    const listed = await fourth.as(PLANNING.key);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().datasets.map((d: { id: string }) => d.id)).toEqual([datasetId]);
    await fourth.stop();

    // API_KEYS unset: the keys stay as they were (managed with `lifecircle keys`).
    const unset = await start([]);
    expect((await unset.as(OPS.key)).statusCode).toBe(200);
    expect((await unset.as(PLANNING.key)).statusCode).toBe(200);
    await unset.stop();
  });

  it('refuses a key revoked while it runs, within the lookup cache\'s few seconds', async () => {
    const server = await start([OPS, PLANNING]);
    try {
      expect((await server.as(PLANNING.key)).statusCode).toBe(200);
      await revokeApiKey(server.store, 'planning');
      const started = performance.now();
      let status = 200;
      while (status === 200 && performance.now() - started < 30_000) {
        status = (await server.as(PLANNING.key)).statusCode;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(401);
      expect((await server.as(OPS.key)).statusCode).toBe(200);
    } finally {
      await server.stop();
    }
  });
});
