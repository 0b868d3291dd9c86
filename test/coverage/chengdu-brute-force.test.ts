import { beforeAll, describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { LocalProjection } from '../../src/core/geo/local-projection.ts';
import { haversineM } from '../../src/core/geo/distance.ts';
import { graphFromOsm } from '../../src/core/io/build-network.ts';
import { readOsmPois } from '../../src/core/io/osm/read-pois.ts';
import type { Graph } from '../../src/core/network/graph.ts';
import { coverage, type CoverageResponse } from '../../src/runtime/requests/coverage.ts';
import { costingFor, edgeCost } from '../../src/core/routing/costing.ts';
import { getStandard } from '../../src/runtime/files/standards-catalogue.ts';
import { dataFile } from '../io/shared-data.ts';
import { fileBytes } from '../../src/runtime/files/file-bytes.ts';

/**
 * Central Chengdu end to end: the 186 residential landuse polygons as urban communities, the OSM
 * points of interest as facilities through the built-in mapping, the urban basic 15-minute walk.
 * Every place item's status is checked against a computation written here from scratch: snapping by
 * scanning every segment, a plain Dijkstra over an adjacency list, times to every facility.
 */
const BUDGET_S = 15 * 60;
let graph: Graph;
let response: CoverageResponse;
let communities: ReturnType<typeof readCommunities>['communities'];
let facilities: ReturnType<typeof readFacilities>['facilities'];

beforeAll(async () => {
  const file = dataFile('chengdu/chengdu.osm.pbf');
  graph = await graphFromOsm(fileBytes(file));
  const pois = await readOsmPois(fileBytes(file));
  const residential = { ...pois.residential, features: pois.residential.features.map((f) => ({ ...f, properties: { ...f.properties, type: 'urban' } })) };
  communities = readCommunities(residential).communities;
  facilities = readFacilities(pois.facilities).facilities;
  response = coverage({ communities: residential, facilities: pois.facilities, standards: ['guangzhou-2020-urban-basic'], origin: 'representative' }, { defaultGraph: graph }).response;
});

interface Placed {
  edge: number;
  fraction: number;
  distanceM: number;
  /** Distance to the second-nearest usable edge: a near tie would make the comparison flaky. */
  runnerUpM: number;
}

describe('Chengdu coverage against an independent brute force', () => {
  it('agrees on every place item of every community', () => {
    const costing = costingFor(graph, { mode: 'walk' });
    const walkMps = 4.5 / 3.6;
    const usable = (e: number) => edgeCost(costing, e, 0) < Infinity || edgeCost(costing, e, 1) < Infinity;
    const proj = new LocalProjection(graph.meta.projectionLat);

    // Snap by scanning every segment of every usable edge.
    const place = (lon: number, lat: number): Placed | null => {
      let best: Placed | null = null;
      let runnerUp = Infinity;
      const x = proj.x(lon);
      const y = proj.y(lat);
      for (let e = 0; e < graph.edgeCount; e++) {
        if (!usable(e)) continue;
        const start = graph.edgeGeomStart[e];
        const end = graph.edgeGeomStart[e + 1];
        let edgeBest = Infinity;
        let along = 0;
        let total = 0;
        let bestAlong = 0;
        for (let p = start; p < end - 1; p++) {
          const [lon0, lat0, lon1, lat1] = [graph.geom[2 * p], graph.geom[2 * p + 1], graph.geom[2 * p + 2], graph.geom[2 * p + 3]];
          const ax = proj.x(lon0), ay = proj.y(lat0), bx = proj.x(lon1), by = proj.y(lat1);
          const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
          const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / len2));
          const d = Math.hypot(ax + (bx - ax) * t - x, ay + (by - ay) * t - y);
          const segLen = haversineM(lon0, lat0, lon1, lat1);
          if (d < edgeBest) {
            edgeBest = d;
            bestAlong = along + t * segLen;
          }
          along += segLen;
          total += segLen;
        }
        if (!best || edgeBest < best.distanceM) {
          if (best) runnerUp = Math.min(runnerUp, best.distanceM);
          best = { edge: e, fraction: total > 0 ? bestAlong / total : 0, distanceM: edgeBest, runnerUpM: Infinity };
        } else runnerUp = Math.min(runnerUp, edgeBest);
      }
      if (!best || best.distanceM > 500) return null;
      best.runnerUpM = runnerUp;
      return best;
    };

    // Adjacency lists, and a plain Dijkstra from several seeds.
    const adjacency: { to: number; seconds: number }[][] = Array.from({ length: graph.nodeCount }, () => []);
    for (let e = 0; e < graph.edgeCount; e++) {
      const along = edgeCost(costing, e, 0);
      const against = edgeCost(costing, e, 1);
      if (along < Infinity) adjacency[graph.edgeFrom[e]].push({ to: graph.edgeTo[e], seconds: along });
      if (against < Infinity) adjacency[graph.edgeTo[e]].push({ to: graph.edgeFrom[e], seconds: against });
    }
    const dijkstra = (seeds: [number, number][]): Float64Array => {
      const dist = new Float64Array(graph.nodeCount).fill(Infinity);
      const heap: [number, number][] = [];
      const push = (item: [number, number]) => {
        heap.push(item);
        for (let i = heap.length - 1; i > 0; ) {
          const p = (i - 1) >> 1;
          if (heap[p][0] <= heap[i][0]) break;
          [heap[p], heap[i]] = [heap[i], heap[p]];
          i = p;
        }
      };
      const pop = (): [number, number] => {
        const top = heap[0];
        const last = heap.pop()!;
        if (heap.length > 0) {
          heap[0] = last;
          for (let i = 0; ; ) {
            const l = 2 * i + 1, r = l + 1;
            let m = i;
            if (l < heap.length && heap[l][0] < heap[m][0]) m = l;
            if (r < heap.length && heap[r][0] < heap[m][0]) m = r;
            if (m === i) break;
            [heap[m], heap[i]] = [heap[i], heap[m]];
            i = m;
          }
        }
        return top;
      };
      for (const [node, t] of seeds) if (t < dist[node]) { dist[node] = t; push([t, node]); }
      while (heap.length > 0) {
        const [t, u] = pop();
        if (t > dist[u]) continue;
        for (const { to, seconds } of adjacency[u]) if (t + seconds < dist[to]) { dist[to] = t + seconds; push([t + seconds, to]); }
      }
      return dist;
    };

    // A facility is reached at any of its entrances (for a polygon: points along its outline).
    const placedFacilities = facilities.map((f) =>
      (f.entrances ?? [[f.lon, f.lat]]).map(([lon, lat]) => place(lon, lat)).filter((p): p is Placed => p !== null),
    );
    const standard = getStandard('guangzhou-2020-urban-basic');
    let compared = 0;
    let skipped = 0;
    communities.forEach((community, ci) => {
      const origins = community.origins.map(([lon, lat]) => place(lon, lat)).filter((p): p is Placed => p !== null);
      const report = response.communities[ci];
      expect(report.id).toBe(community.id);
      if (origins.length === 0 || origins.some((o) => o.runnerUpM - o.distanceM < 0.5)) {
        skipped++;
        return;
      }
      const seeds: [number, number][] = [];
      for (const o of origins) {
        const access = o.distanceM / walkMps;
        const along = edgeCost(costing, o.edge, 0);
        const against = edgeCost(costing, o.edge, 1);
        if (along < Infinity) seeds.push([graph.edgeTo[o.edge], access + (1 - o.fraction) * along]);
        if (against < Infinity) seeds.push([graph.edgeFrom[o.edge], access + o.fraction * against]);
      }
      const dist = dijkstra(seeds);
      const timeTo = (f: Placed): number => {
        const along = edgeCost(costing, f.edge, 0);
        const against = edgeCost(costing, f.edge, 1);
        let t = Math.min(dist[graph.edgeFrom[f.edge]] + f.fraction * along, dist[graph.edgeTo[f.edge]] + (1 - f.fraction) * against);
        for (const o of origins) {
          if (o.edge !== f.edge) continue;
          const d = f.fraction - o.fraction;
          t = Math.min(t, o.distanceM / walkMps + (d >= 0 ? d * along : -d * against));
        }
        return t + f.distanceM / walkMps;
      };
      const result = report.standards[0];
      standard.items.forEach((item, i) => {
        if (item.kind !== 'place') return;
        let best = Infinity;
        let ambiguous = false;
        facilities.forEach((f, fi) => {
          if (!f.categories.some((c) => item.categories!.includes(c))) return;
          for (const p of placedFacilities[fi]) {
            const t = timeTo(p);
            if (Math.abs(t - BUDGET_S) < 1 || p.runnerUpM - p.distanceM < 0.5) ambiguous ||= t < BUDGET_S + 60;
            best = Math.min(best, t);
          }
        });
        if (ambiguous) {
          skipped++;
          return;
        }
        compared++;
        const got = result.items[i];
        // No facility of the item's categories placed anywhere: a data gap, not a service gap.
        const anyPlaced = facilities.some((f, fi) => f.categories.some((c) => item.categories!.includes(c)) && placedFacilities[fi].length > 0);
        expect(got.status, `${community.id} ${item.id} (brute force ${best.toFixed(1)} s)`).toBe(best <= BUDGET_S ? 'met' : anyPlaced ? 'unmet' : 'no_facility');
        if (best <= BUDGET_S) expect(got.nearest!.minutes, `${community.id} ${item.id}`).toBeCloseTo(best / 60, 1);
      });
    });
    expect(compared).toBeGreaterThan(3000);
    expect(skipped).toBeLessThan(compared / 10);
  }, 120_000);
});
