/**
 * `npm run bench:compare:coverage` — community coverage (for every community, the nearest facility
 * of each category the standards name within a 15-minute walk, as computeCityCoverage computes it)
 * by lifecircle and by PostgreSQL + pgRouting, on identical networks, origins and facilities,
 * measured in one run, answers checked against each other. Needs
 * `scripts/bench/compare/postgres.sh install && start` (port 55432).
 *
 *   coverage-compare.ts [--only <extract>] [--origins N] [--reps R]
 *
 * Identical inputs, per real extract of ../shared/data:
 *  - network: the compiled walking graph, exported as pgRouting's edge list (id, source, target,
 *    cost, reverse_cost in seconds, at full float64 precision; -1 for a forbidden direction);
 *  - origins: the communities' origins (Chengdu: the sample's 213 communities, derived from this very
 *    extract's residential polygons and neighbourhood nodes; elsewhere N seeded points near roads,
 *    one point community each) moved to a graph vertex — the nearer end of the edge each snaps to —
 *    because pgr_drivingDistance starts from vertices. lifecircle is given the same vertex
 *    positions as the communities' origins, so both sides start from exactly the same vertices;
 *  - facilities: placed once by lifecircle (placeFacilities: every entrance × category, snapped to a
 *    point along an edge, with the access leg from the facility to the road); the same entries (edge,
 *    fraction, access seconds, category) are loaded into PostgreSQL, which turns each into its cost
 *    from either end vertex of its edge (access + fraction × cost from the source, access +
 *    (1 − fraction) × reverse_cost from the target), keeping the cheapest per (vertex, category),
 *    indexed. Chengdu: the extract's own POIs (readOsmPois + readFacilities); elsewhere edges/5
 *    seeded points near roads carrying the generated city's 42 categories (synthetic). Only the
 *    categories the urban standards name and some facility provides are asked, on both sides.
 *
 * pgRouting's query (timed end to end with psql's \timing, result rows fetched to a file; the load and
 * the tables above are not timed): one many-root `pgr_drivingDistance` over every origin vertex with a
 * 900 s budget (directed, equicost false), joined to the facility table on the reached vertex, the
 * minimum per community × category where the total is within the budget.
 * lifecircle: `computeCityCoverage` on the same graph, communities, facilities and urban standards
 * (walk, 15 minutes, one thread as PostgreSQL runs a query on one backend) — the whole report, placing
 * included — and its core alone (origin sweep + one reverse multi-source search per category + the
 * origin's own edges: the nearest table), with facilities and origins already placed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCommunities, type Community } from '../../../src/communities/read-communities.ts';
import { compileStandard } from '../../../src/coverage/assess.ts';
import { type CityCoverageTimings, computeCityCoverage } from '../../../src/coverage/city-wide/city-coverage.ts';
import { MultiSourceSearch } from '../../../src/coverage/city-wide/multi-source.ts';
import { offerOwnEdges } from '../../../src/coverage/city-wide/nearest-table.ts';
import { planTravelGroups } from '../../../src/coverage/city-wide/plan.ts';
import type { CoverageOptions } from '../../../src/coverage/coverage.ts';
import { placeOrigins } from '../../../src/coverage/coverage.ts';
import { CATEGORY_IDS } from '../../../src/facilities/categories.ts';
import { type Facility, readFacilities } from '../../../src/facilities/read-facilities.ts';
import { readGraphFile } from '../../../src/io/graph-file.ts';
import { readOsmPois } from '../../../src/io/osm/read-pois.ts';
import { costingFor, edgeCost } from '../../../src/routing/costing.ts';
import { listStandards } from '../../../src/standards/catalogue.ts';
import { EXTRACTS } from '../extracts.ts';
import { pointsNearRoads } from '../sample-points.ts';
import { round, summarize } from '../stats.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const shared = resolve(root, '../shared/data');
const work = join(tmpdir(), 'lifecircle-bench', 'compare-coverage');
mkdirSync(work, { recursive: true });
const PG = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', '55432', '-U', 'postgres'];
const BUDGET_S = 900;
/** Seconds: two answers closer than this are the same (float64 sums in another order differ by ~1e-12). */
const TOLERANCE_S = 1e-6;

const argv = process.argv.slice(2);
const arg = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const only = arg('--only');
const originCount = Number(arg('--origins') ?? 200);
const reps = Number(arg('--reps') ?? 7);

function psql(sql: string): string {
  const file = join(work, 'q.sql');
  writeFileSync(file, sql);
  return execFileSync('psql', [...PG, '-f', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
}
const timesOf = (out: string) => [...out.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]));
const median = (xs: number[]) => summarize(xs).p50;

const standards = listStandards().filter((s) => s.communityType === 'urban');
const opts: CoverageOptions = { mode: 'walk', minutes: BUDGET_S / 60, maxSnapM: 500 };

