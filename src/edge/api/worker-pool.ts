import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Facility } from '../../core/facilities/read-facilities.ts';
import { graphParts } from '../../core/network/graph-buffer.ts';
import { entryFile } from '../../runtime/threads/entry-file.ts';
import type { ComputeResult, ComputeTask, ComputeWorkerData } from './compute-worker.ts';
import type { DatasetRefs } from './dataset-refs.ts';
import type { AnswerFormat } from './formats.ts';
import { ApiError, errorFromFields } from './errors.ts';
import type { NetworkState } from './network.ts';
import type { OperationName } from './operations.ts';
import { sharedPlugin } from './plugin.ts';

export interface WorkerPoolOptions {
  /** Threads kept alive. Default 1: a warm thread answers the first large request without start-up. */
  minThreads?: number;
  /** Default 2 (at most the cores): the main thread keeps serving while workers compute. */
  maxThreads?: number;
  /** Requests waiting for a thread before the pool answers 503. Each holds its whole body. Default 4. */
  maxQueue?: number;
  /** A task (queued and running) taking longer is aborted: its thread is terminated, the request answered 503 TIMEOUT. Default 60 s. */
  computeTimeoutMs?: number;
  /** Answers larger than this are refused (422 LIMIT_EXCEEDED): up front by their estimate, and by their real size. Default 64 MiB. */
  maxAnswerBytes?: number;
  /** Each thread's V8 heap (`maxOldGenerationSizeMb`): a thread that needs more dies alone (422 LIMIT_EXCEEDED). Default 2048. */
  memoryMb?: number;
  /** Parsed requests estimated to take longer (µs, src/runtime/requests/cost.ts) run in a thread. Default 5 ms; Infinity keeps all on the event loop (tests). */
  mainThreadMaxWorkUs?: number;
  /** A thread that fails outside any task (e.g. out of memory while starting): logged, never thrown. */
  onThreadError?: (err: Error) => void;
}

const COMPUTE_ENTRY = entryFile('./compute-worker.ts', import.meta.url);

const DEFAULT_COMPUTE_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024;
const DEFAULT_WORKER_MEMORY_MB = 2048;
/**
 * The most a request may cost on the event loop, µs of estimated work (src/runtime/requests/cost.ts): 5 ms.
 * On the Chengdu sample, 24 of 81 measured requests stay here (a 2-minute walking isochrone, a
 * 15-minute one as lines, a few travel times, one community's coverage); the slowest took 2.6 ms.
 * Everything else runs in a thread.
 */
const DEFAULT_MAIN_THREAD_MAX_WORK_US = 5_000;

/** A task given up because its caller (a client that disconnected) aborted it: there is nobody to answer. */
export class ComputeCancelled extends Error {
  override readonly name = 'ComputeCancelled';
}

/**
 * Runs request operations in worker threads — large bodies, and any request estimated at more than
 * a few milliseconds (answer.ts) — so that parsing an inline network of tens of megabytes, or
 * searching a city from hundreds of origins, never stalls the event loop (and /health with it). A
 * task is stopped at its timeout, when its client leaves, or when its thread runs out of heap.
 *
 * The threads start once the default network is loaded (they are handed its file, or a copy of it):
 * until then `run` answers 503 NOT_READY.
 */
export class ComputePool {
  private piscina?: Piscina<ComputeTask, ComputeResult>;
  private readonly computeTimeoutMs: number;
  private readonly maxThreads: number;
  /** Tasks running or waiting: at most maxThreads + maxQueue (piscina does not bound tasks that carry an abort signal). */
  private readonly maxTasks: number;
  private tasks = 0;
  private cancelled = 0;
  readonly maxAnswerBytes: number;
  readonly mainThreadMaxWorkUs: number;

  constructor(private readonly opts: WorkerPoolOptions) {
    this.computeTimeoutMs = opts.computeTimeoutMs ?? DEFAULT_COMPUTE_TIMEOUT_MS;
    this.maxAnswerBytes = opts.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    this.mainThreadMaxWorkUs = opts.mainThreadMaxWorkUs ?? DEFAULT_MAIN_THREAD_MAX_WORK_US;
    this.maxThreads = Math.max(1, Math.min(opts.maxThreads ?? 2, availableParallelism()));
    this.maxTasks = this.maxThreads + (opts.maxQueue ?? 4);
  }

