import { Piscina } from 'piscina';
import { BoundedSearch } from '../../core/coverage/city-wide/bounded-search.ts';
import type { OriginSeeds } from '../../core/coverage/city-wide/origin-seeds.ts';
import { shareGraph } from '../../core/coverage/city-wide/shared-graph.ts';
import type { PlacedFacilities } from '../../core/coverage/facility-index.ts';
import type { Costing } from '../../core/routing/costing.ts';
import { type ReachSets, prepareReach } from '../../core/siting/reach-sets.ts';
import { entryFile } from '../threads/entry-file.ts';
import type { ReachTask } from './reach-sets-thread.ts';

/**
 * The siting core's reachSets (src/core/siting/reach-sets.ts) spread over `threads` worker threads: the graph and the prepared work in shared memory
 * (never copied per thread), candidates in ranges of a few dozen per task so that a thread done with
 * a sparse part of the city takes the next range; the ranges' sets are joined in candidate order.
 */
export async function reachSetsInThreads(costing: Costing, origins: OriginSeeds, unserved: Uint8Array, candidates: PlacedFacilities, budgetS: number, opts: { candidateCount: number; threads: number; search?: BoundedSearch }): Promise<ReachSets> {
  const n = opts.candidateCount;
  const work = prepareReach(costing, origins, unserved, candidates, budgetS, n, { search: opts.search ?? new BoundedSearch(costing.graph), shared: true });
  const entry = entryFile('./reach-sets-thread.ts', import.meta.url);
  const pool = new Piscina<ReachTask, { start: Uint32Array; rows: Uint32Array; settled: number }>({
    filename: entry.url.href,
    argv: entry.argv,
    workerData: { graph: shareGraph(costing.graph) },
    minThreads: opts.threads,
    maxThreads: opts.threads,
    maxQueue: Infinity,
  });
  try {
    const size = Math.max(16, Math.ceil(n / (opts.threads * 32)));
    const ranges: [number, number][] = [];
    for (let from = 0; from < n; from += size) ranges.push([from, Math.min(n, from + size)]);
    const parts = await Promise.all(ranges.map(([from, to]) => pool.run({ work, from, to })));
    const start = new Uint32Array(n + 1);
    const total = parts.reduce((s, p) => s + p.rows.length, 0);
    const rows = new Uint32Array(total);
    let offset = 0;
    let settled = 0;
    parts.forEach((part, i) => {
      const [from, to] = ranges[i];
      for (let j = from; j < to; j++) start[j + 1] = offset + part.start[j - from + 1];
      rows.set(part.rows, offset);
      offset += part.rows.length;
      settled += part.settled;
    });
    return { candidateCount: n, start, rows, settled };
  } finally {
    await pool.destroy();
  }
}
