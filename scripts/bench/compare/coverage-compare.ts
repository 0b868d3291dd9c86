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
 * Every side warms up (pgRouting: one run; lifecircle, JIT-compiled: runs for 0.25 s), then does R
 * timed runs (default 5), reported as the median with the least and greatest. pgRouting's query (timed end to end with psql's \timing, result rows fetched to a file; the
 * load and the tables above are not timed): one many-root `pgr_drivingDistance` over every origin
 * vertex with a 900 s budget (directed, equicost false), joined to the facility table on the reached
 * vertex, the minimum per community × category where the total is within the budget. pgRouting builds
 * its graph from the edges query inside every call, by design: a budget-0 call from one root, timed
 * beside each run, is that build, and query − build is the work lifecircle's core does (its graph is
 * loaded once: reading the graph file and the walking costs, timed apart). pgr_drivingDistance alone
 * (`count(*)`) is timed beside them too.
 * lifecircle: `computeCityCoverage` on the same graph, communities, facilities and urban standards
 * (walk, 15 minutes, one thread as PostgreSQL runs a query on one backend) — the whole report, placing
 * included — and its core alone (origin sweep + one reverse multi-source search per category + the
 * origin's own edges: the nearest table), with facilities and origins already placed.
 * The answers (community × category pairs reached, and their times) are compared; any pair on one side
 * only or apart by more than 1e-6 s is written to the results and exits 1. Writes
 * bench/results/compare-coverage.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readCommunities, type Community } from '../../../src/core/communities/read-communities.ts';
import { compileStandard } from '../../../src/core/coverage/assess.ts';
import { type CityCoverageReport, type CityCoverageTimings, computeCityCoverage } from '../../../src/core/coverage/city-wide/city-coverage.ts';
import { MultiSourceSearch } from '../../../src/core/coverage/city-wide/multi-source.ts';
import { offerOwnEdges } from '../../../src/core/coverage/city-wide/nearest-table.ts';
import { planTravelGroups } from '../../../src/core/coverage/city-wide/plan.ts';
import type { CoverageOptions } from '../../../src/core/coverage/coverage.ts';
import { representativeHomes } from '../../../src/core/communities/place-homes.ts';
import { placeHomeOrigins } from '../../../src/core/coverage/home-origins.ts';
import { CATEGORY_IDS } from '../../../src/core/facilities/categories.ts';
import { type Facility, readFacilities } from '../../../src/core/facilities/read-facilities.ts';
import { readGraphFile } from '../../../src/runtime/files/graph-file.ts';
import { readOsmPois } from '../../../src/core/io/osm/read-pois.ts';
import { buildCosting } from '../../../src/core/routing/costing.ts';
import { listStandards } from '../../../src/runtime/files/standards-catalogue.ts';
import { EXTRACTS } from '../extracts.ts';
import { type Figure, ROOT, type ResultTable, figure, startBench } from '../results.ts';
import { pointsNearRoads } from '../sample-points.ts';
import { edgeListCsv, pointVertices } from './export-graph.ts';
import { fileBytes } from '../../../src/runtime/files/file-bytes.ts';

const PG = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', '55432', '-U', 'postgres'];
const BUDGET_S = 900;
/** Seconds: two answers closer than this are the same (float64 sums in another order differ by ~1e-12). */
const TOLERANCE_S = 1e-6;

const { values } = parseArgs({ options: { only: { type: 'string' }, origins: { type: 'string', default: '200' }, reps: { type: 'string', default: '5' } } });
const originCount = Number(values.origins);
const reps = Number(values.reps);
const work = join(tmpdir(), 'lifecircle-bench', 'compare-coverage');
mkdirSync(work, { recursive: true });
const bench = startBench('compare-coverage', 'Community coverage against pgRouting (bench:compare:coverage)');

function psql(sql: string): string {
  const file = join(work, 'q.sql');
  writeFileSync(file, sql);
  return execFileSync('psql', [...PG, '-f', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
}
const timesMs = (out: string) => [...out.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]));
/** R timed runs of lifecircle's `run`, in milliseconds, after runs for 0.25 s so V8 has optimised the code. */
async function timed(run: () => unknown): Promise<number[]> {
  const until = performance.now() + 250;
  do await run();
  while (performance.now() < until);
  const ms: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await run();
    ms.push(performance.now() - t0);
  }
  return ms;
}

const standards = listStandards().filter((s) => s.communityType === 'urban');
// Communities as their pooled origin vertices (one home each): what pgRouting is given too.
const opts: CoverageOptions = { mode: 'walk', minutes: BUDGET_S / 60, maxSnapM: 500, origin: 'representative' };