  /** Starts the threads, with what they need to know of the default network. */
  start(network: Pick<NetworkState, 'graph' | 'graphFile' | 'facilities' | 'facilitiesFile' | 'buildingsFile'>): void {
    if (this.piscina) return;
    // A graph in shared memory (network-cache.ts reads graph files so) is handed over as it is: the
    // threads see the same bytes, not a copy each.
    const shared = network.graph !== undefined && network.graph.bytes.buffer instanceof SharedArrayBuffer;
    const workerData: ComputeWorkerData = {
      ...(network.graph && (shared || !network.graphFile)
        ? { defaultGraph: graphParts(network.graph) }
        : network.graphFile
          ? { defaultGraphFile: network.graphFile }
          : {}),
      // Facilities given in memory (no file) are copied to each thread once.
      ...(network.facilitiesFile ? { defaultFacilitiesFile: network.facilitiesFile } : network.facilities ? { defaultFacilities: network.facilities as Facility[] } : {}),
      ...(network.buildingsFile ? { defaultBuildingsFile: network.buildingsFile } : {}),
      maxAnswerBytes: this.maxAnswerBytes,
    };
    this.piscina = new Piscina({
      filename: COMPUTE_ENTRY.url.href,
      argv: COMPUTE_ENTRY.argv,
      workerData,
      minThreads: Math.min(this.opts.minThreads ?? 1, this.maxThreads),
      maxThreads: this.maxThreads,
      idleTimeout: 60_000,
      // Out of heap, a thread is terminated and replaced; the process and the other threads live on.
      resourceLimits: { maxOldGenerationSizeMb: this.opts.memoryMb ?? DEFAULT_WORKER_MEMORY_MB },
    });
    // Piscina emits 'error' for a thread that dies with no task to fail: unheard, it would end the process.
    this.piscina.on('error', (err: Error) => this.opts.onThreadError?.(err));
  }

  /**
   * Runs `operation` on a raw JSON body (with the datasets it names, resolved by the caller);
   * resolves to the answer's bytes and content type. Over `timeoutMs` (default: the pool's compute
   * timeout; jobs will pass their own), the task is aborted — dequeued, or its thread terminated and
   * replaced — and the call fails with 503 TIMEOUT; when `signal` aborts (the client is gone), the
   * same, and the call fails with ComputeCancelled.
   */
  async run(
    operation: OperationName,
    bytes: Buffer,
    format: AnswerFormat = 'json',
    opts: { timeoutMs?: number; signal?: AbortSignal; datasets?: DatasetRefs } = {},
  ): Promise<{ bytes: Buffer; contentType: string; filename?: string }> {
    const timeoutMs = opts.timeoutMs ?? this.computeTimeoutMs;
    if (!this.piscina) throw new ApiError('NOT_READY', 'the default network is still loading; retry in a few seconds');
    if (this.tasks >= this.maxTasks) throw new ApiError('SERVER_BUSY', 'too many requests are waiting for a worker thread; retry in a few seconds');
    if (opts.signal?.aborted) throw this.cancel();
    const body = ownArrayBuffer(bytes);
    // The clock runs from here, queueing included: what the client waits for.
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    const task: ComputeTask = { operation, body, format, ...(opts.datasets ? { datasets: opts.datasets } : {}) };
    let result: ComputeResult;
    this.tasks++;
    try {
      result = await this.piscina.run(task, { transferList: [body], signal });
    } catch (err) {
      if (opts.signal?.aborted) throw this.cancel();
      if (timeout.aborted) {
        throw new ApiError('TIMEOUT', `computing this request took longer than the limit of ${timeoutMs} ms and was stopped; send fewer origins, targets or communities, or smaller budgets`);
      }
      if ((err as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
        throw new ApiError('LIMIT_EXCEEDED', `computing this request needed more memory than a worker thread may use (${this.opts.memoryMb ?? DEFAULT_WORKER_MEMORY_MB} MB) and was stopped; send fewer origins, targets or communities, smaller budgets or a smaller network, or split the request`);
      }
      throw err;
    } finally {
      this.tasks--;
    }
    if ('error' in result) throw errorFromFields(result.error);
    return { bytes: Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength), contentType: result.contentType, ...(result.filename ? { filename: result.filename } : {}) };
  }

  /** `tasks`: running or waiting; `cancelled`: given up because their client left. */
  stats(): { threads: number; maxThreads: number; queued: number; completed: number; tasks: number; cancelled: number } {
    const counts = { tasks: this.tasks, cancelled: this.cancelled };
    if (!this.piscina) return { threads: 0, maxThreads: this.maxThreads, queued: 0, completed: 0, ...counts };
    return { threads: this.piscina.threads.length, maxThreads: this.maxThreads, queued: this.piscina.queueSize, completed: this.piscina.completed, ...counts };
  }

  private cancel(): ComputeCancelled {
    this.cancelled++;
    return new ComputeCancelled('the client closed the connection: its computation was stopped');
  }

  async destroy(): Promise<void> {
    await this.piscina?.destroy();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    computePool: ComputePool;
  }
}

/**
 * Decorates the app with `computePool`, started when the default network is loaded and destroyed
 * when the app closes (after the requests in flight are answered). Registered after the network.
 */
export const workerPoolPlugin = sharedPlugin<WorkerPoolOptions>('compute-pool', async (app, opts) => {
  const pool = new ComputePool({ onThreadError: (err) => app.log.error({ err }, 'a compute thread failed outside any task'), ...opts });
  app.decorate('computePool', pool);
  // A failed load stops the server (server.ts); until then inline networks are still computed.
  app.network.loaded.then(
    () => pool.start(app.network),
    () => pool.start({}),
  );
  app.addHook('onClose', () => pool.destroy());
});

/**
 * The body's bytes as an ArrayBuffer of their own, to transfer rather than copy. Fastify's body
 * buffers of this size own their memory; a view into a shared one (Node's small-buffer pool) is copied.
 */
function ownArrayBuffer(bytes: Buffer): ArrayBuffer {
  const buffer = bytes.buffer;
  if (buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength) return buffer;
  return buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
