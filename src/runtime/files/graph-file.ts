import { closeSync, existsSync, openSync, readFileSync, readSync, renameSync, writeSync } from 'node:fs';
import { InputError } from '../../core/errors.ts';
import type { Graph } from '../../core/network/graph.ts';
import { GRAPH_FILE_MAGIC, encodeGraphFile, graphFromBuffer } from '../../core/io/graph-format.ts';

/** The graph file on disk: its format (magic, version, header, buffer) is src/core/io/graph-format.ts. */
export function writeGraphFile(path: string, graph: Graph): { bytes: number } {
  const { prefix, bytes } = encodeGraphFile(graph);
  // Written beside the target and renamed: a reader never sees half a file.
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, prefix);
    writeSync(fd, graph.bytes);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { bytes };
}

export function readGraphFile(path: string): Graph {
  let file: Buffer;
  try {
    file = readFileSync(path);
  } catch (err) {
    throw new InputError('GRAPH_FILE_CORRUPT', `cannot read graph file ${path}: ${(err as Error).message}`);
  }
  return graphFromBuffer(file, path);
}

/** The format version a graph file states, undefined when there is no graph file there: to tell a stale cache. */
export function graphFileVersion(path: string): number | undefined {
  if (!existsSync(path)) return undefined;
  const head = Buffer.alloc(12);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, head, 0, 12, 0) < 12) return undefined;
  } finally {
    closeSync(fd);
  }
  return head.toString('latin1', 0, 8) === GRAPH_FILE_MAGIC ? head.readUInt32LE(8) : undefined;
}
