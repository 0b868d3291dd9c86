import { length } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { isochroneLines } from '../../src/core/isochrone/lines.ts';
import { ReachedNetworkBuilder } from '../../src/core/isochrone/reached-network.ts';
import { metres, streetGrid, toReached } from './helpers.ts';

describe('isochroneLines', () => {
  // 1000 m east, walked from t = 0 at A to t = 800 s at B. East-west, so that the lines' ruler (at the
  // network's centre latitude) and the test's ruler (at ORIGIN) agree exactly.
  const forward = { ax: 0, ay: 0, bx: 1000, by: 0, tA: 0, tB: 800 };

  it('cuts a segment exactly where its time reaches the budget', () => {
    const [line] = isochroneLines(toReached([forward]), [600]);
    expect(line.budgetS).toBe(600);
    expect(line.lengthM).toBeCloseTo(750, 6);
    expect(line.geometry.coordinates).toHaveLength(1);
    const [start, cut] = line.geometry.coordinates[0].map(metres);
    expect(start[0]).toBeCloseTo(0, 6);
    expect(start[1]).toBeCloseTo(0, 6);
    expect(cut[0]).toBeCloseTo(750, 6);
    expect(cut[1]).toBeCloseTo(0, 6);
  });

  it('starts the part at the earlier end when time runs from B to A', () => {
    // 1000 m north-east this time: the rulers, 400 m of latitude apart, differ by ~1e-5.
    const backward = { ax: 0, ay: 0, bx: 600, by: 800, tA: 800, tB: 0 };
    const [line] = isochroneLines(toReached([backward]), [600]);
    expect(Math.abs(line.lengthM - 750)).toBeLessThan(0.02);
    const [start, cut] = line.geometry.coordinates[0].map(metres);
    expect(start[0]).toBeCloseTo(600, 6);
    expect(start[1]).toBeCloseTo(800, 6);
    expect(cut[0]).toBeCloseTo(150, 6);
    expect(cut[1]).toBeCloseTo(200, 6);
  });

  it('keeps whole segments within budget, drops those beyond, and a segment reached exactly at it', () => {
    const late = { ax: 1000, ay: 0, bx: 1100, by: 0, tA: 900, tB: 1000 };
    const [none, exactly, whole] = isochroneLines(toReached([forward, late]), [-0, 900, 1000]).map((l) => l.lengthM);
    expect(none).toBe(0);
    expect(exactly).toBeCloseTo(1000, 6); // forward whole; late starts at 900 s: a point, not a line
    expect(whole).toBeCloseTo(1100, 6);
  });

  it('measures like turf, and never shrinks as the budget grows', () => {
    const reached = toReached(streetGrid(100, 800, 1.2, 900));
    const lines = isochroneLines(reached, [300, 600, 900]);
    for (const line of lines) {
      const turfM = length({ type: 'Feature', properties: {}, geometry: line.geometry }, { units: 'meters' });
      expect(line.lengthM / turfM).toBeCloseTo(1, 2);
    }
    expect(lines[0].lengthM).toBeLessThan(lines[1].lengthM);
    expect(lines[1].lengthM).toBeLessThan(lines[2].lengthM);
  });

  it('handles an empty network and rejects bad budgets', () => {
    expect(isochroneLines(new ReachedNetworkBuilder(), [60])).toEqual([
      { budgetS: 60, geometry: { type: 'MultiLineString', coordinates: [] }, lengthM: 0 },
    ]);
    expect(() => isochroneLines(toReached([forward]), [Number.NaN])).toThrow(InputError);
  });
});
