/**
 * `npm run bench` — seeded benchmarks, outside `npm test`:
 *   real extracts in ../shared/data: import, graph file load, memory, 15-minute walk reach
 *   generated city (1M edges): the same, against the issue's targets
 * Each measurement runs in its own child process. Results: a Markdown table on stdout, and per part
 * bench/results/<part>.json (scripts/bench/results.ts; `npm run bench:docs` turns them into
 * docs/performance.md). `--only real|city|coverage|homes|siting|nightly`, `--edges N` (default 1,000,000).
 * `--only job [--communities N]` (not in the default set): issue 10's 40,000-community job through the
 * service, written to bench/results/job.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { graphFileVersion, readGraphFile } from '../../src/runtime/files/graph-file.ts';
import { GRAPH_FILE_VERSION } from '../../src/core/io/graph-format.ts';
import { EXTRACTS } from './extracts.ts';
import { type ResultTable, figure, startBench } from './results.ts';
import { pointsNearRoads } from './sample-points.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const shared = resolve(root, '../shared/data');
const { values } = parseArgs({ options: { only: { type: 'string' }, edges: { type: 'string', default: '1000000' }, communities: { type: 'string' } } });
const work = join(tmpdir(), 'lifecircle-bench');
mkdirSync(work, { recursive: true });


function child(script: string, args: string[]): Record<string, number | string> {
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--max-old-space-size=4096', join(root, 'scripts/bench', script), ...args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/**
 * Issue 5's city (`--edges`, 50,000 facilities, 10,000 communities, seed 42), generated and compiled
 * once into the work folder and shared by the homes, siting and nightly benchmarks.
 */
function issue5City(): { dir: string; lcg: string } {
  const edges = Number(values.edges);
  const dir = join(work, `city-${edges}`);
  if (!existsSync(join(dir, 'communities.geojson'))) {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/generate-city.ts'), '--edges', String(edges), '--pois', '50000', '--communities', '10000', '--seed', '42', '--out', dir], { stdio: 'inherit' });
  }
  const lcg = join(dir, 'city.lcg');
  // A city compiled by an earlier run is reused only if this build reads its format version.
  if (graphFileVersion(lcg) !== GRAPH_FILE_VERSION) child('child-import.ts', [join(dir, 'network.geojson'), lcg]);
  return { dir, lcg };
}

/** A figure measured once (the benchmark's own repetitions are inside it: a percentile, a best-of). */
const once = (x: number, unit: string, digits = 1) => figure([x], unit, digits);

if (values.only === undefined || values.only === 'real') {
  const bench = startBench('real-extracts', 'Real OpenStreetMap extracts: import, graph file, memory, 15-minute walk with the nearest of every category');
  const rows: Record<string, unknown>[] = [];
  for (const [name, file] of EXTRACTS) {
    const source = join(shared, file);
    if (!existsSync(source)) throw new Error(`missing ${source}: the real extracts live in ../shared/data`);
    const lcg = join(work, `${name}.lcg`);
    const imported = child('child-import.ts', [source, lcg]);
    const graph = readGraphFile(lcg);
    const facilities = join(work, `${name}-facilities.geojson`);
    const origins = join(work, `${name}-origins.geojson`);
    writeFileSync(facilities, JSON.stringify(pointsNearRoads(graph, 2000, 42, 'facility')));
    writeFileSync(origins, JSON.stringify(pointsNearRoads(graph, 2000, 43, 'origin')));
    const queried = child('child-query.ts', [lcg, facilities, origins]);
    const row = { name, ...imported, ...queried };
    rows.push(row);
    console.error(JSON.stringify(row));
  }
  bench.finish(
    [{
      title: 'Each extract of ../shared/data, 2,000 origins near roads, 2,000 facilities',
      columns: ['extract', 'nodes', 'edges', 'import', 'graph file load (best of 5)', 'RSS', 'nodes settled (mean)', 'per origin: p50 / p99', 'queries/s'],
      rows: (rows as Record<string, number | string>[]).map((r) => [
        r.name, r.nodes, r.edges, once(Number(r.importMs), 'ms'), once(Number(r.loadMs), 'ms'), once(Number(r.rssMB), 'MB', 0), r.meanSettled, `${r.p50Us} / ${r.p99Us} µs`, r.qps,
      ]),
    }],
    rows,
  );
  console.log('\n| extract | nodes | edges | import ms | load ms | RSS MB | settled | p50 µs | p99 µs | queries/s |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of rows as Record<string, number | string>[]) {
    console.log(`| ${r.name} | ${r.nodes} | ${r.edges} | ${r.importMs} | ${r.loadMs} | ${r.rssMB} | ${r.meanSettled} | ${r.p50Us} | ${r.p99Us} | ${r.qps} |`);
  }
}

