import { booleanPointInPolygon, length, lineString, polygon as turfPolygon } from '@turf/turf';
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { toWgs84 } from '../../src/core/geo/crs.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';

const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const point = (lon: number, lat: number, properties: Record<string, unknown> = {}, id?: string | number) => ({
  type: 'Feature',
  ...(id !== undefined ? { id } : {}),
  geometry: { type: 'Point', coordinates: [lon, lat] },
  properties,
});
/** Great-circle length of a ring, by turf (independent of the reader's own haversine). */
const outlineM = (ring: Position[]) => length(lineString(ring), { units: 'meters' });
const withGeometry = (geometry: unknown, properties: Record<string, unknown> = { category: 'park' }) => ({ type: 'Feature', geometry, properties });

// An L-shaped park whose bbox centre is outside it.
const L_RING: Position[] = [[113.3, 23.1], [113.304, 23.1], [113.304, 23.101], [113.301, 23.101], [113.301, 23.104], [113.3, 23.104], [113.3, 23.1]];

describe('readFacilities: the collection', () => {
  it.each([null, [], 'x', { type: 'Feature' }, { type: 'FeatureCollection' }])('rejects %o with INVALID_GEOJSON', (input) => {
    let err: unknown;
    try {
      readFacilities(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe('INVALID_GEOJSON');
    expect((err as InputError).message).toMatch(/^facilities: got .*, expected a GeoJSON FeatureCollection$/);
  });

  it('rejects an unknown crs before reading anything', () => {
    expect(() => readFacilities(fc(), { crs: 'utm' })).toThrow(/^crs: got "utm", expected a coordinate system such as "EPSG:4547"/);
  });

  it('reads an empty collection', () => {
    expect(readFacilities(fc())).toEqual({ facilities: [], unmapped: { count: 0, examples: [], byReason: {} }, errors: [] });
  });
});

describe('readFacilities: a point facility', () => {
  it('keeps id, name, categories and where they came from, the point and the properties', () => {
    const props = { id: 'c1', name: '东湖社区卫生服务站', category: 'clinic', opening_hours: 'Mo-Su 08:00-20:00', area_m2: '320' };
    const { facilities, errors } = readFacilities(fc(point(113.29, 23.13, props)));
    expect(errors).toEqual([]);
    expect(facilities).toEqual([
      {
        index: 0,
        id: 'c1',
        name: '东湖社区卫生服务站',
        categories: ['clinic'],
        via: 'category',
        lon: 113.29,
        lat: 23.13,
        areaM2: 320,
        openingHours: 'Mo-Su 08:00-20:00',
        properties: props,
      },
    ]);
  });

  it('takes the id from properties.id, else the feature id, else the index', () => {
    const { facilities } = readFacilities(
      fc(point(113, 23, { amenity: 'pharmacy', id: 'p' }, 'f'), point(113, 23, { amenity: 'pharmacy' }, 7), point(113, 23, { amenity: 'pharmacy' })),
    );
    expect(facilities.map((f) => f.id)).toEqual(['p', '7', '2']);
    expect(facilities.map((f) => f.via)).toEqual(['osm', 'osm', 'osm']);
  });

  it('converts GCJ-02 input, entrances included', () => {
    const entrances = [[113.2901, 23.1301]];
    const { facilities } = readFacilities(fc(point(113.29, 23.13, { category: 'clinic', entrances })), { crs: 'gcj02' });
    expect([facilities[0].lon, facilities[0].lat]).toEqual(toWgs84([113.29, 23.13], 'gcj02'));
    expect(facilities[0].entrances).toEqual([toWgs84(entrances[0], 'gcj02')]);
    // Downstream of the reader everything is WGS84, the properties' entrances too; the input is untouched.
    expect(facilities[0].properties.entrances).toEqual(facilities[0].entrances);
    expect(entrances).toEqual([[113.2901, 23.1301]]);
  });
});

describe('readFacilities: where a facility with an extent is', () => {
  it('a polygon: a point strictly inside, even for an L shape; reached along its outline', () => {
    const { facilities } = readFacilities(fc(withGeometry({ type: 'Polygon', coordinates: [L_RING] })));
    const f = facilities[0];
    expect(booleanPointInPolygon([f.lon, f.lat], turfPolygon([L_RING]), { ignoreBoundary: true })).toBe(true);
    // The L's outline is 2 × (409 + 445) m ≈ 1.71 km: 69 points, every one on the boundary.
    expect(f.reachedAt).toBe('outline');
    expect(f.entrances).toHaveLength(Math.ceil(outlineM(L_RING) / 25));
    for (const p of f.entrances!) {
      expect(booleanPointInPolygon(p, turfPolygon([L_RING]))).toBe(true);
      expect(booleanPointInPolygon(p, turfPolygon([L_RING]), { ignoreBoundary: true })).toBe(false);
    }
  });

  it('a polygon with entrances: the entrances only, and still a point inside', () => {
    const gates = [[113.3, 23.102], [113.303, 23.1]];
    const { facilities } = readFacilities(fc(withGeometry({ type: 'Polygon', coordinates: [L_RING] }, { leisure: 'park', entrances: gates })));
    expect(facilities[0].entrances).toEqual(gates);
    expect(facilities[0].reachedAt).toBe('entrances');
    expect(booleanPointInPolygon([facilities[0].lon, facilities[0].lat], turfPolygon([L_RING]))).toBe(true);
  });

  it('a MultiPolygon: a point inside its largest part; reached along the outline of every part', () => {
    const tiny: Position[][] = [[[113.31, 23.11], [113.3101, 23.11], [113.3101, 23.1101], [113.31, 23.11]]];
    const { facilities } = readFacilities(fc(withGeometry({ type: 'MultiPolygon', coordinates: [tiny, [L_RING]] })));
    expect(booleanPointInPolygon([facilities[0].lon, facilities[0].lat], turfPolygon([L_RING]))).toBe(true);
    // The tiny triangle (~34 m round) still gets three points, then the L its 69.
    const entrances = facilities[0].entrances!;
    expect(entrances).toHaveLength(3 + Math.ceil(outlineM(L_RING) / 25));
    for (const p of entrances.slice(0, 3)) expect(booleanPointInPolygon(p, turfPolygon(tiny))).toBe(true);
  });

  it('a polygon given in GCJ-02: its outline points are converted with it', () => {
    const { facilities } = readFacilities(fc(withGeometry({ type: 'Polygon', coordinates: [L_RING] })), { crs: 'gcj02' });
    const wgs84Ring = L_RING.map((p) => toWgs84(p, 'gcj02'));
    expect(facilities[0].entrances![0][0]).toBeCloseTo(wgs84Ring[0][0], 9);
    expect(facilities[0].entrances![0][1]).toBeCloseTo(wgs84Ring[0][1], 9);
  });

  it('a line: its middle by length', () => {
    const { facilities } = readFacilities(fc(withGeometry({ type: 'LineString', coordinates: [[113.3, 23.1], [113.302, 23.1]] }, { leisure: 'fitness_station' })));
    expect(facilities[0].lon).toBeCloseTo(113.301, 9);
    expect(facilities[0].lat).toBeCloseTo(23.1, 9);
    expect(facilities[0].categories).toEqual(['fitness_trail']);
  });

  it('a MultiPoint: its points are the entrances', () => {
    const { facilities } = readFacilities(fc(withGeometry({ type: 'MultiPoint', coordinates: [[113.3, 23.1], [113.31, 23.1]] })));
    expect(facilities[0]).toMatchObject({ lon: 113.3, lat: 23.1, entrances: [[113.3, 23.1], [113.31, 23.1]] });
  });
});

describe('readFacilities: bad features are errors, never throws', () => {
  const cases: [string, unknown, string][] = [
    ['not a feature', { type: 'Point', coordinates: [113, 23] }, 'feature 0: got an object with type "Point", expected a GeoJSON Feature'],
    ['no geometry', withGeometry(null), 'feature 0: geometry is null: expected a GeoJSON geometry'],
    ['NaN', withGeometry({ type: 'Point', coordinates: [NaN, 23] }), 'feature 0: position [NaN, 23]: expected finite numbers'],
    [
      'an unclosed ring',
      withGeometry({ type: 'Polygon', coordinates: [L_RING.slice(0, -1)] }),
      'feature 0: outer ring is not closed: starts at [113.3, 23.1], ends at [113.3, 23.104]; expected the first position repeated at the end',
    ],
    [
      'a polygon of no area',
      withGeometry({ type: 'Polygon', coordinates: [[[113, 23], [113.1, 23], [113.2, 23], [113, 23]]] }),
      'feature 0: Polygon has no area: expected a polygon that encloses some ground',
    ],
    ['a bad category', point(113, 23, { category: 'supermaket' }), 'feature 0: category: got "supermaket", expected a facility category id (did you mean "supermarket"?)'],
    ['bad entrances', point(113, 23, { category: 'bank', entrances: [[113]] }), 'feature 0: properties.entrances[0]: position [113]: expected [lon, lat]'],
    ['a negative area', point(113, 23, { category: 'library', area_m2: -5 }), 'feature 0: properties.area_m2: got -5, expected a number ≥ 0'],
    ['a non-text opening_hours', point(113, 23, { category: 'library', opening_hours: { mo: 1 } }), 'feature 0: properties.opening_hours: got {"mo":1}, expected a string'],
    ['an object id', point(113, 23, { category: 'bank', id: { a: 1 } }), 'feature 0: id {"a":1}: expected a string or a number'],
  ];
  it.each(cases)('%s', (_what, feature, message) => {
    const read = readFacilities(fc(feature, point(113, 23, { category: 'bank' }, 'ok')));
    expect(read.errors).toEqual([{ index: 0, id: '0', message }]);
    expect(read.facilities.map((f) => f.id)).toEqual(['ok']);
  });

  it('reports a repeated id against the later features only', () => {
    const read = readFacilities(fc(point(113, 23, { category: 'bank', id: 'b' }), point(113, 23, { category: 'atm', id: 'b' }), point(113, 23, { category: 'atm' }, 'b')));
    expect(read.facilities.map((f) => f.categories)).toEqual([['bank']]);
    expect(read.errors).toEqual([
      { index: 1, id: 'b', message: 'feature 1 (id "b"): id "b" repeats feature 0\'s: expected unique ids' },
      { index: 2, id: 'b', message: 'feature 2 (id "b"): id "b" repeats feature 0\'s: expected unique ids' },
    ]);
  });
});

describe('readFacilities: unmapped features', () => {
  it('are counted by reason with a few examples, not dropped silently', () => {
    const read = readFacilities(
      fc(
        point(113, 23, { amenity: 'bench' }, 'b1'),
        point(113, 23, { amenity: 'bench' }, 'b2'),
        point(113, 23, { typecode: '050500', name: '某咖啡' }, 'c'),
        point(113, 23, { name: '无名' }, 'n'),
        point(113, 23, { amenity: 'clinic' }, 'ok'),
      ),
      { maxExamples: 2 },
    );
    expect(read.facilities.map((f) => f.id)).toEqual(['ok']);
    expect(read.errors).toEqual([]);
    expect(read.unmapped).toEqual({
      count: 4,
      examples: [
        { index: 0, id: 'b1', reason: 'no category; OSM tags amenity=bench not mapped' },
        { index: 1, id: 'b2', reason: 'no category; OSM tags amenity=bench not mapped' },
      ],
      byReason: {
        'no category; OSM tags amenity=bench not mapped': 2,
        'no category; Amap typecode 050500 not mapped': 1,
        'no category, OSM tags or Amap type': 1,
      },
    });
  });

  it('puts every feature in exactly one of facilities, unmapped and errors', () => {
    const features = [
      point(113, 23, { amenity: 'clinic' }),
      point(113, 23, { amenity: 'bench' }),
      withGeometry(null),
      point(113, 23, { typecode: '060200' }),
      point(113, 23, { category: 'nope' }),
    ];
    const read = readFacilities(fc(...features));
    const indices = [...read.facilities.map((f) => f.index), ...read.errors.map((e) => e.index)].sort();
    expect(indices.length + read.unmapped.count).toBe(features.length);
    expect(indices).toEqual([0, 2, 3, 4]);
  });
});
