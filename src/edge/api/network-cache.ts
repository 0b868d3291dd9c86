import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { writeGraphFile } from '../../runtime/files/graph-file.ts';
import { GRAPH_FILE_VERSION } from '../../core/io/graph-format.ts';
import { readGraphFileShared } from '../../runtime/files/graph-file-shared.ts';
import { detectFileFormat } from '../../runtime/files/detect-file-format.ts';
import { readNetwork } from '../../runtime/files/load-network.ts';
import type { Graph } from '../../core/network/graph.ts';

export interface LoadedNetwork {
  graph: Graph;
  /** A `.lcg` file holding exactly this graph (for the workers), if there is one. */
  graphFile?: string;
  /** `graph file`: given as .lcg; `cache`: compiled earlier; `compiled`: built now (and cached if possible). */
  from: 'graph file' | 'cache' | 'compiled';
  loadMs: number;
  /** Why the compiled graph could not be cached, if it could not. */
  cacheError?: string;
}

/**
 * Loads the service's default network. A `.lcg` file loads as is; any other network file is
 * compiled once and kept in `cacheDir` as `.lcg`, keyed on the source's path, size and mtime and
 * on the graph format version, so that a restart takes milliseconds instead of a re-import.
 * Graph files are read into shared memory, which the compute threads then use without a copy.
 */
export async function loadDefaultNetwork(path: string, cacheDir: string): Promise<LoadedNetwork> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  if (detectFileFormat(path) === 'lcg') {
    const graph = readGraphFileShared(path);
    return { graph, graphFile: path, from: 'graph file', loadMs: elapsed() };
  }
  const cached = cachedGraphPath(path, cacheDir);
  try {
    const graph = readGraphFileShared(cached);
    return { graph, graphFile: cached, from: 'cache', loadMs: elapsed() };
  } catch {
    // Not cached yet (or unreadable): compile below and (re)write it.
  }
  const graph = await readNetwork(path);
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeGraphFile(cached, graph);
    return { graph, graphFile: cached, from: 'compiled', loadMs: elapsed() };
  } catch (err) {
    return { graph, from: 'compiled', loadMs: elapsed(), cacheError: (err as Error).message };
  }
}

/** Where the compiled form of a network file is cached; throws if the source does not exist. */
export function cachedGraphPath(source: string, cacheDir: string): string {
  const absolute = resolve(source);
  const { size, mtimeMs } = statSync(absolute);
  const key = createHash('sha256').update(`${absolute}\0${size}\0${mtimeMs}\0v${GRAPH_FILE_VERSION}`).digest('hex').slice(0, 16);
  return join(cacheDir, `${basename(source).replace(/[^\w.-]+/g, '_')}.${key}.lcg`);
}