if (values.only === undefined || values.only === 'city') {
  const bench = startBench('city', 'Generated city (1M edges): build, graph file, memory, 15-minute walk');
  const edges = Number(values.edges);
  const dir = join(work, `city-${edges}`);
  if (!existsSync(join(dir, 'origins.geojson'))) {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/generate-city.ts'), '--edges', String(edges), '--pois', '50000', '--communities', '10000', '--seed', '42', '--out', dir], { stdio: 'inherit' });
  }
  const lcg = join(dir, 'city.lcg');
  const imported = child('child-import.ts', [join(dir, 'network.geojson'), lcg]);
  const queried = child('child-query.ts', [lcg, join(dir, 'facilities.geojson'), join(dir, 'origins.geojson')]);
  const city = { edgesRequested: edges, ...imported, ...queried };
  const c = city as Record<string, number>;
  bench.finish(
    [{
      title: `Generated city: ${c.nodes} nodes, ${c.edges} edges, ${c.pois} facilities`,
      columns: ['measure', 'value', 'target'],
      rows: [
        [`build from GeoJSON (${c.sourceMB} MB)`, once(c.importMs / 1000, 's', 2), '< 10 s'],
        ['peak RSS while building', once(c.peakRssMB, 'MB', 0), ''],
        [`load graph file (${c.graphFileMB} MB), best of 5`, once(c.loadMs, 'ms'), '< 500 ms'],
        ['resident memory, loaded + queried', once(c.rssMB, 'MB', 0), '< 400 MB'],
        [`15-min walk + nearest of ${c.categories} categories, per origin`, `p50 ${c.p50Us} µs, p99 ${c.p99Us} µs, ${c.qps}/s`, 'p50 < 100 µs'],
      ],
    }],
    city,
  );
  console.log(`\n| generated city | value | target |`);
  console.log('|---|---|---|');
  console.log(`| nodes / edges | ${c.nodes} / ${c.edges} | ≈545k / ≈1M |`);
  console.log(`| build from GeoJSON (${c.sourceMB} MB) | ${(c.importMs / 1000).toFixed(2)} s, peak RSS ${c.peakRssMB} MB | < 10 s |`);
  console.log(`| load graph file (${c.graphFileMB} MB) | ${c.loadMs} ms | < 500 ms |`);
  console.log(`| resident memory, loaded + queried | ${c.rssMB} MB | < 400 MB |`);
  console.log(`| 15-min walk + nearest of ${c.categories} categories (${c.pois} POIs) | p50 ${c.p50Us} µs, p99 ${c.p99Us} µs, ${c.qps}/s | p50 < 100 µs |`);
}

