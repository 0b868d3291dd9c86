import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { embeddedStoreEnv } from './server-process.ts';
import { COMPILED_SOURCE_VARIABLE } from '../helpers/compiled-source.ts';
import { freshDataDir } from '../helpers/store.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { townNetwork } from './helpers.ts';

/*
 * src/server.ts as deployed: a process configured by its environment, started, probed, and stopped
 * with SIGTERM; and refusing to start on a bad configuration. Run as `npm run dev` runs it — from
 * the TypeScript source through tsx, its threads through source-entry.mjs — the one test of that
 * path: the others start the suite's compiled copy (test/helpers/compiled-source.ts).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-server-'));
const network = join(dir, 'town.lcg');
writeGraphFile(network, graphFromGeoJson(townNetwork, { source: 'town' }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env: { ...embeddedStoreEnv(), [COMPILED_SOURCE_VARIABLE]: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: any[] = [];
  let stderr = '';
  let buffered = '';
  const waiters: { test: (line: any) => boolean; resolve: () => void }[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const text of complete) {
      const line = JSON.parse(text);
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.test(line))) waiter.resolve();
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const logged = (msg: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (lines.some((l) => msg.test(l.msg))) return resolve();
      waiters.push({ test: (l) => msg.test(l.msg), resolve });
      exited.then(() => reject(new Error(`exited before logging ${msg}; stderr: ${stderr}`)));
    });
  return { child: child as ChildProcess, lines, exited, logged, stderr: () => stderr };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('src/server.ts', () => {
  it('starts from its environment, answers /ready, and on SIGTERM turns unready, drains and exits 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    // As initdb leaves it (the cached template): a first start's initdb is test/store/migrations.test.ts's.
    freshDataDir(join(dir, 'store'));
    const server = startServer({ PORT: String(port), HOST: '127.0.0.1', NETWORK: network, NETWORK_CACHE_DIR: join(dir, 'cache'), DATA_DIR: join(dir, 'store'), SHUTDOWN_DELAY_MS: '1000', LOG_LEVEL: 'info' });
    try {
      await server.logged(/^ready$/);
      expect((await fetch(`${base}/ready`)).status).toBe(200);
      expect(((await (await fetch(`${base}/health`)).json()) as any).network).toMatchObject({ loaded: true, nodes: 6 });

      server.child.kill('SIGTERM');
      await server.logged(/^SIGTERM: shutting down/);
      // During SHUTDOWN_DELAY_MS: unready, still serving.
      const ready = await fetch(`${base}/ready`);
      expect([ready.status, ready.headers.get('content-type')]).toEqual([503, 'application/problem+json; charset=utf-8']);
      expect((await fetch(`${base}/v1/standards`)).status).toBe(200);
      expect(await server.exited).toBe(0);
      expect(server.lines.map((l) => l.msg)).toContain('closed');
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('refuses to start on a bad configuration, naming the variables (exit 2)', async () => {
    const server = startServer({ PORT: 'eighty', COMPUTE_TIMEOUT_MS: 'soon', NETWORK: network });
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toContain('PORT="eighty": expected a whole number from 0 to 65535');
    expect(server.stderr()).toContain('COMPUTE_TIMEOUT_MS="soon"');
  });
});
