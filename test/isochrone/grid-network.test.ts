/**
 * A grid of streets walked from its centre (time = Manhattan distance / speed), checked against brute
 * force in both directions, for nesting, and against a golden fixture (REGEN=1 rewrites it).
 */
import { area, booleanPointInPolygon, difference, featureCollection, feature } from '@turf/turf';
import type { Feature, FeatureCollection, MultiPolygon, Position } from 'geojson';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeTolerance, isochronePolygons } from '../../src/core/isochrone/polygons.ts';
import { bruteArrival, lonLat, sampleNetwork, seededRandom, streetGrid, toReached } from './helpers.ts';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/isochrone/grid-polygons.geojson');

// Streets every 100 m, walked at 1.2 m/s; off the street people walk slower (1.0 m/s, across plots),
// so the street is faster than walking beside it (k = 0.83) and entering it early pays off.
const NETWORK_SPEED = 1.2;
const R = 60;
const V = 1.0;
const BUDGETS = [300, 600, 900];
const segments = streetGrid(100, 1200, NETWORK_SPEED, Math.max(...BUDGETS));
const reached = toReached(segments);
const { cellM, polygons } = isochronePolygons(reached, BUDGETS, { offNetworkM: R, walkSpeedMps: V });
const { cellDiagM, budgetSlackS, coversNetwork } = describeTolerance(cellM, R, V);
// Brute force samples the network every metre: half a metre of slack in distance, and its time.
const SAMPLE_M = 1;
const samples = sampleNetwork(segments, SAMPLE_M);
const sampleSlackS = SAMPLE_M * (1 / NETWORK_SPEED + 1 / V);

describe('isochronePolygons on a street grid', () => {
  it('uses a grid fine enough for the inward guarantee', () => {
    expect(cellM).toBe(R / 4);
    expect(coversNetwork).toBe(true);
  });

  for (const seed of [1, 2]) {
    it(`agrees with brute force both ways at random points (seed ${seed})`, () => {
      const random = seededRandom(seed);
      const points: Array<[number, number]> = [];
      // Half anywhere around the network, half close to a street, where the boundaries are.
      for (let k = 0; k < 300; k++) points.push([(random() * 2 - 1) * 1200, (random() * 2 - 1) * 1200]);
      for (let k = 0; k < 300; k++) {
        const s = Math.floor(random() * samples.t.length);
        const angle = random() * 2 * Math.PI;
        const d = random() * (R + 2 * cellDiagM);
        points.push([samples.x[s] + d * Math.cos(angle), samples.y[s] + d * Math.sin(angle)]);
      }
      const counts = { inside: 0, mustBeInside: 0 };
      for (const [x, y] of points) {
        // Loosest witness allowed for a point drawn inside; strictest one that forces it inside.
        const loose = bruteArrival(samples, x, y, R + cellDiagM + SAMPLE_M, V);
        const strict = bruteArrival(samples, x, y, R - cellDiagM, V);
        polygons.forEach(({ budgetS, geometry }) => {
          const inside = booleanPointInPolygon(lonLat(x, y), geometry);
          const where = `seed ${seed}, point (${x.toFixed(1)}, ${y.toFixed(1)}), budget ${budgetS}`;
          if (inside) {
            counts.inside++;
            expect(loose, where).toBeLessThanOrEqual(budgetS + budgetSlackS + sampleSlackS);
          }
          if (strict <= budgetS - budgetSlackS) {
            counts.mustBeInside++;
            expect(inside, where).toBe(true);
          }
        });
      }
      expect(counts.inside).toBeGreaterThan(300);
      expect(counts.mustBeInside).toBeGreaterThan(200);
    });
  }

  it('contains every network point reached by B − cellDiag/v', () => {
    for (const { budgetS, geometry } of polygons) {
      let checked = 0;
      for (let i = 0; i < samples.t.length; i += 37) {
        if (samples.t[i] > budgetS - budgetSlackS) continue;
        checked++;
        expect(booleanPointInPolygon(lonLat(samples.x[i], samples.y[i]), geometry), `sample ${i}, budget ${budgetS}`).toBe(
          true,
        );
      }
      expect(checked).toBeGreaterThan(50);
    }
  });

  it('nests: each larger budget contains every vertex of the smaller one, and is larger', () => {
    for (let b = 1; b < polygons.length; b++) {
      const [smaller, larger] = [polygons[b - 1], polygons[b]];
      expect(larger.areaM2).toBeGreaterThan(smaller.areaM2);
      for (const p of smaller.geometry.coordinates.flat(2)) {
        expect(booleanPointInPolygon(p, larger.geometry), `vertex ${p} of ${smaller.budgetS} s`).toBe(true);
      }
    }
  });

  it('matches the golden fixture (REGEN=1 to rewrite it)', () => {
    if (process.env.REGEN === '1') writeFixture();
    expect(existsSync(FIXTURE), `${FIXTURE} is missing: run REGEN=1 npx vitest run test/isochrone`).toBe(true);
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as FeatureCollection;
    // By geometry, not by area alone: the area outside either polygon (their symmetric difference) is
    // under 0.5 % of the fixture's, so a polygon moved, rotated or reshaped at the same area fails.
    for (const { budgetS, geometry } of polygons) {
      const expected = fixture.features.find((f) => f.properties?.budgetS === budgetS) as Feature<MultiPolygon> | undefined;
      expect(expected, `no ${budgetS} s polygon in the fixture`).toBeDefined();
      expect(symmetricDifferenceM2(geometry, expected!.geometry) / area(expected!), `budget ${budgetS} s`).toBeLessThan(0.005);
    }
  });

  it('the geometric comparison fails a polygon of the same area shifted by one cell', () => {
    const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as FeatureCollection<MultiPolygon>;
    const expected = fixture.features[0];
    // One cell east, in degrees at the fixture's latitude: the same area, another place.
    const dLon = lonLat(cellM, 0)[0] - lonLat(0, 0)[0];
    const shifted: MultiPolygon = { type: 'MultiPolygon', coordinates: expected.geometry.coordinates.map((poly) => poly.map((ring) => ring.map(([x, y]) => [x + dLon, y]))) };
    expect(symmetricDifferenceM2(shifted, expected.geometry) / area(expected)).toBeGreaterThan(0.005);
  });
});

