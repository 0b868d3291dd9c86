import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import Flatbush from 'flatbush';
import { InputError } from '../errors.ts';
import type { Graph, GraphMeta } from '../network/graph.ts';

/**
 * The versioned binary graph file: the hand-off from import to the service. Layout:
 *
 *   "LCGRAPH\0" | u32 version | u32 header bytes | header JSON | sections, each 8-byte aligned
 *
 * The header lists every typed-array section (name, type, byte offset, length). Loading reads the
 * file once and wraps each section in a typed-array view without copying; the spatial index is a
 * Flatbush buffer wrapped with `Flatbush.from`. A large city loads in a few tens of milliseconds.
 */
export const GRAPH_FILE_MAGIC = 'LCGRAPH\0';
export const GRAPH_FILE_VERSION = 1;

const ARRAY_SECTIONS = [
  ['nodeCoords', Float64Array],
  ['edgeFrom', Uint32Array],
  ['edgeTo', Uint32Array],
  ['edgeLength', Float64Array],
  ['edgeClass', Uint8Array],
  ['edgeMaxspeed', Uint8Array],
  ['edgeAccess', Uint8Array],
  ['edgeName', Uint32Array],
  ['edgeGeomStart', Uint32Array],
  ['geom', Float64Array],
  ['arcOffsets', Uint32Array],
  ['arcHead', Uint32Array],
  ['arcEdge', Uint32Array],
  ['arcTwin', Uint32Array],
  ['edgeArc', Uint32Array],
  ['segEdge', Uint32Array],
] as const;

type ArrayName = (typeof ARRAY_SECTIONS)[number][0];
type TypedArray = Float64Array | Uint32Array | Uint8Array;

interface Section {
  name: string;
  offset: number;
  bytes: number;
}

interface Header {
  nodeCount: number;
  edgeCount: number;
  names: string[];
  meta: GraphMeta;
  sections: Section[];
  totalBytes: number;
}

export function writeGraphFile(path: string, graph: Graph): { bytes: number } {
  const { prefix, chunks, bytes } = encodeGraphFile(graph);
  // Written beside the target and renamed: a reader never sees half a file.
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, prefix);
    for (const chunk of chunks) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  return { bytes };
}

/** The graph file's bytes in memory (for a database row); `graphFromBuffer` reads them back. */
export function graphFileBytes(graph: Graph): Buffer {
  const { prefix, chunks } = encodeGraphFile(graph);
  return Buffer.concat([prefix, ...chunks]);
}

function encodeGraphFile(graph: Graph): { prefix: Buffer; chunks: Uint8Array[]; bytes: number } {
  const chunks: Uint8Array[] = [];
  const sections: Section[] = [];
  let offset = 0; // relative to the start of the section area
  const addSection = (name: string, bytes: Uint8Array) => {
    sections.push({ name, offset, bytes: bytes.byteLength });
    chunks.push(bytes);
    offset += bytes.byteLength;
    const pad = (8 - (offset % 8)) % 8;
    if (pad) {
      chunks.push(new Uint8Array(pad));
      offset += pad;
    }
  };
  for (const [name] of ARRAY_SECTIONS) {
    const array = graph[name] as TypedArray;
    addSection(name, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  }
  addSection('index', new Uint8Array(graph.index.data as ArrayBuffer, graph.index.byteOffset, indexByteLength(graph.index)));

  // The header's own length decides where sections start: compute offsets relative, fix up after.
  const header: Header = { nodeCount: graph.nodeCount, edgeCount: graph.edgeCount, names: graph.names, meta: graph.meta, sections, totalBytes: 0 };
  let headerBytes = Buffer.from(JSON.stringify(header));
  let base = 0;
  for (let i = 0; i < 3; i++) {
    base = align8(16 + headerBytes.byteLength);
    header.sections = sections.map((s) => ({ ...s, offset: s.offset + base }));
    header.totalBytes = base + offset;
    headerBytes = Buffer.from(JSON.stringify(header));
  }
  if (align8(16 + headerBytes.byteLength) !== base) throw new Error('graph file header did not settle');

  const prefix = Buffer.alloc(base);
  prefix.write(GRAPH_FILE_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(GRAPH_FILE_VERSION, 8);
  prefix.writeUInt32LE(headerBytes.byteLength, 12);
  headerBytes.copy(prefix, 16);
  return { prefix, chunks, bytes: header.totalBytes };
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
  let header: Header;
  try {
    header = JSON.parse(Buffer.from(file.buffer, file.byteOffset + 16, headerLength).toString('utf8')) as Header;
  } catch {
    throw new InputError('GRAPH_FILE_CORRUPT', `${name}: graph file header is not valid JSON`);
  }
  if (header.totalBytes !== file.byteLength) {
    throw new InputError('GRAPH_FILE_CORRUPT', `${name}: graph file is ${file.byteLength} bytes, its header says ${header.totalBytes} (truncated?)`);
  }
  const byName = new Map(header.sections.map((s) => [s.name, s]));
  const arrays = {} as Record<ArrayName, TypedArray>;
  for (const [sectionName, Type] of ARRAY_SECTIONS) {
    const s = byName.get(sectionName);
    if (!s) throw new InputError('GRAPH_FILE_CORRUPT', `${name}: section ${sectionName} is missing`);
    arrays[sectionName] = new Type(file.buffer as ArrayBuffer, file.byteOffset + s.offset, s.bytes / Type.BYTES_PER_ELEMENT);
  }
  const indexSection = byName.get('index');
  if (!indexSection) throw new InputError('GRAPH_FILE_CORRUPT', `${name}: section index is missing`);
  const index = Flatbush.from(file.buffer as ArrayBuffer, file.byteOffset + indexSection.offset);
  return {
    nodeCount: header.nodeCount,
    edgeCount: header.edgeCount,
    ...(arrays as unknown as Pick<Graph, ArrayName>),
    index,
    names: header.names,
    meta: header.meta,
  };
}

function indexByteLength(index: Flatbush): number {
  return (index.data as ArrayBuffer).byteLength - index.byteOffset;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
