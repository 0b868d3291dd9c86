import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.ts';
import { type SitingResponse, type WhatIfResponse, siting } from '../../src/runtime/requests/siting.ts';
import { asciiMap } from '../helpers/ascii-map.ts';
import { graphOf } from '../helpers/build.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';

/**
 * Siting on the small town of the coverage tests (50 m a character, 5 minutes' walk = 375 m). The
 * park (halfway f–g) serves south (at f, 150 m); north (at b) and east (at h) lack one.
 *   a-----b-----c-----d
 *         |
 *   e-----f-----g-----h
 */
const graph = graphOf(town.network);
const communities = fc([
  town.point('north', town.at('b'), { type: 'urban', population: 1000 }),
  town.point('south', town.at('f'), { type: 'urban', population: 3000 }),
  town.point('east', town.at('h'), { type: 'urban', population: 500 }),
]);
// c is 300 m from north; h is east's own corner; d reaches nobody (600 m from b, and no road to h).
const candidates = fc([town.point('at-c', town.at('c')), town.point('at-h', town.at('h')), town.point('at-d', town.at('d'))]);
const base = { communities, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD, item: 'park', candidates };

async function site(body: Record<string, unknown>): Promise<SitingResponse> {
  return (await siting({ ...base, ...body }, { defaultGraph: graph })).response as SitingResponse;
}

describe('siting on the small town', () => {
  it('k = 1: the site serving most residents (c → north, 1000), optimal, with the shares before and after', async () => {
    const r = await site({ k: 1 });
    expect(r.method).toBe('exact');
    expect(r.optimal).toBe(true);
    expect(r.sites.map((s) => s.id)).toEqual(['at-c']);
    expect(r.sites[0]).toMatchObject({ gainPopulation: 1000, gainCommunities: 1, cumulativeShare: 0.8889 });
    expect(r.sites[0].communities).toEqual([{ index: 0, id: 'north', residents: 1000, nowMet: true }]);
    expect(r.before).toEqual({ coveredPopulation: 3000, coveredCommunities: 1, populationShare: 0.6667, communityShare: 0.3333 });
    expect(r.after).toEqual({ coveredPopulation: 4000, coveredCommunities: 2, populationShare: 0.8889, communityShare: 0.6667 });
    expect(r.reachable.coveredPopulation).toBe(4500);
    expect(r.candidates).toMatchObject({ count: 3, placed: 3, useful: 2 });
  });

  it('k = 5 with two useful candidates: both, and a note saying why no more', async () => {
    const r = await site({ k: 5, method: 'greedy' });
    expect(r.method).toBe('greedy');
    expect(r.sites.map((s) => s.id)).toEqual(['at-c', 'at-h']);
    expect(r.after.populationShare).toBe(1);
    // Greedy's bound: no choice of 5 could serve more than the 1500 unserved residents.
    expect(r.bound).toMatchObject({ kind: 'marginal-gains', value: 1500, share: 1 });
    expect(r.notes.join(' ')).toMatch(/only 2 of the 3 candidates/);
  });

  it('a target share: the fewest sites; an unreachable one says what all candidates reach', async () => {
    const r = await site({ targetShare: 0.85 });
    expect(r.sites.map((s) => s.id)).toEqual(['at-c']);
    expect(r.target).toMatchObject({ share: 0.85, reached: true, fewestSitesBound: 1 });
    const communitiesTarget = await site({ targetShare: 1, objective: 'communities' });
    expect(communitiesTarget.sites).toHaveLength(2);
    expect(communitiesTarget.after.communityShare).toBe(1);
  });

  it('bad input: a programme item, no candidate near anybody unserved, no k or target', async () => {
    const code = async (body: Record<string, unknown>) => {
      try {
        await site(body);
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        return `${(err as InputError).code} ${(err as InputError).message}`;
      }
      return 'answered';
    };
    expect(await code({ item: 'volunteers', k: 1 })).toMatch(/^INVALID_PARAMETER item: volunteers .* programme/);
    expect(await code({ k: 1, candidates: fc([town.point('far', town.at('d'))]) })).toMatch(/^NO_USABLE_INPUT candidates: none of the 1 candidates .* 2 homes not yet served/);
    expect(await code({})).toMatch(/^INVALID_PARAMETER k: missing/);
    expect(await code({ k: 1, item: 'nope' })).toMatch(/^INVALID_PARAMETER item: "nope" is not an item/);
  });

  it('what-if: a park added at c answers the coverage report with north gaining the park', async () => {
    const { response } = await siting({ communities, facilities: TOWN_FACILITIES, standard: SMALL_TOWN_STANDARD, item: 'park', add: fc([town.point('new-park', town.at('c'))]) }, { defaultGraph: graph });
    const w = response as WhatIfResponse;
    expect(w.whatIf).toBe(true);
    expect(w.added).toEqual([{ id: 'new-park', categories: ['park'] }]);
    const north = w.changes.changed.find((c) => c.communityId === 'north')!;
    expect(north.itemsGained.map((i) => i.itemId)).toEqual(['park']);
    expect(w.changes.changed.find((c) => c.communityId === 'east')).toBeUndefined();
    expect(w.after.communities.find((c) => c.id === 'north')!.standards[0].items.find((i) => i.itemId === 'park')!.status).toBe('met');
  });
});