interface ExtractResult {
  name: string;
  source: string;
  nodes: number;
  edges: number;
  communities: number;
  originVertices: number;
  /** Community origins dropped: their vertex's position stands for another place on the network. */
  originsDropped: number;
  facilities: number;
  facilityEntries: number;
  categories: number;
  drivingDistanceRows: number;
  answers: { lifecircle: number; pgrouting: number; both: number; onlyLifecircle: number; onlyPgrouting: number; beyondTolerance: number; maxDiffS: number; examples: string[] };
  itemsMet: { report: number; pgrouting: number };
  maxOriginAccessS: number;
  ms: Record<'pgQuery' | 'pgSearch' | 'pgBuild' | 'pgDrivingDistance' | 'lcBuild' | 'lcCore' | 'lcReport', Figure>;
  lifecircleReportPhasesMs: Record<'place' | 'search' | 'assemble', number[]>;
  raw: Record<string, number[]>;
}

const results: ExtractResult[] = [];
for (const [name, file] of EXTRACTS) {
  if (values.only && name !== values.only) continue;
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const lcg = join(dir, 'graph.lcg');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bench/child-import.ts'), join(ROOT, '../shared/data', file), lcg], { stdio: ['ignore', 'ignore', 'inherit'] });
  // lifecircle's graph build, timed apart as pgRouting's is: the file read and the walking costs.
  let graph = readGraphFile(lcg);
  let costing = buildCosting(graph, { mode: 'walk' });
  const lcBuildMs = await timed(() => {
    graph = readGraphFile(lcg);
    costing = buildCosting(graph, { mode: 'walk' });
  });
  writeFileSync(join(dir, 'edges.csv'), edgeListCsv(costing));

  // Communities and facilities.
  let communitiesIn: Community[];
  let facilities: Facility[];
  let source: string;
  if (name === 'chengdu') {
    communitiesIn = readCommunities(JSON.parse(readFileSync(join(ROOT, 'data/sample/communities.geojson'), 'utf8'))).communities;
    facilities = readFacilities((await readOsmPois(fileBytes(join(ROOT, '../shared/data', file)))).facilities).facilities;
    source = 'OSM communities + POIs';
  } else {
    const points = pointsNearRoads(graph, originCount, 43, 'origin');
    for (const f of points.features) f.properties = { ...f.properties, type: 'urban' };
    communitiesIn = readCommunities(points).communities;
    facilities = readFacilities(pointsNearRoads(graph, Math.max(100, Math.round(graph.edgeCount / 5)), 42, 'facility')).facilities;
    source = 'seeded points, synthetic';
  }
  // Every origin moved to a vertex: the nearer end of the edge it snaps to; only vertices a point at
  // their position stands for (lifecircle is given that position), so both sides start from the same.
  const snapped = communitiesIn.map((c) => placeHomeOrigins(costing, representativeHomes(c), opts.maxSnapM)[0].map((p) => (p.fraction < 0.5 ? graph.edgeFrom[p.edge] : graph.edgeTo[p.edge])));
  const denoted = pointVertices(costing, [...new Set(snapped.flat())]);
  const communities: Community[] = [];
  const originVids: [number, number][] = [];
  let originsDropped = 0;
  communitiesIn.forEach((c, k) => {
    const nodes = [...new Set(snapped[k].filter((v) => denoted.has(v)))];
    originsDropped += snapped[k].filter((v) => !denoted.has(v)).length;
    if (nodes.length === 0) return;
    for (const v of nodes) originVids.push([communities.length, v + 1]);
    communities.push({ ...c, index: communities.length, origins: nodes.map((v) => [graph.nodeCoords[2 * v], graph.nodeCoords[2 * v + 1]] as [number, number]) });
  });
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
  const drivingDistance = `pgr_drivingDistance(${edgesSql}, (SELECT array_agg(DISTINCT vid) FROM cov_origins), ${BUDGET_S}, true, false)`;
  const coverageSql = `SELECT o.community, f.category, min(d.agg_cost + f.cost) AS t
FROM ${drivingDistance} d
JOIN cov_origins o ON o.vid = d.from_v
JOIN cov_fac_node f ON f.node = d.node
WHERE d.agg_cost + f.cost <= ${BUDGET_S}
GROUP BY o.community, f.category;`;
  const answerFile = join(dir, 'pgrouting-answer.txt');
  // Per run, side by side: the build alone (budget 0, one root), the query with its rows written by
  // psql (the last run's kept), pgr_drivingDistance alone. The first run warms up.
  const run = `SELECT count(*) FROM pgr_drivingDistance(${edgesSql}, ${originVids[0][1]}, 0, true);
\\o ${answerFile}
${coverageSql}
\\o
SELECT count(*) FROM ${drivingDistance};`;
  const pgMs = timesMs(psql(`\\pset format unaligned\n\\pset tuples_only on\n\\pset fieldsep ','\nSET jit = off;\n\\timing on\n${Array.from({ length: reps + 1 }, () => run).join('\n')}`)).slice(3);
  const pgBuildMs = pgMs.filter((_, i) => i % 3 === 0);
  const pgQueryMs = pgMs.filter((_, i) => i % 3 === 1);
  const pgDdMs = pgMs.filter((_, i) => i % 3 === 2);
  const ddRows = Number(psql(`\\pset tuples_only on\nSELECT count(*) FROM ${drivingDistance};`).trim());
  const pg = new Map<number, number>();
  for (const line of readFileSync(answerFile, 'utf8').trim().split('\n')) {
    if (!line) continue;
    const [i, c, t] = line.split(',').map(Number);
    pg.set(i * CATEGORY_IDS.length + c, t);
  }

  // lifecircle, the core: the nearest table, facilities and origins already placed.
  const multi = new MultiSourceSearch(graph);
  const coreMs = await timed(() => {
    const bound = multi.fillOriginTimesSparse(gw.costing, gw.origins, gw.budgetS);
    for (let j = 0; j < table.categories.length; j++) multi.fillColumn(gw.costing, gw.facilitySeeds, gw.origins, bound, gw.budgetS, table, j);
    multi.clearOriginTimes();
    offerOwnEdges(table, gw.origins, placed, gw.budgetS);
  });
  // lifecircle, the whole report: computeCityCoverage from the communities and facilities as read.
  const phases: CityCoverageTimings[] = [];
  let report: CityCoverageReport | undefined;
  const reportMs = await timed(async () => {
    const timings: CityCoverageTimings = {};
    report = await computeCityCoverage(graph, communities, facilities, standards, { ...opts, threads: 1, timings });
    phases.push(timings);
  });
  phases.splice(0, phases.length - reps); // the warm-up's

  // The answers: community × category pairs reached, and their times.
  const n = table.rowCount;
  const answers = { lifecircle: 0, pgrouting: pg.size, both: 0, onlyLifecircle: 0, onlyPgrouting: 0, beyondTolerance: 0, maxDiffS: 0, examples: [] as string[] };
  const note = (text: string) => answers.examples.length < 5 && answers.examples.push(text);
  for (let j = 0; j < table.categories.length; j++) {
    const c = table.categories[j];
    for (let i = 0; i < n; i++) {
      const cell = j * n + i;
      const mine = table.entry[cell] >= 0 ? table.time[cell] : undefined;
      const theirs = pg.get(i * CATEGORY_IDS.length + c);
      const pair = `${communities[i].id} ${CATEGORY_IDS[c]}`;
      if (mine !== undefined) answers.lifecircle++;
      if (mine !== undefined && theirs !== undefined) {
        answers.both++;
        const d = Math.abs(mine - theirs);
        answers.maxDiffS = Math.max(answers.maxDiffS, d);
        if (d > TOLERANCE_S) {
          answers.beyondTolerance++;
          note(`${pair}: ${mine} vs ${theirs}`);
        }
      } else if (mine !== undefined) {
        answers.onlyLifecircle++;
        note(`${pair}: ${mine} vs none`);
      } else if (theirs !== undefined) {
        answers.onlyPgrouting++;
        note(`${pair}: none vs ${theirs}`);
      }
    }
  }
  // The report's place items met, against the items pgRouting's pairs would meet.
  const itemsMet = { report: 0, pgrouting: 0 };
  const compiled = standards.map(compileStandard);
  report!.communities.forEach((cr, i) => {
    for (const sr of cr.standards) {
      const std = compiled.find((s) => s.standard.id === sr.standardId)!;
      for (const it of sr.items) if (it.status === 'met') itemsMet.report++;
      std.standard.items.forEach((item, k) => {
        if (item.kind === 'place' && std.itemCategories[k].some((c) => pg.has(i * CATEGORY_IDS.length + c))) itemsMet.pgrouting++;
      });
    }
  });

  const ms = (xs: number[]) => figure(xs, 'ms', 2);
  const phase = (k: keyof CityCoverageTimings) => phases.map((p) => p[k] ?? 0);
  const result: ExtractResult = {
    name,
    source,
    nodes: graph.nodeCount,
    edges: graph.edgeCount,
    communities: communities.length,
    originVertices: new Set(originVids.map(([, v]) => v)).size,
    originsDropped,
    facilities: facilities.length,
    facilityEntries: facLines.length - 1,
    categories: table.categories.length,
    drivingDistanceRows: ddRows,
    answers,
    itemsMet,
    maxOriginAccessS: maxOriginAccess,
    ms: {
      pgQuery: ms(pgQueryMs),
      pgSearch: ms(pgQueryMs.map((t, i) => t - pgBuildMs[i])),
      pgBuild: ms(pgBuildMs),
      pgDrivingDistance: ms(pgDdMs),
      lcBuild: ms(lcBuildMs),
      lcCore: ms(coreMs),
      lcReport: ms(reportMs),
    },
    lifecircleReportPhasesMs: { place: phase('placeMs'), search: phase('searchMs'), assemble: phase('assembleMs') },
    raw: { pgBuildMs, pgQueryMs, pgDrivingDistanceMs: pgDdMs, lifecircleBuildMs: lcBuildMs, lifecircleCoreMs: coreMs, lifecircleReportMs: reportMs },
  };
  results.push(result);
  console.error(JSON.stringify({ name, ms: result.ms, answers }));
}

