import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ComputeResult, ComputeTask, ComputeWorkerData } from './compute-worker.ts';
import type { AnswerFormat } from './formats.ts';
import { ApiError, errorFromFields } from './errors.ts';
import type { NetworkState } from './network.ts';
import type { OperationName } from './operations.ts';
import { sharedPlugin } from './plugin.ts';
import { toPortableGraph } from './portable-graph.ts';

export interface WorkerPoolOptions {
  /** Threads kept alive. Default 1: a warm thread answers the first large request without start-up. */
  minThreads?: number;
  /** Default 2 (at most the cores): the main thread keeps serving while workers compute. */
  maxThreads?: number;
  /** Requests waiting for a thread before the pool answers 503. Each holds its whole body. Default 4. */
  maxQueue?: number;
  /** A task (queued and running) taking longer is aborted: its thread is terminated, the request answered 503 TIMEOUT. Default 60 s. */
  computeTimeoutMs?: number;
}

export const DEFAULT_COMPUTE_TIMEOUT_MS = 60_000;

/**
 * Runs request operations on large bodies in worker threads, so that parsing and computing an
 * inline network of tens of megabytes never stalls the event loop (and /health with it).
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

  constructor(private readonly opts: WorkerPoolOptions) {
    this.computeTimeoutMs = opts.computeTimeoutMs ?? DEFAULT_COMPUTE_TIMEOUT_MS;
    this.maxThreads = Math.max(1, Math.min(opts.maxThreads ?? 2, availableParallelism()));
    this.maxTasks = this.maxThreads + (opts.maxQueue ?? 4);
  }

  /** Starts the threads, with what they need to know of the default network. */
  start(network: Pick<NetworkState, 'graph' | 'graphFile' | 'facilitiesFile'>): void {
    if (this.piscina) return;
    // A graph in shared memory (network-cache.ts reads graph files so) is handed over as it is: the
    // threads see the same bytes, not a copy each.
    const shared = network.graph !== undefined && network.graph.nodeCoords.buffer instanceof SharedArrayBuffer;
    const workerData: ComputeWorkerData = {
      ...(network.graph && (shared || !network.graphFile)
        ? { defaultGraph: toPortableGraph(network.graph) }
        : network.graphFile
          ? { defaultGraphFile: network.graphFile }
          : {}),
      ...(network.facilitiesFile ? { defaultFacilitiesFile: network.facilitiesFile } : {}),
    };
    this.piscina = new Piscina({
      filename: new URL('./compute-worker.mjs', import.meta.url).href,
      workerData,
      minThreads: Math.min(this.opts.minThreads ?? 1, this.maxThreads),
      maxThreads: this.maxThreads,
      idleTimeout: 60_000,
    });
  }

  /**
   * Runs `operation` on a raw JSON body; resolves to the answer's bytes and content type. Over
   * `timeoutMs` (default: the pool's compute timeout; jobs will pass their own), the task is aborted
   * — dequeued, or its thread terminated and replaced — and the call fails with 503 TIMEOUT.
   */
  async run(operation: OperationName, bytes: Buffer, format: AnswerFormat = 'json', opts: { timeoutMs?: number } = {}): Promise<{ bytes: Buffer; contentType: string }> {
    const timeoutMs = opts.timeoutMs ?? this.computeTimeoutMs;
    if (!this.piscina) throw new ApiError('NOT_READY', 'the default network is still loading; retry in a few seconds');
    if (this.tasks >= this.maxTasks) throw new ApiError('SERVER_BUSY', 'too many large requests are waiting; retry in a few seconds');
    const body = ownArrayBuffer(bytes);
    // The clock runs from here, queueing included: what the client waits for.
    const signal = AbortSignal.timeout(timeoutMs);
    let result: ComputeResult;
    this.tasks++;
    try {
      result = await this.piscina.run({ operation, body, format }, { transferList: [body], signal });
    } catch (err) {
      if (signal.aborted) {
        throw new ApiError('TIMEOUT', `computing this request took longer than the limit of ${timeoutMs} ms and was stopped; send fewer origins, targets or communities, or smaller budgets`);
      }
      throw err;
    } finally {
      this.tasks--;
    }
    if ('error' in result) throw errorFromFields(result.error);
    return { bytes: Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength), contentType: result.contentType };
  }

  stats(): { threads: number; maxThreads: number; queued: number; completed: number } {
    if (!this.piscina) return { threads: 0, maxThreads: this.maxThreads, queued: 0, completed: 0 };
    return { threads: this.piscina.threads.length, maxThreads: this.maxThreads, queued: this.piscina.queueSize, completed: this.piscina.completed };
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
  const pool = new ComputePool(opts);
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
