import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { ReachedNetworkBuilder } from '../../src/core/isochrone/reached-network.ts';
import { FAR_M, timeSurface, UNREACHED_S, type TimeSurface } from '../../src/core/isochrone/time-surface.ts';
import { lonLat, seededRandom, toReached } from './helpers.ts';

/** Cell centre (i, j) in the surface's own metric frame. */
function centre(s: TimeSurface, i: number, j: number): [number, number] {
  return [s.x0 + (i + 0.5) * s.cellM, s.y0 + (j + 0.5) * s.cellM];
}

/** A lon/lat point in the surface's own metric frame. */
function project(s: TimeSurface, lon: number, lat: number): [number, number] {
  return [(lon - s.lon0) * s.kx, (lat - s.lat0) * s.ky];
}

describe('timeSurface: exact arrival from one segment', () => {
  // k = network time gradient × walking speed: k < 1 means the road beats walking beside it.
  const R = 40;
  const v = 1.2;
  for (const k of [0, 0.5, 0.95, 1, 3]) {
    it(`matches brute force over the segment's points for k = ${k}`, () => {
      const seed = 1000 + Math.round(k * 100);
      const random = seededRandom(seed);
      const lengthM = 60 + random() * 100;
      const angle = random() * 2 * Math.PI;
      const g = k / v;
      const t0 = 30 + random() * 100;
      // Half the cases run the time backwards from A to B, which the surface must orient itself.
      const reversed = random() < 0.5;
      const [tA, tB] = reversed ? [t0 + g * lengthM, t0] : [t0, t0 + g * lengthM];
      const reached = toReached([
        { ax: 0, ay: 0, bx: lengthM * Math.cos(angle), by: lengthM * Math.sin(angle), tA, tB },
      ]);
      const s = timeSurface(reached, { offNetworkM: R, walkSpeedMps: v, cellM: 4 });

      const [ax, ay] = project(s, reached.coords[0], reached.coords[1]);
      const [bx, by] = project(s, reached.coords[2], reached.coords[3]);
      const len = Math.hypot(bx - ax, by - ay);
      const stepM = 0.02;
      const steps = Math.ceil(len / stepM);
      // Brute force over points every ≤ 2 cm is above the exact minimum by at most one step of either slope
      // (a whole step when the minimum sits on the reach limit, where the next sample may be out of reach).
      const samplingSlackS = stepM * (Math.abs(tB - tA) / len + 1 / v) + 1e-9;
      let reachedCells = 0;
      for (let j = 0; j < s.height; j += 2) {
        for (let i = 0; i < s.width; i += 2) {
          const [cx, cy] = centre(s, i, j);
          let brute = Infinity;
          let nearest = Infinity;
          for (let q = 0; q <= steps; q++) {
            const f = q / steps;
            const d = Math.hypot(ax + (bx - ax) * f - cx, ay + (by - ay) * f - cy);
            nearest = Math.min(nearest, d);
            if (d <= R) brute = Math.min(brute, tA + (tB - tA) * f + d / v);
          }
          const got = s.timesS[j * s.width + i];
          const where = `seed ${seed}, cell (${i}, ${j}), nearest ${nearest.toFixed(3)} m`;
          if (Math.abs(nearest - R) < 0.05) continue; // on the reach limit: sampling decides either way
          if (brute === Infinity) {
            expect(got, where).toBe(UNREACHED_S);
          } else {
            reachedCells++;
            expect(got, where).toBeLessThanOrEqual(brute + 1e-9);
            expect(brute - got, where).toBeLessThanOrEqual(samplingSlackS);
          }
          expect(Math.abs(s.networkDistM[j * s.width + i] - nearest) < 0.01 || nearest > R + 2 * s.cellM, where).toBe(
            true,
          );
        }
      }
      expect(reachedCells).toBeGreaterThan(100);
    });
  }

  it('projecting onto the segment would overestimate: the exact minimum enters the road earlier', () => {
    // A road 200 m east from t = 0, walked on at 2 m/s (g = 0.5 s/m); off-road walking at 1 m/s, so k = 0.5.
    // A door 100 m east, 40 m north: the foot of the perpendicular gives 50 + 40 = 90 s; entering the road
    // at s* = 100 − 40·k/√(1 − k²) saves time: t(100) + 40·√(1 − k²) = 50 + 34.64 = 84.64 s.
    const reached = toReached([{ ax: 0, ay: 0, bx: 200, by: 0, tA: 0, tB: 100 }]);
    const s = timeSurface(reached, { offNetworkM: 60, walkSpeedMps: 1, cellM: 5 });
    const [px, py] = project(s, ...lonLat(100, 40));
    const i = Math.round((px - s.x0) / s.cellM - 0.5);
    const j = Math.round((py - s.y0) / s.cellM - 0.5);
    const [cx, cy] = centre(s, i, j);
    const [ax, ay] = project(s, ...lonLat(0, 0));
    const u = cx - ax;
    const h = Math.abs(cy - ay);
    expect(s.timesS[j * s.width + i]).toBeCloseTo(0.5 * u + h * Math.sqrt(1 - 0.25), 6);
    expect(s.timesS[j * s.width + i]).toBeLessThan(0.5 * u + h - 5);
  });

  it('takes the minimum over several segments', () => {
    const segments = [
      { ax: 0, ay: 0, bx: 100, by: 0, tA: 0, tB: 100 },
      { ax: 0, ay: 30, bx: 100, by: 30, tA: 500, tB: 10 },
    ];
    const opts = { offNetworkM: 50, walkSpeedMps: 1.2, cellM: 5 };
    const both = timeSurface(toReached(segments), opts);
    // Each single segment gets its own grid; the roads are 30 m apart, a multiple of the cell, so the
    // grids line up and each of both's cell centres is also a cell centre of each single grid.
    const singles = segments.map((segment) => timeSurface(toReached([segment]), opts));
    let compared = 0;
    for (let j = 0; j < both.height; j++) {
      for (let i = 0; i < both.width; i++) {
        const [x, y] = centre(both, i, j);
        const lon = both.lon0 + x / both.kx;
        const lat = both.lat0 + y / both.ky;
        const expected = Math.min(...singles.map((single) => valueAt(single, lon, lat)));
        if (Number.isNaN(expected)) continue;
        expect(both.timesS[j * both.width + i]).toBeCloseTo(expected, 3);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});

/** The value at a lon/lat that is a cell centre of `s` (within 1 mm), else NaN. */
function valueAt(s: TimeSurface, lon: number, lat: number): number {
  const [x, y] = project(s, lon, lat);
  const fi = (x - s.x0) / s.cellM - 0.5;
  const fj = (y - s.y0) / s.cellM - 0.5;
  const i = Math.round(fi);
  const j = Math.round(fj);
  if (Math.abs(fi - i) * s.cellM > 1e-3 || Math.abs(fj - j) * s.cellM > 1e-3) return NaN;
  if (i < 0 || j < 0 || i >= s.width || j >= s.height) return UNREACHED_S;
  return s.timesS[j * s.width + i];
}

describe('timeSurface: grid', () => {
  const street = toReached([{ ax: 0, ay: 0, bx: 1000, by: 400, tA: 0, tB: 700 }]);

  it('defaults the cell to offNetworkM / 4, at least 5 m', () => {
    expect(timeSurface(street, { offNetworkM: 80, walkSpeedMps: 1.2 }).cellM).toBe(20);
    expect(timeSurface(street, { offNetworkM: 12, walkSpeedMps: 1.2 }).cellM).toBe(5);
    expect(timeSurface(street, { offNetworkM: 80, walkSpeedMps: 1.2, cellM: 7 }).cellM).toBe(7);
  });

  it('pads by offNetworkM + 2 cells, so nothing reached touches the border', () => {
    const s = timeSurface(street, { offNetworkM: 80, walkSpeedMps: 1.2 });
    const [ax, ay] = project(s, street.coords[0], street.coords[1]);
    const [bx, by] = project(s, street.coords[2], street.coords[3]);
    expect(s.x0).toBeCloseTo(Math.min(ax, bx) - 80 - 2 * s.cellM, 6);
    expect(s.y0).toBeCloseTo(Math.min(ay, by) - 80 - 2 * s.cellM, 6);
    expect(s.x0 + s.width * s.cellM).toBeGreaterThanOrEqual(Math.max(ax, bx) + 80 + 2 * s.cellM - 1e-6);
    expect(s.y0 + s.height * s.cellM).toBeGreaterThanOrEqual(Math.max(ay, by) + 80 + 2 * s.cellM - 1e-6);
    for (let i = 0; i < s.width; i++) {
      for (const j of [0, 1, s.height - 2, s.height - 1]) expect(s.timesS[j * s.width + i]).toBe(UNREACHED_S);
    }
    for (let j = 0; j < s.height; j++) {
      for (const i of [0, 1, s.width - 2, s.width - 1]) expect(s.timesS[j * s.width + i]).toBe(UNREACHED_S);
    }
  });

  it('enlarges the cell to stay within maxCells, and reports it', () => {
    const s = timeSurface(street, { offNetworkM: 80, walkSpeedMps: 1.2, cellM: 1, maxCells: 10_000 });
    expect(s.width * s.height).toBeLessThanOrEqual(10_000);
    expect(s.width * s.height).toBeGreaterThan(9_000); // enlarged just enough
    expect(s.cellM).toBeGreaterThan(1);
  });

  it('marks cells beyond offNetworkM unreached, with a large finite sentinel', () => {
    const s = timeSurface(street, { offNetworkM: 30, walkSpeedMps: 1.2 });
    expect(Number.isFinite(UNREACHED_S)).toBe(true);
    expect(Array.from(s.timesS).every((t) => t === UNREACHED_S || t <= 700 + 30 / 1.2)).toBe(true);
    expect(Array.from(s.networkDistM).every((d) => d === FAR_M || d <= 30 + 2 * s.cellM + 1e-3)).toBe(true);
  });

  it('gives an empty grid for an empty network', () => {
    const s = timeSurface(new ReachedNetworkBuilder(), { offNetworkM: 50, walkSpeedMps: 1.2 });
    expect([s.width, s.height, s.timesS.length]).toEqual([0, 0, 0]);
  });

  it('rejects bad options with "got X, expected Y"', () => {
    for (const opts of [
      { offNetworkM: 0, walkSpeedMps: 1.2 },
      { offNetworkM: 50, walkSpeedMps: Number.NaN },
      { offNetworkM: 50, walkSpeedMps: 1.2, cellM: -1 },
      { offNetworkM: 50, walkSpeedMps: 1.2, maxCells: 10 },
    ]) {
      expect(() => timeSurface(street, opts)).toThrow(InputError);
      expect(() => timeSurface(street, opts)).toThrow(/got .*expected/);
    }
  });
});
