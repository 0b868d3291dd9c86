import { booleanPointInPolygon, distance, length, lineString, pointOnFeature, pointToLineDistance, polygon as turfPolygon } from '@turf/turf';
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  geometryProblem,
  interiorPoint,
  lineMidpoint,
  outlinePoints,
  readEntrances,
  representativePoint,
} from '../../src/core/facilities/feature-geometry.ts';
import { mulberry32 } from '../helpers/random-network.ts';

const strictlyInside = (p: Position, rings: Position[][]) => booleanPointInPolygon(p, turfPolygon(rings), { ignoreBoundary: true });

// A "C" open to the east, 100 m-ish across: its bbox centre lies in the gap.
//   ┌──────┐
//   │  ┌───┘
//   │  │
//   │  └───┐
//   └──────┘
const C_SHAPE: Position[][] = [[[0, 0], [0.003, 0], [0.003, 0.001], [0.001, 0.001], [0.001, 0.002], [0.003, 0.002], [0.003, 0.003], [0, 0.003], [0, 0]]];

describe('interiorPoint', () => {
  it('finds a point inside a C-shape, where turf pointOnFeature falls back to a boundary vertex', () => {
    const p = interiorPoint(C_SHAPE)!;
    expect(strictlyInside(p, C_SHAPE)).toBe(true);
    const turf = pointOnFeature(turfPolygon(C_SHAPE)).geometry.coordinates;
    expect(strictlyInside(turf, C_SHAPE)).toBe(false);
  });

  it('stays out of holes', () => {
    // A square with a square hole around its centre.
    const rings: Position[][] = [
      [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
      [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]],
    ];
    const p = interiorPoint(rings)!;
    expect(strictlyInside(p, rings)).toBe(true);
  });

  it('is strictly inside random star-shaped polygons with and without holes (seed 20240611)', () => {
    const rand = mulberry32(20240611);
    for (let n = 0; n < 300; n++) {
      const cx = 113 + rand();
      const cy = 23 + rand();
      const vertices = 3 + Math.floor(rand() * 20);
      const ring: Position[] = [];
      for (let i = 0; i < vertices; i++) {
        const angle = (2 * Math.PI * i) / vertices;
        const r = 0.001 + rand() * 0.01;
        ring.push([cx + r * Math.cos(angle), cy + r * Math.sin(angle)]);
      }
      ring.push(ring[0]);
      const rings: Position[][] = [ring];
      if (rand() < 0.5) {
        // A small hole at the centre (inside every star ray of length ≥ 0.001).
        const h = 0.0004;
        rings.push([[cx - h, cy - h], [cx + h, cy - h], [cx + h, cy + h], [cx - h, cy + h], [cx - h, cy - h]]);
      }
      const p = interiorPoint(rings);
      expect(p, `seed 20240611, polygon ${n}`).toBeDefined();
      expect(strictlyInside(p!, rings), `seed 20240611, polygon ${n}: ${JSON.stringify(p)}`).toBe(true);
    }
  });

  it('gives nothing for a polygon of no area', () => {
    expect(interiorPoint([[[0, 0], [1, 0], [2, 0], [0, 0]]])).toBeUndefined();
  });
});

describe('representativePoint', () => {
  it('takes the point, the first of a MultiPoint, the middle of a line, a point inside the largest polygon', () => {
    expect(representativePoint({ type: 'Point', coordinates: [1, 2] })).toEqual([1, 2]);
    expect(representativePoint({ type: 'MultiPoint', coordinates: [[1, 2], [3, 4]] })).toEqual([1, 2]);
    const mid = representativePoint({ type: 'LineString', coordinates: [[113, 23], [113.001, 23], [113.003, 23]] })!;
    expect(mid[0]).toBeCloseTo(113.0015, 9);
    const longest = representativePoint({
      type: 'MultiLineString',
      coordinates: [[[0, 0], [0, 0.001]], [[1, 1], [1, 1.004]]],
    })!;
    expect(longest[0]).toBe(1);
    expect(longest[1]).toBeCloseTo(1.002, 9);
    const small: Position[][] = [[[0, 0], [0.001, 0], [0.001, 0.001], [0, 0]]];
    const big: Position[][] = [[[1, 1], [1.01, 1], [1.01, 1.01], [1, 1.01], [1, 1]]];
    const p = representativePoint({ type: 'MultiPolygon', coordinates: [small, big] })!;
    expect(strictlyInside(p, big)).toBe(true);
  });

  it('lineMidpoint walks by length, not by vertex count', () => {
    const p = lineMidpoint([[113, 23], [113.0001, 23], [113.0002, 23], [113.01, 23]]);
    expect(p[0]).toBeCloseTo(113.005, 6);
  });
});

