import { describe, expect, it } from 'vitest';
import { coverage } from '../../src/runtime/requests/coverage.ts';
import type { StandardResult } from '../../src/core/coverage/assess.ts';
import { asciiMap } from '../helpers/ascii-map.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';
import { graphOf } from '../helpers/build.ts';

const graph = graphOf(town.network);
const STANDARD = SMALL_TOWN_STANDARD;
const facilities = TOWN_FACILITIES;
const communities = fc([
  // At b: the clinic 100 m (1.33 min), the hospital 450 m (6 min: outside), the park via f 250 m + 150 m = 400 m: outside.
  town.point('north', town.at('b'), { type: 'urban', services: ['volunteers'], population: 1000 }),
  // At f: the park 150 m (2 min); the clinic via b 250 + 100 = 350 m (4.67 min).
  town.point('south', town.at('f'), { type: 'urban', services: ['app', 'volunteers'], population: 3000 }),
  // At h, far east: nothing within 375 m (the park is 450 m away).
  town.point('east', town.at('h'), { type: 'urban', population: 500 }),
]);

function result(id: string, body: Record<string, unknown> = {}): StandardResult {
  const { response } = coverage({ communities, facilities, standard: STANDARD, ...body }, { defaultGraph: graph });
  return response.communities.find((c) => c.id === id)!.standards[0];
}
const status = (r: StandardResult) => Object.fromEntries(r.items.map((i) => [i.itemId, i.status]));

describe('a hand-built small town, every status', () => {
  it('north: the clinic met, the park unmet, the programme declared, the online service not declared', () => {
    const r = result('north');
    expect(status(r)).toEqual({ clinic: 'met', park: 'unmet', volunteers: 'declared', app: 'not_declared' });
    const clinic = r.items.find((i) => i.itemId === 'clinic')!;
    expect(clinic.nearest).toMatchObject({ facilityId: 'clinic-1', name: '社区卫生站', category: 'clinic', meters: 100 });
    expect(clinic.nearest!.minutes).toBeCloseTo(100 / 75, 1);
    expect(clinic.reachableCount).toBe(1); // the hospital is 6 minutes away
    expect(r.pass).toBe(false);
    expect(r.missing.map((m) => m.itemId)).toEqual(['park', 'app']);
    expect(r.groups).toEqual([
      expect.objectContaining({ id: 'public', met: 1, total: 2, share: 0.5 }),
      expect.objectContaining({ id: 'community', met: 1, total: 2, share: 0.5 }),
    ]);
  });

  it('south: everything within five minutes, both declarations: passes', () => {
    const r = result('south');
    expect(status(r)).toEqual({ clinic: 'met', park: 'met', volunteers: 'declared', app: 'declared' });
    expect(r.items.find((i) => i.itemId === 'clinic')!.nearest!.meters).toBe(350);
    expect(r.pass).toBe(true);
    expect(r.share).toBe(1);
  });

  it('east: nothing reachable', () => {
    expect(status(result('east'))).toEqual({ clinic: 'unmet', park: 'unmet', volunteers: 'not_declared', app: 'not_declared' });
  });

  it('more minutes reach more: at 7 minutes north also reaches the hospital and the park', () => {
    const r = result('north', { minutes: 7 });
    expect(status(r).park).toBe('met');
    expect(r.items.find((i) => i.itemId === 'clinic')!.reachableCount).toBe(2);
    expect(r.minutes).toBe(7);
  });

  it('summarises the town: one community in three passes; the park reaches 1 of 3, 3,000 of 4,500 people', () => {
    const { response } = coverage({ communities, facilities, standard: STANDARD }, { defaultGraph: graph });
    const s = response.summary.standards[0];
    expect(s).toMatchObject({ communities: 3, passing: 1, share: 0.3333 });
    expect(s.population).toEqual({ total: 4500, passing: 3000, share: 0.6667, communities: 3, missing: 0 });
    const park = s.items.find((i) => i.itemId === 'park')!;
    expect(park).toMatchObject({ communities: 3, reaching: 1, share: 0.3333, populationShare: 0.6667 });
    // Worst first: the online service (1 of 3) and the park tie on communities, then by population.
    expect(s.items[s.items.length - 1].itemId).toBe('volunteers');
  });

  it('a standard for villages, with no village in the request: counted as none, no per-item shares of nobody', () => {
    const rural = { ...STANDARD, id: 'town-rural', communityType: 'rural' as const };
    const { response } = coverage({ communities, facilities, standard: [STANDARD, rural] }, { defaultGraph: graph });
    const [urban, village] = response.summary.standards;
    expect(urban.items).toHaveLength(4);
    expect(village).toMatchObject({ standardId: 'town-rural', communities: 0, passing: 0, share: 0, notAssessed: [], items: [] });
  });
});

describe('reachability is network time, never containment', () => {
  // The community's polygon contains the park, but the river is in between and there is no bridge.
  const river = asciiMap(`
a-----b
       
       
c-----d
`, 50);
  const riverGraph = graphOf(river.network, 0);
  const [ax, ay] = river.at('a');
  const [dx, dy] = river.at('d');
  const polygon = {
    type: 'Feature',
    properties: { id: 'bank', type: 'urban', entrances: [river.at('a')] },
    geometry: { type: 'Polygon', coordinates: [[[ax - 0.0001, ay + 0.0001], [dx + 0.0001, ay + 0.0001], [dx + 0.0001, dy - 0.0001], [ax - 0.0001, dy - 0.0001], [ax - 0.0001, ay + 0.0001]]] },
  };
  it('a park inside the community polygon but across the river is unmet', () => {
    const { response } = coverage(
      { communities: fc([polygon]), facilities: fc([river.point('p', river.between('c', 'd', 0.5), { category: 'park' })]), standard: STANDARD },
      { defaultGraph: riverGraph },
    );
    const r = response.communities[0];
    // Every home leaves by the one gate, on the north bank.
    expect(r.homes.gates).toBe(1);
    expect(r.homes.placed).toBe(r.homes.count);
    expect(r.standards[0].items.find((i) => i.itemId === 'park')!.status).toBe('unmet');
  });
});
