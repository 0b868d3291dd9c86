/**
 * The worker side of CityWorkers (parallel.ts): one graph over shared memory for the thread's
 * lifetime, one search (its arrays sized to the graph) reused by every task.
 */
import { workerData } from 'node:worker_threads';
import type { Graph } from '../../core/network/graph.ts';
import { Router } from '../../core/routing/travel-times.ts';
import { MultiSourceSearch } from '../../core/coverage/city-wide/multi-source.ts';
import type { GroupWork } from '../../core/coverage/city-wide/plan.ts';
import { countReachable } from '../../core/coverage/city-wide/reachable-counts.ts';
import { type SharedGraph, costingFromShared, graphFromShared } from '../../core/coverage/city-wide/shared-graph.ts';

export interface CityWorkerData {
  graph: SharedGraph;
}

export type CityTask =
  | { kind: 'origin-times'; work: GroupWork }
  | { kind: 'column'; work: GroupWork; column: number }
  | { kind: 'counts'; work: GroupWork; from: number; to: number };

let graph: Graph | undefined;
let router: Router | undefined;
let multi: MultiSourceSearch | undefined;

/** Runs one task, writing into the work's shared arrays; answers the milliseconds it took. */
function runCityTask(task: CityTask): number {
  const start = performance.now();
  graph ??= graphFromShared((workerData as CityWorkerData).graph);
  const { work } = task;
  if (task.kind === 'origin-times') {
    multi ??= new MultiSourceSearch(graph);
    multi.fillOriginTimes(work.costing, work.origins, work.budgetS, work.originTimes);
  } else if (task.kind === 'column') {
    multi ??= new MultiSourceSearch(graph);
    multi.fillColumn(work.costing, work.facilitySeeds, work.origins, work.originTimes, work.budgetS, work.table, task.column);
  } else {
    // Counting needs the per-community search (with its settled list), made only when asked for.
    router ??= new Router(graph);
    countReachable(router, costingFromShared(graph, work.costing), work.counts!, work.origins, work.budgetS, task.from, task.to);
  }
  return performance.now() - start;
}

/** The task function of the pool's threads: piscina calls an entry's default export. */
export default runCityTask;
