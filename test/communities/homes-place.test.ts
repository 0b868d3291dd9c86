/**
 * Placing a community's homes: the grid on compounds of known size, at least one home per part,
 * the cap, gates belonging to their own part, and weights that add up to the population.
 * Expectations are worked out from the compounds' dimensions in metres, not printed by the code.
 */
import { booleanPointInPolygon, distance } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { type Community, readCommunities } from '../../src/core/communities/read-communities.ts';
import { placeHomes, representativeHomes } from '../../src/core/communities/place-homes.ts';
import { InputError } from '../../src/core/errors.ts';
import { at, fc, feature, metres, rect } from './homes-fixtures.ts';

function community(geometry: unknown, properties: Record<string, unknown> = {}): Community {
  const read = readCommunities(fc(feature(geometry, { type: 'urban', ...properties })));
  expect(read.errors).toEqual([]);
  return read.communities[0];
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('placeHomes: grid', () => {
  it('a 100 m × 50 m compound at 25 m: the 4 × 2 cell centres, 25 m apart, population shared equally', () => {
    const ring = rect(0, 0, 100, 50);
    const homes = placeHomes(community({ type: 'Polygon', coordinates: [ring] }, { population: 800 }), { spacingM: 25 });
    expect(homes.rule).toBe('grid');
    expect(homes.homes).toHaveLength(8);
    expect(homes.capped).toBeUndefined();
    // Cell centres at x = 12.5, 37.5, 62.5, 87.5 and y = 12.5, 37.5 (within half a metre: the code's
    // metric frame is the ellipsoid's, the fixture's a sphere).
    const cells = homes.homes.map((h) => {
      const [x, y] = metres(h.lon, h.lat);
      expect(Math.abs(((x - 12.5) / 25) - Math.round((x - 12.5) / 25)) * 25).toBeLessThan(0.5);
      expect(Math.abs(((y - 12.5) / 25) - Math.round((y - 12.5) / 25)) * 25).toBeLessThan(0.5);
      return `${Math.round((x - 12.5) / 25)},${Math.round((y - 12.5) / 25)}`;
    });
    expect(cells.sort()).toEqual(['0,0', '0,1', '1,0', '1,1', '2,0', '2,1', '3,0', '3,1']);
    for (const h of homes.homes) {
      expect(booleanPointInPolygon([h.lon, h.lat], { type: 'Polygon', coordinates: [ring] })).toBe(true);
      expect(h.weight).toBeCloseTo(100, 9);
      expect(h.part).toBe(0);
      // The nearest other home is one spacing away (turf's great-circle distance, within 0.5 %).
      const nearest = Math.min(...homes.homes.filter((o) => o !== h).map((o) => distance([h.lon, h.lat], [o.lon, o.lat], { units: 'meters' })));
      expect(nearest).toBeGreaterThan(25 * 0.995);
      expect(nearest).toBeLessThan(25 * 1.005);
    }
    expect(homes.gates).toEqual([[]]);
  });

  it('the default spacing is 25 m; 50 m gives 2 × 1', () => {
    const polygon = { type: 'Polygon', coordinates: [rect(0, 0, 100, 50)] };
    expect(placeHomes(community(polygon)).homes).toHaveLength(8);
    expect(placeHomes(community(polygon), { spacingM: 50 }).homes).toHaveLength(2);
  });

  it('a hole takes its homes away: 100 m × 100 m less a 50 m × 50 m courtyard in the middle leaves 16 − 4', () => {
    const homes = placeHomes(community({ type: 'Polygon', coordinates: [rect(0, 0, 100, 100), rect(25, 25, 50, 50).reverse()] }));
    expect(homes.homes).toHaveLength(12);
    for (const h of homes.homes) {
      const [x, y] = metres(h.lon, h.lat);
      expect(x > 25 && x < 75 && y > 25 && y < 75).toBe(false);
    }
  });

  it('at least one home per part: a 10 m × 10 m part far away gets one, inside it; parts share the population by area', () => {
    const big = rect(0, 0, 100, 50);
    const tiny = rect(1000, 0, 10, 10);
    const homes = placeHomes(community({ type: 'MultiPolygon', coordinates: [[big], [tiny]] }, { population: 5100 }));
    expect(homes.homes).toHaveLength(9);
    const inTiny = homes.homes.filter((h) => h.part === 1);
    expect(inTiny).toHaveLength(1);
    expect(booleanPointInPolygon([inTiny[0].lon, inTiny[0].lat], { type: 'Polygon', coordinates: [tiny] }, { ignoreBoundary: true })).toBe(true);
    // 5,000 m² and 100 m² of 5,100: the big part's 8 homes 625 people each, the tiny one's 100.
    expect(inTiny[0].weight).toBeCloseTo(100, 0);
    for (const h of homes.homes.filter((h) => h.part === 0)) expect(h.weight).toBeCloseTo(625, 0);
    expect(sum(homes.homes.map((h) => h.weight))).toBeCloseTo(5100, 6);
    expect(homes.gates).toEqual([[], []]);
  });

  it('a community without population: weights sum to the number of homes', () => {
    const homes = placeHomes(community({ type: 'MultiPolygon', coordinates: [[rect(0, 0, 100, 50)], [rect(1000, 0, 10, 10)]] }));
    expect(sum(homes.homes.map((h) => h.weight))).toBeCloseTo(9, 9);
  });

  it('the cap raises the spacing and says so: 200 m × 200 m is 64 homes at 25 m, at most 16 with cap 16', () => {
    const homes = placeHomes(community({ type: 'Polygon', coordinates: [rect(0, 0, 200, 200)] }, { population: 1000 }), { cap: 16 });
    expect(homes.capped).toEqual({ cap: 16, found: 64 });
    expect(homes.homes.length).toBeLessThanOrEqual(16);
    expect(homes.homes.length).toBeGreaterThanOrEqual(9);
    // 16 homes on 40,000 m² need a 50 m spacing or more.
    expect(homes.spacingM).toBeGreaterThanOrEqual(50);
    expect(sum(homes.homes.map((h) => h.weight))).toBeCloseTo(1000, 6);
  });

  it('more parts than the cap: still one home per part', () => {
    const parts = [0, 1, 2].map((i) => [rect(i * 500, 0, 10, 10)]);
    const homes = placeHomes(community({ type: 'MultiPolygon', coordinates: parts }), { cap: 2 });
    expect(homes.homes.map((h) => h.part)).toEqual([0, 1, 2]);
  });

  it('refuses a spacing over 50 m or a cap below 1', () => {
    const c = community({ type: 'Polygon', coordinates: [rect(0, 0, 100, 50)] });
    expect(() => placeHomes(c, { spacingM: 60 })).toThrow(InputError);
    expect(() => placeHomes(c, { spacingM: 0 })).toThrow(InputError);
    expect(() => placeHomes(c, { cap: 0 })).toThrow(InputError);
  });
});

describe('placeHomes: gates', () => {
  it('each gate belongs to the part containing it, else to the nearest part', () => {
    const a = rect(0, 0, 100, 50);
    const b = rect(3000, 0, 100, 50);
    const gateA = at(50, 0.5); // just inside A's south edge
    const gateBOutside = at(3050, -5); // 5 m south of B
    const gateB = at(3099, 25); // inside B by its east edge
    const c = community({ type: 'MultiPolygon', coordinates: [[a], [b]] }, { entrances: [gateBOutside, gateA, gateB], population: 1600 });
    const homes = placeHomes(c);
    expect(homes.gates).toEqual([[gateA], [gateBOutside, gateB]]);
    expect(homes.homes.filter((h) => h.part === 0)).toHaveLength(8);
    expect(homes.homes.filter((h) => h.part === 1)).toHaveLength(8);
    for (const h of homes.homes) expect(metres(h.lon, h.lat)[0] > 1000).toBe(h.part === 1);
  });

  it('a Point community is one home; with entrances, they are its gates', () => {
    const point = at(0, 0);
    expect(placeHomes(community({ type: 'Point', coordinates: point }, { population: 300 }))).toEqual({
      rule: 'point',
      homes: [{ lon: point[0], lat: point[1], weight: 300, part: 0 }],
      gates: [[]],
    });
    const gate = at(30, 0);
    expect(placeHomes(community({ type: 'Point', coordinates: point }, { entrances: [gate] })).gates).toEqual([[gate]]);
  });

  it('a MultiPoint community: one home at the gates\' centroid, every point a gate', () => {
    const points = [at(0, 0), at(100, 0), at(100, 60), at(0, 60)];
    const homes = placeHomes(community({ type: 'MultiPoint', coordinates: points }));
    expect(homes.rule).toBe('gates');
    expect(homes.homes).toHaveLength(1);
    const [x, y] = metres(homes.homes[0].lon, homes.homes[0].lat);
    expect(x).toBeCloseTo(50, 6);
    expect(y).toBeCloseTo(30, 6);
    expect(homes.homes[0].weight).toBe(1);
    expect(homes.gates).toEqual([points]);
  });
});

describe('placeHomes: given homes', () => {
  const c = () => community({ type: 'Polygon', coordinates: [rect(0, 0, 100, 50)] }, { population: 3000, households: 1000 });

  it('come first, with their population, or households × the community\'s persons per household', () => {
    const [lonA, latA] = at(10, 10);
    const [lonB, latB] = at(90, 40);
    const homes = placeHomes(c(), {
      given: [
        { index: 0, id: 'a', lon: lonA, lat: latA, population: 120 },
        { index: 1, id: 'b', lon: lonB, lat: latB, households: 10 },
      ],
    });
    expect(homes.rule).toBe('given');
    expect(homes.homes).toEqual([
      { lon: lonA, lat: latA, weight: 120, part: 0 },
      { lon: lonB, lat: latB, weight: 30, part: 0 },
    ]);
  });

  it('buildings without figures share the population by floor area', () => {
    const [lon, lat] = at(10, 10);
    const homes = placeHomes(c(), {
      given: [
        { index: 0, id: 'a', lon, lat, areaM2: 400, levels: 6 },
        { index: 1, id: 'b', lon, lat, areaM2: 600 },
      ],
    });
    // 2,400 and 600 m² of floor: 4/5 and 1/5 of 3,000.
    expect(homes.homes.map((h) => h.weight)).toEqual([2400, 600]);
  });
});

describe('representativeHomes', () => {
  it('one home setting out from all the origins (today\'s rule)', () => {
    const c = community({ type: 'MultiPolygon', coordinates: [[rect(0, 0, 100, 50)], [rect(1000, 0, 100, 50)]] });
    const homes = representativeHomes(c);
    expect(homes.rule).toBe('representative');
    expect(homes.homes).toHaveLength(1);
    expect(homes.pooledOrigins).toEqual(c.origins);
    expect(c.origins).toHaveLength(2);
  });
});
