import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { Graph } from '../network/graph.ts';
import type { ComputeResult, ComputeTask, ComputeWorkerData } from './compute-worker.ts';
import type { AnswerFormat } from './formats.ts';
import { ApiError, errorFromFields } from './errors.ts';
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
}

/**
 * Runs request operations on large bodies in worker threads, so that parsing and computing an
 * inline network of tens of megabytes never stalls the event loop (and /health with it).
 */
export class ComputePool {
  private readonly piscina: Piscina<ComputeTask, ComputeResult>;

  constructor(opts: WorkerPoolOptions & { defaultGraph?: Graph; defaultGraphFile?: string; defaultFacilitiesFile?: string }) {
    const maxThreads = Math.max(1, Math.min(opts.maxThreads ?? 2, availableParallelism()));
    const workerData: ComputeWorkerData = {
      ...(opts.defaultGraphFile
        ? { defaultGraphFile: opts.defaultGraphFile }
        : opts.defaultGraph
          ? { defaultGraph: toPortableGraph(opts.defaultGraph) }
          : {}),
      ...(opts.defaultFacilitiesFile ? { defaultFacilitiesFile: opts.defaultFacilitiesFile } : {}),
    };
    this.piscina = new Piscina({
      filename: new URL('./compute-worker.mjs', import.meta.url).href,
      workerData,
      minThreads: Math.min(opts.minThreads ?? 1, maxThreads),
      maxThreads,
      maxQueue: opts.maxQueue ?? 4,
      idleTimeout: 60_000,
    });
  }

  /** Runs `operation` on a raw JSON body; resolves to the answer's bytes and content type. */
  async run(operation: OperationName, bytes: Buffer, format: AnswerFormat = 'json'): Promise<{ bytes: Buffer; contentType: string }> {
    const body = ownArrayBuffer(bytes);
    let result: ComputeResult;
    try {
      result = await this.piscina.run({ operation, body, format }, { transferList: [body] });
    } catch (err) {
      if (isQueueFull(err)) throw new ApiError('SERVER_BUSY', 'too many large requests are waiting; retry in a few seconds');
      throw err;
    }
    if ('error' in result) throw errorFromFields(result.error);
    return { bytes: Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength), contentType: result.contentType };
  }

  stats(): { threads: number; maxThreads: number; queued: number; completed: number } {
    return { threads: this.piscina.threads.length, maxThreads: this.piscina.options.maxThreads, queued: this.piscina.queueSize, completed: this.piscina.completed };
  }

  destroy(): Promise<void> {
    return this.piscina.destroy();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    computePool: ComputePool;
  }
}

/** Decorates the app with `computePool`, destroyed when the app closes. Registered after the network. */
export const workerPoolPlugin = sharedPlugin<WorkerPoolOptions>('compute-pool', async (app, opts) => {
  const pool = new ComputePool({ ...opts, defaultGraph: app.network.graph, defaultGraphFile: app.network.graphFile, defaultFacilitiesFile: app.network.facilitiesFile });
  app.decorate('computePool', pool);
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

function isQueueFull(err: unknown): boolean {
  const message = (err as Error)?.message ?? '';
  return message === 'Task queue is at limit' || message.startsWith('No task queue available');
}
