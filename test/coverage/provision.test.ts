import { describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { provisionChecks, shortestOpeningDayHours, weekHours } from '../../src/core/coverage/provision.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { coverage } from '../../src/runtime/requests/coverage.ts';

const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
const point = (coordinates: [number, number], properties: Record<string, unknown>) => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates } });
/** A square of `sideM` metres (about), south-west corner at lon/lat. */
const squarePolygon = (lon: number, lat: number, sideM: number) => {
  const dLat = sideM / 111_320;
  const dLon = sideM / (111_320 * Math.cos((lat * Math.PI) / 180));
  return { type: 'Polygon', coordinates: [[[lon, lat], [lon + dLon, lat], [lon + dLon, lat + dLat], [lon, lat + dLat], [lon, lat]]] };
};
const compound = { type: 'Polygon', coordinates: [[[113.26, 23.13], [113.262, 23.13], [113.262, 23.132], [113.26, 23.132], [113.26, 23.13]]] };
const community = (properties: Record<string, unknown>) =>
  readCommunities(fc([{ type: 'Feature', properties: { id: 'garden', ...properties }, geometry: compound }])).communities[0];

describe('floor area per 100 households', () => {
  const facilities = readFacilities(
    fc([
      // Inside the polygon: counts for the community.
      point([113.261, 23.131], { id: 'centre', name: '东湖社区党群服务中心', category: 'party_community_centre', area_m2: 300 }),
      // Elsewhere, but linked by id.
      point([113.3, 23.2], { id: 'station', category: 'elderly_day_care', area_m2: 120, community: 'garden' }),
      // Inside, but a shop: not community service space.
      point([113.2612, 23.1312], { id: 'shop', category: 'convenience_store', area_m2: 80 }),
      // Inside, but linked to another community.
      point([113.2611, 23.1311], { id: 'other', category: 'community_centre', area_m2: 500, community: 'elsewhere' }),
    ]),
  ).facilities;

  it('applies Jiayuguan and Guangdong to an urban community, each naming its document and clause', () => {
    // (300 + 120) m² over 1,400 households = 30 m² per 100 households.
    const checks = provisionChecks(community({ type: 'urban', households: 1400 }), facilities).filter((c) => c.check === 'floor_area_per_100_households');
    expect(checks.map((c) => [c.threshold, c.value, c.pass])).toEqual([[30, 30, true], [20, 30, true]]);
    expect(checks[0].source.document).toContain('嘉峪关');
    expect(checks[0].source.clause).toContain('每百户居民拥有社区综合服务设施面积');
    expect(checks[1].source.document).toContain('广东省');
    expect(checks[1].detail).toBe('from centre, station');
  });

  it('applies Jiayuguan to a rural community too, Chongqing\u2019s village norm, and Guangdong\u2019s rural figure as to be set locally', () => {
    const village = community({ type: 'rural', households: 1400 });
    const checks = provisionChecks(village, facilities).filter((c) => c.check === 'floor_area_per_100_households');
    // Jiayuguan ≥ 30 (met); Guangdong rural: more than the urban 20, set locally (undecided); Chongqing ≥ 60 (not met).
    expect(checks.map((c) => [c.threshold, c.value, c.pass])).toEqual([[30, 30, true], [20, 30, null], [60, 30, false]]);
    expect(checks[1].norm).toMatch(/urban figure.*set locally/);
    expect(checks[2].source.clause).toContain('每百户村民');
    // A stricter local figure decides; a laxer one is no figure at all.
    const local = provisionChecks(village, facilities, { guangdongRural: { indoorM2: 35 } }).filter((c) => c.source.document.includes('广东'));
    expect(local.map((c) => [c.threshold, c.pass])).toEqual([[35, false]]);
    const lax = provisionChecks(village, facilities, { guangdongRural: { indoorM2: 10 } }).filter((c) => c.source.document.includes('广东'));
    expect(lax.map((c) => [c.threshold, c.pass])).toEqual([[20, null]]);
    // Below the urban figure a rural community fails Guangdong whatever its locality sets.
    const crowded = provisionChecks(community({ type: 'rural', households: 4200 }), facilities).filter((c) => c.source.document.includes('广东'));
    expect(crowded.map((c) => [c.value, c.pass])).toEqual([[10, false]]);
  });

  it('takes a locality\u2019s rural figure from a coverage request (`localNorms`), and refuses a bad one naming it', () => {
    const body = (localNorms?: unknown) => ({
      communities: fc([{ type: 'Feature', properties: { id: 'garden', type: 'rural', households: 1400 }, geometry: compound }]),
      facilities: fc([point([113.261, 23.131], { id: 'centre', category: 'party_community_centre', area_m2: 420 })]),
      standards: ['guangzhou-2020-rural-basic'],
      network: fc([{ type: 'Feature', properties: { highway: 'residential' }, geometry: { type: 'LineString', coordinates: [[113.259, 23.131], [113.263, 23.131]] } }]),
      ...(localNorms !== undefined ? { localNorms } : {}),
    });
    const guangdong = (b: Record<string, unknown>) =>
      coverage(b, {}).response.communities[0].provision.filter((c) => c.check === 'floor_area_per_100_households' && c.source.document.includes('广东'));
    // 420 m² over 1,400 households = 30 m² per 100: above the urban 20, undecided without a local figure.
    expect(guangdong(body()).map((c) => [c.threshold, c.pass])).toEqual([[20, null]]);
    expect(guangdong(body({ guangdongRural: { indoorM2: 35 } })).map((c) => [c.threshold, c.pass])).toEqual([[35, false]]);
    expect(() => coverage(body({ guangdongRural: { indoorM2: -1 } }), {})).toThrow(/localNorms\.guangdongRural\.indoorM2: got -1/);
  });

  it('reports nothing without households', () => {
    expect(provisionChecks(community({ type: 'urban' }), facilities).filter((c) => c.check !== 'opening_hours')).toEqual([]);
  });
});

