import { booleanPointInPolygon, polygon as turfPolygon } from '@turf/turf';
import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { InputError } from '../../src/core/errors.ts';
import { toWgs84 } from '../../src/core/geo/crs.ts';

const fc = (...features: unknown[]) => ({ type: 'FeatureCollection', features });
const feature = (geometry: unknown, properties: Record<string, unknown> = {}, id?: string) => ({
  type: 'Feature',
  ...(id !== undefined ? { id } : {}),
  geometry,
  properties: { type: 'urban', ...properties },
});
const pt = (lon: number, lat: number) => ({ type: 'Point', coordinates: [lon, lat] });

// A U-shaped compound open to the north: its bbox centre is in the courtyard, outside it.
const U_RING: Position[] = [
  [113.3, 23.1], [113.303, 23.1], [113.303, 23.103], [113.302, 23.103], [113.302, 23.101],
  [113.301, 23.101], [113.301, 23.103], [113.3, 23.103], [113.3, 23.1],
];
const SQUARE = (x: number, y: number, d = 0.002): Position[] => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];

describe('readCommunities: origins', () => {
  it('a Point: the point', () => {
    const { communities } = readCommunities(fc(feature(pt(113.3, 23.1), { name: '东湖社区' }, 'c1')));
    expect(communities[0]).toMatchObject({ id: 'c1', name: '东湖社区', origins: [[113.3, 23.1]], originRule: 'point' });
  });

  it('a MultiPoint: its points are the entrances', () => {
    const { communities } = readCommunities(fc(feature({ type: 'MultiPoint', coordinates: [[113.3, 23.1], [113.31, 23.1]] })));
    expect(communities[0]).toMatchObject({ origins: [[113.3, 23.1], [113.31, 23.1]], originRule: 'entrances' });
  });

  it('a Polygon: one point strictly inside, even for a U shape', () => {
    const { communities } = readCommunities(fc(feature({ type: 'Polygon', coordinates: [U_RING] })));
    const c = communities[0];
    expect(c.originRule).toBe('representative-point');
    expect(c.origins).toHaveLength(1);
    expect(booleanPointInPolygon(c.origins[0], turfPolygon([U_RING]), { ignoreBoundary: true })).toBe(true);
    expect(c.geometry).toEqual({ type: 'Polygon', coordinates: [U_RING] });
  });

  it('a MultiPolygon: one point inside each part', () => {
    const parts = [[SQUARE(113.3, 23.1)], [SQUARE(113.32, 23.12)]];
    const { communities } = readCommunities(fc(feature({ type: 'MultiPolygon', coordinates: parts })));
    const { origins } = communities[0];
    expect(origins).toHaveLength(2);
    origins.forEach((o, i) => expect(booleanPointInPolygon(o, turfPolygon(parts[i]), { ignoreBoundary: true })).toBe(true));
  });

  it('properties.entrances win over the geometry, whatever it is', () => {
    const gates = [[113.3, 23.1015], [113.303, 23.1015]];
    const { communities } = readCommunities(fc(feature({ type: 'Polygon', coordinates: [U_RING] }, { entrances: gates }), feature(pt(113.3, 23.1), { entrances: gates })));
    for (const c of communities) expect(c).toMatchObject({ origins: gates, originRule: 'entrances' });
  });

  it('converts GCJ-02 and BD-09 input: geometry and entrances', () => {
    const gates = [[113.301, 23.1]];
    const gcj = readCommunities(fc(feature({ type: 'Polygon', coordinates: [U_RING] }, { entrances: gates })), { crs: 'gcj02' }).communities[0];
    expect(gcj.origins).toEqual([toWgs84(gates[0], 'gcj02')]);
    expect((gcj.geometry.coordinates as Position[][])[0][0]).toEqual(toWgs84(U_RING[0], 'gcj02'));
    const bd = readCommunities(fc(feature(pt(113.3, 23.1))), { crs: 'bd09' }).communities[0];
    expect(bd.origins).toEqual([toWgs84([113.3, 23.1], 'bd09')]);
  });
});

