import { booleanPointInPolygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { haversineM } from '../../src/core/geo/distance.ts';
import { NetworkExpander } from '../../src/core/isochrone/expand.ts';
import { isochroneLines } from '../../src/core/isochrone/lines.ts';
import { describeTolerance, isochronePolygons } from '../../src/core/isochrone/polygons.ts';
import { costingFor } from '../../src/core/routing/costing.ts';
import { locatePoints } from '../../src/core/routing/locate.ts';
import { Router } from '../../src/core/routing/travel-times.ts';
import { asciiMap } from '../helpers/ascii-map.ts';
import { graphOf } from '../helpers/build.ts';
import { mulberry32 } from '../helpers/random-network.ts';

// 25 m per character. The north town and the south town are 200 m apart across a river with no
// bridge: walking from the north, nothing south of the river is reachable.
const map = asciiMap(`
a------b------c------d
|      |      |      |
e------f------g------i
|      |      |      |
j------k------l------m
        
        
        
        
        
        
        
n------o------p------q
|      |      |      |
r------s------t------u
`, 25);
const graph = graphOf(map.network);
const costing = costingFor(graph, { mode: 'walk' });
const V = costing.accessSpeedMps;
const OFF_NETWORK_M = 40;
const CELL_M = 5;
const [origin] = locatePoints(costing, { type: 'FeatureCollection', features: [map.point('o', map.between('e', 'f', 0.3))] }, { what: 'origins' });
const router = new Router(graph);
const budgets = [60, 120, 180];
const search = router.searchFrom(costing, [origin.point!], 180);
const reached = new NetworkExpander(graph).expand(search, [origin.point!], 180);
const { polygons, cellM } = isochronePolygons(reached, budgets, { offNetworkM: OFF_NETWORK_M, walkSpeedMps: V, cellM: CELL_M });
const tol = describeTolerance(cellM, OFF_NETWORK_M, V);

/** Every 2 m along every edge: its true network time (from the verified search). */
const samples: { lon: number; lat: number; t: number }[] = [];
for (let e = 0; e < graph.edgeCount; e++) {
  const steps = Math.ceil(graph.edgeLength[e] / 2);
  for (let k = 0; k <= steps; k++) {
    const fraction = k / steps;
    const t = router.timeTo({ edge: e, fraction, accessS: 0, accessM: 0 }, [origin.point!]).time;
    const g = graph.geom;
    const p = graph.edgeGeomStart[e];
    samples.push({ lon: g[2 * p] + (g[2 * p + 2] - g[2 * p]) * fraction, lat: g[2 * p + 1] + (g[2 * p + 3] - g[2 * p + 1]) * fraction, t });
  }
}

function trueTime(lon: number, lat: number): number {
  let best = Infinity;
  for (const s of samples) {
    const d = haversineM(lon, lat, s.lon, s.lat);
    if (d <= OFF_NETWORK_M + tol.cellDiagM && s.t + d / V < best) best = s.t + d / V;
  }
  return best;
}

describe('isochrones end to end (search → expand → grid → contour)', () => {
  it('never crosses the river: no point of the south town is inside any polygon', () => {
    for (const letter of ['n', 'o', 'p', 'q', 'r', 's', 't', 'u']) {
      for (const p of polygons) expect(booleanPointInPolygon(map.at(letter), p.geometry), letter).toBe(false);
    }
  });

  it('puts every point inside within the budget plus the stated tolerance (sampled)', () => {
    const rand = mulberry32(42);
    const [minLon, minLat, maxLon, maxLat] = graph.meta.bbox;
    let inside = 0;
    for (let i = 0; i < 3000; i++) {
      const lon = minLon - 0.0005 + rand() * (maxLon - minLon + 0.001);
      const lat = minLat - 0.0005 + rand() * (maxLat - minLat + 0.001);
      polygons.forEach((p, b) => {
        if (!booleanPointInPolygon([lon, lat], p.geometry)) return;
        inside++;
        // 2 m sampling of the network adds at most 1 m of error.
        expect(trueTime(lon, lat), `[${lon}, ${lat}] in ${budgets[b]} s`).toBeLessThanOrEqual(budgets[b] + tol.budgetSlackS + 1 / V);
      });
    }
    expect(inside).toBeGreaterThan(300);
  });

  it('contains every network point reached within the budget minus the tolerance', () => {
    polygons.forEach((p, b) => {
      for (const s of samples) {
        if (s.t <= budgets[b] - tol.budgetSlackS) expect(booleanPointInPolygon([s.lon, s.lat], p.geometry), `t=${s.t} in ${budgets[b]}`).toBe(true);
      }
    });
  });

  it('grows with the budget, and the lines are cut exactly at it', () => {
    expect(polygons[0].areaM2).toBeLessThan(polygons[1].areaM2);
    expect(polygons[1].areaM2).toBeLessThan(polygons[2].areaM2);
    const lines = isochroneLines(reached, budgets);
    // Reached network length within B: measured on the samples, each 2 m long.
    lines.forEach((line, b) => {
      const expected = samples.filter((s) => s.t <= budgets[b]).length * 2;
      expect(line.lengthM).toBeGreaterThan(expected * 0.9);
      expect(line.lengthM).toBeLessThan(expected * 1.1 + 10);
    });
  });
});
