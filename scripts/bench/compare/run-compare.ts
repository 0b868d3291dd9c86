/**
 * `npm run bench:compare` — one question asked of four engines on identical networks and origins: a
 * 15-minute walk (900 s) from each origin vertex, every node reached and its time. Needs
 * `bash scripts/bench/compare/postgres.sh install && … start`. Writes bench/results/compare-routing.json.
 *
 *   run-compare.ts [--only <extract>] [--origins N (200)] [--reps R (5)]
 *
 * Per real extract of ../shared/data: its compiled walking graph exported as one edge list
 * (export-graph.ts, full precision), and up to N distinct origin vertices. Every engine warms up (one
 * pass; lifecircle, JIT-compiled, passes for 0.25 s), then does R timed passes over all the origins; a
 * pass's time / origins is the mean time per origin, reported as the median of the R passes with their
 * least and greatest:
 *  - lifecircle in-process: GraphSearch seeded at the vertex, answer left in its arrays;
 *  - networkx: single_source_dijkstra_path_length(cutoff) per origin, answer as dicts;
 *  - pgRouting: one many-root pgr_drivingDistance over all the origins (`SELECT count(*)`: the rows are
 *    made, not shipped). pgRouting builds its graph from the edges query on every call, by design, so a
 *    call with budget 0 from one root is timed beside each pass and subtracted: (call − build) / origins
 *    is its search alone;
 *  - lifecircle over HTTP: one POST /v1/travel-times with the origins and every vertex as a target
 *    (the same answer, as JSON, received and parsed by the client). A few vertices share their position
 *    with another place on the network (crossings without a junction): a point there does not stand for
 *    the vertex, so they are not asked and not compared (export-graph.ts pointVertices).
 * Graph builds are timed apart (lifecircle: read the graph file + arc costs + search arrays; networkx:
 * the DiGraph from the CSV). Then the answers are compared, every pair of engines, origin by origin:
 * the nodes reached and their times. Disagreement beyond 1e-6 s (HTTP: its answer's rounding, minutes
 * to 3 decimals) is written to the results and exits 1.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../../../src/edge/app.ts';
import { readGraphFile } from '../../../src/runtime/files/graph-file.ts';
import type { Graph } from '../../../src/core/network/graph.ts';
import { buildCosting, type Costing, edgeUsable } from '../../../src/core/routing/costing.ts';
import { GraphSearch, SeedList } from '../../../src/core/routing/search.ts';
import { EXTRACTS } from '../extracts.ts';
import { type Figure, ROOT, type ResultTable, figure, startBench } from '../results.ts';
import { edgeListCsv, originVertices, pointVertices } from './export-graph.ts';
import { type Agreement, type Reach, compareReach } from './reach-agreement.ts';

const BUDGET_S = 900;
/** Exact engines add the same float64 costs; only summation order along tied paths may differ. */
const EXACT_S = 1e-6;
/** travel-times answers minutes rounded to 3 decimals: ±0.03 s. */
const HTTP_S = 0.0005 * 60 + EXACT_S;
const PG = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', '55432', '-U', 'postgres'];

const { values } = parseArgs({ options: { only: { type: 'string' }, origins: { type: 'string', default: '200' }, reps: { type: 'string', default: '5' } } });
const originCount = Number(values.origins);
const reps = Number(values.reps);
const work = join(tmpdir(), 'lifecircle-bench', 'compare');
const bench = startBench('compare-routing', 'Routing against networkx and pgRouting (bench:compare)');

