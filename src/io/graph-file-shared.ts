import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { InputError } from '../errors.ts';
import type { Graph } from '../network/graph.ts';
import { graphFromBuffer } from './graph-file.ts';

/**
 * A graph file read straight into one SharedArrayBuffer: the graph's typed arrays are views of it, so
 * worker threads (src/coverage/city-wide) can search it without a copy — on a 1M-edge city that is
 * 150 MB not duplicated. Otherwise the same as `readGraphFile`.
 */
export function readGraphFileShared(path: string): Graph {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new InputError('GRAPH_FILE_CORRUPT', `cannot read graph file ${path}: ${(err as Error).message}`);
  }
  try {
    const size = fstatSync(fd).size;
    // Offset 0 of a fresh buffer: the 8-byte alignment the typed-array views need.
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size; ) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n === 0) throw new InputError('GRAPH_FILE_CORRUPT', `${path}: the file ended at byte ${at} of ${size} while being read`);
      at += n;
    }
    return graphFromBuffer(bytes, path);
  } finally {
    closeSync(fd);
  }
}
