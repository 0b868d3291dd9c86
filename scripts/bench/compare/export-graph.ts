/**
 * Writes one compiled graph as the edge list other engines read (pgRouting's id, source, target,
 * cost, reverse_cost; networkx reads the same CSV), with walking times in seconds, and the origins
 * as node ids (each origin's nearest end of its snapped edge). Same network, same origins, for all.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGraphFile } from '../../../src/io/graph-file.ts';
import { costingFor, edgeCost } from '../../../src/routing/costing.ts';
import { locatePoints } from '../../../src/routing/locate.ts';

const [graphPath, originsPath, outDir, countArg] = process.argv.slice(2);
const graph = readGraphFile(graphPath);
const costing = costingFor(graph, { mode: 'walk' });
const lines = ['id,source,target,cost,reverse_cost'];
for (let e = 0; e < graph.edgeCount; e++) {
  const along = edgeCost(costing, e, 0);
  const against = edgeCost(costing, e, 1);
  if (along === Infinity && against === Infinity) continue;
  // pgRouting's convention: a negative cost means "no way in this direction"; ids start at 1.
  lines.push(`${e + 1},${graph.edgeFrom[e] + 1},${graph.edgeTo[e] + 1},${along === Infinity ? -1 : along.toFixed(4)},${against === Infinity ? -1 : against.toFixed(4)}`);
}
writeFileSync(join(outDir, 'edges.csv'), lines.join('\n') + '\n');
const origins = locatePoints(costing, JSON.parse(readFileSync(originsPath, 'utf8')), { what: 'origins' }).filter((o) => o.snap);
const count = Number(countArg ?? 200);
const nodes = origins.slice(0, count).map((o) => (o.snap!.fraction < 0.5 ? graph.edgeFrom[o.snap!.edge] : graph.edgeTo[o.snap!.edge]) + 1);
writeFileSync(join(outDir, 'origins.csv'), nodes.join('\n') + '\n');
console.log(JSON.stringify({ edges: lines.length - 1, origins: nodes.length }));
