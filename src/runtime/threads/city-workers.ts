import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Community } from '../../core/communities/read-communities.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import type { Graph } from '../../core/network/graph.ts';
import type { Standard } from '../../core/standards/types.ts';
import type { CommunityReport } from '../../core/coverage/coverage.ts';
import {
  type CityCoverageOptions,
  type CityCoverageReport,
  type CityThreads,
  computeCityCoverage,
  computeCityCoverageInPieces,
} from '../../core/coverage/city-wide/city-coverage.ts';
import { type GroupWork, countChunkSize } from '../../core/coverage/city-wide/plan.ts';
import { entryFile } from './entry-file.ts';
import { shareGraph } from '../../core/coverage/city-wide/shared-graph.ts';
import type { CityTask, CityWorkerData } from './city-worker.ts';

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
export class CityWorkers implements CityThreads {
  private constructor(
    readonly graph: Graph,
    readonly threads: number,
    private readonly pool: Piscina<CityTask, number>,
  ) {}

  static start(graph: Graph, threads = availableParallelism()): CityWorkers {
    const n = Math.max(1, threads);
    const workerData: CityWorkerData = { graph: shareGraph(graph) };
    const entry = entryFile('./city-worker.ts', import.meta.url);
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

/** Below this many edges the workers' start-up (≈ 0.5 s) costs more than it saves. */
const PARALLEL_MIN_EDGES = 50_000;

/**
 * Core's options with the threads filled in: core (city-coverage.ts) neither starts threads nor
 * reads the machine's cores, so the runtime hands it a starter and the default count — every core
 * for a graph of PARALLEL_MIN_EDGES edges or more, else 1. Given workers keep their own count
 * (core reads `workers.threads` first).
 */
function onThreads<T extends CityCoverageOptions>(graph: Graph, opts: T): T {
  return {
    ...opts,
    startThreads: opts.startThreads ?? ((g: Graph, n: number) => CityWorkers.start(g, n)),
    threads: opts.threads ?? (graph.edgeCount >= PARALLEL_MIN_EDGES ? availableParallelism() : 1),
  };
}

/** computeCityCoverage (city-coverage.ts), its searches on worker threads as the graph's size calls for. */
export function computeCityCoverageOnThreads(
  graph: Graph,
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  opts: CityCoverageOptions,
): Promise<CityCoverageReport> {
  return computeCityCoverage(graph, communities, facilities, standards, onThreads(graph, opts));
}

/** computeCityCoverageInPieces (city-coverage.ts), its searches on worker threads as the graph's size calls for. */
export function computeCityCoverageInPiecesOnThreads(
  graph: Graph,
  communities: readonly Community[],
  facilities: readonly Facility[],
  standards: readonly Standard[],
  opts: CityCoverageOptions & { pieceSize: number },
  onPiece: (first: number, reports: CommunityReport[]) => void | Promise<void>,
): Promise<Omit<CityCoverageReport, 'communities'>> {
  return computeCityCoverageInPieces(graph, communities, facilities, standards, onThreads(graph, opts), onPiece);
}