if (values.only === undefined || values.only === 'coverage') {
  // Issue 3's city: 1M edges, 20,000 facilities, 2,000 communities (15% of them villages).
  const edges = Number(values.edges);
  const dir = join(work, `coverage-city-${edges}`);
  if (!existsSync(join(dir, 'communities.geojson'))) {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/generate-city.ts'), '--edges', String(edges), '--pois', '20000', '--communities', '2000', '--seed', '42', '--out', dir], { stdio: 'inherit' });
  }
  const lcg = join(dir, 'city.lcg');
  // A city compiled by an earlier run is reused only if this build reads its format version.
  if (graphFileVersion(lcg) !== GRAPH_FILE_VERSION) child('child-import.ts', [join(dir, 'network.geojson'), lcg]);
  const bench = startBench('coverage', 'Coverage per community on the generated city');
  const c = child('child-coverage.ts', [lcg, join(dir, 'facilities.geojson'), join(dir, 'communities.geojson')]) as Record<string, number>;
  bench.finish(
    [{
      title: `${c.communities} communities (${c.urban} urban, ${c.rural} villages), ${c.facilities} facilities, 4 standards, 1M-edge city`,
      columns: ['measure', 'value', 'target'],
      rows: [
        ['full report, one process', once(c.reportMs / 1000, 's', 2), '< 10 s'],
        ['reading the inputs', once(c.parseMs, 'ms'), ''],
        ['peak RSS', once(c.peakRssMB, 'MB', 0), ''],
        ['one community over HTTP, city loaded', `p50 ${c.httpOneCommunityP50Ms} ms, p99 ${c.httpOneCommunityP99Ms} ms`, 'p50 < 3 ms'],
      ],
    }],
    c,
  );
  console.log(`\n| coverage, generated city | value | target |`);
  console.log('|---|---|---|');
  console.log(`| full report: ${c.communities} communities (${c.urban} urban, ${c.rural} villages), ${c.facilities} facilities, 4 standards | ${(c.reportMs / 1000).toFixed(2)} s (+ ${c.parseMs} ms reading inputs), peak RSS ${c.peakRssMB} MB | < 10 s |`);
  console.log(`| one community over HTTP, city loaded | p50 ${c.httpOneCommunityP50Ms} ms, p99 ${c.httpOneCommunityP99Ms} ms | p50 < 3 ms |`);
}

if (values.only === undefined || values.only === 'homes') {
  // Issue 12: coverage from homes on issue 5's city — 10,000 communities with ~50 homes each
  // (≈ 500,000 homes, tied by `community`) × 50,000 facilities, city-wide on every core, the homes'
  // reading and placement included; then one community with its 50 homes over HTTP.
  const { dir, lcg } = issue5City();
  const bench = startBench('homes', 'Coverage measured from homes on the generated city');
  const homesFile = join(work, 'homes-50.geojson');
  const inputs = [lcg, join(dir, 'facilities.geojson'), join(dir, 'communities.geojson'), '50'];
  const c = { ...child('child-homes.ts', ['city', ...inputs, '', homesFile]), ...child('child-homes.ts', ['http', ...inputs]) } as Record<string, number>;
  // The issue's figure: the nightly command itself on that city with the homes file (reading and
  // placing the homes, the computation, the files), a fresh embedded store.
  rmSync(join(work, 'nightly-homes'), { recursive: true, force: true });
  mkdirSync(join(work, 'nightly-homes'), { recursive: true });
  const nightlyConfig = join(work, 'nightly-homes/nightly.json');
  const homesJob = { name: 'city', network: lcg, communities: join(dir, 'communities.geojson'), facilities: join(dir, 'facilities.geojson'), homes: homesFile };
  writeFileSync(nightlyConfig, JSON.stringify({ name: `bench-homes-${Date.now().toString(36)}`, outDir: join(work, 'nightly-homes/out'), store: { dataDir: join(work, 'nightly-homes/store') }, jobs: [homesJob] }));
  const night = timedNightly(nightlyConfig, '2026-03-01');
  bench.finish(
    [{
      title: `${c.communities} communities with ${c.homes} homes, ${c.facilities} facilities, 4 standards, ${c.threads} threads, 1M-edge city`,
      columns: ['measure', 'value', 'target'],
      rows: [
        ['city-wide, homes read and placed included', once(c.wallMs / 1000, 's', 2), '< 20 s on 2 cores'],
        ['of which: reading and placing the homes', once(c.placeHomesMs, 'ms', 0), ''],
        ['placing (facilities, homes on the network) / searching / assembling', `${c.placeMs} / ${c.searchMs} / ${c.assembleMs} ms`, ''],
        ['peak RSS', once(c.cityPeakRssMB, 'MB', 0), '< 1.5 GB'],
        ['one community with its 50 homes over HTTP, city loaded', `p50 ${c.httpOneCommunityP50Ms} ms, p99 ${c.httpOneCommunityP99Ms} ms`, 'p50 < 3 ms'],
        ['the nightly command end to end with the homes file (embedded store, files written)', once(night.wallMs / 1000, 's', 2), '< 20 s on 2 cores'],
        ['… its peak RSS', once(night.peakRssMB, 'MB', 0), '< 1.5 GB'],
      ],
    }],
    { ...c, nightlyWallMs: night.wallMs, nightlyPeakRssMB: night.peakRssMB, nightlyFilesMB: night.filesMB },
  );
  console.log(`\n| homes, generated city | value | target |`);
  console.log('|---|---|---|');
  console.log(`| ${c.communities} communities, ${c.homes} homes, city-wide | ${(c.wallMs / 1000).toFixed(2)} s, peak RSS ${c.cityPeakRssMB} MB | < 20 s, < 1.5 GB |`);
  console.log(`| one community with 50 homes over HTTP | p50 ${c.httpOneCommunityP50Ms} ms, p99 ${c.httpOneCommunityP99Ms} ms | p50 < 3 ms |`);
  console.log(`| the nightly command with the homes file | ${(night.wallMs / 1000).toFixed(2)} s, peak RSS ${night.peakRssMB} MB | < 20 s, < 1.5 GB |`);
}

