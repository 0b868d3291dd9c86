import { describe, expect, it } from 'vitest';
import { graphFromOsm, loadNetworkFile } from '../../src/io/load-network.ts';
import { costingFor } from '../../src/routing/costing.ts';
import { Router } from '../../src/routing/travel-times.ts';
import { dataFile } from '../io/shared-data.ts';

/**
 * The real extracts compiled end to end. The counts were measured when the importer was written
 * and guard against regressions; the component figures are checked against SOURCE.md where it
 * gives them (Yuexiu: 354 pieces, most of them fragments cut at the district boundary).
 */
const EXTRACTS = [
  { file: 'chengdu/chengdu.osm.pbf', nodes: 3495, edges: 5052, components: 45, largestShare: 0.9618 },
  { file: 'taipei-zhongshan/taipei-zhongshan.osm', nodes: 91, edges: 123, components: 1, largestShare: 1 },
  { file: 'monaco/monaco.osm.pbf', nodes: 4006, edges: 5240, components: 27, largestShare: 0.9904 },
  { file: 'liechtenstein/liechtenstein.osm.pbf', nodes: 6136, edges: 7746, components: 22, largestShare: 0.9861 },
  { file: 'north-bayreuth-rural/north-bayreuth.osm.gz', nodes: 2765, edges: 3527, components: 12, largestShare: 0.9938 },
  { file: 'guangzhou-yuexiu/Yuexiu_osm_roads_wgs84.geojson', nodes: 4694, edges: 5882, components: 354, largestShare: 0.864 },
];

describe.each(EXTRACTS)('$file', (x) => {
  it('compiles to the known graph, reports components, and a 15-minute walk reaches a sensible area', async () => {
    const graph = await loadNetworkFile(dataFile(x.file));
    const r = graph.meta.report;
    expect(r.nodes).toBe(x.nodes);
    expect(r.edges).toBe(x.edges);
    expect(r.components.count).toBe(x.components);
    expect(r.components.largest.shareOfEdges).toBeCloseTo(x.largestShare, 3);
    expect(r.edges).toBe(graph.edgeCount);
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
    const xml = await graphFromOsm(dataFile('chengdu/chengdu.osm'));
    const pbf = await graphFromOsm(dataFile('chengdu/chengdu.osm.pbf'));
    for (const key of ['nodeCoords', 'edgeFrom', 'edgeTo', 'edgeLength', 'edgeClass', 'edgeAccess', 'edgeMaxspeed', 'geom'] as const) {
      expect(Buffer.compare(Buffer.from(xml[key].buffer, xml[key].byteOffset, xml[key].byteLength), Buffer.from(pbf[key].buffer, pbf[key].byteOffset, pbf[key].byteLength)), key).toBe(0);
    }
  });
});
