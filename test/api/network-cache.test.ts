import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedGraphPath, loadDefaultNetwork } from '../../src/edge/api/network-cache.ts';
import { SAMPLE, testApp } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'lifecircle-cache-'));
const source = join(dir, 'chengdu.osm.pbf');
copyFileSync(`${SAMPLE}chengdu.osm.pbf`, source);
const cacheDir = join(dir, 'cache');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the default network cache', () => {
  it('compiles a network file once, then loads the cached graph file; a changed source is compiled again', async () => {
    const first = await loadDefaultNetwork(source, cacheDir);
    expect(first).toMatchObject({ from: 'compiled', graphFile: cachedGraphPath(source, cacheDir) });
    expect(existsSync(first.graphFile!)).toBe(true);

    const second = await loadDefaultNetwork(source, cacheDir);
    expect(second.from).toBe('cache');
    expect(second.graphFile).toBe(first.graphFile);
    expect([second.graph.nodeCount, second.graph.edgeCount]).toEqual([first.graph.nodeCount, first.graph.edgeCount]);
    expect(second.graph.meta.report).toEqual(first.graph.meta.report);
    // Read into shared memory: the compute threads are handed these bytes, not a copy each.
    expect(second.graph.nodeCoords.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(second.graph.edgeLength.buffer).toBe(second.graph.nodeCoords.buffer);

    utimesSync(source, new Date(), new Date(Date.now() + 60_000));
    const third = await loadDefaultNetwork(source, cacheDir);
    expect(third.from).toBe('compiled');
    expect(third.graphFile).not.toBe(first.graphFile);

    const direct = await loadDefaultNetwork(third.graphFile!, cacheDir);
    expect(direct).toMatchObject({ from: 'graph file', graphFile: third.graphFile });
    expect(readdirSync(cacheDir).every((name) => /^chengdu\.osm\.pbf\.[0-9a-f]{16}\.lcg$/.test(name))).toBe(true);
  });

  it('is what buildApp loads from defaultGraphPath, and what its workers read', async () => {
    const app = testApp({ defaultGraphPath: source, networkCacheDir: cacheDir, workerPool: { minThreads: 0 } });
    try {
      await app.ready();
      expect(app.network.graphFile).toBe(cachedGraphPath(source, cacheDir));
      const health = (await app.inject({ method: 'GET', url: '/health' })).json();
      expect(health.network).toMatchObject({ loaded: true, nodes: app.network.graph!.nodeCount });
    } finally {
      await app.close();
    }
  });

  it('fails to start with the file named when the network file does not exist', async () => {
    const app = testApp({ defaultGraphPath: join(dir, 'missing.osm.pbf'), networkCacheDir: cacheDir, workerPool: { minThreads: 0 } });
    await expect(app.ready()).rejects.toThrow(/missing\.osm\.pbf/);
    await app.close();
  });
});
