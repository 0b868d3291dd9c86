import { describe, expect, it } from 'vitest';
import type { CoverageResponse } from '../../src/runtime/requests/coverage.ts';
import { coverage } from '../../src/runtime/requests/coverage.ts';
import { graphFromGeoJson } from '../../src/core/io/build-network.ts';
import { generateCity } from '../../scripts/lib/city.ts';
import { mulberry32 } from '../helpers/random-network.ts';

/**
 * Invariants on seeded generated towns (the seed is in every message): more minutes never reach
 * less; another facility never takes anything away; removing the only facility that satisfies an
 * item turns that item into a data gap (no_facility) everywhere.
 */
function town(seed: number) {
  const city = generateCity({ edges: 2500, pois: 500, communities: 40, origins: 1, seed });
  const fc = <T>(features: Iterable<T>) => ({ type: 'FeatureCollection', features: [...features] });
  return { graph: graphFromGeoJson(fc(city.network())), facilities: fc(city.facilities()), communities: fc(city.communities()) };
}

type Status = Map<string, { status: string; count: number }>;

function statuses(response: CoverageResponse): Status {
  const out: Status = new Map();
  for (const c of response.communities) {
    for (const s of c.standards) for (const i of s.items) out.set(`${c.id}/${s.standardId}/${i.itemId}`, { status: i.status, count: i.reachableCount ?? 0 });
  }
  return out;
}

function neverLoses(before: Status, after: Status, what: string): void {
  let met = 0;
  for (const [key, b] of before) {
    const a = after.get(key)!;
    if (b.status === 'met') {
      met++;
      expect(a.status, `${what}: ${key}`).toBe('met');
    }
    expect(a.count, `${what}: ${key}`).toBeGreaterThanOrEqual(b.count);
  }
  expect(met, `${what}: some items are met at all`).toBeGreaterThan(0);
}

describe.each([1, 2, 3])('coverage invariants, seed %i', (seed) => {
  const t = town(seed);
  const run = (body: Record<string, unknown>) => coverage({ communities: t.communities, facilities: t.facilities, ...body }, { defaultGraph: t.graph }).response;

  it('never decreases when minutes grow', () => {
    const at = [5, 10, 20].map((minutes) => statuses(run({ minutes, mode: 'walk' })));
    neverLoses(at[0], at[1], `seed ${seed}, 5 → 10 min`);
    neverLoses(at[1], at[2], `seed ${seed}, 10 → 20 min`);
  });

  it('never decreases when a facility is added', () => {
    const rand = mulberry32(seed);
    const before = statuses(run({}));
    const extra = structuredClone(t.facilities);
    for (let i = 0; i < 20; i++) {
      const copy = structuredClone(extra.features[Math.floor(rand() * extra.features.length)]);
      copy.properties.id = `extra-${i}`;
      copy.geometry.coordinates = [copy.geometry.coordinates[0] + (rand() - 0.5) * 0.01, copy.geometry.coordinates[1] + (rand() - 0.5) * 0.01];
      extra.features.push(copy);
    }
    const after = statuses(coverage({ communities: t.communities, facilities: extra }, { defaultGraph: t.graph }).response);
    neverLoses(before, after, `seed ${seed}, +20 facilities`);
  });

  it('turns an item into a data gap (no_facility) everywhere when its only facility is removed', () => {
    // Keep one facility for the urban basic clinic item (clinic or hospital) and drop the others.
    const item = 'public-11'; // 基本医疗服务: clinic, hospital
    const satisfies = (f: { properties: { category: string } }) => ['clinic', 'hospital'].includes(f.properties.category);
    const keep = t.facilities.features.find(satisfies)!;
    const one = { ...t.facilities, features: t.facilities.features.filter((f) => !satisfies(f) || f === keep) };
    const none = { ...t.facilities, features: t.facilities.features.filter((f) => !satisfies(f)) };
    const withOne = run({ facilities: one, standards: ['guangzhou-2020-urban-basic'], minutes: 60 });
    const metWithOne = withOne.communities.filter((c) => c.standards[0]?.items.find((i) => i.itemId === item)?.status === 'met');
    expect(metWithOne.length, `seed ${seed}: the one clinic serves someone within an hour`).toBeGreaterThan(0);
    for (const c of metWithOne) expect(c.standards[0].items.find((i) => i.itemId === item)!.nearest!.facilityId).toBe(keep.properties.id);
    const withNone = run({ facilities: none, standards: ['guangzhou-2020-urban-basic'], minutes: 60 });
    for (const c of withNone.communities) {
      if (c.standards.length === 0) continue;
      // Not "out of reach": the data has no clinic or hospital at all.
      expect(c.standards[0].items.find((i) => i.itemId === item)!.status, `seed ${seed} ${c.id}`).toBe('no_facility');
      expect(c.standards[0].dataGaps.map((g) => g.itemId)).toContain(item);
    }
  });
});
