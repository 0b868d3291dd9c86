/**
 * The worker side of the compute pool: parses a request body and runs the same request operation as
 * the main thread would (started through src/runtime/threads/entry-file.ts). Bodies come here when
 * they are too large to parse on the event loop, or when their estimated work is more than a few
 * milliseconds (answer.ts); either way the estimate is checked here first, and the real answer's
 * size after it is rendered, so that no answer over MAX_ANSWER_MB is ever sent.
 *
 * Answers come back as JSON bytes, serialized here and transferred: stringifying a large
 * FeatureCollection on the main thread would block it as much as computing it.
 */
import { readFileSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { type Facility, readFacilities } from '../../core/facilities/read-facilities.ts';
import { ResidentialBuildings } from '../../core/communities/residential-buildings.ts';
import { answerTooLarge, admit, networkSizeOf } from '../../runtime/requests/cost.ts';
import { type AnswerFormat, renderAnswer } from './formats.ts';
import { readGraphFile } from '../../runtime/files/graph-file.ts';
import type { Graph } from '../../core/network/graph.ts';
import { type GraphParts, graphFromParts } from '../../core/network/graph-buffer.ts';
import type { RequestContext } from '../../runtime/requests/context.ts';
import { type DatasetRefs, withDatasets } from './dataset-refs.ts';
import { ApiError, type CodedErrorFields, codedErrorFields } from './errors.ts';
import { parseJsonBody } from './json-body.ts';
import { type OperationName, OPERATIONS } from './operations.ts';
import { BODY_SCHEMAS } from '../../runtime/requests/bodies.ts';
import { readBody } from '../../runtime/requests/schema-check.ts';

export interface ComputeWorkerData {
  /** A `.lcg` file with the default network: read on first use. */
  defaultGraphFile?: string;
  /** Or the default network itself, when it has no file. */
  defaultGraph?: GraphParts;
  /** A GeoJSON file with the default facility set (for coverage without `facilities`). */
  defaultFacilitiesFile?: string;
  /** Or the default facilities themselves, when they have no file. */
  defaultFacilities?: Facility[];
  /** A JSON file with the default network's residential buildings (ResidentialBuildings.toJSON). */
  defaultBuildingsFile?: string;
  /** MAX_ANSWER_MB in bytes. */
  maxAnswerBytes: number;
}

export interface ComputeTask {
  operation: OperationName;
  format: AnswerFormat;
  /** The raw request body, transferred from the main thread. */
  body: ArrayBuffer;
  /** The datasets the body names, resolved on the main thread. */
  datasets?: DatasetRefs;
}

/** The answer's bytes (transferred) and content type, or a coded error to rebuild on the main thread. */
export type ComputeResult = { bytes: Uint8Array; contentType: string; filename?: string } | { error: CodedErrorFields };

const data = (workerData ?? { maxAnswerBytes: Infinity }) as ComputeWorkerData;
let defaultGraph: Graph | undefined;
let defaultFacilities: readonly Facility[] | undefined;
let defaultBuildings: ResidentialBuildings | undefined;
/** Network datasets' graphs, by file (a new version of a dataset is a new file): the last two used. */
const datasetGraphs = new Map<string, Graph>();
const DATASET_GRAPHS_KEPT = 2;

async function compute(task: ComputeTask): Promise<ComputeResult> {
  try {
    // The route's schema, compiled in this thread: a large body is told what a small one is on the main thread.
    const parsed = readBody(BODY_SCHEMAS[task.operation], parseJsonBody(new Uint8Array(task.body))) as Record<string, unknown>;
    const refs = task.datasets ?? {};
    const body = withDatasets(parsed, refs);
    // Dataset ids are resolved on the main thread, which has the store: not in bodies it did not parse.
    for (const name of ['network', 'facilities', 'communities']) {
      if (typeof body[name] === 'string') {
        throw new ApiError('INVALID_PARAMETER', `${name}: dataset ids are not resolved in bodies of WORKER_THRESHOLD_MB or more; send a smaller body, or run a job`, name);
      }
    }
    const needsGraph = body.network === undefined || body.network === null;
    const ctx: RequestContext = {
      defaultGraph: !needsGraph ? undefined : refs.graphFile !== undefined ? datasetGraph(refs.graphFile) : loadDefaultGraph(),
      defaultFacilities: body.facilities !== undefined ? undefined : (refs.facilities ?? loadDefaultFacilities()),
      defaultBuildings: needsGraph && refs.graphFile === undefined ? loadDefaultBuildings() : undefined,
      ...(refs.ids ? { datasets: refs.ids } : {}),
    };
    const estimate = admit(task.operation, body, ctx.defaultGraph && networkSizeOf(ctx.defaultGraph), data.maxAnswerBytes);
    let rendered: ReturnType<typeof renderAnswer>;
    try {
      rendered = renderAnswer(await OPERATIONS[task.operation](body, ctx, task.format));
    } catch (err) {
      // An answer past V8's longest string (~512 MiB) cannot be built at all.
      if (err instanceof RangeError && /Invalid string length|Invalid array length/.test(err.message)) throw answerTooLarge(0, data.maxAnswerBytes, estimate);
      throw err;
    }
    // Structured-cloned back (a copy of the answer's bytes: a few milliseconds even for megabytes);
    // piscina transfers only a top-level value, and the content type has to travel with it.
    const bytes = typeof rendered.body === 'string' ? new TextEncoder().encode(rendered.body) : rendered.body;
    if (bytes.byteLength > data.maxAnswerBytes) throw answerTooLarge(bytes.byteLength, data.maxAnswerBytes, estimate);
    return { bytes, contentType: rendered.contentType, ...(rendered.filename ? { filename: rendered.filename } : {}) };
  } catch (err) {
    const error = codedErrorFields(err);
    if (error) return { error };
    // Anything else is a bug: piscina passes it on as an Error (message and stack), the main thread logs it.
    throw err;
  }
}

function datasetGraph(file: string): Graph {
  let graph = datasetGraphs.get(file);
  if (graph) datasetGraphs.delete(file);
  else graph = readGraphFile(file);
  datasetGraphs.set(file, graph);
  if (datasetGraphs.size > DATASET_GRAPHS_KEPT) datasetGraphs.delete(datasetGraphs.keys().next().value!);
  return graph;
}

function loadDefaultFacilities(): readonly Facility[] | undefined {
  if (!defaultFacilities && data.defaultFacilitiesFile) {
    defaultFacilities = readFacilities(JSON.parse(readFileSync(data.defaultFacilitiesFile, 'utf8'))).facilities;
  }
  return defaultFacilities ?? data.defaultFacilities;
}

function loadDefaultBuildings(): ResidentialBuildings | undefined {
  if (!defaultBuildings && data.defaultBuildingsFile) defaultBuildings = ResidentialBuildings.fromJSON(JSON.parse(readFileSync(data.defaultBuildingsFile, 'utf8')));
  return defaultBuildings;
}

function loadDefaultGraph(): Graph | undefined {
  if (!defaultGraph) {
    if (data.defaultGraphFile) defaultGraph = readGraphFile(data.defaultGraphFile);
    else if (data.defaultGraph) defaultGraph = graphFromParts(data.defaultGraph);
  }
  return defaultGraph;
}

/** The task function of the pool's threads: piscina calls an entry's default export. */
export default compute;
