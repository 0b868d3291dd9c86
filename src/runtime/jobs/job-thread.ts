import { Worker } from 'node:worker_threads';
import { InputError } from '../../core/errors.ts';
import type { EntryFile } from '../threads/entry-file.ts';

/**
 * A job's thread from start to end, whatever the job computes (coverage-in-thread.ts,
 * siting-in-thread.ts): the thread's messages are handled one after the other (a handler that
 * stores something finishes before the next message is read); the promise settles once, with what a
 * handler settles it with, and the thread is terminated then. Aborting the signal (the runner
 * stopping, the lease lost, the job cancelled) terminates the thread at once and rejects with the
 * signal's reason; a thread that fails (out of its heap) or exits first rejects too.
 */
export interface JobThread<T> {
  post(message: unknown): void;
  resolve(value: T): void;
  reject(err: unknown): void;
  /** Whether the promise has settled (a handler still running then does nothing more). */
  readonly settled: boolean;
}

export function runJobThread<T, M>(
  entry: EntryFile,
  workerData: unknown,
  opts: { heapMb: number; signal?: AbortSignal },
  onMessage: (message: M, thread: JobThread<T>) => void | Promise<void>,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const { signal } = opts;
    if (signal?.aborted) return reject(signal.reason);
    const worker = new Worker(entry.url, { argv: entry.argv, workerData, resourceLimits: { maxOldGenerationSizeMb: opts.heapMb } });
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
    const thread: JobThread<T> = {
      post: (message) => {
        if (!settled) worker.postMessage(message);
      },
      resolve: (value) => finish(() => resolve(value)),
      reject: (err) => finish(() => reject(err)),
      get settled() {
        return settled;
      },
    };
    let queue = Promise.resolve();
    worker.on('message', (message: M) => {
      queue = queue
        .then(async () => {
          if (!settled) await onMessage(message, thread);
        })
        .catch((err) => thread.reject(err));
    });
    // Out of memory (resourceLimits), or a bug that escaped the thread's own catch.
    worker.on('error', (err) => thread.reject(new Error(`the job's thread failed: ${err.message}`)));
    worker.on('exit', (code) => thread.reject(new Error(`the job's thread exited (code ${code}) before finishing`)));
  });
}

/** A thread's `failed` message as the error the job fails with: a coded input error keeps its code. */
export function threadError(error: { code: string; message: string }): Error {
  return error.code === 'INTERNAL' ? new Error(error.message) : new InputError(error.code as never, error.message);
}

/** What a thread posts when it fails: a coded input error keeps its code, anything else is INTERNAL. */
export function threadFailure(err: unknown): { code: string; message: string } {
  return err instanceof InputError ? { code: err.code, message: err.message } : { code: 'INTERNAL', message: (err as Error).message };
}
