import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { MEMORY_DATA_DIR } from '../../src/runtime/store/index.ts';
import { sharedStore } from '../helpers/store.ts';
import { testApp, townNetwork } from './helpers.ts';
import { freePort, startServer } from './server-process.ts';

/*
 * Nothing temporary outlives its purpose: a `memory://` store's folder of graph files goes with the
 * server on SIGTERM (and one a killed server left is removed at the next start); an upload cut off
 * by its client leaves no spool file and is logged at info, without a stack.
 */
const root = mkdtempSync(join(tmpdir(), 'lifecircle-temporaries-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const KEY = 'temporaries-key-0123456789abcdef';

/** A pid no process has any more. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('a memory:// store\'s graph folder', () => {
  it('is removed on SIGTERM, and one a dead server left is removed at start', async () => {
    const tmp = join(root, 'tmp-server');
    mkdirSync(tmp);
    const stale = join(tmp, `lifecircle-graphs-${deadPid()}`);
    const live = join(tmp, `lifecircle-graphs-${process.pid}`);
    for (const dir of [stale, live]) {
      mkdirSync(dir);
      writeFileSync(join(dir, 'ds_x.v1.lcg'), 'graph');
    }
    const network = join(root, 'town.lcg');
    writeGraphFile(network, graphFromGeoJson(townNetwork, { source: 'town' }));
    const server = await startServer(await freePort(), { DATA_DIR: MEMORY_DATA_DIR, TMPDIR: tmp, NETWORK: network, NETWORK_CACHE_DIR: join(root, 'cache'), API_KEYS: `t:${KEY}` });
    try {
      await server.logged(/^ready$/);
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(live)).toBe(true);
      const uploaded = await fetch(`${server.base}/v1/datasets/networks?name=town`, {
        method: 'POST',
        headers: { 'x-api-key': KEY, 'content-type': 'application/geo+json' },
        body: JSON.stringify(townNetwork),
      });
      expect(uploaded.status).toBe(201);
      const own = join(tmp, `lifecircle-graphs-${server.child.pid}`);
      expect(readdirSync(own).length).toBeGreaterThan(0);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      expect(existsSync(own)).toBe(false);
      expect(existsSync(live)).toBe(true);
    } finally {
      await server.kill();
    }
  });
});

describe('an upload cut off by its client', () => {
  it('leaves no spool file and is logged at info without a stack', async () => {
    const spool = join(root, 'tmp-upload');
    mkdirSync(spool);
    const previousTmp = process.env.TMPDIR;
    process.env.TMPDIR = spool;
    const lines: Record<string, unknown>[] = [];
    const sql = await sharedStore();
    const app = testApp({ store: sql, dataDir: join(root, 'graphs'), apiKeys: [{ name: 't', key: KEY }], runJobs: false, logger: { level: 'info', stream: { write: (line) => lines.push(JSON.parse(line)) } } });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as { port: number };
      // Announces 1 MB, sends 300 kB, then goes away.
      await new Promise<void>((resolve) => {
        const req = request({ port, host: '127.0.0.1', method: 'POST', path: '/v1/datasets/networks', headers: { 'x-api-key': KEY, 'content-type': 'application/octet-stream', 'content-length': '1000000' } });
        req.on('error', () => {});
        req.on('close', () => resolve());
        req.write(Buffer.alloc(300_000, 0x20));
        const spooling = setInterval(() => {
          if (readdirSync(spool).some((f) => f.startsWith('lifecircle-upload-'))) {
            clearInterval(spooling);
            req.destroy();
          }
        }, 10);
      });
      const started = performance.now();
      while (!lines.some((l) => /closed the connection/.test(String(l.msg))) && performance.now() - started < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const aborted = lines.filter((l) => l.reqId === 'req-1' && l.msg !== 'incoming request');
      expect(aborted).toEqual([expect.objectContaining({ level: 30, code: 'ECONNRESET', msg: 'the client closed the connection before the request was whole; nothing answered' })]);
      expect(aborted[0]).not.toHaveProperty('err');
      expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
      expect(readdirSync(spool).filter((f) => f.startsWith('lifecircle-upload-'))).toEqual([]);
    } finally {
      process.env.TMPDIR = previousTmp;
      if (previousTmp === undefined) delete process.env.TMPDIR;
      await app.close();
    }
  });
});
