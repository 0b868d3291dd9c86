/**
 * `npm run bench:compare` — the same question asked of three engines on identical networks and
 * origins (the compiled walking graph of each real extract, exported as an edge list): a 15-minute
 * walk from each origin. networkx (single_source_dijkstra_path_length with cutoff), PostgreSQL +
 * pgRouting (pgr_drivingDistance, one root per call, and one many-root call for 200 origins), and
 * lifecircle in-process (plus the nearest facility of each of 42 categories) and over HTTP (200
 * origins in one travel-times request). Needs `scripts/bench/compare/postgres.sh install && start`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../../../src/app.ts';
import { readGraphFile } from '../../../src/io/graph-file.ts';
import { costingFor } from '../../../src/routing/costing.ts';
import { locatePoints } from '../../../src/routing/locate.ts';
import { PoiIndex, nearestByCategory } from '../../../src/routing/poi-index.ts';
import { Router } from '../../../src/routing/travel-times.ts';
import { SeedList } from '../../../src/routing/search.ts';
import { EXTRACTS } from '../extracts.ts';
import { pointsNearRoads } from '../sample-points.ts';
import { round, summarize } from '../stats.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = resolve(root, '../shared/data');
const work = join(tmpdir(), 'lifecircle-bench', 'compare');
mkdirSync(work, { recursive: true });
const PG = ['-X', '-q', '-h', '127.0.0.1', '-p', '55432', '-U', 'postgres'];
const BUDGET_S = 900;

function psqlTimes(sql: string): number[] {
  const file = join(work, 'q.sql');
  writeFileSync(file, `\\timing on\n${sql}`);
  const out = execFileSync('psql', [...PG, '-f', file], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return [...out.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]));
}

const rows: Record<string, unknown>[] = [];
const only = process.argv[2];
for (const [name, file] of EXTRACTS) {
  if (only && name !== only) continue;
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const lcg = join(dir, 'graph.lcg');
  if (!existsSync(lcg)) execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench/child-import.ts'), join(shared, file), lcg], { stdio: ['ignore', 'ignore', 'inherit'] });
  const graph = readGraphFile(lcg);
  const originsFile = join(dir, 'origins.geojson');
  writeFileSync(originsFile, JSON.stringify(pointsNearRoads(graph, 200, 43, 'origin')));
  execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench/compare/export-graph.ts'), lcg, originsFile, dir, '200'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const originNodes = readFileSync(join(dir, 'origins.csv'), 'utf8').trim().split('\n').map(Number);

  // networkx
  const nx = JSON.parse(execFileSync('/usr/bin/python3', [join(root, 'scripts/bench/compare/networkx_reach.py'), join(dir, 'edges.csv'), join(dir, 'origins.csv'), String(BUDGET_S)], { encoding: 'utf8' }));

  // pgRouting: load the table, warm up, then one root per call and one many-root call.
  psqlTimes(`DROP TABLE IF EXISTS edges; CREATE TABLE edges (id bigint, source bigint, target bigint, cost float8, reverse_cost float8);
\\copy edges FROM '${join(dir, 'edges.csv')}' CSV HEADER
ANALYZE edges;`);
  const edgesSql = `'SELECT id, source, target, cost, reverse_cost FROM edges'`;
  const single = originNodes.slice(0, 50).map((v) => `SELECT count(*) FROM pgr_drivingDistance(${edgesSql}, ${v}, ${BUDGET_S}, true);`);
  const singleTimes = psqlTimes(single.join('\n')).slice(5); // the first calls warm the cache
  // The many-root answer is fetched whole (to /dev/null), as lifecircle's HTTP answer is.
  const manyTimes = psqlTimes(`\\o /dev/null\nSELECT * FROM pgr_drivingDistance(${edgesSql}, ARRAY[${originNodes.join(',')}], ${BUDGET_S}, true, false);`);

  // lifecircle in-process: the same origin nodes, the same budget; plus the nearest of 42 categories.
  const costing = costingFor(graph, { mode: 'walk' });
  const facilities = pointsNearRoads(graph, Math.max(100, Math.round(graph.edgeCount / 5)), 42, 'facility');
  const pois = locatePoints(costing, facilities, { what: 'facilities' });
  const names = new Map<string, number>();
  const categories = pois.map((p) => {
    const c = String(p.properties.category);
    if (!names.has(c)) names.set(c, names.size);
    return names.get(c)!;
  });
  const index = new PoiIndex(costing, pois.map((p) => p.point), categories, names.size);
  const router = new Router(graph);
  const seeds = new SeedList();
  const outTime = new Float64Array(names.size);
  const outPoi = new Int32Array(names.size);
  const noSeedPoints: never[] = [];
  const query = (node: number, withPois: boolean) => {
    seeds.clear();
    seeds.add(node - 1, 0, 0);
    router.search.run(costing, seeds, BUDGET_S);
    if (withPois) nearestByCategory(router.search, index, noSeedPoints, outTime, outPoi);
    return router.search.settledCount;
  };
  for (let rep = 0; rep < 5; rep++) for (const v of originNodes) query(v, true);
  const ours: number[] = [];
  const oursSearchOnly: number[] = [];
  let settled = 0;
  for (let rep = 0; rep < 5; rep++) {
    for (const v of originNodes) {
      let t0 = process.hrtime.bigint();
      query(v, false);
      oursSearchOnly.push(Number(process.hrtime.bigint() - t0) / 1000);
      t0 = process.hrtime.bigint();
      settled += query(v, true);
      ours.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }

  // lifecircle over HTTP: 200 origins (the node positions) in one travel-times request, facilities as targets.
  const app = buildApp({ defaultGraph: graph, logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const body = JSON.stringify({
    origins: { type: 'FeatureCollection', features: originNodes.map((v, i) => ({ type: 'Feature', properties: { id: `o${i}` }, geometry: { type: 'Point', coordinates: [graph.nodeCoords[2 * (v - 1)], graph.nodeCoords[2 * (v - 1) + 1]] } })) },
    targets: facilities,
    maxMinutes: BUDGET_S / 60,
    mode: 'walk',
  });
  const http: number[] = [];
  for (let rep = 0; rep < 6; rep++) {
    const t0 = performance.now();
    const res = await fetch(`${address}/v1/travel-times`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`travel-times answered ${res.status}`);
    http.push(performance.now() - t0);
  }
  await app.close();

  const oursP50 = summarize(ours).p50;
  const pgP50 = summarize(singleTimes).p50;
  const row = {
    name,
    nodes: graph.nodeCount,
    edges: graph.edgeCount,
    settledMean: Math.round(settled / ours.length),
    networkxReachedMean: nx.meanReached,
    oursP50Us: round(oursP50, 1),
    oursSearchOnlyP50Us: round(summarize(oursSearchOnly).p50, 1),
    networkxP50Ms: nx.p50Ms,
    pgroutingP50Ms: round(pgP50, 3),
    speedupVsNetworkx: Math.round((nx.p50Ms * 1000) / oursP50),
    speedupVsPgrouting: Math.round((pgP50 * 1000) / oursP50),
    pgroutingManyRoot200Ms: round(manyTimes[0], 1),
    httpTravelTimes200Ms: round(Math.min(...http.slice(1)), 1),
    facilities: pois.length,
  };
  rows.push(row);
  console.error(JSON.stringify(row));
}

console.log('\n| extract | nodes / edges | reached | lifecircle p50 (search + nearest per category) | networkx p50 | pgRouting p50 | × networkx | × pgRouting | pgRouting 200-root call | lifecircle HTTP, 200 origins |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows as Record<string, number | string>[]) {
  console.log(`| ${r.name} | ${r.nodes} / ${r.edges} | ${r.settledMean} | ${r.oursP50Us} µs (${r.oursSearchOnlyP50Us}) | ${r.networkxP50Ms} ms | ${r.pgroutingP50Ms} ms | ${r.speedupVsNetworkx}× | ${r.speedupVsPgrouting}× | ${r.pgroutingManyRoot200Ms} ms | ${r.httpTravelTimes200Ms} ms |`);
}
mkdirSync(join(root, 'bench-results'), { recursive: true });
writeFileSync(join(root, 'bench-results/compare.json'), JSON.stringify({ node: process.version, date: new Date().toISOString().slice(0, 10), rows }, null, 2));