describe('outdoor area per 100 households', () => {
  it('counts a square beside the centre, by its polygon, with the centre\u2019s own yard', () => {
    // The case: 1,000 households, a centre with a 100 m² yard and a 500 m² square beside it.
    const facilities = readFacilities(
      fc([
        point([113.261, 23.131], { id: 'centre', category: 'party_community_centre', area_m2: 300, outdoor_area_m2: 100 }),
        { type: 'Feature', properties: { id: 'square', place: 'square', name: '东湖广场' }, geometry: squarePolygon(113.2605, 23.1305, Math.sqrt(500)) },
      ]),
    ).facilities;
    const outdoor = provisionChecks(community({ type: 'urban', households: 1000 }), facilities).find((c) => c.check === 'outdoor_area_per_100_households')!;
    expect(outdoor.value).toBeCloseTo(60, 0);
    expect(outdoor).toMatchObject({ threshold: 30, pass: true });
    expect(outdoor.source.clause).toContain('室外活动场所面积');
    expect(outdoor.detail).toMatch(/^from centre \(100 m²\), square \((49\d|50\d) m²\)$/);
  });

  it('takes declared outdoor_area_m2 over the polygon, and parks, sports grounds and playgrounds assigned by id', () => {
    const facilities = readFacilities(
      fc([
        { type: 'Feature', properties: { id: 'park', leisure: 'park', outdoor_area_m2: 2000 }, geometry: squarePolygon(113.2601, 23.1301, 100) },
        point([113.5, 23.5], { id: 'court', leisure: 'pitch', sport: 'basketball', outdoor_area_m2: 600, community: 'garden' }),
        point([113.2615, 23.1315], { id: 'swings', leisure: 'playground' }), // no area: not counted
      ]),
    ).facilities;
    const outdoor = provisionChecks(community({ type: 'urban', households: 4000 }), facilities).find((c) => c.check === 'outdoor_area_per_100_households')!;
    expect(outdoor).toMatchObject({ value: 65, pass: true, detail: 'from park (2000 m²), court (600 m²)' });
  });

  it('is below the rural floor for a village when below the urban figure', () => {
    const facilities = readFacilities(fc([point([113.261, 23.131], { id: 'yard', place: 'square', outdoor_area_m2: 300 })])).facilities;
    const outdoor = provisionChecks(community({ type: 'rural', households: 2000 }), facilities).find((c) => c.check === 'outdoor_area_per_100_households')!;
    expect(outdoor).toMatchObject({ threshold: 30, value: 15, pass: false });
  });
});

describe('service hours', () => {
  const checksFor = (hours: string) =>
    provisionChecks(community({ type: 'urban' }), readFacilities(fc([point([113.261, 23.131], { id: 'centre', category: 'party_community_centre', opening_hours: hours })])).facilities);

  it('passes a centre open Mo–Fr 09:00–18:00: every day it opens has 9 hours', () => {
    const [check] = checksFor('Mo-Fr 09:00-18:00');
    expect(check).toMatchObject({ check: 'opening_hours', threshold: 8, value: 9, pass: true, days: ['Mo', 'Tu', 'We', 'Th', 'Fr'], weeklyHours: 45 });
    expect(check.source.clause).toContain('不少于每天8小时');
    expect(check.detail).toBe('centre: "Mo-Fr 09:00-18:00": opens Mo Tu We Th Fr, 45 h a week');
  });

  it('fails a day it opens for less than 8 hours, naming the day', () => {
    const [check] = checksFor('Mo-Sa 08:00-20:00; Su 10:00-16:00');
    expect(check).toMatchObject({ value: 6, pass: false, weeklyHours: 78 });
    expect(check.detail).toMatch(/under 8 h on Su$/);
  });

  it('says when hours cannot be read or never open', () => {
    expect(checksFor('not a schedule')[0]).toMatchObject({ value: null, pass: null });
    expect(checksFor('off')[0]).toMatchObject({ value: 0, pass: false, days: [] });
  });

  it('reads the week day by day', () => {
    expect(weekHours('24/7')).toEqual({ days: ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'], hours: [24, 24, 24, 24, 24, 24, 24], weeklyHours: 168 });
    expect(weekHours('Mo,We 08:30-12:00,14:00-17:30')).toEqual({ days: ['Mo', 'We'], hours: [7, 7], weeklyHours: 14 });
    expect(shortestOpeningDayHours('Sa-Su 09:00-21:00')).toBe(12);
  });
});