const rows: Record<string, unknown>[] = [];
for (const [name, file] of EXTRACTS) {
  if (only && name !== only) continue;
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const lcg = join(dir, 'graph.lcg');
  if (!existsSync(lcg)) execFileSync(process.execPath, ['--import', 'tsx', join(root, 'scripts/bench/child-import.ts'), join(shared, file), lcg], { stdio: ['ignore', 'ignore', 'inherit'] });
  const graph = readGraphFile(lcg);
  const costing = costingFor(graph, { mode: 'walk' });

  // The network, as pgRouting reads it (full precision: the same float64 costs lifecircle adds).
  const edgeLines = ['id,source,target,cost,reverse_cost'];
  for (let e = 0; e < graph.edgeCount; e++) {
    const along = edgeCost(costing, e, 0);
    const against = edgeCost(costing, e, 1);
    if (along === Infinity && against === Infinity) continue;
    edgeLines.push(`${e + 1},${graph.edgeFrom[e] + 1},${graph.edgeTo[e] + 1},${along === Infinity ? -1 : along},${against === Infinity ? -1 : against}`);
  }
  writeFileSync(join(dir, 'edges.csv'), edgeLines.join('\n') + '\n');

  // Communities and facilities.
  let communitiesIn: Community[];
  let facilities: Facility[];
  let source: string;
  if (name === 'chengdu') {
    communitiesIn = readCommunities(JSON.parse(readFileSync(join(root, 'data/sample/communities.geojson'), 'utf8'))).communities;
    facilities = readFacilities((await readOsmPois(join(shared, file))).facilities).facilities;
    source = 'OSM communities + POIs';
  } else {
    const points = pointsNearRoads(graph, originCount, 43, 'origin');
    for (const f of points.features) f.properties = { ...f.properties, type: 'urban' };
    communitiesIn = readCommunities(points).communities;
    facilities = readFacilities(pointsNearRoads(graph, Math.max(100, Math.round(graph.edgeCount / 5)), 42, 'facility')).facilities;
    source = 'seeded points (synthetic)';
  }
  // Every origin moved to a vertex: the nearer end of the edge it snaps to (as bench:compare does).
  const communities: Community[] = [];
  const originVids: [number, number][] = [];
  for (const c of communitiesIn) {
    const nodes = [...new Set(placeOrigins(costing, c.origins, opts.maxSnapM).map((p) => (p.fraction < 0.5 ? graph.edgeFrom[p.edge] : graph.edgeTo[p.edge])))];
    if (nodes.length === 0) continue;
    for (const v of nodes) originVids.push([communities.length, v + 1]);
    communities.push({ ...c, index: communities.length, origins: nodes.map((v) => [graph.nodeCoords[2 * v], graph.nodeCoords[2 * v + 1]] as [number, number]) });
  }
  writeFileSync(join(dir, 'origins.csv'), 'community,vid\n' + originVids.map(([i, v]) => `${i},${v}`).join('\n') + '\n');

  // lifecircle's placing, once: the facility entries both sides use, and the categories asked.
  const [group] = [...planTravelGroups(graph, communities, facilities, standards, opts, 'nearest', false)];
  const { work: gw, placed } = group;
  const table = gw.table;
  const asked = new Set(table.categories);
  const { index } = placed;
  const facLines = ['entry,category,edge,fraction,access_s'];
  for (let e = 0; e < graph.edgeCount; e++) {
    for (let k = index.edgeStart[e]; k < index.edgeStart[e + 1]; k++) {
      if (asked.has(index.category[k])) facLines.push(`${k},${index.category[k]},${e + 1},${index.fraction[k]},${index.accessS[k]}`);
    }
  }
  writeFileSync(join(dir, 'facilities.csv'), facLines.join('\n') + '\n');
  // Every origin snaps onto its vertex (no access leg), or the inputs would not be identical.
  let maxOriginAccess = 0;
  for (let p = 0; p < gw.origins.pointAccessS.length; p++) maxOriginAccess = Math.max(maxOriginAccess, gw.origins.pointAccessS[p]);

  // PostgreSQL: load (not timed).
  psql(`DROP TABLE IF EXISTS cov_edges, cov_fac, cov_fac_node, cov_origins;
CREATE TABLE cov_edges (id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL, cost float8 NOT NULL, reverse_cost float8 NOT NULL);
\\copy cov_edges FROM '${join(dir, 'edges.csv')}' CSV HEADER
CREATE TABLE cov_fac (entry int, category int, edge bigint, fraction float8, access_s float8);
\\copy cov_fac FROM '${join(dir, 'facilities.csv')}' CSV HEADER
CREATE TABLE cov_origins (community int, vid bigint);
\\copy cov_origins FROM '${join(dir, 'origins.csv')}' CSV HEADER
-- Each facility entry as a cost from either end vertex of its edge; the cheapest per vertex and category.
CREATE TABLE cov_fac_node AS
  SELECT node, category, min(cost) AS cost FROM (
    SELECT e.source AS node, f.category, f.access_s + f.fraction * e.cost AS cost FROM cov_fac f JOIN cov_edges e ON e.id = f.edge WHERE e.cost >= 0
    UNION ALL
    SELECT e.target, f.category, f.access_s + (1 - f.fraction) * e.reverse_cost FROM cov_fac f JOIN cov_edges e ON e.id = f.edge WHERE e.reverse_cost >= 0
  ) s GROUP BY node, category;
CREATE INDEX ON cov_fac_node (node) INCLUDE (category, cost);
CREATE INDEX ON cov_origins (vid) INCLUDE (community);
VACUUM ANALYZE cov_edges, cov_fac_node, cov_origins;`);

  const edgesSql = `'SELECT id, source, target, cost, reverse_cost FROM cov_edges'`;
  const roots = `(SELECT array_agg(DISTINCT vid) FROM cov_origins)`;
  const coverageSql = `SELECT o.community, f.category, min(d.agg_cost + f.cost) AS t
FROM pgr_drivingDistance(${edgesSql}, ${roots}, ${BUDGET_S}, true, false) d
JOIN cov_origins o ON o.vid = d.from_v
JOIN cov_fac_node f ON f.node = d.node
WHERE d.agg_cost + f.cost <= ${BUDGET_S}
GROUP BY o.community, f.category;`;
  const answerFile = join(dir, 'pgrouting-answer.txt');
  // Warm-up, then reps; each run's rows fetched and written by psql (the last run's kept).
  const runs = Array.from({ length: reps + 1 }, () => `\\o ${answerFile}\n${coverageSql}\n\\o`).join('\n');
  const pgTimes = timesOf(psql(`\\timing on\n\\pset format unaligned\n\\pset tuples_only on\n\\pset fieldsep ','\nSET jit = off;\n${runs}`)).slice(2); // SET, warm-up
  const ddOnly = timesOf(psql(`\\timing on\n${Array.from({ length: 4 }, () => `SELECT count(*) FROM pgr_drivingDistance(${edgesSql}, ${roots}, ${BUDGET_S}, true, false);`).join('\n')}`)).slice(1);
  const ddRows = Number(psql(`SELECT count(*) FROM pgr_drivingDistance(${edgesSql}, ${roots}, ${BUDGET_S}, true, false);`).trim().split('\n').find((l) => /^\s*\d+\s*$/.test(l)));
  const pg = new Map<number, number>();
  for (const line of readFileSync(answerFile, 'utf8').trim().split('\n')) {
    if (!line) continue;
    const [i, c, t] = line.split(',').map(Number);
    pg.set(i * CATEGORY_IDS.length + c, t);
  }

  // lifecircle, the core: the nearest table, facilities and origins already placed.
  const multi = new MultiSourceSearch(graph);
  const core = () => {
    multi.fillOriginTimes(gw.costing, gw.origins, gw.budgetS, gw.originTimes);
    for (let j = 0; j < table.categories.length; j++) multi.fillColumn(gw.costing, gw.facilitySeeds, gw.origins, gw.originTimes, gw.budgetS, table, j);
    offerOwnEdges(table, gw.origins, placed, gw.budgetS);
  };
  core();
  const coreTimes: number[] = [];
  for (let r = 0; r < reps * 3; r++) {
    const t0 = performance.now();
    core();
    coreTimes.push(performance.now() - t0);
  }
  // lifecircle, the whole report: computeCityCoverage from the communities and facilities as read.
  const fullTimes: number[] = [];
  let report = await computeCityCoverage(graph, communities, facilities, standards, { ...opts, threads: 1 });
  const phases: CityCoverageTimings[] = [];
  for (let r = 0; r < reps; r++) {
    const timings: CityCoverageTimings = {};
    const t0 = performance.now();
    report = await computeCityCoverage(graph, communities, facilities, standards, { ...opts, threads: 1, timings });
    fullTimes.push(performance.now() - t0);
    phases.push(timings);
  }
  const phase = (k: keyof CityCoverageTimings) => median(phases.map((p) => p[k] ?? 0));

  // The answers: community × category pairs reached, and their times.
  const n = table.communityCount;
  let ours = 0;
  let both = 0;
  let onlyOurs = 0;
  let onlyPg = 0;
  let beyondTolerance = 0;
  let maxDiff = 0;
  const examples: string[] = [];
  for (let j = 0; j < table.categories.length; j++) {
    const c = table.categories[j];
    for (let i = 0; i < n; i++) {
      const cell = j * n + i;
      const mine = table.entry[cell] >= 0 ? table.time[cell] : undefined;
      const theirs = pg.get(i * CATEGORY_IDS.length + c);
      if (mine !== undefined) ours++;
      if (mine !== undefined && theirs !== undefined) {
        both++;
        const d = Math.abs(mine - theirs);
        maxDiff = Math.max(maxDiff, d);
        if (d > TOLERANCE_S) {
          beyondTolerance++;
          if (examples.length < 5) examples.push(`${communities[i].id} ${CATEGORY_IDS[c]}: ${mine} vs ${theirs}`);
        }
      } else if (mine !== undefined) {
        onlyOurs++;
        if (examples.length < 5) examples.push(`${communities[i].id} ${CATEGORY_IDS[c]}: ${mine} vs none`);
      } else if (theirs !== undefined) {
        onlyPg++;
        if (examples.length < 5) examples.push(`${communities[i].id} ${CATEGORY_IDS[c]}: none vs ${theirs}`);
      }
    }
  }
  // The report's place items met, against the items pgRouting's pairs would meet.
  let itemsMetReport = 0;
  let itemsMetPg = 0;
  const compiled = standards.map(compileStandard);
  report.communities.forEach((cr, i) => {
    for (const sr of cr.standards) {
      const std = compiled.find((s) => s.standard.id === sr.standardId)!;
      for (const it of sr.items) if (it.status === 'met') itemsMetReport++;
      std.standard.items.forEach((item, k) => {
        if (item.kind === 'place' && std.itemCategories[k].some((c) => pg.has(i * CATEGORY_IDS.length + c))) itemsMetPg++;
      });
    }
  });

  const pgMs = median(pgTimes);
  const coreMs = median(coreTimes);
  const fullMs = median(fullTimes);
  const row = {
    name,
    source,
    nodes: graph.nodeCount,
    edges: graph.edgeCount,
    communities: communities.length,
    originVertices: new Set(originVids.map(([, v]) => v)).size,
    facilities: facilities.length,
    facilityEntries: facLines.length - 1,
    categories: table.categories.length,
    drivingDistanceRows: ddRows,
    pairsLifecircle: ours,
    pairsPgrouting: pg.size,
    pairsBoth: both,
    onlyLifecircle: onlyOurs,
    onlyPgrouting: onlyPg,
    beyondTolerance,
    maxDiffS: maxDiff,
    mismatchExamples: examples,
    maxOriginAccessS: maxOriginAccess,
    itemsMetReport,
    itemsMetPgrouting: itemsMetPg,
    pgroutingMs: round(pgMs, 1),
    pgroutingDrivingDistanceOnlyMs: round(median(ddOnly), 1),
    lifecircleCoreMs: round(coreMs, 2),
    lifecircleReportMs: round(fullMs, 1),
    lifecircleReportPhasesMs: { place: phase('placeMs'), search: phase('searchMs'), assemble: phase('assembleMs') },
    ratioCore: round(pgMs / coreMs, 0),
    ratioReport: round(pgMs / fullMs, 1),
    pgroutingRunsMs: pgTimes.map((t) => round(t, 1)),
    loadavg: round(loadavg()[0], 2),
  };
  rows.push(row);
  console.error(JSON.stringify(row));
}

