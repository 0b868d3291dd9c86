import { statSync } from 'node:fs';
import { writeGraphFile } from '../files/graph-file.ts';
import { readNetwork } from '../files/load-network.ts';
import type { ImportReport } from '../../core/network/graph.ts';
import { DEFAULT_IMPORT_LIMITS, type ImportLimits, runImport } from './import-process.ts';

/**
 * Compiles an uploaded network (spooled to a file: GeoJSON, .osm, .osm.gz or .osm.pbf) into a graph
 * file, in an import process (import-process.ts): a city of tens of megabytes takes seconds of
 * CPU, which must not stall the requests the server is answering meanwhile.
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

/** Runs in the import process (or directly, e.g. from the CLI). */
export async function importNetworkFile(source: string, out: string): Promise<ImportedNetwork> {
  const started = performance.now();
  const graph = await readNetwork(source);
  const { bytes } = writeGraphFile(out, graph);
  return { graphFile: out, graphBytes: bytes, nodes: graph.nodeCount, edges: graph.edgeCount, bbox: graph.meta.bbox, report: graph.meta.report, ms: Math.round(performance.now() - started) };
}

/** Compiles `source` into `out` in an import process, within `limits`; InputErrors come back as InputErrors. */
export function importNetworkInProcess(source: string, out: string, limits: ImportLimits = DEFAULT_IMPORT_LIMITS): Promise<ImportedNetwork> {
  statSync(source); // fail here, with the path, if the spooled upload is gone
  return runImport({ kind: 'network', source, out }, limits);
}
