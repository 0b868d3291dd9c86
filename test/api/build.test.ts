import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { entryFile } from '../../src/runtime/threads/entry-file.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { COMPILED_SOURCE, COMPILED_SOURCE_VARIABLE } from '../helpers/compiled-source.ts';
import { freshDataDir } from '../helpers/store.ts';
import { type ServerProcess, freePort, startServer } from './server-process.ts';

/*
 * The service as `npm start` runs it: `npm run build` (tsc, tsconfig.build.json) compiles src/ into
 * dist/ once, and `node dist/server.js` serves — with no TypeScript loader, in the process or in its
 * threads. WORKER_THRESHOLD_MB=0 sends every request body to the compute pool, so an answered
 * coverage request is one computed by a thread started from dist/.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST = join(ROOT, 'dist');
const dir = mkdtempSync(join(tmpdir(), 'lifecircle-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  // tsc -b: quick when dist/ is up to date, a full compile (~15 s of CPU) when not.
  await promisify(execFile)('npm', ['run', '--silent', 'build'], { cwd: ROOT, timeout: 600_000 }).catch((err: Error & { stdout?: string }) => {
    // tsc prints its errors on stdout.
    throw new Error(`npm run build failed: ${err.message}${err.stdout ?? ''}`);
  });
}, 600_000);

/** Every .js file under `folder`. */
function jsFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.js'))
    .map((name) => join(folder, name));
}

describe('npm run build', () => {
  it.each([
    ['npm run build', DIST],
    ["the suite's compiled copy", COMPILED_SOURCE],
  ])('%s compiles src/ into JavaScript that imports JavaScript: relative specifiers end in .js, nothing loads tsx', (_name, out) => {
    const files = jsFiles(out);
    const relative: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const [, specifier] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]([^'"]+)['"]/g)) {
        if (specifier.startsWith('.')) relative.push(specifier);
        expect(specifier, file).not.toMatch(/^tsx(\/|$)/);
      }
    }
    // The whole of src/ compiled, and its imports seen (not a regex that matches nothing).
    expect(files.length).toBeGreaterThan(150);
    expect(relative.length).toBeGreaterThan(500);
    expect(relative.filter((s) => !s.endsWith('.js'))).toEqual([]);
  });

  it('starts threads and child processes from their compiled .js; from the source, through tsx, or from the suite\'s compiled copy', async () => {
    const compiled = (await import(pathToFileURL(join(DIST, 'runtime/threads/entry-file.js')).href)) as typeof import('../../src/runtime/threads/entry-file.ts');
    const spawner = pathToFileURL(join(DIST, 'edge/api/worker-pool.js')).href;
    const built = compiled.entryFile('./compute-worker.ts', spawner);
    expect([built.url.href, built.argv]).toEqual([pathToFileURL(join(DIST, 'edge/api/compute-worker.js')).href, []]);
    expect(existsSync(built.url)).toBe(true);
    const fromSource = () => entryFile('./compute-worker.ts', pathToFileURL(join(ROOT, 'src/edge/api/worker-pool.ts')).href);
    // In this suite, the compiled copy of src/ (test/helpers/compiled-source.ts) …
    expect(process.env[COMPILED_SOURCE_VARIABLE]).toBe(COMPILED_SOURCE);
    const copied = fromSource();
    expect([copied.url.href, copied.argv]).toEqual([pathToFileURL(join(COMPILED_SOURCE, 'edge/api/compute-worker.js')).href, []]);
    expect(existsSync(copied.url)).toBe(true);
    // … and without it (`npm run dev`), the source through tsx.
    try {
      process.env[COMPILED_SOURCE_VARIABLE] = '';
      const source = fromSource();
      expect([source.url.href, source.argv]).toEqual([pathToFileURL(join(ROOT, 'src/runtime/threads/source-entry.mjs')).href, [`--entry=${pathToFileURL(join(ROOT, 'src/edge/api/compute-worker.ts')).href}`]]);
    } finally {
      process.env[COMPILED_SOURCE_VARIABLE] = COMPILED_SOURCE;
    }
  });

  it('gives the CLI as the package bin, runnable by node', () => {
    const bin = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin.lifecircle;
    expect(bin).toBe('dist/edge/cli/main.js');
    expect(readFileSync(join(ROOT, bin), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });
});

describe('node dist/server.js', () => {
  let server: ServerProcess | undefined;
  afterAll(() => server?.kill());

  it('answers /health, and a coverage request computed in a worker thread started from dist/', async () => {
    const network = join(dir, 'town.lcg');
    const graph = graphFromGeoJson(town.network, { source: 'town' });
    writeGraphFile(network, graph);
    mkdirSync(join(dir, 'store'));
    freshDataDir(join(dir, 'store'));
    const port = await freePort();
    // As package.json's start script runs it.
    server = await startServer(port, { NETWORK: network, NETWORK_CACHE_DIR: join(dir, 'cache'), DATA_DIR: join(dir, 'store'), WORKER_THRESHOLD_MB: '0' }, ['--enable-source-maps', 'dist/server.js']);
    await server.logged(/^ready$/);

    const health = async () => (await (await fetch(`${server!.base}/health`)).json()) as { status: string; network: { source: string; nodes: number }; workers: { completed: number } };
    const before = await health();
    expect(before).toMatchObject({ status: 'ok', network: { source: 'town', nodes: graph.nodeCount } });
    expect(before.workers.completed).toBe(0);

    // At b: the clinic 100 m away, the park 400 m (outside the 375 m circle); at f: both within it.
    const communities = fc([town.point('north', town.at('b'), { type: 'urban' }), town.point('south', town.at('f'), { type: 'urban' })]);
    const res = await fetch(`${server.base}/v1/coverage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ communities, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD }),
    });
    expect(res.status).toBe(200);
    const report = (await res.json()) as { communities: { id: string; standards: { items: { itemId: string; status: string }[] }[] }[] };
    const statuses = report.communities.map((c) => [c.id, Object.fromEntries(c.standards[0].items.map((i) => [i.itemId, i.status]))]);
    expect(statuses).toEqual([
      ['north', { clinic: 'met', park: 'unmet', volunteers: 'not_declared', app: 'not_declared' }],
      ['south', { clinic: 'met', park: 'met', volunteers: 'not_declared', app: 'not_declared' }],
    ]);
    expect((await health()).workers.completed).toBe(1);
  });
});
