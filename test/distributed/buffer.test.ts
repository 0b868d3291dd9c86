import { describe, expect, it } from 'vitest';
import { generateCity } from '../../scripts/lib/city.ts';
import { type Community, readCommunities } from '../../src/core/communities/read-communities.ts';
import { CoverageSession, computeCoverage } from '../../src/core/coverage/coverage.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { bufferBox, communitiesBox, fastestSpeedMps, planPartitions } from '../../src/runtime/distributed/partition.ts';
import { cutGraph } from '../../src/runtime/distributed/sub-graph.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { haversineM } from '../../src/core/geo/distance.ts';
import { listStandards } from '../../src/runtime/files/standards-catalogue.ts';
import type { Standard } from '../../src/core/standards/types.ts';
import { asciiMap } from '../helpers/ascii-map.ts';
import { graphOf } from '../helpers/build.ts';
import { SMALL_TOWN_STANDARD, fc } from '../helpers/small-town.ts';

/**
 * A partition keeps the network and facilities its communities can reach (src/runtime/distributed/partition.ts):
 * coverage on the partition's piece equals coverage on the whole, however the cut falls.
 */

// 100 m per character: a–b–c–d–e is a 4 km street with a junction every 200 m.
const street = asciiMap(`
a-f-g-h-i-b-j-k-l-m-c-n-o-p-q-d-r-s-t-u-e
`, 100);
const STANDARD = { ...SMALL_TOWN_STANDARD, minutes: 15 } as unknown as Standard; // 15 min walk: 1,125 m
const TRAVEL = { maxSnapM: 50 };

describe('the buffer around a partition', () => {
  const graph = graphOf(street.network);
  // "edge" is the last community of district W, at b; its only clinic stands 900 m east (10 m off the
  // street), past the district's communities, towards district E.
  const communities = readCommunities(
    fc([
      street.point('west', street.at('a'), { type: 'urban', district: 'W' }),
      street.point('edge', street.at('b'), { type: 'urban', district: 'W' }),
      street.point('east', street.at('e'), { type: 'urban', district: 'E' }),
    ]),
  ).communities;
  const facilities = readFacilities(fc([street.point('clinic-1', street.between('m', 'c', 0.5, 10), { category: 'clinic' })])).facilities;
  const plans = planPartitions(graph, communities, facilities, [STANDARD], TRAVEL);
  const west = plans.find((p) => p.key === 'district:W')!;
  const clinicOf = (report: ReturnType<typeof computeCoverage>, id: string) =>
    report.communities.find((c) => c.id === id)!.standards[0].items.find((i) => i.itemId === 'clinic')!;

  it('is at least the longest budget at the fastest speed of the mode', () => {
    expect(plans.map((p) => p.key)).toEqual(['district:E', 'district:W']);
    const reach = 15 * 60 * fastestSpeedMps(graph, 'walk');
    expect(reach).toBeCloseTo(1125, 6);
    expect(west.bufferM.urban!.facilities).toBeGreaterThanOrEqual(reach + 2 * TRAVEL.maxSnapM);
    expect(west.bufferM.urban!.network).toBeGreaterThan(west.bufferM.urban!.facilities);
    // Driving, the budget goes as far as the fastest road allows.
    const byCar = planPartitions(graph, communities, facilities, [STANDARD], { ...TRAVEL, mode: 'car' }).find((p) => p.key === 'district:W')!;
    expect(byCar.bufferM.urban!.facilities).toBeGreaterThanOrEqual(15 * 60 * fastestSpeedMps(graph, 'car'));
  });

  it('keeps the facility across the cut, and the community near the edge still finds it', () => {
    expect(west.facilities).toEqual([0]);
    const whole = computeCoverage(graph, communities, facilities, [STANDARD], TRAVEL);
    const piece = cutGraph(graph, west.networkBoxes, 'west');
    expect(piece.edgeCount).toBeLessThan(graph.edgeCount);
    // As the coordinator hands every partition the whole city's categories (no_facility is the city's verdict).
    const presentCategories = new CoverageSession(graph, facilities, [STANDARD], TRAVEL).presentCategories();
    const partitioned = computeCoverage(piece, west.communities.map((i) => communities[i]), west.facilities.map((i) => facilities[i]), [STANDARD], { ...TRAVEL, presentCategories });
    expect(clinicOf(whole, 'edge')).toMatchObject({ status: 'met', nearest: { facilityId: 'clinic-1', meters: 910 } });
    expect(clinicOf(partitioned, 'edge')).toEqual(clinicOf(whole, 'edge'));
    expect(partitioned.communities).toEqual(whole.communities.filter((c) => c.district === 'W'));
  });

  it('is what makes it work: cut at the districts themselves, the clinic is lost', () => {
    const tight = bufferBox(communitiesBox(west.communities.map((i) => communities[i])), 200);
    const piece = cutGraph(graph, [tight], 'west, no buffer');
    const presentCategories = new CoverageSession(graph, facilities, [STANDARD], TRAVEL).presentCategories();
    const lost = computeCoverage(piece, west.communities.map((i) => communities[i]), facilities, [STANDARD], { ...TRAVEL, presentCategories });
    expect(clinicOf(lost, 'edge').status).toBe('unmet');
  });

  it('grows a box by at least the distance, in every direction', () => {
    const box = bufferBox([113.26, 23.13, 113.27, 23.14], 1000);
    expect(haversineM(113.26, 23.14, 113.26, box[3])).toBeGreaterThanOrEqual(1000);
    expect(haversineM(113.26, 23.13, 113.26, box[1])).toBeGreaterThanOrEqual(1000);
    expect(haversineM(113.27, box[3], box[2], box[3])).toBeGreaterThanOrEqual(1000);
    expect(haversineM(113.26, box[1], box[0], box[1])).toBeGreaterThanOrEqual(1000);
  });
});

