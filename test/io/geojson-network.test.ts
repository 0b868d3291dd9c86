import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { polylineLengthM } from '../../src/core/geo/distance.ts';
import { readGeoJsonNetwork } from '../../src/core/io/geojson-network.ts';
import { CollectingSink, plainLine } from './collecting-sink.ts';

const line = (coordinates: unknown, properties: unknown = {}, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'LineString', coordinates },
  ...extra,
});
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features });

function read(input: unknown) {
  const sink = new CollectingSink();
  const stats = readGeoJsonNetwork(input, sink);
  return { sink, stats };
}

describe('readGeoJsonNetwork: the collection', () => {
  it.each([
    [null, 'null'],
    [[], 'an array'],
    ['roads', 'a string'],
    [{ type: 'Feature', geometry: null, properties: {} }, 'a Feature'],
    [{ features: [] }, 'an object without "type"'],
  ])('throws INVALID_GEOJSON for %j', (input, got) => {
    let error: unknown;
    try {
      readGeoJsonNetwork(input, new CollectingSink());
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('INVALID_GEOJSON');
    expect((error as InputError).message).toBe(`network: expected a GeoJSON FeatureCollection, got ${got}`);
  });

  it('throws when "features" is not an array', () => {
    expect(() => readGeoJsonNetwork({ type: 'FeatureCollection', features: {} }, new CollectingSink())).toThrow(
      /"features" is an object without "type": expected an array/,
    );
  });

  it('accepts an empty collection, and one with nothing usable (the builder reports the empty network)', () => {
    expect(read(collection()).stats).toEqual({ features: 0, linesEmitted: 0, rejected: 0 });
    const { stats, sink } = read(collection({ type: 'Feature', properties: {}, geometry: null }));
    expect(stats).toEqual({ features: 1, linesEmitted: 0, rejected: 1 });
    expect(sink.lines).toEqual([]);
  });
});

describe('readGeoJsonNetwork: lines', () => {
  it('emits a LineString as one line with flat lon,lat pairs, dropping z and consecutive duplicates', () => {
    const { sink, stats } = read(
      collection(line([[1, 2, 30], [1, 2, 31], [3, 4, 32], [3, 4], [1, 2]], { highway: 'residential' })),
    );
    expect(stats).toEqual({ features: 1, linesEmitted: 1, rejected: 0 });
    expect(sink.lines.map(plainLine)).toEqual([
      { ref: 'feature 0', coords: [1, 2, 3, 4, 1, 2], tags: { highway: 'residential' } },
    ]);
    expect(sink.lines[0].nodeIds).toBeUndefined();
  });

  it('takes the ref id from feature.id, else properties.id', () => {
    const { sink } = read(
      collection(
        line([[0, 0], [1, 1]], { id: 'p' }, { id: 7 }),
        line([[0, 0], [1, 1]], { id: 'p' }),
        line([[0, 0], [1, 1]], {}),
      ),
    );
    expect(sink.lines.map((l) => l.ref)).toEqual(['feature 0 (id 7)', 'feature 1 (id "p")', 'feature 2']);
  });

  it('emits one line per MultiLineString part, with the part in the ref', () => {
    const { sink, stats } = read(
      collection(
        line([[0, 0], [1, 0]]),
        {
          type: 'Feature',
          id: 'x',
          properties: { highway: 'footway' },
          geometry: { type: 'MultiLineString', coordinates: [[[0, 0], [0, 1]], [[5, 5], [5, 5]], [[2, 2], [2, 3], [2, 4]]] },
        },
      ),
    );
    expect(stats).toEqual({ features: 2, linesEmitted: 3, rejected: 1 });
    expect(sink.lines.map((l) => [l.ref, Array.from(l.coords)])).toEqual([
      ['feature 0', [0, 0, 1, 0]],
      ['feature 1 part 0 (id "x")', [0, 0, 0, 1]],
      ['feature 1 part 2 (id "x")', [2, 2, 2, 3, 2, 4]],
    ]);
    expect(sink.rejected).toEqual([
      { ref: 'feature 1 part 1 (id "x")', reason: 'line has 1 distinct point: expected at least 2' },
    ]);
  });

  it('splits length_m over MultiLineString parts in proportion to their great-circle length', () => {
    const parts = [
      [[116.3, 39.9], [116.31, 39.9]],
      [[116.3, 39.91], [116.3, 39.93], [116.33, 39.93]],
    ];
    const { sink } = read(
      collection({ type: 'Feature', properties: { length_m: 1000 }, geometry: { type: 'MultiLineString', coordinates: parts } }),
    );
    const measured = parts.map((p) => polylineLengthM(p.flat()));
    const total = measured[0] + measured[1];
    expect(sink.lines).toHaveLength(2);
    expect(sink.lines[0].lengthM).toBeCloseTo((1000 * measured[0]) / total, 9);
    expect(sink.lines[1].lengthM).toBeCloseTo((1000 * measured[1]) / total, 9);
    expect(sink.lines[0].lengthM! + sink.lines[1].lengthM!).toBeCloseTo(1000, 9);
    expect(sink.lines[0].tags).toEqual({});
  });

  it('gives a LineString its length_m unchanged', () => {
    const { sink } = read(collection(line([[0, 0], [0, 0.001]], { length_m: 250.5 })));
    expect(sink.lines[0].lengthM).toBe(250.5);
  });
});

describe('readGeoJsonNetwork: properties become tags', () => {
  it('converts strings, numbers and booleans, skips null, objects, arrays, empty strings and bookkeeping keys', () => {
    const properties = {
      highway: 'primary',
      maxspeed: 50,
      lanes: 2.5,
      oneway: true,
      bridge: false,
      name: '',
      surface: null,
      nested: { a: 1 },
      list: [1, 2],
      length_m: 12,
      id: 'a',
      fid: 3,
      osm_id: 123,
      osm_type: 'ways',
      '@id': 'way/123',
      'name:en': 'Main Road',
    };
    const { sink } = read(collection(line([[0, 0], [1, 1]], properties)));
    expect(sink.lines[0].tags).toEqual({
      highway: 'primary',
      maxspeed: '50',
      lanes: '2.5',
      oneway: 'yes',
      bridge: 'no',
      'name:en': 'Main Road',
    });
    expect(sink.lines[0].lengthM).toBe(12);
  });

  it('treats missing or null properties as no tags', () => {
    const { sink } = read(
      collection(
        { type: 'Feature', geometry: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } },
        line([[0, 0], [1, 1]], null),
      ),
    );
    expect(sink.lines.map((l) => l.tags)).toEqual([{}, {}]);
  });
});

