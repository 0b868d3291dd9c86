/**
 * Benchmark child: a coverage job over a generated city, end to end in the service — the datasets
 * stored, the job posted to the API, run by the service's job runner (its thread, the city-wide
 * searches on more threads, the report stored in pieces), then the run read back over HTTP, streamed.
 * Measures what issue 10 asks of it: the process's peak RSS, and the event loop's longest stall
 * (monitorEventLoopDelay, and a 10 ms interval's longest lateness) while the job runs and while the
 * run is read. Prints one JSON line.
 *
 *   child-job.ts <city dir (city.lcg, facilities.geojson, communities.geojson)> <embedded|postgres>
 *
 * `postgres` uses a new database on the server DATABASE_URL names, dropped at the end.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../../src/edge/app.ts';
import { type Sql, createDataset, findApiKeyByKey, getJob, openStore } from '../../src/runtime/store/index.ts';
import { throwawayDatabase } from '../lib/throwaway-database.ts';
import { maxRssMB, round } from './stats.ts';

const [cityDir, storeKind] = process.argv.slice(2);
if (!cityDir || (storeKind !== 'embedded' && storeKind !== 'postgres')) throw new Error('usage: child-job.ts <city dir> <embedded|postgres>');
const KEY = 'bench-key-0123456789abcdef';
const loadBefore = loadavg()[0];

// The store, fresh.
const dataDir = mkdtempSync(join(tmpdir(), 'lifecircle-bench-job-'));
let dropDatabase = async () => {};
let sql: Sql;
if (storeKind === 'postgres') {
  const server = process.env.DATABASE_URL;
  if (!server) throw new Error('postgres: DATABASE_URL is not set');
  const database = await throwawayDatabase(server, 'lc_bench_job');
  sql = await openStore({ databaseUrl: database.url });
  dropDatabase = database.drop;
} else {
  sql = await openStore({ dataDir: join(dataDir, 'store') });
}

// The service, with the job runner, and the city's datasets stored under its key.
const app = buildApp({ store: sql, dataDir, apiKeys: [{ name: 'bench', key: KEY }], runJobs: { pollMs: 200 }, logger: false, protection: { underPressure: false } });
await app.ready();
const owner = (await findApiKeyByKey(sql, KEY))!.id;
const points = (kind: 'facilities' | 'communities', file: string) =>
  createDataset(sql, owner, { kind, name: kind, counts: {}, bbox: null, report: {}, payload: { type: 'FeatureCollection', crs: 'wgs84', source: JSON.parse(readFileSync(join(cityDir, file), 'utf8')) }, sourceBytes: 0 });
const network = await createDataset(sql, owner, { kind: 'network', name: 'city', counts: {}, bbox: null, report: {}, graphFile: join(cityDir, 'city.lcg'), sourceBytes: 0 });
const facilities = await points('facilities', 'facilities.geojson');
const communities = await points('communities', 'communities.geojson');
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const headers = { 'x-api-key': KEY, 'content-type': 'application/json' };
(globalThis as { gc?: () => void }).gc?.();

// The job, watched.
const jobWatch = watch();
const started = performance.now();
const posted = await fetch(`${address}/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ kind: 'coverage', network: network.id, facilities: facilities.id, communities: communities.id }) });
if (posted.status !== 202) throw new Error(`POST /v1/jobs answered ${posted.status}: ${await posted.text()}`);
const jobId = ((await posted.json()) as { id: string }).id;
let job = await getJob(sql, owner, jobId);
while (job && (job.state === 'queued' || job.state === 'running')) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  job = await getJob(sql, owner, jobId);
}
const jobMs = Math.round(performance.now() - started);
const jobStats = jobWatch.stop();
if (job?.state !== 'succeeded') throw new Error(`the job ended ${job?.state}: ${JSON.stringify(job?.error)}`);
const [{ pieces, bytes }] = await sql.query<{ pieces: number | string; bytes: number | string }>(
  'SELECT count(*) AS pieces, coalesce(sum(octet_length(reports) + octet_length(geometries)), 0) AS bytes FROM run_pieces WHERE job_id = $1',
  [jobId],
);

// The run read back, streamed: JSON, then CSV, then GeoJSON; the body is counted and dropped.
const reads: Record<string, unknown>[] = [];
for (const accept of ['application/json', 'text/csv', 'application/geo+json']) {
  (globalThis as { gc?: () => void }).gc?.();
  const readWatch = watch();
  const t = performance.now();
  const res = await fetch(`${address}/v1/runs/${job.runId}`, { headers: { 'x-api-key': KEY, accept } });
  if (res.status !== 200) throw new Error(`GET the run (${accept}) answered ${res.status}`);
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) size += chunk.byteLength;
  reads.push({ accept, MB: round(size / 2 ** 20, 1), ms: Math.round(performance.now() - t), ...readWatch.stop() });
}

await app.close();
await sql.close();
await dropDatabase();
rmSync(dataDir, { recursive: true, force: true });

console.log(JSON.stringify({
  store: storeKind,
  communities: job.progress.total,
  jobMs,
  job: jobStats,
  pieces: Number(pieces),
  storedMB: round(Number(bytes) / 2 ** 20, 1),
  reads,
  peakRssMB: maxRssMB(),
  loadavgBefore: round(loadBefore, 2),
  loadavgAfter: round(loadavg()[0], 2),
}));

/**
 * The event loop's longest stall and the process's RSS while something runs: monitorEventLoopDelay's
 * max, and a 10 ms interval's longest lateness (with when it happened), RSS sampled every 100 ms.
 */
function watch() {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const t0 = performance.now();
  const rssStart = process.memoryUsage().rss;
  let last = performance.now();
  let worstLateMs = 0;
  let worstAtS = 0;
  let peakRss = rssStart;
  let peakHeap = process.memoryUsage().heapUsed;
  let ticks = 0;
  // Garbage collections on this thread: a long one stalls the loop like any other work.
  let longestGcMs = 0;
  const gcs = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longestGcMs = Math.max(longestGcMs, entry.duration);
  });
  gcs.observe({ entryTypes: ['gc'] });
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - 10;
    if (late > worstLateMs) {
      worstLateMs = late;
      worstAtS = (now - t0) / 1000;
    }
    last = now;
    if (++ticks % 10 === 0) {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      histogram.disable();
      gcs.disconnect();
      return {
        eventLoopDelayMaxMs: round(histogram.max / 1e6, 1),
        eventLoopDelayP99Ms: round(histogram.percentile(99) / 1e6, 1),
        intervalLatestMs: round(worstLateMs, 1),
        intervalLatestAtS: round(worstAtS, 1),
        longestGcMs: round(longestGcMs, 1),
        rssStartMB: Math.round(rssStart / 2 ** 20),
        rssPeakMB: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 2 ** 20),
        rssEndMB: Math.round(process.memoryUsage().rss / 2 ** 20),
        // This thread's JavaScript heap (the job's threads have their own): what a long GC walks.
        heapPeakMB: Math.round(peakHeap / 2 ** 20),
      };
    },
  };
}
