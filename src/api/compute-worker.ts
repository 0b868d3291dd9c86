/**
 * The worker side of the compute pool: parses a large request body and runs the same request
 * operation as the main thread would. Loaded through compute-worker.mjs (see there why).
 *
 * Answers come back as JSON bytes, serialized here and transferred: stringifying a large
 * FeatureCollection on the main thread would block it as much as computing it.
 */
import { readFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { type Facility, readFacilities } from '../facilities/read-facilities.ts';
import { type AnswerFormat, renderAnswer } from './formats.ts';
import { readGraphFile } from '../io/graph-file.ts';
import type { Graph } from '../network/graph.ts';
import { ApiError, type CodedErrorFields, codedErrorFields } from './errors.ts';
import { parseJsonBody } from './json-body.ts';
import { type OperationName, OPERATIONS, checkBodyShape } from './operations.ts';
import { type PortableGraph, fromPortableGraph } from './portable-graph.ts';

export interface ComputeWorkerData {
  /** A `.lcg` file with the default network: read on first use. */
  defaultGraphFile?: string;
  /** Or the default network itself, when it has no file. */
  defaultGraph?: PortableGraph;
  /** A GeoJSON file with the default facility set (for coverage without `facilities`). */
  defaultFacilitiesFile?: string;
}

export interface ComputeTask {
  operation: OperationName;
  format: AnswerFormat;
  /** The raw request body, transferred from the main thread. */
  body: ArrayBuffer;
}

/** The answer's bytes (transferred) and content type, or a coded error to rebuild on the main thread. */
export type ComputeResult = { bytes: Uint8Array; contentType: string } | { error: CodedErrorFields };

const data = (workerData ?? {}) as ComputeWorkerData;
let defaultGraph: Graph | undefined;
let defaultFacilities: readonly Facility[] | undefined;

export function compute(task: ComputeTask): ComputeResult {
  try {
    const body = checkBodyShape(task.operation, parseJsonBody(new Uint8Array(task.body)));
    // Dataset ids are resolved on the main thread, which has the store: not for bodies this large.
    for (const name of ['network', 'facilities', 'communities']) {
      if (typeof body[name] === 'string') {
        throw new ApiError('INVALID_PARAMETER', `${name}: dataset ids are not resolved in bodies of WORKER_THRESHOLD_MB or more; send a smaller body, or run a job`, name);
      }
    }
    const needsDefault = body.network === undefined || body.network === null;
    const ctx = { defaultGraph: needsDefault ? loadDefaultGraph() : undefined, defaultFacilities: body.facilities === undefined ? loadDefaultFacilities() : undefined };
    const { contentType, text } = renderAnswer(OPERATIONS[task.operation](body, ctx, task.format));
    // Structured-cloned back (a copy of the answer's bytes: a few milliseconds even for megabytes);
    // piscina transfers only a top-level value, and the content type has to travel with it.
    return { bytes: new TextEncoder().encode(text), contentType };
  } catch (err) {
    const error = codedErrorFields(err);
    if (error) return { error };
    // Anything else is a bug: piscina passes it on as an Error (message and stack), the main thread logs it.
    throw err;
  }
}

function loadDefaultFacilities(): readonly Facility[] | undefined {
  if (!defaultFacilities && data.defaultFacilitiesFile) {
    defaultFacilities = readFacilities(JSON.parse(readFileSync(data.defaultFacilitiesFile, 'utf8'))).facilities;
  }
  return defaultFacilities;
}

function loadDefaultGraph(): Graph | undefined {
  if (!defaultGraph) {
    if (data.defaultGraphFile) defaultGraph = readGraphFile(data.defaultGraphFile);
    else if (data.defaultGraph) defaultGraph = fromPortableGraph(data.defaultGraph);
  }
  return defaultGraph;
}