describe('readGeoJsonNetwork: rejected features', () => {
  const cases: [string, unknown, string, string?][] = [
    ['a null geometry', { type: 'Feature', properties: {}, geometry: null }, 'geometry is null'],
    ['a missing geometry', { type: 'Feature', properties: {} }, 'geometry is missing'],
    [
      'a Point',
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [1, 2] } },
      'geometry type Point is not a road: expected LineString or MultiLineString',
    ],
    [
      'a Polygon',
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [] } },
      'geometry type Polygon is not a road: expected LineString or MultiLineString',
    ],
    [
      'a NaN coordinate',
      line([[0, 0], [1, 1], [2, 2], [3, 3], [NaN, 23.1]]),
      'coordinate 4 is [NaN, 23.1]: expected finite lon in [-180,180], lat in [-90,90]',
    ],
    [
      'a latitude out of range',
      line([[0, 0], [10, 91]]),
      'coordinate 1 is [10, 91]: expected finite lon in [-180,180], lat in [-90,90]',
    ],
    [
      'a string coordinate',
      line([['1', 2], [0, 0]]),
      'coordinate 0 is ["1", 2]: expected finite lon in [-180,180], lat in [-90,90]',
    ],
    [
      'a one-number position',
      line([[0, 0], [5]]),
      'coordinate 1 is [5]: expected finite lon in [-180,180], lat in [-90,90]',
    ],
    ['a single point', line([[1, 1]]), 'line has 1 distinct point: expected at least 2'],
    ['repeated points only', line([[1, 1], [1, 1, 5]]), 'line has 1 distinct point: expected at least 2'],
    ['no points', line([]), 'line has 0 distinct points: expected at least 2'],
    ['coordinates that are not an array', line('0,0 1,1'), 'coordinates is "0,0 1,1": expected an array of [lon, lat] positions'],
    ['a negative length_m', line([[0, 0], [1, 1]], { length_m: -3 }), 'length_m is -3: expected a positive number'],
    ['a zero length_m', line([[0, 0], [1, 1]], { length_m: 0 }), 'length_m is 0: expected a positive number'],
    ['a string length_m', line([[0, 0], [1, 1]], { length_m: '12' }), 'length_m is "12": expected a positive number'],
    ['properties that are an array', line([[0, 0], [1, 1]], [1]), 'properties is an array: expected an object or null'],
    ['something that is not a Feature', { type: 'LineString', coordinates: [[0, 0], [1, 1]] }, 'expected a GeoJSON Feature, got a LineString'],
    [
      'a MultiLineString without parts',
      { type: 'Feature', properties: {}, geometry: { type: 'MultiLineString', coordinates: [] } },
      'MultiLineString has no parts',
    ],
  ];

  it.each(cases)('rejects %s with a reason, and goes on', (_, feature, reason) => {
    const { sink, stats } = read(collection(feature, line([[0, 0], [1, 1]], { highway: 'service' })));
    expect(sink.rejected).toEqual([{ ref: 'feature 0', reason }]);
    expect(sink.lines.map((l) => l.ref)).toEqual(['feature 1']);
    expect(stats).toEqual({ features: 2, linesEmitted: 1, rejected: 1 });
  });

  it('names the feature id in the ref of a rejected feature', () => {
    const { sink } = read(collection({ type: 'Feature', id: 'r9', properties: {}, geometry: null }));
    expect(sink.rejected).toEqual([{ ref: 'feature 0 (id "r9")', reason: 'geometry is null' }]);
  });
});
