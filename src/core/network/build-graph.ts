import { InputError } from '../errors.ts';
import { haversineM } from '../geo/distance.ts';
import { connectedComponents } from './components.ts';
import { compileGraph } from './compile.ts';
import type { Graph, ImportReport } from './graph.ts';
import { GrowableFloat64, GrowableUint32, GrowableUint8 } from './growable.ts';
import { interpretWay } from './profiles.ts';
import type { LineSink, RawLine, RejectedInput } from './raw-line.ts';
import { VertexTable } from './vertex-table.ts';

export interface BuildOptions {
  /** Named in the report and the graph file. */
  source?: string;
  /**
   * Connected pieces with fewer nodes are dropped (and reported). Default: min(20, 1% of all nodes),
   * so that a small hand-made network keeps all of its pieces.
   */
  minComponentNodes?: number;
}

const MAX_EXAMPLES = 20;

/**
 * Collects lines from any reader (it is their LineSink), then compiles the routing graph: vertices
 * shared by several lines (or ending one) become nodes, lines are split there into edges, small
 * disconnected pieces are dropped, and everything is packed into typed arrays.
 */
export class GraphBuilder implements LineSink {
  private readonly vertices = new VertexTable();
  /** How often each vertex is used; line ends count twice so they always become nodes. */
  private use = new Uint8Array(1 << 16);
  private readonly lineStart = new GrowableUint32();
  private readonly lineVertices = new GrowableUint32();
  private readonly lineClass = new GrowableUint8();
  private readonly lineMaxspeed = new GrowableUint8();
  private readonly lineAccess = new GrowableUint8();
  private readonly lineName = new GrowableUint32();
  private readonly lineLength = new GrowableFloat64();
  private readonly names: string[] = [''];
  private readonly nameIndex = new Map<string, number>([['', 0]]);
  private readonly started = performance.now();
  private linesRead = 0;
  private rejected = 0;
  private readonly dropped: Record<string, number> = {};
  private readonly examples: { ref: string; reason: string }[] = [];

  constructor(private readonly opts: BuildOptions = {}) {}

  addLine(line: RawLine): void {
    this.linesRead++;
    const attrs = interpretWay(line.tags);
    if ('dropped' in attrs) {
      this.dropped[attrs.dropped] = (this.dropped[attrs.dropped] ?? 0) + 1;
      this.example(line.ref, attrs.dropped);
      return;
    }
    const n = line.coords.length / 2;
    const first = this.lineVertices.length;
    let previous = -1;
    for (let i = 0; i < n; i++) {
      const lon = line.coords[2 * i];
      const lat = line.coords[2 * i + 1];
      const v = line.nodeIds ? this.vertices.atNodeId(line.nodeIds[i], lon, lat) : this.vertices.atCoordinate(lon, lat);
      if (v === previous) continue;
      this.lineVertices.push(v);
      previous = v;
    }
    const count = this.lineVertices.length - first;
    if (count < 2) {
      this.lineVertices.length = first;
      this.reject({ ref: line.ref, reason: 'fewer than two distinct points' });
      return;
    }
    this.countUse(this.lineVertices.array, first, count);
    this.lineStart.push(first);
    this.lineClass.push(attrs.roadClass);
    this.lineMaxspeed.push(attrs.maxspeedKmh);
    for (const dirs of attrs.access) this.lineAccess.push(dirs);
    this.lineName.push(this.nameId(line.tags.name));
    this.lineLength.push(line.lengthM !== undefined && line.lengthM > 0 ? line.lengthM : NaN);
  }

  reject(rejected: RejectedInput): void {
    this.rejected++;
    this.example(rejected.ref, rejected.reason);
  }

  /** Compiles the graph. Throws EMPTY_NETWORK when no usable road is left. */
  finish(): Graph {
    const lineCount = this.lineStart.length;
    this.lineStart.push(this.lineVertices.length);
    const pieces = this.splitAtJunctions(lineCount);
    if (pieces.edgeCount === 0) {
      throw new InputError('EMPTY_NETWORK', `network: no usable road in ${this.linesRead} line(s)${this.summaryOfDrops()}`, { where: 'network' });
    }
    const components = connectedComponents(this.vertices.count, pieces.from, pieces.to, pieces.edgeCount);
    const totalNodes = components.nodeCount;
    const minNodes = this.opts.minComponentNodes ?? Math.min(20, Math.floor(totalNodes * 0.01));
    const keepComponent = components.sizes.map((size, c) => c === components.largest || size >= minNodes);

    const graph = compileGraph({
      vertexCoords: this.vertices.coords,
      vertexCount: this.vertices.count,
      pieces,
      keepEdge: (e) => keepComponent[components.ofVertex[pieces.from[e]]],
      names: this.names,
      source: this.opts.source ?? 'inline',
    });

    let droppedComponents = 0;
    let droppedNodes = 0;
    let droppedEdges = 0;
    for (let c = 0; c < components.sizes.length; c++) {
      if (keepComponent[c]) continue;
      droppedComponents++;
      droppedNodes += components.sizes[c];
      droppedEdges += components.edgeCounts[c];
    }
    const report: ImportReport = {
      source: this.opts.source ?? 'inline',
      linesRead: this.linesRead,
      linesUsed: lineCount,
      linesDropped: this.dropped,
      rejected: this.rejected,
      examples: this.examples,
      vertices: this.vertices.count,
      nodes: graph.nodeCount,
      edges: graph.edgeCount,
      lengthKm: round(sum(graph.edgeLength) / 1000, 3),
      components: {
        count: components.sizes.length,
        largest: {
          nodes: components.sizes[components.largest],
          edges: components.edgeCounts[components.largest],
          shareOfEdges: round(components.edgeCounts[components.largest] / pieces.edgeCount, 4),
        },
        dropped: { components: droppedComponents, nodes: droppedNodes, edges: droppedEdges, minNodes },
      },
      byMode: graph.meta.report.byMode,
      buildMs: Math.round(performance.now() - this.started),
    };
    graph.meta.report = report;
    return graph;
  }