if (values.only === undefined || values.only === 'siting') {
  // Issue 15: where to build next on issue 5's city — 10,000 communities with 50 homes each, elderly
  // care, a 100 m candidate grid, k = 20 greedy on every core; exact on 200 communities × 500 candidates.
  const { dir, lcg } = issue5City();
  const bench = startBench('siting', 'Siting (where to build next) on the generated city');
  const c = child('child-siting.ts', [lcg, join(dir, 'facilities.geojson'), join(dir, 'communities.geojson')]) as Record<string, number>;
  bench.finish(
    [{
      title: `${c.communities} communities with ${c.homes} homes, ${c.facilities} facilities, elderly care (public-7), ${c.threads} threads, 1M-edge city`,
      columns: ['measure', 'value', 'target'],
      rows: [
        [`greedy, k = 20, 100 m grid (${c.greedyCandidates} sites, ${c.greedyUseful} reaching an unserved home), inputs read`, once(c.greedyMs / 1000, 's', 2), '< 30 s on 2 cores'],
        ['… its peak RSS', once(c.greedyPeakRssMB, 'MB', 0), '< 2 GB'],
        [`exact (HiGHS), k = 10, ${c.exactCommunities} communities × ${c.exactCandidates} candidates`, once(c.exactMs / 1000, 's', 2), '< 10 s'],
      ],
    }],
    c,
  );
  console.log(`\n| siting, generated city | value | target |`);
  console.log('|---|---|---|');
  console.log(`| greedy k = 20 over ${c.greedyCandidates} grid sites | ${(c.greedyMs / 1000).toFixed(2)} s, peak RSS ${c.greedyPeakRssMB} MB | < 30 s, < 2 GB |`);
  console.log(`| exact, ${c.exactCommunities} communities × ${c.exactCandidates} candidates | ${(c.exactMs / 1000).toFixed(2)} s (optimal: ${c.exactOptimal}) | < 10 s |`);
}

