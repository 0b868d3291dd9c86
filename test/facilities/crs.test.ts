import { distance } from '@turf/turf';
import gcoordModule from 'gcoord';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.ts';
import { geometryToWgs84, parseCrs, toWgs84 } from '../../src/facilities/crs.ts';

const gcoord = gcoordModule as unknown as typeof gcoordModule.default;
const metres = (a: number[], b: number[]) => distance(a, b, { units: 'meters' });

/**
 * Known pairs from gcoord's own fixture (hujiulong/gcoord, test/fixtures/china-cities.json): WGS84,
 * GCJ-02 and BD-09 of the same place, rounded to 7 decimals. gcoord's tests accept 4 decimals;
 * we hold it to 2 m.
 */
const KNOWN = [
  { city: '汕头 Shantou (Guangdong)', wgs84: [116.6775114, 23.3567569], gcj02: [116.6819735, 23.3540964], bd09: [116.6885014, 23.3598884] },
  { city: '资阳 Ziyang (Sichuan)', wgs84: [104.6252411, 30.1317508], gcj02: [104.6276449, 30.1289052], bd09: [104.6340814, 30.1351581] },
  { city: '梅州 Meizhou (Guangdong)', wgs84: [116.1174053, 24.2912377], gcj02: [116.1222426, 24.2886182], bd09: [116.1287823, 24.2944828] },
];

describe('parseCrs', () => {
  it('defaults to wgs84 and takes the three names in any case', () => {
    expect(parseCrs(undefined)).toBe('wgs84');
    expect(parseCrs('gcj02')).toBe('gcj02');
    expect(parseCrs('BD09')).toBe('bd09');
  });

  it.each(['epsg:3857', 'gcj-02', 5, ''])('rejects %o naming the accepted values', (value) => {
    let err: unknown;
    try {
      parseCrs(value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('INVALID_PARAMETER');
    expect((err as InputError).message).toBe(`crs: got ${JSON.stringify(value)}, expected one of wgs84, gcj02, bd09`);
  });
});

describe('toWgs84', () => {
  it.each(KNOWN)('$city: GCJ-02 and BD-09 land within 2 m of the known WGS84 point', ({ wgs84, gcj02, bd09 }) => {
    expect(metres(toWgs84(gcj02, 'gcj02'), wgs84)).toBeLessThan(2);
    expect(metres(toWgs84(bd09, 'bd09'), wgs84)).toBeLessThan(2);
    expect(toWgs84(wgs84, 'wgs84')).toEqual(wgs84);
  });

  it('takes a Guangzhou point forth and back within 1 m, after an offset of a few hundred metres', () => {
    const tianhe = [113.3245, 23.1372]; // WGS84, Tianhe, Guangzhou
    const asGcj = gcoord.transform(tianhe as [number, number], gcoord.WGS84, gcoord.GCJ02);
    const asBd = gcoord.transform(tianhe as [number, number], gcoord.WGS84, gcoord.BD09);
    // GCJ-02 moves this point 625 m east-south-east; BD-09 adds Baidu's own offset (1.27 km in all).
    expect(metres(asGcj, tianhe)).toBeGreaterThan(500);
    expect(metres(asGcj, tianhe)).toBeLessThan(750);
    expect(metres(asBd, tianhe)).toBeGreaterThan(1000);
    expect(metres(toWgs84(asGcj, 'gcj02'), tianhe)).toBeLessThan(1);
    expect(metres(toWgs84(asBd, 'bd09'), tianhe)).toBeLessThan(1);
  });

  it('leaves points outside China where they are (the offsets are not defined there)', () => {
    expect(toWgs84([7.43, 43.73], 'gcj02')).toEqual([7.43, 43.73]);
  });

  it('drops a third ordinate and returns a new array', () => {
    const input = [116.6775114, 23.3567569, 12];
    const out = toWgs84(input, 'wgs84');
    expect(out).toEqual([116.6775114, 23.3567569]);
    expect(out).not.toBe(input);
  });
});

describe('geometryToWgs84', () => {
  it('converts every ring position and leaves the input untouched', () => {
    const polygon: Polygon = {
      type: 'Polygon',
      coordinates: [
        [[113.32, 23.13], [113.33, 23.13], [113.33, 23.14], [113.32, 23.13]],
        [[113.325, 23.132], [113.327, 23.132], [113.327, 23.134], [113.325, 23.132]],
      ],
    };
    const before = JSON.stringify(polygon);
    const out = geometryToWgs84(polygon, 'gcj02');
    expect(JSON.stringify(polygon)).toBe(before);
    expect(out.coordinates.map((r) => r.length)).toEqual([4, 4]);
    out.coordinates.flat().forEach((p, i) => {
      const original = polygon.coordinates.flat()[i];
      expect(p).toEqual(toWgs84(original, 'gcj02'));
      expect(metres(p, original)).toBeGreaterThan(400);
    });
    // Closed rings stay closed.
    expect(out.coordinates[0][0]).toEqual(out.coordinates[0][3]);
  });

  it('handles points, lines and multi-geometries', () => {
    const p = geometryToWgs84({ type: 'Point', coordinates: [113.32, 23.13] }, 'bd09');
    expect(p.coordinates).toEqual(toWgs84([113.32, 23.13], 'bd09'));
    const m = geometryToWgs84({ type: 'MultiPolygon', coordinates: [[[[113.32, 23.13], [113.33, 23.13], [113.33, 23.14], [113.32, 23.13]]]] }, 'gcj02');
    expect(m.coordinates[0][0][1]).toEqual(toWgs84([113.33, 23.13], 'gcj02'));
  });
});
