import { describe, expect, it } from 'vitest';
import { diffRuns } from '../../src/core/coverage/diff.ts';
import { coverage } from '../../src/runtime/requests/coverage.ts';
import { graphOf } from '../helpers/build.ts';
import { SMALL_TOWN_STANDARD, TOWN_FACILITIES, fc, town } from '../helpers/small-town.ts';

const graph = graphOf(town.network);
const communities = fc([
  town.point('north', town.at('b'), { type: 'urban', services: ['volunteers', 'app'] }),
  town.point('east', town.at('h'), { type: 'urban' }),
]);
const run = (facilities: unknown, list = communities) => coverage({ communities: list, facilities, standard: SMALL_TOWN_STANDARD }, { defaultGraph: graph }).response;

describe('diff between two runs', () => {
  it('lists the communities whose status changed and the items gained or lost', () => {
    const before = run(TOWN_FACILITIES);
    // A new park next to b: north now reaches every place and declares the rest.
    const after = run(fc([...TOWN_FACILITIES.features, town.point('park-2', town.between('a', 'b', 0.9), { category: 'park' })]));
    const diff = diffRuns(before, after);
    expect(diff.changed).toEqual([
      expect.objectContaining({ communityId: 'north', standardId: 'small-town', status: 'gained', itemsGained: [expect.objectContaining({ itemId: 'park' })], itemsLost: [] }),
    ]);
    expect(diff.shares).toEqual([{ standardId: 'small-town', before: 0, after: 0.5, passingBefore: 0, passingAfter: 1 }]);
    // And back: the same change read the other way round.
    expect(diffRuns(after, before).changed[0]).toMatchObject({ communityId: 'north', status: 'lost', itemsLost: [expect.objectContaining({ itemId: 'park' })] });
  });

  it('lists communities added or removed', () => {
    const before = run(TOWN_FACILITIES);
    const after = run(TOWN_FACILITIES, fc([communities.features[0], town.point('south', town.at('f'), { type: 'urban' })]));
    const diff = diffRuns(before, after);
    expect(diff.added).toEqual(['south']);
    expect(diff.removed).toEqual(['east']);
    expect(diff.changed).toEqual([]);
  });
});
