import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { InputError, type ErrorCode } from '../errors.ts';
import { writeGraphFile } from '../io/graph-file.ts';
import { loadNetworkFile } from '../io/load-network.ts';
import type { ImportReport } from '../network/graph.ts';

/**
 * Compiles an uploaded network (spooled to a file: GeoJSON, .osm, .osm.gz or .osm.pbf) into a graph
 * file, in its own thread: a city of tens of megabytes takes seconds of CPU, which must not stall
 * the requests the server is answering meanwhile.
 */
export interface ImportedNetwork {
  graphFile: string;
  graphBytes: number;
  nodes: number;
  edges: number;
  bbox: [number, number, number, number];
  report: ImportReport;
  ms: number;
}

/** Runs in the import thread (or directly, e.g. from the CLI). */
export async function importNetworkFile(source: string, out: string): Promise<ImportedNetwork> {
  const started = performance.now();
  const graph = await loadNetworkFile(source);
  const { bytes } = writeGraphFile(out, graph);
  return { graphFile: out, graphBytes: bytes, nodes: graph.nodeCount, edges: graph.edgeCount, bbox: graph.meta.bbox, report: graph.meta.report, ms: Math.round(performance.now() - started) };
}

/** Compiles `source` into `out` in a new worker thread; InputErrors come back as InputErrors. */
export function importNetworkInThread(source: string, out: string): Promise<ImportedNetwork> {
  statSync(source); // fail here, with the path, if the spooled upload is gone
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./import-network-worker.mjs', import.meta.url), { workerData: { source, out } });
    worker.once('message', (message: { ok: true; result: ImportedNetwork } | { ok: false; error: { name?: string; message: string; code?: ErrorCode; where?: string } }) => {
      if (message.ok) resolve(message.result);
      else if (message.error.name === 'InputError' && message.error.code) reject(new InputError(message.error.code, message.error.message, { where: message.error.where }));
      else reject(new Error(message.error.message));
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`network import thread exited with code ${code}`));
    });
  });
}