describe('outlinePoints', () => {
  const metres = (a: Position, b: Position) => distance(a, b, { units: 'meters' });
  const ringM = (ring: Position[]) => length(lineString(ring), { units: 'meters' });

  it('samples the C-shape every 25 m or less, all round, every point on the outline', () => {
    const points = outlinePoints({ type: 'Polygon', coordinates: C_SHAPE });
    const ring = C_SHAPE[0];
    expect(points).toHaveLength(Math.ceil(ringM(ring) / 25));
    const outline = lineString(ring);
    for (const p of points) expect(pointToLineDistance(p, outline, { units: 'meters' })).toBeLessThan(0.01);
    // Consecutive points, the last back to the first, are never more than 25 m apart.
    for (let i = 0; i < points.length; i++) expect(metres(points[i], points[(i + 1) % points.length])).toBeLessThanOrEqual(25);
    expect(points[0]).toEqual(ring[0]);
  });

  it('gives at least three points to a small part, and samples each part of a MultiPolygon, not its holes', () => {
    const small: Position[][] = [[[0, 0], [0.0001, 0], [0.0001, 0.0001], [0, 0.0001], [0, 0]]]; // 11 m square
    expect(outlinePoints({ type: 'Polygon', coordinates: small })).toHaveLength(3);
    const holed: Position[][] = [
      [[1, 1], [1.002, 1], [1.002, 1.002], [1, 1.002], [1, 1]],
      [[1.0005, 1.0005], [1.0015, 1.0005], [1.0015, 1.0015], [1.0005, 1.0015], [1.0005, 1.0005]],
    ];
    const points = outlinePoints({ type: 'MultiPolygon', coordinates: [small, holed] });
    expect(points).toHaveLength(3 + Math.ceil(ringM(holed[0]) / 25));
    for (const p of points.slice(3)) expect(pointToLineDistance(p, lineString(holed[0]), { units: 'meters' })).toBeLessThan(0.01);
  });

  it('gives a ring of no length its one position', () => {
    expect(outlinePoints({ type: 'Polygon', coordinates: [[[2, 2], [2, 2], [2, 2], [2, 2]]] })).toEqual([[2, 2]]);
  });
});

describe('geometryProblem', () => {
  it.each([
    [{ type: 'Point', coordinates: [113, 23] }, undefined],
    [{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, undefined],
    [null, 'geometry is null: expected a GeoJSON geometry'],
    [{ type: 'GeometryCollection', geometries: [] }, 'geometry type "GeometryCollection": expected Point, MultiPoint, LineString, MultiLineString, Polygon or MultiPolygon'],
    [{ type: 'Point' }, 'Point coordinates: got undefined, expected an array'],
    [{ type: 'Point', coordinates: [NaN, 23] }, 'position [NaN, 23]: expected finite numbers'],
    [{ type: 'Point', coordinates: ['113', 23] }, 'position [113, 23]: expected finite numbers'],
    [{ type: 'Point', coordinates: [23, 113] }, 'position [23, 113]: expected lon in [-180, 180] and lat in [-90, 90] (is it [lat, lon] or projected?)'],
    [{ type: 'Point', coordinates: [113] }, 'position [113]: expected [lon, lat]'],
    [{ type: 'LineString', coordinates: [[0, 0]] }, 'line [[0,0]]: expected two or more positions'],
    [{ type: 'MultiPoint', coordinates: [] }, 'MultiPoint has no positions: expected at least one'],
    [{ type: 'Polygon', coordinates: [[[0, 0], [1, 0], [0, 0]]] }, 'outer ring [[0,0],[1,0],[0,0]]: expected a closed ring of four or more positions'],
    [
      { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1]]] },
      'outer ring is not closed: starts at [0, 0], ends at [0, 1]; expected the first position repeated at the end',
    ],
    [
      { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]], [[0.1, 0.1], [0.2, 0.1], [0.2, 0.2], [0.1, 0.2]]]] },
      'hole 1 is not closed: starts at [0.1, 0.1], ends at [0.1, 0.2]; expected the first position repeated at the end',
    ],
  ])('%o → %s', (geometry, expected) => {
    expect(geometryProblem(geometry)).toBe(expected);
  });
});

describe('readEntrances', () => {
  it('takes an array of [lon, lat]; absent, null and [] mean none', () => {
    expect(readEntrances([[113, 23], [113.1, 23.1]])).toEqual([[113, 23], [113.1, 23.1]]);
    expect(readEntrances(undefined)).toBeUndefined();
    expect(readEntrances(null)).toBeUndefined();
    expect(readEntrances([])).toBeUndefined();
  });

  it('names what is wrong', () => {
    expect(readEntrances({ type: 'MultiPoint', coordinates: [[113, 23]] })).toBe(
      'properties.entrances: got {"type":"MultiPoint","coordinates":[[113,23]]}, expected an array of [lon, lat] positions',
    );
    expect(readEntrances([[113, 23], [113]])).toBe('properties.entrances[1]: position [113]: expected [lon, lat]');
  });
});
