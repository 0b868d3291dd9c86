import type { Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { ItemResult } from '../../src/core/coverage/assess.ts';
import { computeCityCoverageSync } from '../../src/core/coverage/city-wide/city-coverage.ts';
import { type CoverageReport, computeCoverage } from '../../src/core/coverage/coverage.ts';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import type { Standard } from '../../src/core/standards/types.ts';
import { asciiMap } from '../helpers/ascii-map.ts';
import { graphOf } from '../helpers/build.ts';
import { SMALL_TOWN_STANDARD, fc } from '../helpers/small-town.ts';

/**
 * A facility polygon is reached where people walk in: at its entrances when it has some, else
 * anywhere along its outline, not at a point in its middle.
 *
 * One straight street a–b, 2.4 km long (100 m a character), walked at 4.5 km/h = 75 m a minute. A
 * park lies north of the street, from 900 m to 2,100 m along it and 100 m to 300 m away from it:
 *
 *     y=300   ┌──────────── park ────────────┐
 *     y=100   └──────────────────────────────┘
 *     a─────────────────────────────────────────────b
 *     x=0     900                           2100  2400
 *
 * The community stands at a. To the park's near corner: 900 m along the street and 100 m across,
 * 13.3 minutes. To its middle (x 1500, y 200): 1,500 m + 200 m, 22.7 minutes.
 */
const street = asciiMap(`
a-----------------------b
`, 100);
const at = (xM: number, yM: number): Position => street.between('a', 'b', xM / street.metres('a', 'b'), yM);
const PARK_RING: Position[] = [at(900, 100), at(2100, 100), at(2100, 300), at(900, 300), at(900, 100)];
const park = (id: string, properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  geometry: { type: 'Polygon', coordinates: [PARK_RING] },
  properties: { id, leisure: 'park', ...properties },
});
const MINUTE_M = 75;

const standard = { ...SMALL_TOWN_STANDARD, minutes: 15 } as Standard;
const graph = graphOf(street.network);
const communities = readCommunities(fc([street.point('home', street.at('a'), { type: 'urban' })])).communities;

/** The park item for the one community, by the city-wide engine and by the per-community search. */
function parkItem(facilities: unknown[], maxSnapM = 500): { city: ItemResult; oracle: ItemResult; report: CoverageReport } {
  const read = readFacilities(fc(facilities));
  expect(read.errors).toEqual([]);
  const city = computeCityCoverageSync(graph, communities, read.facilities, [standard], { maxSnapM });
  const oracle = computeCoverage(graph, communities, read.facilities, [standard], { maxSnapM });
  const item = (report: CoverageReport) => report.communities[0].standards[0].items.find((i) => i.itemId === 'park')!;
  return { city: item(city), oracle: item(oracle), report: city };
}

describe('a park polygon is reached at its edge', () => {
  it('is within 15 minutes by its near corner, though its middle is 22.7 minutes away', () => {
    const { city, oracle } = parkItem([park('park')]);
    for (const result of [city, oracle]) {
      expect(result.status).toBe('met');
      expect(result.nearest?.facilityId).toBe('park');
      expect(result.nearest!.minutes).toBeCloseTo((900 + 100) / MINUTE_M, 1);
    }
    // The same park as one point in its middle: out of reach, as the one-point rule had it.
    const middle = parkItem([street.point('park-middle', at(1500, 200) as [number, number], { leisure: 'park' })]);
    expect(middle.city.status).toBe('unmet');
    expect(middle.oracle.status).toBe('unmet');
  });

  it('is reached at its mapped entrances when it has some, not along the rest of its outline', () => {
    // One gate, on the far short side: 2,100 m + 200 m = 30.7 minutes, out of reach.
    const { city, oracle } = parkItem([park('gated', { entrances: [at(2100, 200)] })]);
    expect(city.status).toBe('unmet');
    expect(oracle.status).toBe('unmet');
    // A gate on the near side, 1,200 m along: 1,300 m, 17.3 minutes; the corner at 13.3 is not used.
    const near = parkItem([park('gated', { entrances: [at(1200, 100)] })], 500);
    expect(near.city.status).toBe('unmet');
    const longer = { ...standard, minutes: 20 } as Standard;
    const read = readFacilities(fc([park('gated', { entrances: [at(1200, 100)] })]));
    const report = computeCityCoverageSync(graph, communities, read.facilities, [longer], { maxSnapM: 500 });
    const item = report.communities[0].standards[0].items.find((i) => i.itemId === 'park')!;
    expect(item.nearest!.minutes).toBeCloseTo((1200 + 100) / MINUTE_M, 1);
  });

  it('uses the outline points that snap; a park with none within maxSnapM is unplaced', () => {
    // With 150 m, only the near side (100 m from the street) snaps: still reached at the corner.
    const { city, report } = parkItem([park('park')], 150);
    expect(city.status).toBe('met');
    expect(city.nearest!.minutes).toBeCloseTo((900 + 100) / MINUTE_M, 1);
    expect(report.facilities.unplaced).toEqual([]);
    // With 50 m nothing snaps: the park is unplaced, and said to be.
    const far = parkItem([park('park')], 50);
    expect(far.city.status).not.toBe('met');
    expect(far.report.facilities.unplaced.map((u) => u.id)).toEqual(['park']);
  });
});