  private splitAtJunctions(lineCount: number): EdgePieces {
    const use = this.use;
    const verts = this.lineVertices.array;
    const starts = this.lineStart.array;
    const from = new GrowableUint32();
    const to = new GrowableUint32();
    const geomStart = new GrowableUint32();
    const geomVertices = new GrowableUint32();
    const length = new GrowableFloat64();
    const line = new GrowableUint32();
    const coords = this.vertices.coords;
    for (let l = 0; l < lineCount; l++) {
      const a = starts[l];
      const b = starts[l + 1];
      const given = this.lineLength.array[l];
      const scale = Number.isNaN(given) ? 1 : given / geometricLength(coords, verts, a, b);
      let pieceStart = a;
      let pieceLength = 0;
      for (let i = a + 1; i < b; i++) {
        const v = verts[i];
        const u = verts[i - 1];
        pieceLength += haversineM(coords[2 * u], coords[2 * u + 1], coords[2 * v], coords[2 * v + 1]);
        if (use[v] < 2 && i < b - 1) continue;
        from.push(verts[pieceStart]);
        to.push(v);
        geomStart.push(geomVertices.length);
        for (let k = pieceStart; k <= i; k++) geomVertices.push(verts[k]);
        length.push(pieceLength * scale);
        line.push(l);
        pieceStart = i;
        pieceLength = 0;
      }
    }
    geomStart.push(geomVertices.length);
    return {
      edgeCount: from.length,
      from: from.array,
      to: to.array,
      geomStart: geomStart.array,
      geomVertices: geomVertices.array,
      length: length.array,
      line: line.array,
      lineClass: this.lineClass.array,
      lineMaxspeed: this.lineMaxspeed.array,
      lineAccess: this.lineAccess.array,
      lineName: this.lineName.array,
    };
  }

  private countUse(verts: Uint32Array, first: number, count: number): void {
    if (this.vertices.count > this.use.length) {
      let size = this.use.length;
      while (size < this.vertices.count) size *= 2;
      const grown = new Uint8Array(size);
      grown.set(this.use);
      this.use = grown;
    }
    const use = this.use;
    for (let i = first; i < first + count; i++) {
      const v = verts[i];
      const isEnd = i === first || i === first + count - 1;
      use[v] = Math.min(255, use[v] + (isEnd ? 2 : 1));
    }
  }

  private nameId(name: string | undefined): number {
    if (!name) return 0;
    let id = this.nameIndex.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.nameIndex.set(name, id);
    }
    return id;
  }

  private example(ref: string, reason: string): void {
    if (this.examples.length < MAX_EXAMPLES) this.examples.push({ ref, reason });
  }

  private summaryOfDrops(): string {
    const reasons = Object.entries(this.dropped).map(([reason, n]) => `${n} × ${reason}`);
    if (this.rejected > 0) reasons.push(`${this.rejected} rejected (${this.examples[0]?.reason ?? ''})`);
    return reasons.length > 0 ? `: ${reasons.join('; ')}` : '';
  }
}

/** Lines split at nodes: the edges before compilation, in vertex ids. */
export interface EdgePieces {
  edgeCount: number;
  from: Uint32Array;
  to: Uint32Array;
  geomStart: Uint32Array;
  geomVertices: Uint32Array;
  length: Float64Array;
  /** The line each piece came from, for its attributes. */
  line: Uint32Array;
  lineClass: Uint8Array;
  lineMaxspeed: Uint8Array;
  /** Line l's access for mode m at l * MODES.length + m (bit 0 along, bit 1 against). */
  lineAccess: Uint8Array;
  lineName: Uint32Array;
}

function geometricLength(coords: Float64Array, verts: Uint32Array, a: number, b: number): number {
  let length = 0;
  for (let i = a + 1; i < b; i++) {
    const u = verts[i - 1];
    const v = verts[i];
    length += haversineM(coords[2 * u], coords[2 * u + 1], coords[2 * v], coords[2 * v + 1]);
  }
  return length;
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
