/**
 * Benchmark child: import one network (OSM or GeoJSON) and write its graph file, alone in its
 * process so that peak memory is the import's own. Prints one JSON line.
 */
import { statSync } from 'node:fs';
import { writeGraphFile } from '../../src/runtime/files/graph-file.ts';
import { readNetwork } from '../../src/runtime/files/load-network.ts';
import { maxRssMB, round } from './stats.ts';

const [source, out] = process.argv.slice(2);
const t0 = performance.now();
const graph = await readNetwork(source);
const importMs = performance.now() - t0;
const t1 = performance.now();
writeGraphFile(out, graph);
const writeMs = performance.now() - t1;
const r = graph.meta.report;
console.log(JSON.stringify({
  source,
  sourceMB: round(statSync(source).size / 1048576, 1),
  importMs: Math.round(importMs),
  writeMs: Math.round(writeMs),
  graphFileMB: round(statSync(out).size / 1048576, 1),
  peakRssMB: maxRssMB(),
  vertices: r.vertices,
  nodes: r.nodes,
  edges: r.edges,
  lengthKm: r.lengthKm,
  components: r.components.count,
  largestComponentShare: r.components.largest.shareOfEdges,
  droppedSmallComponents: r.components.dropped.components,
}));
