/**
 * Given homes: points and building polygons tied to communities by id or by lying inside one, and
 * every unusable row reported with its index, id and reason while the rest is read.
 */
import { describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readHomeFeatures, readHomes } from '../../src/core/communities/read-homes.ts';
import { placeHomes } from '../../src/core/communities/place-homes.ts';
import { InputError } from '../../src/core/errors.ts';
import { toWgs84 } from '../../src/core/geo/crs.ts';
import { at, fc, metres, rect } from './homes-fixtures.ts';

const home = (geometry: unknown, properties: Record<string, unknown> = {}, id?: string) => ({ type: 'Feature', ...(id ? { id } : {}), geometry, properties });
const point = (x: number, y: number) => ({ type: 'Point', coordinates: at(x, y) });

// Two compounds side by side and a Point community.
const communities = readCommunities(
  fc(
    { type: 'Feature', id: 'east-gate', geometry: { type: 'Polygon', coordinates: [rect(0, 0, 100, 100)] }, properties: { type: 'urban', population: 1000 } },
    { type: 'Feature', id: 'west-gate', geometry: { type: 'Polygon', coordinates: [rect(200, 0, 100, 100)] }, properties: { type: 'urban' } },
    { type: 'Feature', id: 'village', geometry: point(1000, 1000), properties: { type: 'rural' } },
  ),
).communities;

describe('readHomes', () => {
  it('ties a home to the community it names, else to the polygon it lies in', () => {
    const read = readHomes(
      fc(
        home(point(10, 10), { population: 40 }, 'h1'),
        home(point(250, 50), { households: 12 }, 'h2'),
        home(point(5000, 5000), { community: 'village' }, 'h3'),
        // Inside east-gate but named for west-gate: the name wins.
        home(point(50, 50), { community: 'west-gate' }, 'h4'),
      ),
      communities,
    );
    expect(read.errors).toEqual([]);
    expect([...read.byCommunity.keys()].sort()).toEqual([0, 1, 2]);
    expect(read.byCommunity.get(0)!.map((h) => h.id)).toEqual(['h1']);
    expect(read.byCommunity.get(0)![0]).toMatchObject({ index: 0, population: 40 });
    expect(read.byCommunity.get(1)!.map((h) => h.id)).toEqual(['h2', 'h4']);
    expect(read.byCommunity.get(1)![0]).toMatchObject({ households: 12 });
    expect(read.byCommunity.get(2)!.map((h) => h.id)).toEqual(['h3']);
    // Not carried on: the community the home named is the key already.
    expect(read.byCommunity.get(1)![1]).not.toHaveProperty('community');
  });

  it('a building polygon is one home inside it, with its footprint area and levels', () => {
    const footprint = rect(20, 20, 40, 30);
    const read = readHomes(fc(home({ type: 'Polygon', coordinates: [footprint] }, { 'building:levels': '6' }, 'b1')), communities);
    const [b] = read.byCommunity.get(0)!;
    const [x, y] = metres(b.lon, b.lat);
    expect(x > 20 && x < 60 && y > 20 && y < 50).toBe(true);
    // 40 m × 30 m, within 0.5 % (turf's spherical area against the fixture's sphere).
    expect(b.areaM2! / 1200).toBeGreaterThan(0.995);
    expect(b.areaM2! / 1200).toBeLessThan(1.005);
    expect(b.levels).toBe(6);
  });

  it('reports each unusable row with its index, id and reason, and reads the rest', () => {
    const read = readHomes(
      fc(
        home(null, {}, 'no-geometry'),
        home({ type: 'LineString', coordinates: [at(0, 0), at(10, 0)] }, {}, 'a-line'),
        home(point(10, 10), { community: 'east-gat' }, 'typo'),
        home(point(150, 50), {}, 'between'),
        home(point(10, 10), { population: -3 }, 'negative'),
        home(point(20, 20), {}, 'fine'),
      ),
      communities,
    );
    expect(read.errors.map((e) => [e.index, e.id])).toEqual([
      [0, 'no-geometry'],
      [1, 'a-line'],
      [2, 'typo'],
      [3, 'between'],
      [4, 'negative'],
    ]);
    const [noGeometry, line, typo, between, negative] = read.errors.map((e) => e.message);
    expect(noGeometry).toMatch(/feature 0 \(id "no-geometry"\): geometry is null/);
    expect(line).toMatch(/geometry type LineString: expected a Point .* or a Polygon or MultiPolygon/);
    expect(typo).toMatch(/properties\.community "east-gat": no such community \(did you mean "east-gate"\?\)/);
    expect(between).toMatch(/outside every community polygon/);
    expect(negative).toMatch(/properties\.population: got -3, expected a number ≥ 0/);
    expect(read.byCommunity.get(0)!.map((h) => h.id)).toEqual(['fine']);
  });

  it('converts from the crs given', () => {
    const wgs = at(50, 50);
    // A GCJ-02 position whose WGS84 is inside east-gate: found by converting a guess back and forth.
    let gcj: [number, number] = [wgs[0] + 0.0025, wgs[1] - 0.0025];
    for (let i = 0; i < 5; i++) {
      const back = toWgs84(gcj, 'gcj02');
      gcj = [gcj[0] + wgs[0] - back[0], gcj[1] + wgs[1] - back[1]];
    }
    const read = readHomes(fc(home({ type: 'Point', coordinates: gcj }, {}, 'g')), communities, { crs: 'gcj02' });
    expect(read.errors).toEqual([]);
    const [h] = read.byCommunity.get(0)!;
    const [x, y] = metres(h.lon, h.lat);
    expect(x).toBeCloseTo(50, 0);
    expect(y).toBeCloseTo(50, 0);
  });

  it('throws only for a non-FeatureCollection', () => {
    expect(() => readHomes({ type: 'Feature' }, communities)).toThrow(InputError);
    expect(() => readHomeFeatures([])).toThrow(InputError);
  });

  it('given homes become the community\'s homes, weighted by their figures', () => {
    const read = readHomes(fc(home(point(10, 10), { population: 40 }), home(point(80, 80), { population: 60 })), communities);
    const homes = placeHomes(communities[0], { given: read.byCommunity.get(0) });
    expect(homes.rule).toBe('given');
    expect(homes.homes.map((h) => h.weight)).toEqual([40, 60]);
  });
});