if (values.only === undefined || values.only === 'nightly') {
  // Issue 5's city: 1M edges, 50,000 facilities over all categories, 10,000 communities, all four
  // standards, computed city-wide (multi-source searches per category) on every core.
  const { dir, lcg } = issue5City();
  const bench = startBench('nightly', 'City-wide coverage and the nightly command on the generated city');
  const c = child('child-city-wide.ts', [lcg, join(dir, 'facilities.geojson'), join(dir, 'communities.geojson')]) as Record<string, number>;
  const tables: ResultTable[] = [{
    title: `City-wide coverage: ${c.communities} communities (${c.urban} urban, ${c.rural} villages), ${c.facilities} facilities, 4 standards, ${c.threads} threads`,
    columns: ['wall', 'reading', 'placing', 'searching', 'assembling', 'CPU', 'peak RSS', 'target'],
    rows: [[once(c.wallMs / 1000, 's', 2), once(c.readMs, 'ms', 0), once(c.placeMs, 'ms', 0), once(c.searchMs, 'ms', 0), once(c.assembleMs, 'ms', 0), once(c.cpuS, 's'), once(c.peakRssMB, 'MB', 0), '< 20 s on 2 cores, < 1 GB']],
  }];
  console.log(`\n| city-wide coverage, generated city | value | target |`);
  console.log('|---|---|---|');
  console.log(`| ${c.communities} communities (${c.urban} urban, ${c.rural} villages), ${c.facilities} facilities, 4 standards, ${c.threads} threads | ${(c.wallMs / 1000).toFixed(2)} s wall (reading ${c.readMs} ms, placing ${c.placeMs} ms, searching ${c.searchMs} ms, assembling ${c.assembleMs} ms; ${c.cpuS} s CPU), peak RSS ${c.peakRssMB} MB, load ${c.loadavgBefore} → ${c.loadavgAfter} | < 20 s on 2 cores, < 1 GB |`);
  // End to end: the nightly command itself (process start, store, inputs, computation, the files,
  // the comparison with the previous night), two nights in a row on a fresh store; the second one
  // compares. Embedded store, and PostgreSQL too when DATABASE_URL is set.
  const stores: [string, Record<string, string>][] = [['embedded', { dataDir: join(work, 'nightly-e2e/store') }]];
  if (process.env.DATABASE_URL) stores.push(['PostgreSQL', { databaseUrl: '$DATABASE_URL' }]);
  const e2e: Record<string, unknown>[] = [];
  for (const [label, store] of stores) {
    rmSync(join(work, 'nightly-e2e'), { recursive: true, force: true });
    mkdirSync(join(work, 'nightly-e2e'), { recursive: true });
    const config = join(work, 'nightly-e2e/nightly.json');
    const name = `bench-${Date.now().toString(36)}`;
    const job = { name: 'city', network: lcg, communities: join(dir, 'communities.geojson'), facilities: join(dir, 'facilities.geojson') };
    writeFileSync(config, JSON.stringify({ name, outDir: join(work, 'nightly-e2e/out'), store, jobs: [job] }));
    for (const date of ['2026-03-01', '2026-03-02']) {
      const run = timedNightly(config, date);
      e2e.push({ store: label, date, ...run });
      console.log(`| nightly command end to end (${label} store, ${date === '2026-03-01' ? 'first night' : 'second night, with changes'}): files ${run.filesMB} MB | ${(run.wallMs / 1000).toFixed(2)} s wall, peak RSS ${run.peakRssMB} MB | < 20 s on 2 cores, < 1 GB |`);
    }
  }
  tables.push({
    title: 'The nightly command end to end (process start, store, inputs, computation, files, comparison with the night before)',
    columns: ['store', 'night', 'files', 'wall', 'peak RSS', 'target'],
    rows: e2e.map((r: Record<string, any>) => [r.store, r.date === '2026-03-01' ? 'first' : 'second, with changes', once(r.filesMB, 'MB', 0), once(r.wallMs / 1000, 's', 2), once(r.peakRssMB, 'MB', 0), '< 20 s on 2 cores, < 1 GB']),
  });
  bench.finish(tables, { cityWide: c, endToEnd: e2e });
}