console.log('\n| extract | communities (origin vertices) | facility entries, categories | pairs reached lifecircle / pgRouting | max |Δt| | pgRouting query | lifecircle core | lifecircle computeCityCoverage | × core | × report |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows as Record<string, number | string>[]) {
  const agree = r.onlyLifecircle === 0 && r.onlyPgrouting === 0 && r.beyondTolerance === 0 ? '' : ` (${r.onlyLifecircle} only ours, ${r.onlyPgrouting} only pgRouting, ${r.beyondTolerance} beyond ${TOLERANCE_S} s)`;
  console.log(`| ${r.name} | ${r.communities} (${r.originVertices}) | ${r.facilityEntries}, ${r.categories} | ${r.pairsLifecircle} / ${r.pairsPgrouting}${agree} | ${Number(r.maxDiffS).toExponential(1)} s | ${r.pgroutingMs} ms | ${r.lifecircleCoreMs} ms | ${r.lifecircleReportMs} ms | ${r.ratioCore}× | ${r.ratioReport}× |`);
}
mkdirSync(join(root, 'bench-results'), { recursive: true });
const out = { node: process.version, date: new Date().toISOString().slice(0, 10), originCount, reps, budgetS: BUDGET_S, toleranceS: TOLERANCE_S, rows };
writeFileSync(join(root, 'bench-results/coverage-compare.json'), JSON.stringify(out, null, 2));
console.log(JSON.stringify(out));