describe.each([
  { seed: 11, districts: true },
  { seed: 12, districts: false },
])('partitions of a seeded city (seed $seed, districts $districts) assess like the whole', ({ seed, districts }) => {
  const city = generateCity({ edges: 4000, pois: 800, communities: 60, origins: 1, seed });
  const graph = graphFromGeoJson(fc([...city.network()]));
  const communityFeatures = [...city.communities()].map((f) => {
    if (districts) return f;
    const { district: _d, subdistrict: _s, ...properties } = f.properties;
    return { ...f, properties };
  });
  const communities: Community[] = readCommunities(fc(communityFeatures)).communities;
  const facilities = readFacilities(fc([...city.facilities()])).facilities;
  const standards = listStandards();
  const travel = { maxSnapM: 300 };

  it(`(seed ${seed}) every community's report is identical`, () => {
    const whole = computeCoverage(graph, communities, facilities, standards, travel);
    const presentCategories = new CoverageSession(graph, facilities, standards, travel).presentCategories();
    const plans = planPartitions(graph, communities, facilities, standards, travel, { gridKm: 2 });
    expect(plans.length, `seed ${seed}`).toBeGreaterThan(3);
    expect(plans.every((p) => p.key.startsWith(districts ? 'district:' : 'grid:'))).toBe(true);
    const seen = new Set<number>();
    for (const plan of plans) {
      const piece = cutGraph(graph, plan.networkBoxes, plan.key);
      const report = computeCoverage(piece, plan.communities.map((i) => communities[i]), plan.facilities.map((i) => facilities[i]), standards, { ...travel, presentCategories });
      report.communities.forEach((c, k) => {
        seen.add(plan.communities[k]);
        expect(c, `seed ${seed}, ${plan.key}, community ${c.id}`).toEqual(whole.communities[plan.communities[k]]);
      });
    }
    expect(seen.size).toBe(communities.length);
  });
});