const ratio = (a: Figure, b: Figure) => `${Math.round((a.value / b.value) * 10) / 10}×`;
const agrees = (r: ExtractResult) => r.answers.onlyLifecircle === 0 && r.answers.onlyPgrouting === 0 && r.answers.beyondTolerance === 0;
const pgVersion = psql(`\\pset tuples_only on\nSELECT 'PostgreSQL ' || current_setting('server_version') || ' + pgRouting ' || pgr_version();`).trim();
const tables: ResultTable[] = [
  {
    title: 'Community coverage: the nearest facility of every asked category, for every community',
    columns: ['extract', 'communities (origin vertices)', 'facility entries, categories', 'pgRouting query', 'pgRouting query − build', 'pgr_drivingDistance alone', 'lifecircle core', 'lifecircle report', '× core: (query − build) / core', '× report: query / report'],
    rows: results.map((r) => [`${r.name} (${r.source})`, `${r.communities} (${r.originVertices})`, `${r.facilityEntries}, ${r.categories}`, r.ms.pgQuery, r.ms.pgSearch, r.ms.pgDrivingDistance, r.ms.lcCore, r.ms.lcReport, ratio(r.ms.pgSearch, r.ms.lcCore), ratio(r.ms.pgQuery, r.ms.lcReport)]),
    note:
      `${pgVersion}; lifecircle on one thread, as PostgreSQL runs a query on one backend. Each side: a warm-up (pgRouting one run, lifecircle runs for 0.25 s), then ${reps} runs, median (least–greatest). ` +
      'pgRouting query: many-root `pgr_drivingDistance` over every origin vertex (900 s), joined to the facilities per reached vertex, min per community × category, rows fetched by psql; ' +
      'it builds its graph from the edges query on every call, so a budget-0 call from one root, timed beside each run, is subtracted for "query − build". ' +
      'lifecircle core: the nearest table with facilities and origins placed (what query − build computes); report: the whole `computeCityCoverage` (placing, searching, every community\'s items and the summary). ' +
      'Graph builds, timed apart, are in the next table.',
  },
  {
    title: 'Graph builds (timed apart) and the answers compared',
    columns: ['extract', 'lifecircle: read graph file + costs', 'pgRouting: budget-0 call (edges query + graph)', 'pairs reached, lifecircle / pgRouting', 'only one side', `apart by more than ${TOLERANCE_S} s`, 'max |Δt|', 'place items met: report / pgRouting'],
    rows: results.map((r) => [r.name, r.ms.lcBuild, r.ms.pgBuild, `${r.answers.lifecircle} / ${r.answers.pgrouting}`, r.answers.onlyLifecircle + r.answers.onlyPgrouting, r.answers.beyondTolerance, `${r.answers.maxDiffS === 0 ? 0 : r.answers.maxDiffS.toPrecision(1)} s`, `${r.itemsMet.report} / ${r.itemsMet.pgrouting}`]),
    note: 'Community × category pairs reached within 900 s and their times; the report\'s met place items against those pgRouting\'s pairs would meet. Inputs are identical: the same edge list at full precision, origins at the same vertices, the same facility entries.',
  },
];
bench.finish(tables, { budgetS: BUDGET_S, reps, originCount, toleranceS: TOLERANCE_S, engines: { pgrouting: pgVersion, node: process.version }, extracts: results });

const disagreeing = results.filter((r) => !agrees(r) || r.itemsMet.report !== r.itemsMet.pgrouting || r.maxOriginAccessS > 0);
if (disagreeing.length > 0) {
  for (const r of disagreeing) console.error(`bench:compare:coverage: ${r.name}: lifecircle and pgRouting disagree: ${JSON.stringify({ ...r.answers, itemsMet: r.itemsMet, maxOriginAccessS: r.maxOriginAccessS })}`);
  process.exitCode = 1;
}
