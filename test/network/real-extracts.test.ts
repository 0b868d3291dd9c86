import { describe, expect, it } from 'vitest';
import { readNetwork } from '../../src/runtime/files/load-network.ts';
import { graphFromOsm } from '../../src/core/io/build-network.ts';
import { costingFor } from '../../src/core/routing/costing.ts';
import { Router } from '../../src/core/routing/travel-times.ts';
import type { Graph } from '../../src/core/network/graph.ts';
import { dataFile } from '../io/shared-data.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

/**
 * The real extracts compiled end to end. Nothing here is a count the importer once printed: the
 * component report is recomputed from the graph's own edges by a union–find written here, and
 * Yuexiu's 354 pieces are what its SOURCE.md measured with other tools (most of them fragments cut
 * at the district boundary).
 */
const EXTRACTS: { file: string; components?: number }[] = [
  { file: 'chengdu/chengdu.osm.pbf' },
  { file: 'taipei-zhongshan/taipei-zhongshan.osm' },
  { file: 'monaco/monaco.osm.pbf' },
  { file: 'liechtenstein/liechtenstein.osm.pbf' },
  { file: 'north-bayreuth-rural/north-bayreuth.osm.gz' },
  { file: 'guangzhou-yuexiu/Yuexiu_osm_roads_wgs84.geojson', components: 354 },
];

/** Connected components of the compiled graph's edges (every edge, whatever its access), by union–find. */
function componentsOf(graph: Graph): { count: number; largestEdges: number } {
  const parent = Int32Array.from({ length: graph.nodeCount }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (let e = 0; e < graph.edgeCount; e++) parent[find(graph.edgeFrom[e])] = find(graph.edgeTo[e]);
  const edges = new Map<number, number>();
  for (let e = 0; e < graph.edgeCount; e++) {
    const root = find(graph.edgeFrom[e]);
    edges.set(root, (edges.get(root) ?? 0) + 1);
  }
  return { count: edges.size, largestEdges: Math.max(...edges.values()) };
}

describe.each(EXTRACTS)('$file', (x) => {
  it('compiles to a graph whose component report a union–find confirms, and a 15-minute walk reaches a sensible area', async () => {
    const graph = await readNetwork(dataFile(x.file));
    const r = graph.meta.report;
    expect(r.edges).toBe(graph.edgeCount);
    expect(graph.edgeCount).toBeGreaterThan(100);
    // The report counts the pieces before the small ones are dropped; the graph keeps the rest.
    const truth = componentsOf(graph);
    const { count, largest, dropped } = r.components;
    expect(truth.count).toBe(count - dropped.components);
    expect(truth.largestEdges).toBe(largest.edges);
    expect(largest.shareOfEdges).toBeCloseTo(largest.edges / (graph.edgeCount + dropped.edges), 3);
    if (x.components !== undefined) expect(r.components.count).toBe(x.components);
    // Lengths are finite and non-negative (distinct OSM nodes at one position give zero-length links).
    for (let e = 0; e < graph.edgeCount; e++) if (!(graph.edgeLength[e] >= 0 && graph.edgeLength[e] < 1e6)) throw new Error(`edge ${e} has length ${graph.edgeLength[e]}`);
    // From the middle node of the graph, a 15-minute walk at 4.5 km/h never goes beyond 1,125 m of path.
    const costing = costingFor(graph, { mode: 'walk' });
    const router = new Router(graph);
    const seeds = [{ edge: graph.arcEdge[graph.arcOffsets[Math.floor(graph.nodeCount / 2)]] >>> 1, fraction: 0.5, accessS: 0, accessM: 0 }];
    const search = router.searchFrom(costing, seeds, 900);
    for (let i = 0; i < search.settledCount; i++) expect(search.meters[search.settled[i]]).toBeLessThanOrEqual(1125 + 1e-6);
  });
});

describe('the same data in two encodings', () => {
  it('Chengdu .osm and .osm.pbf compile to identical graphs', async () => {
    const xml = await graphFromOsm(fileBytes(dataFile('chengdu/chengdu.osm')));
    const pbf = await graphFromOsm(fileBytes(dataFile('chengdu/chengdu.osm.pbf')));
    for (const key of ['nodeCoords', 'edgeFrom', 'edgeTo', 'edgeLength', 'edgeClass', 'edgeAccess', 'edgeMaxspeed', 'geom'] as const) {
      expect(Buffer.compare(Buffer.from(xml[key].buffer, xml[key].byteOffset, xml[key].byteLength), Buffer.from(pbf[key].buffer, pbf[key].byteOffset, pbf[key].byteLength)), key).toBe(0);
    }
  });
});