function psql(sql: string): string {
  const file = join(work, 'q.sql');
  writeFileSync(file, sql);
  return execFileSync('psql', [...PG, '-f', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
}
const timesMs = (out: string) => [...out.matchAll(/Time: ([\d.]+) ms/g)].map((m) => Number(m[1]));
const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const perOriginUs = (passS: number[], n: number) => figure(passS.map((s) => (s / n) * 1e6), 'µs');
/** lifecircle's warm-up: passes for a quarter of a second at least, so V8 has optimised the code. */
async function warmUp(pass: () => unknown): Promise<void> {
  const until = performance.now() + 250;
  do await pass();
  while (performance.now() < until);
}

/** The lifecircle graph as loaded for searching: file read, walking costs, search arrays. */
function loadLifecircle(lcg: string): { graph: Graph; costing: Costing; search: GraphSearch } {
  const graph = readGraphFile(lcg);
  return { graph, costing: buildCosting(graph, { mode: 'walk' }), search: new GraphSearch(graph) };
}

interface ExtractResult {
  name: string;
  nodes: number;
  edges: number;
  origins: number;
  meanReached: number;
  perOrigin: Record<'lifecircle' | 'networkx' | 'pgroutingSearch' | 'pgroutingCall' | 'http', Figure>;
  build: Record<'lifecircle' | 'networkx' | 'pgrouting', Figure>;
  whole: Record<'pgroutingCall' | 'http', Figure>;
  /** Vertices of the walking graph, and those asked of HTTP (a point at their position stands for them). */
  vertices: { walkable: number; askedOverHttp: number };
  agreement: Agreement[];
  raw: Record<string, number[]>;
  engines: Record<string, string>;
}

const results: ExtractResult[] = [];
for (const [name, file] of EXTRACTS) {
  if (values.only && name !== values.only) continue;
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const lcg = join(dir, 'graph.lcg');
  execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/bench/child-import.ts'), join(ROOT, '../shared/data', file), lcg], { stdio: ['ignore', 'ignore', 'inherit'] });

  // lifecircle's build, timed apart; the last one is searched.
  const lcBuildS: number[] = [];
  let lc = loadLifecircle(lcg);
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    lc = loadLifecircle(lcg);
    lcBuildS.push(seconds(t0));
  }
  const { graph, costing, search } = lc;
  const origins = originVertices(graph, costing, originCount);
  const n = origins.length;
  const ids = origins.map((v) => v + 1); // the exported graph's vertex ids
  const edgesCsv = join(dir, 'edges.csv');
  writeFileSync(edgesCsv, edgeListCsv(costing));
  writeFileSync(join(dir, 'origins.csv'), `${ids.join('\n')}\n`);
  console.error(`${name}: ${graph.nodeCount} nodes, ${graph.edgeCount} edges, ${n} origins`);

  // lifecircle in-process.
  const seeds = new SeedList();
  const walk = (v: number) => {
    seeds.clear();
    seeds.add(v, 0, 0);
    search.run(costing, seeds, BUDGET_S);
  };
  const walkAll = () => {
    for (const v of origins) walk(v);
  };
  await warmUp(walkAll);
  const lcPassS: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    walkAll();
    lcPassS.push(seconds(t0));
  }
  const lcReach: Reach = new Map();
  for (const v of origins) {
    walk(v);
    const times = new Map<number, number>();
    for (let k = 0; k < search.settledCount; k++) times.set(search.settled[k] + 1, search.timeOf(search.settled[k]));
    lcReach.set(v + 1, times);
  }

  // networkx.
  const nxFile = join(dir, 'networkx-reach.json');
  const nx = JSON.parse(execFileSync('/usr/bin/python3', [join(ROOT, 'scripts/bench/compare/networkx_reach.py'), edgesCsv, join(dir, 'origins.csv'), String(BUDGET_S), String(reps), nxFile], { encoding: 'utf8' }));
  const nxReach: Reach = new Map();
  for (const [o, times] of Object.entries(JSON.parse(readFileSync(nxFile, 'utf8')) as Record<string, Record<string, number>>)) {
    nxReach.set(Number(o), new Map(Object.entries(times).map(([v, t]) => [Number(v), t])));
  }

  // pgRouting: the table loaded (not timed); then, per pass, the build alone and the many-root call.
  psql(`DROP TABLE IF EXISTS edges; CREATE TABLE edges (id bigint PRIMARY KEY, source bigint NOT NULL, target bigint NOT NULL, cost float8 NOT NULL, reverse_cost float8 NOT NULL);
\\copy edges FROM '${edgesCsv}' CSV HEADER
VACUUM ANALYZE edges;`);
  const edgesSql = `'SELECT id, source, target, cost, reverse_cost FROM edges'`;
  const manyRoot = `pgr_drivingDistance(${edgesSql}, ARRAY[${ids.join(',')}]::bigint[], ${BUDGET_S}, true, false)`;
  const buildCall = `SELECT count(*) FROM pgr_drivingDistance(${edgesSql}, ${ids[0]}, 0, true);`;
  const passes = Array.from({ length: reps + 1 }, () => `${buildCall}\nSELECT count(*) FROM ${manyRoot};`).join('\n');
  const pgMs = timesMs(psql(`SET jit = off;\n\\timing on\n${passes}`)).slice(2); // the warm-up pair
  const pgBuildS = pgMs.filter((_, i) => i % 2 === 0).map((ms) => ms / 1000);
  const pgCallS = pgMs.filter((_, i) => i % 2 === 1).map((ms) => ms / 1000);
  const pgFile = join(dir, 'pgrouting-reach.csv');
  psql(`\\copy (SELECT from_v, node, agg_cost FROM ${manyRoot}) TO '${pgFile}' CSV`);
  const pgReach: Reach = new Map(ids.map((o) => [o, new Map()]));
  for (const line of readFileSync(pgFile, 'utf8').trim().split('\n')) {
    const [o, v, t] = line.split(',').map(Number);
    pgReach.get(o)!.set(v, t);
  }
  const pgVersion = psql(`\\pset tuples_only on\nSELECT 'PostgreSQL ' || current_setting('server_version') || ' + pgRouting ' || pgr_version();`).trim();

  // lifecircle over HTTP: the origins and, as targets, every vertex of the walking graph that a point
  // at its position stands for (pointVertices; the others are left out of the comparison with HTTP).
  const usable = new Set<number>();
  for (let e = 0; e < graph.edgeCount; e++) if (edgeUsable(costing, e)) usable.add(graph.edgeFrom[e]).add(graph.edgeTo[e]);
  const targets = [...pointVertices(costing, [...usable])];
  const at = (v: number) => ({ type: 'Feature', properties: { id: String(v + 1) }, geometry: { type: 'Point', coordinates: [graph.nodeCoords[2 * v], graph.nodeCoords[2 * v + 1]] } });
  const body = JSON.stringify({
    origins: { type: 'FeatureCollection', features: origins.map(at) },
    targets: { type: 'FeatureCollection', features: targets.map(at) },
    maxMinutes: BUDGET_S / 60,
    mode: 'walk',
  });
  const targetIds = new Set(targets.map((v) => v + 1));
  const app = buildApp({ defaultGraph: graph, logger: false });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  let answer: { origins: { id: string; reachable: { targetId: string; minutes: number }[] }[] } | undefined;
  const request = async () => {
    const res = await fetch(`${address}/v1/travel-times`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    answer = await res.json();
    if (res.status !== 200) throw new Error(`travel-times answered ${res.status}: ${JSON.stringify(answer)}`);
  };
  await warmUp(request);
  const httpS: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = process.hrtime.bigint();
    await request();
    httpS.push(seconds(t0));
  }
  await app.close();
  const httpReach: Reach = new Map(answer!.origins.map((o) => [Number(o.id), new Map(o.reachable.map((t) => [Number(t.targetId), t.minutes * 60]))]));

  // Every pair of engines, origin by origin.
  const engines: [string, Reach][] = [['lifecircle', lcReach], ['networkx', nxReach], ['pgRouting', pgReach], ['HTTP', httpReach]];
  const agreement: Agreement[] = [];
  for (let a = 0; a < engines.length; a++) {
    for (let b = a + 1; b < engines.length; b++) {
      const http = engines[b][0] === 'HTTP';
      agreement.push(compareReach(engines[a], engines[b], ids, BUDGET_S, http ? HTTP_S : EXACT_S, http ? targetIds : undefined));
    }
  }

  let reached = 0;
  for (const times of lcReach.values()) reached += times.size;
  const result: ExtractResult = {
    name,
    nodes: graph.nodeCount,
    edges: graph.edgeCount,
    origins: n,
    meanReached: Math.round(reached / n),
    vertices: { walkable: usable.size, askedOverHttp: targets.length },
    perOrigin: {
      lifecircle: perOriginUs(lcPassS, n),
      networkx: perOriginUs(nx.passS, n),
      pgroutingSearch: perOriginUs(pgCallS.map((s, i) => s - pgBuildS[i]), n),
      pgroutingCall: perOriginUs(pgCallS, n),
      http: perOriginUs(httpS, n),
    },
    build: {
      lifecircle: figure(lcBuildS.map((s) => s * 1000), 'ms', 2),
      networkx: figure(nx.buildS.map((s: number) => s * 1000), 'ms', 2),
      pgrouting: figure(pgBuildS.map((s) => s * 1000), 'ms', 2),
    },
    whole: { pgroutingCall: figure(pgCallS.map((s) => s * 1000), 'ms', 2), http: figure(httpS.map((s) => s * 1000), 'ms', 2) },
    agreement,
    raw: { lifecircleBuildS: lcBuildS, lifecirclePassS: lcPassS, networkxBuildS: nx.buildS, networkxPassS: nx.passS, pgroutingBuildS: pgBuildS, pgroutingCallS: pgCallS, httpRequestS: httpS },
    engines: { networkx: nx.engine, pgrouting: pgVersion, node: process.version },
  };
  results.push(result);
  console.error(JSON.stringify({ name, perOrigin: result.perOrigin, agreement }));
}