describe('one-way streets: a resident travels home → site', () => {
  // 300 m of one-way street from a to b; by car 1 minute covers it one way only.
  const oneWay = asciiMap(`
a>>>>>b
`, 50);
  const g = graphOf(oneWay.network);
  const body = (home: string, candidate: string) => ({
    communities: fc([oneWay.point('c1', oneWay.at(home), { type: 'urban', population: 10 })]),
    facilities: fc([]),
    categories: ['clinic'],
    mode: 'car',
    minutes: 1,
    k: 1,
    candidates: fc([oneWay.point('site', oneWay.at(candidate))]),
  });

  it('home at a, site at b (downstream): served', async () => {
    const r = (await siting(body('a', 'b'), { defaultGraph: g })).response as SitingResponse;
    expect(r.sites.map((s) => s.id)).toEqual(['site']);
    expect(r.after.populationShare).toBe(1);
  });

  it('home at b, site at a (against the one-way): nobody reached', async () => {
    await expect(siting(body('b', 'a'), { defaultGraph: g })).rejects.toThrow(/none of the 1 candidates/);
  });
});

describe('siting parameters: checked with the body schema (src/runtime/requests/bodies.ts), what and where', () => {
  const refused = async (body: Record<string, unknown>) => {
    const err = await siting({ ...base, ...body }, { defaultGraph: graph }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InputError);
    const { code, where, message } = err as InputError;
    return { code, where, message };
  };

  it('a wrong value: 400 with "got X, expected Y"; over the time limit a work limit: 422', async () => {
    expect(await refused({ k: 0 })).toEqual({ code: 'INVALID_PARAMETER', where: 'k', message: 'k: got 0, expected a whole number from 1 to 10000' });
    expect(await refused({ k: 1.5 })).toEqual({ code: 'INVALID_PARAMETER', where: 'k', message: 'k: got 1.5, expected a whole number from 1 to 10000' });
    expect(await refused({ k: 1, method: 'best' })).toEqual({ code: 'INVALID_PARAMETER', where: 'method', message: 'method: got "best", expected one of auto, exact, greedy' });
    expect(await refused({ k: 1, targetShare: 1.5 })).toEqual({ code: 'INVALID_PARAMETER', where: 'targetShare', message: 'targetShare: got 1.5, expected a share greater than 0 and at most 1' });
    expect(await refused({ k: 1, budget: -1 })).toEqual({ code: 'INVALID_PARAMETER', where: 'budget', message: 'budget: got -1, expected a number ≥ 0' });
    expect(await refused({ k: 1, timeLimitSeconds: 121 })).toMatchObject({ where: 'timeLimitSeconds', message: 'timeLimitSeconds: got 121, expected a number greater than 0 and at most 120' });
    expect(await refused({ k: 1, minutes: 181 })).toEqual({ code: 'LIMIT_EXCEEDED', where: 'minutes', message: 'minutes: got 181, expected a number greater than 0 and at most 180' });
    expect(await refused({ k: 1, metShare: 0 })).toMatchObject({ code: 'INVALID_PARAMETER', where: 'metShare' });
    expect(await refused({ k: 1, mode: 'boat' })).toMatchObject({ code: 'INVALID_PARAMETER', where: 'mode', message: expect.stringMatching(/^mode: got "boat", expected one of walk, /) });
    expect(await refused({ k: 1, item: undefined, categories: [] })).toEqual({
      code: 'INVALID_PARAMETER',
      where: 'categories',
      message: 'categories: got an empty array, expected a non-empty array of category ids (GET /v1/categories)',
    });
  });

  it('an unknown key is refused with a did-you-mean; what a schema cannot say is checked after it', async () => {
    expect(await refused({ k: 1, targetshare: 0.5 })).toMatchObject({ code: 'INVALID_PARAMETER', message: expect.stringMatching(/^targetshare: is not a known parameter \(did you mean "targetShare"\?\)/) });
    expect(await refused({ k: 1, targetShare: 0.5 })).toMatchObject({ code: 'INVALID_PARAMETER', where: 'targetShare', message: 'targetShare: send either `k` or `targetShare`, not both' });
    expect(await refused({ k: 1, categories: ['clinic'] })).toMatchObject({ code: 'INVALID_PARAMETER', where: 'categories' });
    expect(await refused({ k: 1, categories: ['clinics'], item: undefined })).toMatchObject({ where: 'categories', message: expect.stringMatching(/^categories: "clinics" is not a category id/) });
  });

  it('a what-if reads coverage\'s keys only: siting\'s own are left out before coverage() checks its body', async () => {
    const { response } = await siting({ ...base, k: 3, method: 'greedy', objective: 'communities', timeLimitSeconds: 5, add: fc([town.point('new-park', town.at('c'))]) }, { defaultGraph: graph });
    expect((response as WhatIfResponse).whatIf).toBe(true);
  });
});
