import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { InputError } from '../../core/errors.ts';
import type { Graph } from '../../core/network/graph.ts';
import { graphFromBuffer } from '../../core/io/graph-format.ts';

/**
 * A graph file read straight into one SharedArrayBuffer: the graph's typed arrays are views of it, so
 * worker threads (src/core/coverage/city-wide) can search it without a copy — on a 1M-edge city that is
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

/**
 * The same, read a few megabytes at a time off the event loop: a server loading a city's graph for a
 * job (150 MB on a 1M-edge city) keeps answering meanwhile.
 */
export async function readGraphFileSharedAsync(path: string): Promise<Graph> {
  let file;
  try {
    file = await open(path, 'r');
  } catch (err) {
    throw new InputError('GRAPH_FILE_CORRUPT', `cannot read graph file ${path}: ${(err as Error).message}`);
  }
  try {
    const { size } = await file.stat();
    const bytes = new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size; ) {
      const { bytesRead } = await file.read(bytes, at, Math.min(READ_CHUNK, size - at), at);
      if (bytesRead === 0) throw new InputError('GRAPH_FILE_CORRUPT', `${path}: the file ended at byte ${at} of ${size} while being read`);
      at += bytesRead;
    }
    return graphFromBuffer(bytes, path);
  } finally {
    await file.close();
  }
}

const READ_CHUNK = 8 << 20;
