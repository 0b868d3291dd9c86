/**
 * The worker side of reachSetsInThreads (reach-sets-in-threads.ts): the graph over shared memory for the
 * thread's lifetime, one search (its arrays sized to the graph) reused by every range of candidates.
 */
import { workerData } from 'node:worker_threads';
import { BoundedSearch } from '../../core/coverage/city-wide/bounded-search.ts';
import { type SharedGraph, graphFromShared } from '../../core/coverage/city-wide/shared-graph.ts';
import { type ReachWork, reachRange } from '../../core/siting/reach-sets.ts';

export interface ReachTask {
  work: ReachWork;
  from: number;
  to: number;
}

let search: BoundedSearch | undefined;

function runReachTask(task: ReachTask): { start: Uint32Array; rows: Uint32Array; settled: number } {
  search ??= new BoundedSearch(graphFromShared((workerData as { graph: SharedGraph }).graph));
  return reachRange(search, task.work, task.from, task.to);
}

/** The task function of the pool's threads: piscina calls an entry's default export. */
export default runReachTask;
