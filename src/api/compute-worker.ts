/**
 * The worker side of the compute pool: parses a large request body and runs the same request
 * operation as the main thread would. Loaded through compute-worker.mjs (see there why).
 *
 * Answers come back as JSON bytes, serialized here and transferred: stringifying a large
 * FeatureCollection on the main thread would block it as much as computing it.
 */
import { workerData } from 'node:worker_threads';
import { move } from 'piscina';
import { readGraphFile } from '../io/graph-file.ts';
import type { Graph } from '../network/graph.ts';
import { type CodedErrorFields, codedErrorFields } from './errors.ts';
import { parseJsonBody } from './json-body.ts';
import { type OperationName, OPERATIONS, checkBodyShape } from './operations.ts';
import { type PortableGraph, fromPortableGraph } from './portable-graph.ts';

export interface ComputeWorkerData {
  /** A `.lcg` file with the default network: read on first use. */
  defaultGraphFile?: string;
  /** Or the default network itself, when it has no file. */
  defaultGraph?: PortableGraph;
}

export interface ComputeTask {
  operation: OperationName;
  /** The raw request body, transferred from the main thread. */
  body: ArrayBuffer;
}

/** The answer as JSON bytes (transferred), or a coded error to rebuild on the main thread. */
export type ComputeResult = Uint8Array | { error: CodedErrorFields };

const data = (workerData ?? {}) as ComputeWorkerData;
let defaultGraph: Graph | undefined;

export function compute(task: ComputeTask): ComputeResult {
  try {
    const body = checkBodyShape(task.operation, parseJsonBody(new Uint8Array(task.body)));
    const needsDefault = body.network === undefined || body.network === null;
    const answer = OPERATIONS[task.operation](body, { defaultGraph: needsDefault ? loadDefaultGraph() : undefined });
    // TextEncoder gives the bytes their own ArrayBuffer, safe to transfer (a small Buffer may share Node's pool).
    return move(new TextEncoder().encode(JSON.stringify(answer))) as Uint8Array;
  } catch (err) {
    const error = codedErrorFields(err);
    if (error) return { error };
    // Anything else is a bug: piscina passes it on as an Error (message and stack), the main thread logs it.
    throw err;
  }
}

function loadDefaultGraph(): Graph | undefined {
  if (!defaultGraph) {
    if (data.defaultGraphFile) defaultGraph = readGraphFile(data.defaultGraphFile);
    else if (data.defaultGraph) defaultGraph = fromPortableGraph(data.defaultGraph);
  }
  return defaultGraph;
}
