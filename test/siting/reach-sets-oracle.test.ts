import { describe, expect, it } from 'vitest';
import { readCommunities } from '../../src/core/communities/read-communities.ts';
import { originSeeds } from '../../src/core/coverage/city-wide/origin-seeds.ts';
import { computeCoverage } from '../../src/core/coverage/coverage.ts';
import { placeFacilities } from '../../src/core/coverage/facility-index.ts';
import { readFacilities } from '../../src/core/facilities/read-facilities.ts';
import { costingFor } from '../../src/core/routing/costing.ts';
import { reachSets } from '../../src/core/siting/reach-sets.ts';
import type { Standard } from '../../src/core/standards/types.ts';
import { graphOf } from '../helpers/build.ts';
import { type RandomNetwork, mulberry32, randomNetwork } from '../helpers/random-network.ts';
import { fc } from '../helpers/small-town.ts';

/**
 * Reach sets (one reverse search per candidate, bounded by the homes' forward sweep) against the
 * per-community oracle of coverage (a forward search from each home, src/core/coverage/coverage.ts): with
 * the candidate as the only facility, a one-home community meets the item exactly when the candidate's
 * reach set holds it. Seeded random networks with one-way streets, by car, so direction matters.
 */
const STANDARD: Standard = {
  id: 'one-item',
  name: { zh: '一项', en: 'One item' },
  communityType: 'urban',
  level: 'basic',
  mode: 'car',
  minutes: 1,
  groups: [{ id: 'public', zh: '公共', en: 'Public', count: 1 }],
  items: [{ id: 'clinic', group: 'public', number: 1, zh: '诊所', en: 'Clinic', lead: [], guiding: [], kind: 'place', categories: ['clinic'] }],
} as unknown as Standard;

function pointsOn(net: RandomNetwork, rand: () => number, count: number): [number, number][] {
  return Array.from({ length: count }, () => {
    const e = net.edges[Math.floor(rand() * net.edges.length)];
    const f = 0.05 + rand() * 0.9;
    const a = net.vertices[e.a];
    const b = net.vertices[e.b];
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
  });
}

const SEEDS = [3, 17, 29, 41, 53, 67];

describe('reach sets against the per-community coverage oracle', () => {
  it.each(SEEDS)('seed %i: every (candidate, home) pair agrees', (seed) => {
    const net = randomNetwork(seed, 40);
    const graph = graphOf(net.network);
    const rand = mulberry32(seed * 31);
    const homes = pointsOn(net, rand, 14);
    const sites = pointsOn(net, rand, 10);
    const communities = readCommunities(fc(homes.map((p, i) => ({ type: 'Feature', properties: { id: `c${i}`, type: 'urban' }, geometry: { type: 'Point', coordinates: p } })))).communities;
    const candidates = readFacilities(fc(sites.map((p, i) => ({ type: 'Feature', properties: { id: `s${i}`, category: 'clinic' }, geometry: { type: 'Point', coordinates: p } })))).facilities;
    const costing = costingFor(graph, { mode: 'car' });
    const origins = originSeeds(costing, communities, () => true, 500, false);
    const unserved = new Uint8Array(origins.rowCount).fill(1);
    const reach = reachSets(costing, origins, unserved, placeFacilities(costing, candidates, 500), 60, { candidateCount: candidates.length });
    let pairs = 0;
    let reached = 0;
    candidates.forEach((candidate, j) => {
      const report = computeCoverage(graph, communities, [candidate], [STANDARD], { maxSnapM: 500, metShare: 1 });
      const oracle = report.communities.map((c, i) => (c.standards[0]?.items[0].status === 'met' ? i : -1)).filter((i) => i >= 0);
      // One home per community: row i is community i.
      const mine = [...reach.rows.subarray(reach.start[j], reach.start[j + 1])];
      expect(mine, `seed ${seed} candidate ${j}`).toEqual(oracle);
      pairs += communities.length;
      reached += oracle.length;
    });
    expect(pairs).toBe(140);
    // Not a trivial agreement: some pairs reached, some not.
    expect(reached).toBeGreaterThan(0);
    expect(reached).toBeLessThan(pairs);
  });
});

describe('reach sets on worker threads', () => {
  it('equal the single-thread sets, candidate by candidate', async () => {
    const { reachSetsInThreads } = await import('../../src/runtime/jobs/reach-sets-in-threads.ts');
    const net = randomNetwork(5, 60);
    const graph = graphOf(net.network);
    const rand = mulberry32(77);
    const communities = readCommunities(fc(pointsOn(net, rand, 30).map((p, i) => ({ type: 'Feature', properties: { id: `c${i}`, type: 'urban' }, geometry: { type: 'Point', coordinates: p } })))).communities;
    const candidates = readFacilities(fc(pointsOn(net, rand, 70).map((p, i) => ({ type: 'Feature', properties: { id: `s${i}`, category: 'clinic' }, geometry: { type: 'Point', coordinates: p } })))).facilities;
    const costing = costingFor(graph, { mode: 'car' });
    const origins = originSeeds(costing, communities, () => true, 500, false);
    const unserved = new Uint8Array(origins.rowCount).fill(1);
    const placed = placeFacilities(costing, candidates, 500);
    const one = reachSets(costing, origins, unserved, placed, 60, { candidateCount: candidates.length });
    const two = await reachSetsInThreads(costing, origins, unserved, placed, 60, { candidateCount: candidates.length, threads: 2 });
    expect([...two.start]).toEqual([...one.start]);
    expect([...two.rows]).toEqual([...one.rows]);
    expect(one.rows.length).toBeGreaterThan(0);
  });
});