if (values.only === 'job') {
  // Issue 10's job: 40,000 communities over the 1M-edge city, through the service (POST /v1/jobs, the
  // job runner, the run in pieces, GET of the run streamed), on the embedded store and on PostgreSQL
  // when DATABASE_URL is set. Not in the default set: it takes minutes. Results: bench/results/job.json.
  const edges = Number(values.edges);
  const communities = Number(values.communities ?? 40_000);
  const dir = join(work, `job-city-${edges}-${communities}`);
  if (!existsSync(join(dir, 'communities.geojson'))) {
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/generate-city.ts'), '--edges', String(edges), '--pois', '50000', '--communities', String(communities), '--seed', '42', '--out', dir], { stdio: 'inherit' });
  }
  if (!existsSync(join(dir, 'city.lcg'))) child('child-import.ts', [join(dir, 'network.geojson'), join(dir, 'city.lcg')]);
  const bench = startBench('job', `A ${communities.toLocaleString('en')}-community coverage job through the service (bench --only job)`);
  const stores = ['embedded', ...(process.env.DATABASE_URL ? ['postgres'] : [])];
  const runs: Record<string, any>[] = [];
  for (const store of stores) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(root, 'scripts/bench/child-job.ts'), dir, store], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
    const run = JSON.parse(out.trim().split('\n').pop()!) as Record<string, any>;
    runs.push(run);
    console.error(JSON.stringify(run));
  }
  const one = (x: number, unit: string) => figure([x], unit);
  const file = bench.finish(
    [
      {
        title: `The job: ${communities.toLocaleString('en')} communities, 50,000 facilities, the four Guangzhou standards, generated city of ${edges.toLocaleString('en')} edges`,
        columns: ['store', 'job (POST → succeeded)', 'pieces stored', 'longest stall: event-loop delay max', 'longest stall: 10 ms interval', 'longest GC (main thread)', 'peak RSS (process)', 'load before → after'],
        rows: runs.map((r) => [
          r.store, one(r.jobMs / 1000, 's'), `${r.pieces} (${r.storedMB} MB)`, one(r.job.eventLoopDelayMaxMs, 'ms'), one(r.job.intervalLatestMs, 'ms'), one(r.job.longestGcMs, 'ms'), one(r.peakRssMB, 'MB'), `${r.loadavgBefore} → ${r.loadavgAfter}`,
        ]),
        note: 'Targets (issue 10): peak RSS < 1.5 GB and no stall of the event loop over 100 ms while the job runs. Stalls and GC pauses are wall-clock: on a machine whose load average is many times its cores they stretch with it.',
      },
      {
        title: 'GET /v1/runs/:id of that run, streamed to a client in the same process (read and dropped)',
        columns: ['store', 'format', 'size', 'time', 'longest stall: event-loop delay max', 'RSS at start → peak'],
        rows: runs.flatMap((r) => r.reads.map((g: any) => [r.store, g.accept, one(g.MB, 'MB'), one(g.ms / 1000, 's'), one(g.eventLoopDelayMaxMs, 'ms'), `${g.rssStartMB} → ${g.rssPeakMB} MB`])),
      },
    ],
    { edges, communities, runs },
  );
  console.log(`\nwritten: ${file} (npm run bench:docs regenerates docs/performance.md)`);
}

/** `lifecircle nightly` under /usr/bin/time -v: wall time, the process's peak RSS, the files' size. */
function timedNightly(config: string, date: string): { wallMs: number; peakRssMB: number; filesMB: number } {
  const started = performance.now();
  const run = spawnSync('/usr/bin/time', ['-v', process.execPath, '--import', 'tsx', join(root, 'src/edge/cli/main.ts'), 'nightly', '--config', config, '--date', date], { cwd: root, encoding: 'utf8' });
  const wallMs = Math.round(performance.now() - started);
  if (run.status !== 0) throw new Error(`nightly ${date} exited ${run.status}: ${run.stderr}`);
  const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1] ?? NaN);
  const out = JSON.parse(readFileSync(join(dirname(config), 'out', date, 'nightly.json'), 'utf8')) as { jobs: { files: Record<string, string> }[] };
  const bytes = Object.values(out.jobs[0].files).reduce((sum, f) => sum + statSync(f).size, 0);
  return { wallMs, peakRssMB: Math.round(peakKb / 1024), filesMB: Math.round(bytes / 2 ** 20) };
}

