import { booleanClockwise, booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { contourSurface } from '../../src/core/isochrone/contour.ts';
import { FAR_M, UNREACHED_S, type TimeSurface } from '../../src/core/isochrone/time-surface.ts';

/**
 * A hand-made surface: cell (i, j) holds `time(i, j)` (null = unreached, far from any road), with a
 * 10 m cell at 113.26 E, 23.13 N, so that the metric frame is easy to invert.
 */
function surfaceOf(width: number, height: number, time: (i: number, j: number) => number | null): TimeSurface {
  const timesS = new Float64Array(width * height);
  const networkDistM = new Float32Array(width * height);
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const t = time(i, j);
      timesS[j * width + i] = t ?? UNREACHED_S;
      networkDistM[j * width + i] = t === null ? FAR_M : 0;
    }
  }
  return {
    width,
    height,
    cellM: 10,
    lon0: 113.26,
    lat0: 23.13,
    kx: 102_400,
    ky: 110_800,
    x0: -35,
    y0: 20,
    timesS,
    networkDistM,
    offNetworkM: 1000,
    walkSpeedMps: 1,
  };
}

/** lon/lat → metres in the hand-made surface's frame. */
function frame(s: TimeSurface, p: Position): [number, number] {
  return [(p[0] - s.lon0) * s.kx, (p[1] - s.lat0) * s.ky];
}

function bounds(s: TimeSurface, geometry: MultiPolygon): [number, number, number, number] {
  const pts = geometry.coordinates.flat(2).map((p) => frame(s, p));
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

describe('contourSurface: grid coordinates', () => {
  it('puts cell (i, j) at its centre x0 + (i + ½)·cell: a ramp east crosses B between centres', () => {
    // Times 0, 10, 20, 30, ... by column: the 25 s line lies midway between the centres of columns 2
    // and 3, i.e. at x0 + 3 cells. The grid's own border closes the polygon at x0 (and y0, y0 + 4 cells).
    const s = surfaceOf(6, 4, (i) => 10 * i);
    const [geometry] = contourSurface(s, [25]);
    const [west, south, east, north] = bounds(s, geometry);
    expect(west).toBeCloseTo(s.x0, 6);
    expect(east).toBeCloseTo(s.x0 + 3 * s.cellM, 6);
    expect(south).toBeCloseTo(s.y0, 6);
    expect(north).toBeCloseTo(s.y0 + 4 * s.cellM, 6);
  });

  it('puts row 0 in the south: a ramp north crosses B at y0 + (B/10 + ½) cells', () => {
    const s = surfaceOf(4, 6, (_i, j) => 10 * j);
    const [geometry] = contourSurface(s, [12]);
    const [, south, , north] = bounds(s, geometry);
    expect(south).toBeCloseTo(s.y0, 6);
    expect(north).toBeCloseTo(s.y0 + 1.7 * s.cellM, 6);
  });

  it('keeps several budgets in the order asked, each its own threshold', () => {
    const s = surfaceOf(8, 3, (i) => 10 * i);
    const easts = contourSurface(s, [45, 5, 25]).map((g) => bounds(s, g)[2]);
    expect(easts.map((x) => (x - s.x0) / s.cellM)).toEqual([5, 1, 3].map((c) => expect.closeTo(c, 6)));
  });
});

describe('contourSurface: GeoJSON', () => {
  // An 11 × 11 grid reached at 0 s except an unreached 3 × 3 core: a ring with a hole.
  const ring = surfaceOf(11, 11, (i, j) => (Math.abs(i - 5) <= 1 && Math.abs(j - 5) <= 1 ? null : 0));
  const [withHole] = contourSurface(ring, [60]);

  it('closes rings, winds outer rings counter-clockwise and holes clockwise', () => {
    expect(withHole.coordinates).toHaveLength(1);
    expect(withHole.coordinates[0]).toHaveLength(2);
    for (const polygon of withHole.coordinates) {
      polygon.forEach((r, k) => {
        expect(r.length).toBeGreaterThanOrEqual(4);
        expect(r[0]).toEqual(r[r.length - 1]);
        expect(booleanClockwise(r)).toBe(k > 0);
      });
    }
  });

  it('leaves the unreached core out', () => {
    const centre = (i: number, j: number): Position => [
      ring.lon0 + (ring.x0 + (i + 0.5) * ring.cellM) / ring.kx,
      ring.lat0 + (ring.y0 + (j + 0.5) * ring.cellM) / ring.ky,
    ];
    expect(booleanPointInPolygon(centre(5, 5), withHole)).toBe(false);
    expect(booleanPointInPolygon(centre(2, 5), withHole)).toBe(true);
    expect(booleanPointInPolygon(centre(5, 8), withHole)).toBe(true);
  });

  it('returns an empty MultiPolygon when nothing is within budget', () => {
    const s = surfaceOf(5, 5, () => 100);
    expect(contourSurface(s, [50])).toEqual([{ type: 'MultiPolygon', coordinates: [] }]);
  });

  it('rejects bad budgets', () => {
    const s = surfaceOf(5, 5, () => 0);
    for (const budgets of [[], [-1], [Number.NaN], [Infinity]]) {
      expect(() => contourSurface(s, budgets)).toThrow(InputError);
    }
  });
});
