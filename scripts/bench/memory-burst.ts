/**
 * `npx tsx scripts/bench/memory-burst.ts [--requests 2000] [--rounds 3] [--snapshots dir] [--no-gc] [--server-log file]` — does memory
 * come back after a burst of bad requests? The server (memory:// store, the sample network) runs with
 * --expose-gc and scripts/bench/gc-report.mjs: after warm-up, a full GC and its RSS and heap are the
 * baseline; then each round sends `--requests` malformed requests of many kinds (8 at a time) and
 * measures again after a GC (`--no-gc`: the steady state a second after the burst, as the process
 * left it). Prints one JSON line per measurement and the change from the baseline.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync } from 'node:fs';
import { request } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { requests: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' }, snapshots: { type: 'string' }, 'no-gc': { type: 'boolean' }, 'server-log': { type: 'string' }, port: { type: 'string', default: '3311' } } });
const port = Number(values.port);
const KEY = 'burst-key-0123456789abcdef';

const server = spawn(process.execPath, ['--expose-gc', '--import', resolve(root, 'scripts/bench/gc-report.mjs'), '--import', 'tsx', 'src/server.ts'], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DATA_DIR: 'memory://', API_KEYS: `burst:${KEY}`, RATE_LIMIT_PER_MINUTE: '0', ...(values.snapshots ? { HEAP_SNAPSHOT_DIR: values.snapshots } : {}), ...(values['no-gc'] ? { GC_REPORT_NO_GC: '1' } : {}) },
  stdio: ['ignore', values['server-log'] ? openSync(values['server-log'], 'w') : 'ignore', 'pipe'],
});
const reports: ((line: Record<string, number>) => void)[] = [];
let stderr = '';
server.stderr!.on('data', (chunk: Buffer) => {
  stderr += chunk.toString();
  const lines = stderr.split('\n');
  stderr = lines.pop()!;
  for (const line of lines) {
    if (line.startsWith('{"gcReport"')) reports.shift()?.(JSON.parse(line).gcReport);
  }
});

try {
  await waitReady();
  for (let i = 0; i < 300; i++) await send(goodRequest(i));
  const baseline = await measure('baseline');
  for (let round = 1; round <= Number(values.rounds); round++) {
    const kinds = await burst(Number(values.requests));
    const after = await measure(`after burst ${round}`, kinds);
    const change = (field: 'rss' | 'heapUsed') => `${after[field] > baseline[field] ? '+' : ''}${(((after[field] - baseline[field]) / baseline[field]) * 100).toFixed(1)}%`;
    console.log(`round ${round}: RSS ${mb(baseline.rss)} → ${mb(after.rss)} MB (${change('rss')}), heap used ${mb(baseline.heapUsed)} → ${mb(after.heapUsed)} MB (${change('heapUsed')})`);
  }
} finally {
  server.kill('SIGTERM');
}

async function measure(label: string, extra: object = {}): Promise<Record<string, number>> {
  await new Promise((r) => setTimeout(r, 1000));
  const report = new Promise<Record<string, number>>((resolveReport) => reports.push(resolveReport));
  server.kill('SIGUSR2');
  const memory = await report;
  console.log(JSON.stringify({ label, rssMB: mb(memory.rss), heapUsedMB: mb(memory.heapUsed), externalMB: mb(memory.external), arrayBuffersMB: mb(memory.arrayBuffers), ...extra }));
  return memory;
}

async function burst(count: number): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const status = await send(badRequest(i));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return statuses;
}

interface Req {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send this many bytes of the body, then close the connection. */
  abortAfter?: number;
}

function goodRequest(i: number): Req {
  const origins = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'o' }, geometry: { type: 'Point', coordinates: [104.0657 + (i % 10) * 0.001, 30.6595] } }] };
  return i % 3 === 0
    ? { method: 'GET', path: '/v1/standards' }
    : { method: 'POST', path: '/v1/isochrones', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ origins, minutes: [5, 10] }) };
}

function badRequest(i: number): Req {
  const json = { 'content-type': 'application/json' };
  const deep = '['.repeat(5000) + ']'.repeat(5000);
  const kinds: (() => Req)[] = [
    () => ({ method: 'POST', path: '/v1/isochrones', headers: json, body: '{"origins": [1, 2' }),
    () => ({ method: 'POST', path: '/v1/isochrones', headers: json, body: `{"origins": ${deep}}` }),
    () => ({ method: 'POST', path: '/v1/travel-times', headers: json, body: JSON.stringify({ origins: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { id: 'a\u0000b' }, geometry: { type: 'Point', coordinates: [104, 30] } }] }, targets: 'x', minutes: 15 }) }),
    () => ({ method: 'POST', path: '/v1/isochrones', headers: json, body: JSON.stringify({ origins: { type: 'FeatureCollection', features: [] }, minutes: [-5, 1e308, 'x'] }) }),
    () => ({ method: 'POST', path: '/v1/coverage', headers: { 'content-type': 'text/plain' }, body: 'hello' }),
    () => ({ method: 'GET', path: `/v1/datasets`, headers: { 'x-api-key': randomBytes(24).toString('base64url') } }),
    () => ({ method: 'GET', path: `/v1/nowhere/${randomBytes(8).toString('hex')}` }),
    () => ({ method: 'GET', path: '/v1/runs/%E0%A4%A' }),
    () => ({ method: 'POST', path: '/v1/datasets/facilities', headers: { 'x-api-key': KEY, 'content-type': 'application/zip' }, body: randomBytes(2048) }),
    () => ({ method: 'POST', path: '/v1/datasets/networks', headers: { 'x-api-key': KEY, 'content-type': 'application/octet-stream', 'content-length': '2000000' }, body: randomBytes(200_000), abortAfter: 200_000 }),
    () => ({ method: 'POST', path: '/v1/route', headers: json, body: JSON.stringify({ from: [104, 30], to: '\ud800' }) }),
    () => ({ method: 'POST', path: '/v1/coverage', headers: json, body: JSON.stringify({ communities: { type: 'FeatureCollection', features: Array.from({ length: 50 }, () => ({ type: 'Feature', properties: { type: 'nope' }, geometry: { type: 'Polygon', coordinates: [[[0, 0]]] } })) } }) }),
  ];
  return kinds[i % kinds.length]();
}

function send(req: Req): Promise<number> {
  return new Promise((resolveStatus) => {
    const headers = { ...req.headers };
    if (req.body !== undefined && headers['content-length'] === undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const r = request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers }, (res) => {
      res.resume();
      res.on('end', () => resolveStatus(res.statusCode ?? 0));
      res.on('error', () => resolveStatus(-1));
    });
    r.on('error', () => resolveStatus(-1));
    if (req.abortAfter !== undefined) {
      r.write(req.body as Buffer, () => setTimeout(() => r.destroy(), 20));
      r.on('close', () => resolveStatus(-1));
      return;
    }
    r.end(req.body);
  });
}

async function waitReady(): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < 180_000) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become ready');
}

function mb(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}
