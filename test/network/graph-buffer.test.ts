import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutGraph } from '../../src/runtime/distributed/sub-graph.ts';
import { readGraphFile, writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { GRAPH_FILE_MAGIC, GRAPH_FILE_VERSION, graphFromBuffer } from '../../src/core/io/graph-format.ts';
import { type Graph, GRAPH_SECTIONS, SECTION_NAMES, type SectionSpec } from '../../src/core/network/graph.ts';
import { graphFromParts, graphLayout, graphParts, sharedGraphParts } from '../../src/core/network/graph-buffer.ts';
import { MODES } from '../../src/core/network/profiles.ts';
import { graphOf } from '../helpers/build.ts';
import { randomNetwork } from '../helpers/random-network.ts';

const graph = graphOf(randomNetwork(17, 120).network);
const counts = { nodes: graph.nodeCount, edges: graph.edgeCount, points: graph.geom.length / 2 };

/** Every section and the index, compared value by value (names through the edges that use them). */
function expectSameGraph(actual: Graph, expected: Graph) {
  expect([actual.nodeCount, actual.edgeCount]).toEqual([expected.nodeCount, expected.edgeCount]);
  for (const name of SECTION_NAMES) {
    if (name === 'edgeName') continue;
    expect(Array.from(actual[name]), name).toEqual(Array.from(expected[name]));
  }
  expect(Array.from(actual.edgeName, (n) => actual.names[n])).toEqual(Array.from(expected.edgeName, (n) => expected.names[n]));
  const everything = [-1e12, -1e12, 1e12, 1e12] as const;
  expect(actual.index.search(...everything)).toEqual(expected.index.search(...everything));
}

describe('the graph as one buffer', () => {
  it('lays every section out from the counts: the declared length, 8-byte aligned, in order, not overlapping', () => {
    const layout = graphLayout(counts);
    let end = 0;
    for (const name of SECTION_NAMES) {
      const spec: SectionSpec = GRAPH_SECTIONS[name];
      const array = graph[name];
      expect(array.length, name).toBe(spec.length(counts));
      expect(array).toBeInstanceOf(spec.type);
      expect(array.buffer, `${name} is a view of the graph's buffer`).toBe(graph.bytes.buffer);
      const offset = array.byteOffset - graph.bytes.byteOffset;
      expect(offset, name).toBe(layout.offsets[name]);
      expect(offset % 8, name).toBe(0);
      expect(offset, `${name} starts after the previous section`).toBeGreaterThanOrEqual(end);
      end = offset + array.byteLength;
    }
    // The spatial index is the last section of the same buffer.
    expect(graph.index.data).toBe(graph.bytes.buffer);
    expect(graph.index.byteOffset - graph.bytes.byteOffset).toBe(layout.indexOffset);
    expect(layout.indexOffset).toBeGreaterThanOrEqual(end);
    expect(graph.bytes.byteLength).toBe(layout.totalBytes);
  });

  it('stores a byte of access per edge and travel mode', () => {
    expect(graph.edgeAccess.length).toBe(graph.edgeCount * MODES.length);
    expect(graph.edgeAccess.every((dirs) => dirs <= 3)).toBe(true);
  });

  it('wraps its parts again without a copy, after structured clone too, and in shared memory', () => {
    const parts = graphParts(graph);
    const again = graphFromParts(parts);
    expect(again.arcHead.buffer).toBe(graph.bytes.buffer);
    expectSameGraph(again, graph);
    expectSameGraph(graphFromParts(structuredClone(parts)), graph);

    const shared = sharedGraphParts(graph);
    expect(shared.bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const cloned = graphFromParts(structuredClone(shared));
    expect(cloned.geom.buffer).toBeInstanceOf(SharedArrayBuffer);
    // The clone is a view of the same memory, not a copy: a write shows through.
    cloned.nodeCoords[0] += 1;
    expect(graphFromParts(shared).nodeCoords[0]).toBe(graph.nodeCoords[0] + 1);
    cloned.nodeCoords[0] -= 1;
    expectSameGraph(cloned, graph);
  });

  it('a cut around everything is the whole graph: every section goes through the cut', () => {
    const [w, s, e, n] = graph.meta.bbox;
    const piece = cutGraph(graph, [[w - 0.01, s - 0.01, e + 0.01, n + 0.01]], 'all');
    expectSameGraph(piece, graph);
    expect(piece.bytes.byteLength).toBe(graph.bytes.byteLength);
  });
});

describe('graph file version 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lcg2-'));
  const path = join(dir, 'g.lcg');
  writeGraphFile(path, graph);
  const file = readFileSync(path);

  it('is the header then the graph buffer, byte for byte', () => {
    expect(file.readUInt32LE(8)).toBe(2);
    expect(GRAPH_FILE_VERSION).toBe(2);
    const base = file.byteLength - graph.bytes.byteLength;
    expect(base % 8).toBe(0);
    expect(Buffer.compare(file.subarray(base), Buffer.from(graph.bytes.buffer, graph.bytes.byteOffset, graph.bytes.byteLength))).toBe(0);
    expectSameGraph(readGraphFile(path), graph);
  });

  it('refuses a version 1 file (2 bits of access per mode), saying what to do', () => {
    const old = Buffer.from(file);
    old.writeUInt32LE(1, 8);
    expect(() => graphFromBuffer(old, 'city.lcg')).toThrow('city.lcg has graph format version 1; this build reads version 2: re-run `import` to rebuild it');
  });

  it('refuses a file built for other travel modes, and one whose sections do not match its counts', () => {
    const header = JSON.parse(file.subarray(16, 16 + file.readUInt32LE(12)).toString('utf8'));
    const base = file.byteLength - graph.bytes.byteLength;
    expect(header.modes).toEqual([...MODES]);
    expect(() => graphFromBuffer(withHeader({ ...header, modes: ['walk', 'car'] }, file.subarray(base)), 'old.lcg')).toThrow(
      `old.lcg was built for the travel modes walk, car; this build has ${MODES.join(', ')}: re-run \`import\` to rebuild it`,
    );
    expect(() => graphFromBuffer(withHeader({ ...header, edgeCount: header.edgeCount + 1 }, file.subarray(base)), 'bad.lcg')).toThrow(/bad.lcg: graph file sections do not match the counts in its header/);
  });
});

/** A graph file with this header (its totalBytes settled) and this buffer. */
function withHeader(header: Record<string, unknown>, bytes: Uint8Array): Buffer {
  let json = Buffer.from('');
  let base = 0;
  for (let i = 0; i < 3; i++) {
    base = Math.ceil((16 + json.byteLength) / 8) * 8;
    json = Buffer.from(JSON.stringify({ ...header, totalBytes: base + bytes.byteLength }));
  }
  const prefix = Buffer.alloc(base);
  prefix.write(GRAPH_FILE_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(GRAPH_FILE_VERSION, 8);
  prefix.writeUInt32LE(json.byteLength, 12);
  json.copy(prefix, 16);
  expect(prefix.byteLength).toBe(Math.ceil((16 + json.byteLength) / 8) * 8);
  return Buffer.concat([prefix, bytes]);
}
