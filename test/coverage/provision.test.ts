import { describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/communities/read-communities.ts';
import { provisionChecks, shortestDayHours } from '../../src/coverage/provision.ts';
import { readFacilities } from '../../src/facilities/read-facilities.ts';

const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
const point = (coordinates: [number, number], properties: Record<string, unknown>) => ({ type: 'Feature', properties, geometry: { type: 'Point', coordinates } });
const square = { type: 'Polygon', coordinates: [[[113.26, 23.13], [113.262, 23.13], [113.262, 23.132], [113.26, 23.132], [113.26, 23.13]]] };

describe('provision checks', () => {
  const facilities = readFacilities(
    fc([
      // Inside the polygon: counts for the community.
      point([113.261, 23.131], { id: 'centre', category: 'party_community_centre', area_m2: 300, outdoor_area_m2: 250, opening_hours: 'Mo-Su 08:30-17:30' }),
      // Elsewhere, but linked by id.
      point([113.3, 23.2], { id: 'station', category: 'elderly_day_care', area_m2: 120, community: 'garden', opening_hours: 'Mo-Fr 09:00-17:00' }),
      // Inside, but a shop: not community service space.
      point([113.2612, 23.1312], { id: 'shop', category: 'convenience_store', area_m2: 80 }),
      // Linked to another community.
      point([113.2611, 23.1311], { id: 'other', category: 'community_centre', area_m2: 500, community: 'elsewhere' }),
    ]),
  ).facilities;

  it('computes floor area per 100 households from the community\u2019s own service facilities', () => {
    const [garden] = readCommunities(fc([{ type: 'Feature', properties: { id: 'garden', type: 'urban', households: 1400 }, geometry: square }])).communities;
    const checks = provisionChecks(garden, facilities);
    const area = checks.filter((c) => c.check === 'floor_area_per_100_households');
    // (300 + 120) m² over 1,400 households = 30 m² per 100 households: meets Jiayuguan's 30 and Guangdong's 20.
    expect(area.map((c) => [c.threshold, c.value, c.pass])).toEqual([[30, 30, true], [20, 30, true]]);
    const outdoor = checks.find((c) => c.check === 'outdoor_area_per_100_households')!;
    expect(outdoor).toMatchObject({ threshold: 30, value: 17.9, pass: false });
    const hours = checks.filter((c) => c.check === 'opening_hours');
    expect(hours.map((c) => [c.value, c.pass])).toEqual([[9, true], [0, false]]); // closed at weekends
  });

  it('applies the village norm to rural communities, and reports nothing without the data', () => {
    const [village] = readCommunities(fc([{ type: 'Feature', properties: { id: 'garden', type: 'rural', households: 1400 }, geometry: square }])).communities;
    const area = provisionChecks(village, facilities).filter((c) => c.check === 'floor_area_per_100_households');
    expect(area.map((c) => [c.threshold, c.value, c.pass])).toEqual([[60, 30, false]]);
    const [noHouseholds] = readCommunities(fc([{ type: 'Feature', properties: { id: 'garden', type: 'urban' }, geometry: square }])).communities;
    expect(provisionChecks(noHouseholds, facilities).filter((c) => c.check !== 'opening_hours')).toEqual([]);
  });

  it('reads OSM opening hours as the shortest day of a week', () => {
    expect(shortestDayHours('24/7')).toBe(24);
    expect(shortestDayHours('Mo-Sa 08:00-20:00; Su 10:00-16:00')).toBe(6);
    expect(shortestDayHours('not a schedule')).toBeNull();
  });
});
