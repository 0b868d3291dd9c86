/**
 * Benchmark child: load a graph file (timed), then the 15-minute reach with the nearest facility of
 * each category from every origin. Resident memory is read after the queries. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { readGraphFile } from '../../src/runtime/files/graph-file.ts';
import { benchReach } from './reach.ts';
import { round, rssMB } from './stats.ts';

const [graphPath, facilitiesPath, originsPath] = process.argv.slice(2);
const rssBefore = rssMB();
const loads: number[] = [];
let graph = readGraphFile(graphPath);
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  graph = readGraphFile(graphPath);
  loads.push(performance.now() - t0);
}
const facilities = JSON.parse(readFileSync(facilitiesPath, 'utf8'));
const origins = JSON.parse(readFileSync(originsPath, 'utf8'));
const reach = benchReach(graph, facilities, origins);
const us = reach.perOriginUs;
console.log(JSON.stringify({
  loadMs: round(Math.min(...loads), 1),
  rssMB: rssMB(),
  rssBeforeLoadMB: rssBefore,
  origins: reach.origins,
  pois: reach.pois,
  categories: reach.categories,
  meanSettled: reach.meanSettled,
  meanCategoriesFound: reach.meanCategoriesFound,
  p50Us: round(us.p50, 1),
  p99Us: round(us.p99, 1),
  meanUs: round(us.mean, 1),
  stdUs: round(us.std, 1),
  minUs: round(us.min, 1),
  qps: reach.queriesPerSecond,
}));
