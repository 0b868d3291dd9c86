import type { OriginRule } from '../../core/coverage/home-origins.ts';
import type { FeatureProblem } from '../../core/facilities/feature-input.ts';
import { availableParallelism } from 'node:os';
import type { DeclarationError, DeclarationRow } from '../../core/communities/declaration-rows.ts';
import type { Community } from '../../core/communities/read-communities.ts';
import type { CityCoverageReport, CoverageDetail } from '../../core/coverage/city-wide/city-coverage.ts';
import { type SharedGraph, shareGraph } from '../../core/coverage/city-wide/shared-graph.ts';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import type { Graph } from '../../core/network/graph.ts';
import type { Mode } from '../../core/network/profiles.ts';
import type { Standard } from '../../core/standards/types.ts';
import type { PointsSourceText } from '../store/index.ts';
import { entryFile } from '../threads/entry-file.ts';
import { runJobThread, threadError } from './job-thread.ts';
import type { EncodedPiece } from './piece-codec.ts';

/**
 * A coverage job computed off the event loop: one worker thread (coverage-thread.ts) reads the point
 * sets, plans and assembles; the city-wide engine's searches run on further threads over the graph in
 * shared memory. This thread only receives encoded pieces and stores them, so it keeps answering
 * requests, renewing the lease and recording progress however large the job.
 */
export interface CoverageThreadInput {
  graph: Graph;
  facilities: PointSet<Facility>;
  communities: PointSet<Community>;
  /** Declaration rows (a dataset's), matched to the communities in the thread. */
  declarations?: readonly DeclarationRow[];
  /** A homes dataset's source, read and tied to the communities in the thread. */
  homes?: { source: PointsSourceText; crs: string };
  standards: readonly Standard[];
  travel: { mode?: Mode; minutes?: number; speedKmh?: number; maxSnapM: number; metShare?: number; origin?: OriginRule };
  /** Communities per piece. */
  pieceSize: number;
  /** Default 'full': every item's `reachableCount`, as the per-community method reports it. */
  detail?: CoverageDetail;
  /** Search threads (default: every core but one, which stays the server's). */
  threads?: number;
}

/** Parsed already (the server's default facilities, tests), or a dataset's stored source read in the thread. */
export type PointSet<T> = { items: readonly T[] } | { source: PointsSourceText; crs: string };

export interface CoverageThreadHandlers {
  /** The point sets are read: how many communities there are. */
  onStart?(communities: number): void | Promise<void>;
  /** Searches done, of all (several a second at most). */
  onSearch?(done: number, total: number): void | Promise<void>;
  /** A piece to store; the thread builds the next one once this resolves. */
  onPiece(piece: EncodedPiece): Promise<void>;
  /** Aborting terminates the thread at once; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** The report without its communities (they went to `onPiece`); with declarations, the rows not applied. */
export type ReportRest = Omit<CityCoverageReport, 'communities'> & { errors?: { declarations?: DeclarationError[]; homes?: FeatureProblem[] } };

/**
 * The heap a job's thread may use: a bug or an absurd input fails the job, not the server. 1 GB
 * holds the 40,000-community benchmark job; with 2 GB, V8 collected later and the process peaked
 * at 1.32–1.57 GB instead of 1.36 (bench/results/job.json, embedded store).
 */
const THREAD_HEAP_MB = 1024;

export function computeCoverageInThread(input: CoverageThreadInput, handlers: CoverageThreadHandlers): Promise<ReportRest> {
  const data: CoverageThreadData = {
    graph: sharedGraphOf(input.graph),
    facilities: input.facilities,
    communities: input.communities,
    ...(input.declarations ? { declarations: input.declarations } : {}),
    ...(input.homes ? { homes: input.homes } : {}),
    standards: input.standards,
    options: {
      ...input.travel,
      detail: input.detail ?? 'full',
      threads: input.threads ?? Math.max(1, availableParallelism() - 1),
      pieceSize: input.pieceSize,
    },
  };
  return runJobThread<ReportRest, FromThread>(entryFile('./coverage-thread.ts', import.meta.url), data, { heapMb: THREAD_HEAP_MB, signal: handlers.signal }, async (message, thread) => {
    if (message.type === 'started') await handlers.onStart?.(message.communities);
    else if (message.type === 'searching') await handlers.onSearch?.(message.done, message.total);
    else if (message.type === 'piece') {
      await handlers.onPiece(message.piece);
      thread.post({ type: 'stored' } satisfies ToThread);
    } else if (message.type === 'done') thread.resolve(message.rest);
    else thread.reject(threadError(message.error));
  });
}

/** What the thread is started with. */
export interface CoverageThreadData {
  graph: SharedGraph;
  facilities: PointSet<Facility>;
  communities: PointSet<Community>;
  declarations?: readonly DeclarationRow[];
  homes?: { source: PointsSourceText; crs: string };
  standards: readonly Standard[];
  options: CoverageThreadInput['travel'] & { detail: CoverageDetail; threads: number; pieceSize: number };
}

export type FromThread =
  | { type: 'started'; communities: number }
  | { type: 'searching'; done: number; total: number }
  | { type: 'piece'; piece: EncodedPiece }
  | { type: 'done'; rest: ReportRest }
  | { type: 'failed'; error: { code: string; message: string } };

export type ToThread = { type: 'stored' };

// A graph not yet in shared memory (the server's default network, a test's) is copied there once and
// kept with it: later jobs on it hand the same memory to their threads.
const sharedGraphs = new WeakMap<Graph, SharedGraph>();

export function sharedGraphOf(graph: Graph): SharedGraph {
  let shared = sharedGraphs.get(graph);
  if (!shared) sharedGraphs.set(graph, (shared = shareGraph(graph)));
  return shared;
}
