import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { describeTolerance, isochronePolygons } from '../../src/core/isochrone/polygons.ts';
import { ReachedNetworkBuilder } from '../../src/core/isochrone/reached-network.ts';
import { lonLat, metres, parseAsciiMap, planarAreaM2, reachAsciiMap, sampleNetwork, toReached } from './helpers.ts';

describe('isochronePolygons: shapes with a known area', () => {
  // Standing on a street (time 0 everywhere) the polygon is the street's R-buffer: a stadium of area
  // 2·R·L + π·R². Measured error: about −0.1% at the default cell (R/4), −0.25% at cell = 2R/5.
  const R = 50;
  const L = 1000;
  const stadium = 2 * R * L + Math.PI * R * R;
  const angle = (30 * Math.PI) / 180;
  const street = toReached([{ ax: 0, ay: 0, bx: L * Math.cos(angle), by: L * Math.sin(angle), tA: 0, tB: 0 }]);

  for (const cellM of [undefined, 5, 20]) {
    it(`buffers a street standing on it to within 1% of 2RL + πR² (cell ${cellM ?? 'default'})`, () => {
      const { polygons } = isochronePolygons(street, [600], { offNetworkM: R, walkSpeedMps: 1.4, cellM });
      expect(polygons[0].geometry.coordinates).toHaveLength(1);
      expect(Math.abs(planarAreaM2(polygons[0].geometry.coordinates) / stadium - 1)).toBeLessThan(0.01);
    });
  }

  it('centres a disc on its point: grid cells are read at their centres', () => {
    // A point off the grid's lattice; a half-cell slip in the grid convention would move the centroid
    // by 0.7 cell. The area is a little short of πR²: about 25 chords around a circle lose ~1%.
    const [px, py] = [37.3, -12.9];
    const point = toReached([{ ax: px, ay: py, bx: px, by: py, tA: 0, tB: 0 }]);
    const { cellM, polygons } = isochronePolygons(point, [600], { offNetworkM: R, walkSpeedMps: 1.4 });
    const [cx, cy] = areaCentroid(polygons[0].geometry);
    expect(Math.hypot(cx - px, cy - py)).toBeLessThan(0.05 * cellM);
    expect(Math.abs(planarAreaM2(polygons[0].geometry.coordinates) / (Math.PI * R * R) - 1)).toBeLessThan(0.02);
  });

  it('draws nothing for an empty network', () => {
    const result = isochronePolygons(new ReachedNetworkBuilder(), [300, 600], { offNetworkM: 50, walkSpeedMps: 1.2 });
    expect(result.polygons).toEqual([
      { budgetS: 300, geometry: { type: 'MultiPolygon', coordinates: [] }, areaM2: 0 },
      { budgetS: 600, geometry: { type: 'MultiPolygon', coordinates: [] }, areaM2: 0 },
    ]);
  });

  it('states its tolerance from the cell diagonal', () => {
    expect(describeTolerance(10, 50, 1.25)).toEqual({
      cellDiagM: 10 * Math.SQRT2,
      maxOffNetworkM: 50 + 10 * Math.SQRT2,
      budgetSlackS: (10 * Math.SQRT2) / 1.25,
      coversNetwork: true,
    });
    expect(describeTolerance(40, 50, 1.25).coversNetwork).toBe(false);
  });
});

describe('isochronePolygons: what stays unreached', () => {
  it('does not cross a river without a bridge', () => {
    // One character = 50 m across, one row = 50 m down. The river is 300 m wide; nothing joins the
    // lower-case streets to the upper-case ones, so the expansion never reaches them.
    const map = parseAsciiMap(
      `
A-------B-------C
|       |       |
D-------E-------F
~~~~~~~~~~~~~~~~~
~~~~~~~~~~~~~~~~~
~~~~~~~~~~~~~~~~~
~~~~~~~~~~~~~~~~~
~~~~~~~~~~~~~~~~~
g-------h-------i
|       |       |
j-------k-------l`,
      50,
      50,
    );
    const R = 100;
    const v = 1.2;
    const segments = reachAsciiMap(map, 'E', 1.2, 900);
    const { cellM, polygons } = isochronePolygons(toReached(segments), [900], { offNetworkM: R, walkSpeedMps: v });
    const [{ geometry }] = polygons;
    const { maxOffNetworkM } = describeTolerance(cellM, R, v);

    expect(booleanPointInPolygon(lonLat(...map.nodes.get('E')!), geometry)).toBe(true);
    for (const name of 'ghijkl') expect(booleanPointInPolygon(lonLat(...map.nodes.get(name)!), geometry)).toBe(false);
    const southBank = map.nodes.get('D')![1];
    for (const p of geometry.coordinates.flat(2)) expect(metres(p)[1]).toBeGreaterThan(southBank - maxOffNetworkM);
  });

  it('leaves a hole inside a large block with no roads', () => {
    // One character = 50 m across, one row = 150 m down: a 600 m square ring road around a roadless block.
    const map = parseAsciiMap(
      `
a-----------b
|###########|
|###########|
|###########|
c-----------d`,
      50,
      150,
    );
    const R = 60;
    const segments = reachAsciiMap(map, 'a', 1.2, 1200);
    const { cellM, polygons } = isochronePolygons(toReached(segments), [1200], { offNetworkM: R, walkSpeedMps: 1.2 });
    const [{ geometry }] = polygons;
    expect(geometry.coordinates).toHaveLength(1);
    const [outer, ...holes] = geometry.coordinates[0];
    expect(holes).toHaveLength(1);

    // The hole is the block less R on every side: a (600 − 2R)² square, corners sharp.
    const hole = planarAreaM2([[holes[0]]]);
    expect(Math.abs(hole / (600 - 2 * R) ** 2 - 1)).toBeLessThan(0.02);
    expect(Math.abs(planarAreaM2([[outer]]) / (600 + 2 * R) ** 2 - 1)).toBeLessThan(0.02);
    expect(booleanPointInPolygon(lonLat(300, -300), geometry)).toBe(false);
    // Just within reach of the road, inside the block, is inside the polygon.
    const { cellDiagM } = describeTolerance(cellM, R, 1.2);
    expect(booleanPointInPolygon(lonLat(300, -(R - cellDiagM - 1)), geometry)).toBe(true);
    // Every road point is inside (the whole ring is reached well within the budget).
    const samples = sampleNetwork(segments, 10);
    samples.x.forEach((x, i) => expect(booleanPointInPolygon(lonLat(x, samples.y[i]), geometry)).toBe(true));
  });
});

/** Area-weighted centroid in the test's metric frame (outer rings only; the tests using it have no holes). */
function areaCentroid(geometry: MultiPolygon): [number, number] {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const [outer] of geometry.coordinates) {
    const ring = outer.map(metres);
    for (let i = 1; i < ring.length; i++) {
      const [x1, y1] = ring[i - 1];
      const [x2, y2] = ring[i];
      const cross = x1 * y2 - x2 * y1;
      a += cross;
      cx += (x1 + x2) * cross;
      cy += (y1 + y2) * cross;
    }
  }
  return [cx / (3 * a), cy / (3 * a)];
}
