import type { OriginRule } from '../coverage/home-origins.ts';
import type { FeatureProblem } from '../facilities/feature-input.ts';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DeclarationError, DeclarationRow } from '../communities/declaration-rows.ts';
import type { Community } from '../communities/read-communities.ts';
import type { CityCoverageReport, CoverageDetail } from '../coverage/city-wide/city-coverage.ts';
import { type SharedGraph, shareGraph } from '../coverage/city-wide/shared-graph.ts';
import { InputError } from '../errors.ts';
import type { Facility } from '../facilities/read-facilities.ts';
import type { Graph } from '../network/graph.ts';
import type { Mode } from '../network/profiles.ts';
import type { Standard } from '../standards/types.ts';
import type { PointsSourceText } from '../store/index.ts';
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
  return new Promise<ReportRest>((resolve, reject) => {
    const { signal } = handlers;
    if (signal?.aborted) return reject(signal.reason);
    const worker = new Worker(new URL('./coverage-thread.mjs', import.meta.url), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB } });
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      void worker.terminate();
      fn();
    };
    const abort = () => finish(() => reject(signal!.reason));
    signal?.addEventListener('abort', abort, { once: true });
    // Messages are handled one after the other: a piece is stored before the next message is read.
    let queue = Promise.resolve();
    worker.on('message', (message: FromThread) => {
      queue = queue
        .then(async () => {
          if (settled) return;
          if (message.type === 'started') await handlers.onStart?.(message.communities);
          else if (message.type === 'searching') await handlers.onSearch?.(message.done, message.total);
          else if (message.type === 'piece') {
            await handlers.onPiece(message.piece);
            if (!settled) worker.postMessage({ type: 'stored' } satisfies ToThread);
          } else if (message.type === 'done') finish(() => resolve(message.rest));
          else finish(() => reject(message.error.code === 'INTERNAL' ? new Error(message.error.message) : new InputError(message.error.code as never, message.error.message)));
        })
        .catch((err) => finish(() => reject(err)));
    });
    // Out of memory (resourceLimits), or a bug that escaped the thread's own catch.
    worker.on('error', (err) => finish(() => reject(new Error(`the job's thread failed: ${err.message}`))));
    worker.on('exit', (code) => finish(() => reject(new Error(`the job's thread exited (code ${code}) before finishing`))));
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

function sharedGraphOf(graph: Graph): SharedGraph {
  let shared = sharedGraphs.get(graph);
  if (!shared) sharedGraphs.set(graph, (shared = shareGraph(graph)));
  return shared;
}