const ratio = (a: Figure, b: Figure) => `${Math.round(a.value / b.value)}×`;
const seconds1 = (s: number) => `${s === 0 ? 0 : s.toPrecision(1)} s`;
const agreementCell = (g: Agreement) =>
  `${g.identical}/${g.origins} identical, max |Δt| ${seconds1(g.maxDiffS)}` +
  (g.onlyA || g.onlyB ? `, ${g.onlyA} nodes only in ${g.a}, ${g.onlyB} only in ${g.b}` : '') +
  (g.boundary ? `, ${g.boundary} at the budget (±tolerance) in one only` : '');
const tables: ResultTable[] = [
  {
    title: '15-minute walk from every origin: mean time per origin',
    columns: ['extract', 'nodes / edges', 'origins', 'nodes reached (mean)', 'lifecircle', 'networkx', 'pgRouting search: (call − build) / origins', 'pgRouting call / origins', 'lifecircle HTTP / origins', '× networkx', '× pgRouting search'],
    rows: results.map((r) => [r.name, `${r.nodes} / ${r.edges}`, r.origins, r.meanReached, r.perOrigin.lifecircle, r.perOrigin.networkx, r.perOrigin.pgroutingSearch, r.perOrigin.pgroutingCall, r.perOrigin.http, ratio(r.perOrigin.networkx, r.perOrigin.lifecircle), ratio(r.perOrigin.pgroutingSearch, r.perOrigin.lifecircle)]),
    note:
      `Every engine: a warm-up (one pass; lifecircle in-process and over HTTP: passes for 0.25 s, so V8 has optimised the code), then ${reps} timed passes over all the origins (distinct vertices; Taipei has only 91 nodes), a 900 s budget on the same exported edge list; ` +
      'the median pass / origins, with the least and greatest. lifecircle: its search seeded at the vertex, in-process. networkx: `single_source_dijkstra_path_length(cutoff=900)`. ' +
      'pgRouting: one many-root `pgr_drivingDistance` call over all the origins (`count(*)`: rows made, not shipped), timed by psql; its graph is built from the edges query inside every call, ' +
      'so a budget-0 call from one root, timed beside each pass, is subtracted for its search alone. HTTP: one `POST /v1/travel-times`, origins and every vertex as targets (its answer, every origin × vertex pair reached, received and parsed).',
  },
  {
    title: 'Graph builds (timed apart) and whole calls',
    columns: ['extract', 'lifecircle: read graph file + costs + search arrays', 'networkx: DiGraph from the CSV', 'pgRouting: budget-0 call (edges query + graph)', 'pgRouting many-root call', 'lifecircle HTTP request'],
    rows: results.map((r) => [r.name, r.build.lifecircle, r.build.networkx, r.build.pgrouting, r.whole.pgroutingCall, r.whole.http]),
  },
  {
    title: 'Nodes reached, compared origin by origin',
    columns: ['extract', 'vertices asked over HTTP', ...results[0]?.agreement.map((g) => `${g.a} / ${g.b}`) ?? []],
    rows: results.map((r) => [r.name, `${r.vertices.askedOverHttp} of ${r.vertices.walkable}`, ...r.agreement.map(agreementCell)]),
    note:
      `Per origin, the set of nodes within 900 s and their times. Identical: the same nodes, every time within ${EXACT_S} s (against HTTP, whose answer rounds minutes to 3 decimals: ${HTTP_S.toFixed(6)} s). ` +
      'HTTP is asked about, and compared on, the vertices a point at their position stands for: the others share it with another place (two vertices at one position, or a vertex on the line of an edge crossing it without a junction), where a point may snap. ' +
      `Engines: ${results[0] ? `${results[0].engines.networkx}, ${results[0].engines.pgrouting}, Node ${process.version}` : ''}.`,
  },
];
bench.finish(tables, { budgetS: BUDGET_S, reps, originCount, toleranceS: { exact: EXACT_S, http: HTTP_S }, extracts: results });

const disagreements = results.flatMap((r) => r.agreement.filter((g) => !g.agrees).map((g) => `${r.name}: ${g.a} / ${g.b}: ${g.examples.join('; ')}`));
if (disagreements.length > 0) {
  console.error(`bench:compare: the engines disagree:\n${disagreements.join('\n')}`);
  process.exitCode = 1;
}