/** Area (m²) inside one of the two polygons and not the other. */
function symmetricDifferenceM2(a: MultiPolygon, b: MultiPolygon): number {
  const [fa, fb] = [feature(a), feature(b)];
  const aNotB = difference(featureCollection([fa, fb]));
  const bNotA = difference(featureCollection([fb, fa]));
  return (aNotB ? area(aNotB) : 0) + (bNotA ? area(bNotA) : 0);
}

/** The polygons (largest first, so smaller ones draw on top), then the network, styled for a viewer. */
function writeFixture(): void {
  const colours = ['#1a9850', '#fee08b', '#d73027'];
  const round = (p: Position) => p.map((c) => Math.round(c * 1e7) / 1e7);
  const features: Feature[] = polygons
    .map(({ budgetS, geometry, areaM2 }, i): Feature<MultiPolygon> => ({
      type: 'Feature',
      properties: {
        budgetS,
        areaM2: Math.round(areaM2),
        cellM,
        fill: colours[i],
        'fill-opacity': 0.35,
        stroke: colours[i],
        'stroke-width': 2,
      },
      geometry: { type: 'MultiPolygon', coordinates: geometry.coordinates.map((poly) => poly.map((r) => r.map(round))) },
    }))
    .reverse();
  features.push({
    type: 'Feature',
    properties: { name: 'reached network', stroke: '#555555', 'stroke-width': 1 },
    geometry: {
      type: 'MultiLineString',
      coordinates: segments.map((s) => [round(lonLat(s.ax, s.ay)), round(lonLat(s.bx, s.by))]),
    },
  });
  mkdirSync(dirname(FIXTURE), { recursive: true });
  // One vertex per line, so that a regenerated fixture reviews as a readable diff.
  const json = JSON.stringify({ type: 'FeatureCollection', features }, null, 1).replace(
    /\[\s+(-?[\d.]+),\s+(-?[\d.]+)\s+\]/g,
    '[$1, $2]',
  );
  writeFileSync(FIXTURE, `${json}\n`);
}
