import { InputError } from '../errors.ts';
import type { Graph } from '../network/graph.ts';
import { type GraphHeader, countsOf, graphFromParts, graphLayout, graphParts } from '../network/graph-buffer.ts';
import { MODES } from '../network/profiles.ts';

/**
 * The versioned binary graph file: the hand-off from import to the service. Layout:
 *
 *   "LCGRAPH\0" | u32 version | u32 header bytes | header JSON | the graph's buffer, 8-byte aligned
 *
 * The header holds the counts the buffer's layout follows from (src/core/network/graph-buffer.ts), the
 * travel modes of the access bytes, the street names and the import report. Loading reads the file
 * once and wraps the buffer's sections in typed-array views without copying (flatbush's `from`).
 * A large city loads in a few tens of milliseconds.
 *
 * Version 2: a byte of access per travel mode and edge (version 1 packed 2 bits × 4 modes in one).
 */
export const GRAPH_FILE_MAGIC = 'LCGRAPH\0';
export const GRAPH_FILE_VERSION = 2;

export interface FileHeader extends GraphHeader {
  totalBytes: number;
}

/** The graph file's bytes in memory (for a database row); `graphFromBuffer` reads them back. */
export function graphFileBytes(graph: Graph): Buffer {
  return Buffer.concat([encodeGraphFile(graph).prefix, graph.bytes]);
}

export function encodeGraphFile(graph: Graph): { prefix: Buffer; bytes: number } {
  const header: FileHeader = { ...graphParts(graph).header, totalBytes: 0 };
  // The header's own length decides where the buffer starts, and it states the total: settle both.
  let headerBytes = Buffer.from(JSON.stringify(header));
  let base = 0;
  for (let i = 0; i < 3; i++) {
    base = align8(16 + headerBytes.byteLength);
    header.totalBytes = base + graph.bytes.byteLength;
    headerBytes = Buffer.from(JSON.stringify(header));
  }
  if (align8(16 + headerBytes.byteLength) !== base) throw new Error('graph file header did not settle');

  const prefix = Buffer.alloc(base);
  prefix.write(GRAPH_FILE_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(GRAPH_FILE_VERSION, 8);
  prefix.writeUInt32LE(headerBytes.byteLength, 12);
  headerBytes.copy(prefix, 16);
  return { prefix, bytes: header.totalBytes };
}

export function graphFromBuffer(file: Uint8Array, name = 'graph'): Graph {
  if (file.byteLength < 16 || Buffer.from(file.buffer, file.byteOffset, 8).toString('latin1') !== GRAPH_FILE_MAGIC) {
    throw new InputError('GRAPH_FILE_CORRUPT', `${name} is not a lifecircle graph file (magic "${GRAPH_FILE_MAGIC.slice(0, 7)}" missing)`);
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = view.getUint32(8, true);
  if (version !== GRAPH_FILE_VERSION) {
    throw new InputError('GRAPH_FILE_VERSION', `${name} has graph format version ${version}; this build reads version ${GRAPH_FILE_VERSION}: re-run \`import\` to rebuild it`);
  }
  // Typed-array views need 8-byte aligned offsets; Node's file buffers normally are, copy if not.
  if (file.byteOffset % 8 !== 0) file = new Uint8Array(file);
  const headerLength = view.getUint32(12, true);
  let header: FileHeader;
  try {
    header = JSON.parse(Buffer.from(file.buffer, file.byteOffset + 16, headerLength).toString('utf8')) as FileHeader;
  } catch {
    throw new InputError('GRAPH_FILE_CORRUPT', `${name}: graph file header is not valid JSON`);
  }
  if (header.totalBytes !== file.byteLength) {
    throw new InputError('GRAPH_FILE_CORRUPT', `${name}: graph file is ${file.byteLength} bytes, its header says ${header.totalBytes} (truncated?)`);
  }
  if (header.modes?.join() !== MODES.join()) {
    throw new InputError('GRAPH_FILE_VERSION', `${name} was built for the travel modes ${header.modes?.join(', ')}; this build has ${MODES.join(', ')}: re-run \`import\` to rebuild it`);
  }
  const base = align8(16 + headerLength);
  // The layout follows from the counts: a file of any other size is damaged (or its counts are).
  if (base + graphLayout(countsOf(header)).totalBytes !== file.byteLength) {
    throw new InputError('GRAPH_FILE_CORRUPT', `${name}: graph file sections do not match the counts in its header (${header.nodeCount} nodes, ${header.edgeCount} edges)`);
  }
  return graphFromParts({ header, bytes: new Uint8Array(file.buffer, file.byteOffset + base, file.byteLength - base) });
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
