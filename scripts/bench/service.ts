/**
 * `npm run bench:service` — the service as a user runs it, measured from outside the process:
 *  1. import of the generated 1M-edge network through the API (`POST /v1/datasets/networks`, the
 *     161 MB GeoJSON streamed), with the server's peak memory (VmHWM);
 *  2. one-community coverage under load (autocannon on loopback) with the city and 20,000 facilities
 *     loaded as the defaults, sampling the server's RSS to see whether memory stays flat.
 * Needs the coverage city of `npm run bench -- --only coverage` (generated if missing).
 * `--duration S` for the load (default 60; the issue asks for 300); `--only import|load` runs one part;
 * `--standards a,b` asks for those standards only (default: every standard, as a request without
 * `standards` does).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { graphFileVersion } from '../../src/runtime/files/graph-file.ts';
import { GRAPH_FILE_VERSION } from '../../src/core/io/graph-format.ts';
import { type ResultTable, figure, startBench } from './results.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { duration: { type: 'string', default: '60' }, connections: { type: 'string', default: '16' }, only: { type: 'string' }, standards: { type: 'string' } } });
const city = join(tmpdir(), 'lifecircle-bench', 'coverage-city-1000000');
if (graphFileVersion(join(city, 'city.lcg')) !== GRAPH_FILE_VERSION) {
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench/run.ts'), '--only', 'coverage'], { stdio: 'inherit' });
}
const KEY = 'bench-key-0123456789abcdef';
const bench = startBench('service', 'The service from outside: network import over HTTP, coverage under load');
const tables: ResultTable[] = [];
const raw: Record<string, unknown> = {};

function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((resolveReady, reject) => {
    const started = Date.now();
    const poll = async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/ready`);
        if (res.ok) return resolveReady(child);
      } catch {
        // not listening yet
      }
      if (Date.now() - started > 120_000) return reject(new Error('server did not become ready'));
      setTimeout(poll, 100);
    };
    void poll();
  });
}

function memoryMB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(field))!;
  return Math.round(Number(line.split(/\s+/)[1]) / 1024);
}

// 1. Import through the API.
if (values.only === undefined || values.only === 'import') {
  const dataDir = mkdtempSync(join(tmpdir(), 'lifecircle-bench-store-'));
  const server = await startServer({ DATA_DIR: dataDir, API_KEYS: `bench:${KEY}` }, 3301);
  const file = join(city, 'network.geojson');
  const before = memoryMB(server.pid!, 'VmHWM');
  const rssBefore = memoryMB(server.pid!, 'VmRSS');
  const t0 = performance.now();
  const res = await fetch('http://127.0.0.1:3301/v1/datasets/networks?name=city', {
    method: 'POST',
    headers: { 'content-type': 'application/geo+json', 'x-api-key': KEY, 'content-length': String(statSync(file).size) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const dataset = (await res.json()) as { counts?: { edges: number } };
  const seconds = (performance.now() - t0) / 1000;
  const imported = { status: res.status, edges: dataset.counts?.edges, seconds: Math.round(seconds * 10) / 10, serverPeakRssMB: memoryMB(server.pid!, 'VmHWM'), serverPeakBeforeMB: before, serverRssBeforeMB: rssBefore, serverRssAfterMB: memoryMB(server.pid!, 'VmRSS') };
  if (res.status !== 201) throw new Error(`import answered ${res.status}`);
  raw.import = imported;
  console.log(JSON.stringify({ import: imported }));
  tables.push({
    title: `Import of the generated city through the API (${Math.round(statSync(file).size / 2 ** 20)} MB GeoJSON, streamed)`,
    columns: ['edges', 'time', 'server peak RSS', 'server RSS before → after', 'target'],
    rows: [[imported.edges ?? '?', figure([imported.seconds], 's'), figure([imported.serverPeakRssMB], 'MB', 0), `${imported.serverRssBeforeMB} → ${imported.serverRssAfterMB} MB`, '< 20 s, < 1 GB']],
  });
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
}

// 2. One-community coverage under load, the city and its facilities loaded as the defaults.
if (values.only === undefined || values.only === 'load') {
  const server = await startServer({ NETWORK: join(city, 'city.lcg'), FACILITIES: join(city, 'facilities.geojson'), DATA_DIR: 'memory://' }, 3302);
  const communities = JSON.parse(readFileSync(join(city, 'communities.geojson'), 'utf8')).features.filter((f: { properties: { type: string } }) => f.properties.type === 'urban').slice(0, 200);
  // All four standards: an urban community is assessed against the urban basic and quality circles.
  const standards = values.standards?.split(',');
  const bodies = communities.map((f: unknown) => JSON.stringify({ communities: { type: 'FeatureCollection', features: [f] }, ...(standards ? { standards } : {}) }));
  // Warm up: facilities are placed on the network at the first request.
  for (const body of bodies.slice(0, 20)) await fetch('http://127.0.0.1:3302/v1/coverage', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(memoryMB(server.pid!, 'VmRSS')), 5_000);
  let i = 0;
  const result = await autocannon({
    url: 'http://127.0.0.1:3302/v1/coverage',
    connections: Number(values.connections),
    duration: Number(values.duration),
    requests: [{ method: 'POST', headers: { 'content-type': 'application/json' }, setupRequest: (req: Record<string, unknown>) => ({ ...req, body: bodies[i++ % bodies.length] }) }],
  });
  clearInterval(sampler);
  const load = {
    seconds: Number(values.duration),
    connections: Number(values.connections),
    requestsPerSecond: Math.round(result.requests.average),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    rssMB: rss,
  };
  raw.load = load;
  tables.push({
    title: `One-community coverage under load (${load.connections} connections, ${load.seconds} s, ${standards ? standards.join(', ') : 'every standard'})`,
    columns: ['requests/s (per second of the run)', 'latency p50', 'latency p99', 'errors / non-2xx', 'server RSS (every 5 s)', 'target'],
    rows: [[
      { value: load.requestsPerSecond, min: result.requests.min, max: result.requests.max, runs: load.seconds, unit: '/s' },
      `${load.latencyP50Ms} ms`, `${load.latencyP99Ms} ms`, `${load.errors} / ${load.non2xx}`, figure(rss, 'MB', 0), '≥ 2,000/s, p99 < 20 ms, flat memory',
    ]],
    note: 'requests/s: the mean of the run, with its slowest and fastest second.',
  });
  console.log(JSON.stringify({ load: { ...load, rssMB: { first: rss[0], last: rss[rss.length - 1], min: Math.min(...rss), max: Math.max(...rss) } } }));
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
}

bench.finish(tables, raw);