describe('readCommunities: properties', () => {
  it('reads type, population, households, district, subdistrict, services', () => {
    const { communities, errors, warnings } = readCommunities(
      fc(
        feature(pt(113.3, 23.1), {
          type: 'rural',
          population: 1200,
          households: '380',
          district: '从化区',
          subdistrict: 440117100,
          services: ['elderly-meal', 'volunteer-team', 'elderly-meal'],
        }),
      ),
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(communities[0]).toMatchObject({
      type: 'rural',
      population: 1200,
      households: 380,
      district: '从化区',
      subdistrict: '440117100',
      services: ['elderly-meal', 'volunteer-team'],
    });
  });

  it.each([
    ['urban', 'urban'],
    ['Rural', 'rural'],
    ['城市社区', 'urban'],
    ['社区', 'urban'],
    ['村', 'rural'],
    ['农村社区', 'rural'],
  ])('type %s → %s', (type, expected) => {
    expect(readCommunities(fc(feature(pt(113, 23), { type }))).communities[0].type).toBe(expected);
  });

  it('a missing type is read as urban, with a warning', () => {
    const input = fc({ type: 'Feature', id: 'x', geometry: pt(113, 23), properties: { name: '东湖社区' } });
    const { communities, errors, warnings } = readCommunities(input);
    expect(errors).toEqual([]);
    expect(communities[0].type).toBe('urban');
    expect(warnings).toEqual([
      { index: 0, id: 'x', message: 'feature 0 (id "x"): properties.type is missing: assessed as "urban" (15-minute walk); set "urban" or "rural"' },
    ]);
  });

  it('no services means none', () => {
    expect(readCommunities(fc(feature(pt(113, 23)))).communities[0].services).toEqual([]);
  });
});

describe('readCommunities: bad features are errors', () => {
  const cases: [string, unknown, string][] = [
    ['a wrong type', feature(pt(113, 23), { type: 'suburban' }), 'feature 0: properties.type: got "suburban", expected "urban" or "rural"'],
    ['a negative population', feature(pt(113, 23), { population: -1 }), 'feature 0: properties.population: got -1, expected a number ≥ 0'],
    ['a text households', feature(pt(113, 23), { households: 'many' }), 'feature 0: properties.households: got "many", expected a number ≥ 0'],
    ['services as text', feature(pt(113, 23), { services: 'a;b' }), 'feature 0: properties.services: got "a;b", expected an array of service ids (strings)'],
    ['services with a number', feature(pt(113, 23), { services: ['a', 2] }), 'feature 0: properties.services: got ["a",2], expected an array of service ids (strings)'],
    ['a line', feature({ type: 'LineString', coordinates: [[113, 23], [113.1, 23]] }), 'feature 0: geometry type LineString: expected Point, MultiPoint, Polygon or MultiPolygon'],
    ['no geometry', feature(null), 'feature 0: geometry is null: expected a GeoJSON geometry'],
    [
      'an unclosed ring',
      feature({ type: 'Polygon', coordinates: [U_RING.slice(0, -1)] }),
      'feature 0: outer ring is not closed: starts at [113.3, 23.1], ends at [113.3, 23.103]; expected the first position repeated at the end',
    ],
    ['NaN', feature(pt(NaN, 23)), 'feature 0: position [NaN, 23]: expected finite numbers'],
    ['bad entrances', feature(pt(113, 23), { entrances: 'north gate' }), 'feature 0: properties.entrances: got "north gate", expected an array of [lon, lat] positions'],
    ['a district object', feature(pt(113, 23), { district: { code: 1 } }), 'feature 0: properties.district: got {"code":1}, expected a string'],
  ];
  it.each(cases)('%s', (_what, bad, message) => {
    const read = readCommunities(fc(bad, feature(pt(113, 23), {}, 'ok')));
    expect(read.errors).toEqual([{ index: 0, id: '0', message }]);
    expect(read.communities.map((c) => c.id)).toEqual(['ok']);
  });

  it('repeated ids: the later ones', () => {
    const read = readCommunities(fc(feature(pt(113, 23), {}, 'a'), feature(pt(113, 23), {}, 'a')));
    expect(read.communities).toHaveLength(1);
    expect(read.errors[0].message).toBe('feature 1 (id "a"): id "a" repeats feature 0\'s: expected unique ids');
  });

  it('throws only for a non-collection or an unknown crs', () => {
    expect(() => readCommunities({ type: 'Feature' })).toThrow(InputError);
    expect(() => readCommunities({ type: 'Feature' })).toThrow('communities: got an object with type "Feature", expected a GeoJSON FeatureCollection');
    expect(() => readCommunities(fc(), { crs: 'wgs-84' })).toThrow(/^crs: got "wgs-84", expected .* \(did you mean "wgs84"\?\)$/);
  });
});
