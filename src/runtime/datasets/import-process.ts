import { type ChildProcess, fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { type ErrorCode, InputError } from '../../core/errors.ts';
import { entryFile } from '../threads/entry-file.ts';
import type { ImportTask, ImportTaskResult } from './import-tasks.ts';

/**
 * Runs one dataset import — a network compiled, a facility or community set parsed and checked —
 * in a child process of its own, under a heap ceiling (`--max-old-space-size`) and a clock. An
 * upload is read by code that trusts what it is given only as far as its checks go; whatever they
 * miss costs that process, never the server: past the ceiling it dies alone (422 LIMIT_EXCEEDED),
 * past the clock it is killed (`ImportTimeout`, answered 503 TIMEOUT).
 *
 * A process, not a worker thread: a worker's `resourceLimits` is best-effort. V8 aborts the whole
 * process when one allocation cannot fit under a worker's ceiling (nodejs/node#47224): a 40 MB
 * GeoJSON parsed in a worker limited to 48 MB took the server down with it ("Reached heap limit",
 * exit 134), where in a child process it is that child's SIGABRT. Each import has a process of its
 * own (a spare one is kept started: see `takeChild`).
 */
export interface ImportLimits {
  /** The import's V8 old-generation heap, in MB. */
  maxMemoryMb: number;
  timeoutMs: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = { maxMemoryMb: 4096, timeoutMs: 100_000 };

/** The import was stopped after `ImportLimits.timeoutMs`. */
export class ImportTimeout extends Error {
  override readonly name = 'ImportTimeout';
}

type ChildMessage =
  | { ok: true; result: unknown }
  | { ok: false; error: { name?: string; message: string; code?: ErrorCode; where?: string; featureIndex?: number } };

/**
 * Runs `task` in a child process; InputErrors come back as InputErrors. At most `MAX_RUNNING`
 * imports run at once, the others wait their turn; the clock runs from the call, waiting included
 * (it is what the client waits for).
 */
export function runImport<T extends ImportTask>(task: T, limits: ImportLimits): Promise<ImportTaskResult<T>> {
  const what = task.kind === 'network' ? 'network' : task.what;
  return new Promise((resolve, reject) => {
    let child: ChildProcess | undefined;
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(clock);
      if (!child) {
        const queued = waiting.indexOf(start);
        if (queued >= 0) waiting.splice(queued, 1);
      } else {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        release();
        prepareSpare(limits.maxMemoryMb);
      }
      fn();
    };
    const clock = setTimeout(() => settle(() => reject(new ImportTimeout(`${what}: reading the upload took over ${limits.timeoutMs} ms and was stopped; split it into smaller files`))), limits.timeoutMs);
    const start = () => {
      let started: ChildProcess;
      try {
        started = takeChild(limits.maxMemoryMb);
      } catch (err) {
        // No process could be started (fork's EAGAIN…): the turn goes to the next.
        settled = true;
        clearTimeout(clock);
        release();
        reject(err);
        return;
      }
      child = started;
      started.once('message', (message: ChildMessage) =>
        settle(() => {
          if (message.ok) resolve(message.result as ImportTaskResult<T>);
          else if (message.error.name === 'InputError' && message.error.code) {
            const { code, where, featureIndex } = message.error;
            reject(new InputError(code, message.error.message, { where, featureIndex }));
          } else reject(new Error(message.error.message));
        }),
      );
      started.once('error', (err) => settle(() => reject(err)));
      // 'close', not 'exit': it comes after the IPC channel has delivered everything, so an answer
      // sent just before the process went is never taken for a process that died without one.
      started.once('close', (code, signal) =>
        settle(() => {
          // V8 out of heap prints "Reached heap limit" (to the server's stderr) and aborts.
          if (signal === 'SIGABRT' || code === 134) {
            reject(new InputError('LIMIT_EXCEEDED', `${what}: reading the upload needed more than the ${limits.maxMemoryMb} MB an import may use; split it into smaller files`, { where: what }));
          } else reject(new Error(`${what} import process exited (${signal ?? `code ${code}`}) before answering`));
        }),
      );
      started.send(task);
    };
    acquire(start);
  });
}

/** Imports running at once: each may take a core and `IMPORT_MEMORY_MB`; more would only share them. */
const MAX_RUNNING = Math.max(1, Math.min(2, availableParallelism()));
let running = 0;
const waiting: (() => void)[] = [];

function acquire(start: () => void): void {
  if (running < MAX_RUNNING) {
    running++;
    start();
  } else waiting.push(start);
}

function release(): void {
  running--;
  const next = waiting.shift();
  if (next) acquire(next);
}

/**
 * One process is kept started, its code loaded, for the next upload: a lying header is then answered
 * in milliseconds rather than after a process start (~0.3 s) and a module load (~0.5 s). Unreferenced
 * while it waits, so it keeps nothing alive; it exits when this process does (its channel closes).
 */
let spare: { child: ChildProcess; maxMemoryMb: number } | undefined;

/** Starts the spare import process now (the server does, at start), so that even the first upload finds it ready. */
export function warmImportProcess(maxMemoryMb: number): void {
  prepareSpare(maxMemoryMb);
}

function takeChild(maxMemoryMb: number): ChildProcess {
  const ready = spare?.maxMemoryMb === maxMemoryMb && spare.child.connected && spare.child.exitCode === null ? spare.child : undefined;
  if (spare && !ready) spare.child.kill('SIGKILL');
  spare = undefined;
  const child = ready ?? startChild(maxMemoryMb);
  child.ref();
  child.channel?.ref();
  return child;
}

function prepareSpare(maxMemoryMb: number): void {
  if (spare) return;
  const child = startChild(maxMemoryMb);
  child.unref();
  child.channel?.unref();
  child.once('exit', () => {
    if (spare?.child === child) spare = undefined;
  });
  spare = { child, maxMemoryMb };
}

function startChild(maxMemoryMb: number): ChildProcess {
  const entry = entryFile('./import-child.ts', import.meta.url);
  return fork(entry.url, entry.argv, {
    execArgv: [`--max-old-space-size=${maxMemoryMb}`],
    // Structured clone over the channel: bytes go as bytes, not as JSON arrays of numbers.
    serialization: 'advanced',
    // What a dying import prints (V8's "heap out of memory", a bug's stack) goes to the server's stderr.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}
