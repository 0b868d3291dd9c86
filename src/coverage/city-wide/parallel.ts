import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Graph } from '../../network/graph.ts';
import type { GroupWork } from './plan.ts';
import { entryFile } from '../../threads/entry-file.ts';
import { shareGraph } from './shared-graph.ts';
import type { CityTask, CityWorkerData } from './worker.ts';

/**
 * Worker threads for city-wide coverage, every core by default. The graph is put in shared memory
 * once (shareGraph) and handed to every thread at start; a task names one column of one travel
 * group's NearestTable (one category's multi-source search) or a range of communities to count, and
 * writes its results straight into the group's shared arrays — nothing but a few numbers comes back.
 *
 * Splitting by category keeps each thread's work independent (no merging of partial searches), and
 * the dozens of searches of a city balance across threads without any planning. A group's tasks are
 * queued as soon as it is planned, so the threads search while the next group's facilities are placed.
 */
export class CityWorkers {
  private constructor(
    readonly graph: Graph,
    readonly threads: number,
    private readonly pool: Piscina<CityTask, number>,
  ) {}

  static start(graph: Graph, threads = availableParallelism()): CityWorkers {
    const n = Math.max(1, threads);
    const workerData: CityWorkerData = { graph: shareGraph(graph) };
    const entry = entryFile('./worker.ts', import.meta.url);
    const pool = new Piscina<CityTask, number>({
      filename: entry.url.href,
      argv: entry.argv,
      workerData,
      minThreads: n,
      maxThreads: n,
      // A nightly computation queues every task at once: no bound beyond memory, which is small.
      maxQueue: Infinity,
      idleTimeout: 60_000,
    });
    return new CityWorkers(graph, n, pool);
  }

  /**
   * Fills every column of a group's table, then (detail 'full') its reachable counts; `onTask` is
   * called as each task ends. The group's origin times come first: they bound its searches.
   */
  async run(work: GroupWork, onTask?: () => void): Promise<void> {
    const runTask = async (task: CityTask) => {
      await this.pool.run(task);
      onTask?.();
    };
    await this.pool.run({ kind: 'origin-times', work });
    const tasks: CityTask[] = [];
    for (let column = 0; column < work.table.categories.length; column++) tasks.push({ kind: 'column', work, column });
    if (work.counts) {
      const n = work.origins.communityCount;
      const size = countChunkSize(n, this.threads);
      for (let from = 0; from < n; from += size) tasks.push({ kind: 'counts', work, from, to: Math.min(n, from + size) });
    }
    await Promise.all(tasks.map(runTask));
  }

  /** Idempotent: computeCityCoverage closes its own workers as soon as the searches are done. */
  async close(): Promise<void> {
    this.closing ??= this.pool.destroy();
    await this.closing;
  }

  private closing?: Promise<void>;
}

/** Communities per counting task: a few chunks per thread, as villages' searches cost more than towns'. */
export function countChunkSize(communities: number, threads: number): number {
  return Math.max(1, Math.ceil(communities / (threads * 8)));
}
