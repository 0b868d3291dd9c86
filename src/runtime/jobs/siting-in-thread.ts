import { availableParallelism } from 'node:os';
import type { SharedGraph } from '../../core/coverage/city-wide/shared-graph.ts';
import type { Community } from '../../core/communities/read-communities.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import type { Graph } from '../../core/network/graph.ts';
import type { SitingResponse } from '../requests/siting.ts';
import type { PointsSourceText } from '../store/index.ts';
import { entryFile } from '../threads/entry-file.ts';
import { type PointSet, sharedGraphOf } from './coverage-in-thread.ts';
import { runJobThread, threadError } from './job-thread.ts';

/**
 * A siting job computed off the event loop: one thread (siting-thread.ts) reads the job's point sets
 * and runs the same siting request POST /v1/siting runs (src/runtime/requests/siting.ts), without the
 * per-request limits; the candidates' searches run on further threads over the graph in shared
 * memory. The answer comes back whole — a ranked list of sites and a line per community, small
 * beside a coverage report — and is stored as the job's run.
 */
export interface SitingThreadInput {
  graph: Graph;
  facilities: PointSet<Facility>;
  communities: PointSet<Community>;
  homes?: { source: PointsSourceText; crs: string };
  /** The siting request's own parameters (item, candidates, k…), the dataset ids taken out. */
  params: Record<string, unknown>;
  /** The datasets the job names, for the answer's notes of where its inputs came from. */
  datasets: { network?: string; facilities?: string; communities?: string };
  /** Search threads (default: every core but one, which stays the server's). */
  threads?: number;
}

export interface SitingThreadHandlers {
  /** The point sets are read: how many communities there are. */
  onStart?(communities: number): void | Promise<void>;
  /** Aborting terminates the thread at once; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * The heap a siting job's thread may use: the benchmark's greedy over 10,000 communities and a 100 m
 * grid peaked at 1.9 GB for the whole process (bench-results), the graph (shared, outside this heap)
 * included. A bug or an absurd input fails the job, not the server.
 */
const THREAD_HEAP_MB = 2048;

export function computeSitingInThread(input: SitingThreadInput, handlers: SitingThreadHandlers): Promise<SitingResponse> {
  const data: SitingThreadData = {
    graph: sharedGraphOf(input.graph),
    facilities: input.facilities,
    communities: input.communities,
    ...(input.homes ? { homes: input.homes } : {}),
    params: input.params,
    datasets: input.datasets,
    threads: input.threads ?? Math.max(1, availableParallelism() - 1),
  };
  return runJobThread<SitingResponse, FromSitingThread>(entryFile('./siting-thread.ts', import.meta.url), data, { heapMb: THREAD_HEAP_MB, signal: handlers.signal }, async (message, thread) => {
    if (message.type === 'started') await handlers.onStart?.(message.communities);
    else if (message.type === 'done') thread.resolve(message.response);
    else thread.reject(threadError(message.error));
  });
}

/** What the thread is started with. */
export interface SitingThreadData {
  graph: SharedGraph;
  facilities: PointSet<Facility>;
  communities: PointSet<Community>;
  homes?: { source: PointsSourceText; crs: string };
  params: Record<string, unknown>;
  datasets: SitingThreadInput['datasets'];
  threads: number;
}

export type FromSitingThread =
  | { type: 'started'; communities: number }
  | { type: 'done'; response: SitingResponse }
  | { type: 'failed'; error: { code: string; message: string } };
