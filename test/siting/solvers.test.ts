import { describe, expect, it } from 'vitest';
import { exactSiting } from '../../src/core/siting/exact.ts';
import { greedySiting } from '../../src/core/siting/greedy.ts';
import { type SitingInstance, type SitingLimits, type SitingObjective, evaluate, valueOf } from '../../src/core/siting/instance.ts';
import { mulberry32 } from '../helpers/random-network.ts';

/**
 * The siting methods against brute force over every subset of candidates, on seeded random
 * instances small enough to enumerate (≤ 11 candidates: 2048 subsets).
 */

/** A random instance: homes in communities with random weights, candidates reaching random homes. */
function randomInstance(seed: number, opts: { candidates: number; elements: number; groups: number; costs?: boolean }): SitingInstance {
  const rand = mulberry32(seed);
  const elementWeight = Float64Array.from({ length: opts.elements }, () => 1 + Math.floor(rand() * 20));
  const elementGroup = Uint32Array.from({ length: opts.elements }, () => Math.floor(rand() * opts.groups));
  const sets: number[][] = [];
  for (let j = 0; j < opts.candidates; j++) {
    const size = Math.floor(rand() * opts.elements * 0.4);
    const set = new Set<number>();
    for (let i = 0; i < size; i++) set.add(Math.floor(rand() * opts.elements));
    sets.push([...set].sort((a, b) => a - b));
  }
  const total = new Float64Array(opts.groups);
  elementWeight.forEach((w, e) => (total[elementGroup[e]] += w));
  // Each community lacks between a tenth and two thirds of its residents.
  const need = Float64Array.from(total, (t) => (t === 0 ? 0 : Math.round(t * (0.1 + rand() * 0.55))));
  return {
    elementCount: opts.elements,
    elementWeight,
    elementGroup,
    candidateCount: opts.candidates,
    start: Uint32Array.from([0, ...sets.map((_, j) => sets.slice(0, j + 1).reduce((s, x) => s + x.length, 0))]),
    members: Uint32Array.from(sets.flat()),
    need,
    ...(opts.costs ? { cost: Float64Array.from({ length: opts.candidates }, () => 1 + Math.floor(rand() * 5)) } : {}),
  };
}

/** The best value over every subset within the limits (or, for a target, the fewest sites reaching it). */
function bruteForce(instance: SitingInstance, limits: SitingLimits): { best: number; fewest: number } {
  let best = 0;
  let fewest = Infinity;
  for (let mask = 0; mask < 1 << instance.candidateCount; mask++) {
    const chosen: number[] = [];
    let cost = 0;
    for (let j = 0; j < instance.candidateCount; j++) {
      if (mask & (1 << j)) {
        chosen.push(j);
        cost += instance.cost ? instance.cost[j] : 1;
      }
    }
    if (limits.k !== undefined && chosen.length > limits.k) continue;
    if (limits.budget !== undefined && cost > limits.budget) continue;
    const value = valueOf(evaluate(instance, chosen), limits.objective);
    best = Math.max(best, value);
    if (limits.target !== undefined && value >= limits.target - 1e-9) fewest = Math.min(fewest, chosen.length);
  }
  return { best, fewest };
}

const SEEDS = Array.from({ length: 12 }, (_, i) => 101 + i * 37);
const E = 1 - 1 / Math.E;

describe.each(['residents', 'communities'] as const)('objective %s against brute force', (objective: SitingObjective) => {
  it.each(SEEDS)('seed %i: exact equals brute force for k = 1..4; greedy within its guarantee and under its bound', async (seed) => {
    const instance = randomInstance(seed, { candidates: 10, elements: 40, groups: 6 });
    let compared = 0;
    for (const k of [1, 2, 3, 4]) {
      const limits: SitingLimits = { objective, k };
      const { best } = bruteForce(instance, limits);
      const exact = (await exactSiting(instance, limits, { timeLimitS: 30 }))!;
      expect(exact.optimal, `seed ${seed} k ${k}`).toBe(true);
      expect(exact.sites.length).toBeLessThanOrEqual(k);
      expect(valueOf(exact.value, objective), `seed ${seed} k ${k}`).toBeCloseTo(best, 6);
      // The answer's value is what its sites really cover, and its per-site gains add up to it.
      expect(exact.value).toEqual(evaluate(instance, exact.sites.map((s) => s.candidate)));
      expect(exact.sites.reduce((s, x) => s + x.gainResidents, 0)).toBeCloseTo(exact.value.residents, 6);
      const greedy = greedySiting(instance, limits);
      const g = valueOf(greedy.value, objective);
      expect(greedy.sites.length).toBeLessThanOrEqual(k);
      expect(greedy.value).toEqual(evaluate(instance, greedy.sites.map((s) => s.candidate)));
      expect(g).toBeLessThanOrEqual(best + 1e-9);
      expect(greedy.bound!.value, `seed ${seed} k ${k}: the bound is an upper bound`).toBeGreaterThanOrEqual(best - 1e-9);
      if (objective === 'residents') expect(g, `seed ${seed} k ${k}: greedy ≥ (1 − 1/e) OPT`).toBeGreaterThanOrEqual(E * best - 1e-9);
      if (best > 0) compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it.each(SEEDS.slice(0, 6))('seed %i: with costs and a budget, exact equals brute force and the bound holds', async (seed) => {
    const instance = randomInstance(seed, { candidates: 10, elements: 40, groups: 6, costs: true });
    for (const budget of [3, 7]) {
      const limits: SitingLimits = { objective, budget };
      const { best } = bruteForce(instance, limits);
      const exact = (await exactSiting(instance, limits, { timeLimitS: 30 }))!;
      expect(valueOf(exact.value, objective), `seed ${seed} budget ${budget}`).toBeCloseTo(best, 6);
      const greedy = greedySiting(instance, limits);
      const cost = greedy.sites.reduce((s, x) => s + instance.cost![x.candidate], 0);
      expect(cost).toBeLessThanOrEqual(budget);
      expect(greedy.bound!.value).toBeGreaterThanOrEqual(best - 1e-9);
    }
  });

  it.each(SEEDS.slice(0, 6))('seed %i: a target: exact uses the fewest sites; greedy reaches it and never claims fewer than possible', async (seed) => {
    const instance = randomInstance(seed, { candidates: 10, elements: 40, groups: 6 });
    const all = valueOf(evaluate(instance, Array.from({ length: instance.candidateCount }, (_, j) => j)), objective);
    if (all === 0) return;
    const target = objective === 'residents' ? Math.round(all * 0.7) : Math.max(1, Math.floor(all * 0.7));
    const limits: SitingLimits = { objective, target };
    const { fewest } = bruteForce(instance, limits);
    const exact = (await exactSiting(instance, limits, { timeLimitS: 30 }))!;
    expect(exact.target!.reached).toBe(true);
    expect(exact.sites.length, `seed ${seed}`).toBe(fewest);
    const greedy = greedySiting(instance, limits);
    expect(greedy.target!.reached).toBe(true);
    expect(greedy.sites.length).toBeGreaterThanOrEqual(fewest);
    expect(greedy.target!.fewestSitesBound, `seed ${seed}: the lower bound is a lower bound`).toBeLessThanOrEqual(fewest);
  });
});

describe('a hand-made instance where greedy is not optimal', () => {
  // Homes 0–5 (one resident each). Candidate 0 reaches the middle four; 1 reaches 0–2, 2 reaches 3–5.
  // With k = 2 greedy takes 0 first (4 > 3) and then one side (+1): 5; the best is 1 and 2: all 6.
  const sets = [[1, 2, 3, 4], [0, 1, 2], [3, 4, 5]];
  const instance: SitingInstance = {
    elementCount: 6,
    elementWeight: new Float64Array(6).fill(1),
    elementGroup: new Uint32Array(6),
    candidateCount: 3,
    start: Uint32Array.from([0, 4, 7, 10]),
    members: Uint32Array.from(sets.flat()),
    need: Float64Array.from([6]),
  };

  it('greedy answers 5 residents with a bound of at least 6; exact answers 6, optimal', async () => {
    const greedy = greedySiting(instance, { objective: 'residents', k: 2 });
    expect(greedy.sites.map((s) => s.candidate)[0]).toBe(0);
    expect(greedy.value.residents).toBe(5);
    expect(greedy.optimal).toBe(false);
    expect(greedy.bound!.value).toBeGreaterThanOrEqual(6);
    const exact = (await exactSiting(instance, { objective: 'residents', k: 2 }, { timeLimitS: 10 }))!;
    expect(exact.optimal).toBe(true);
    expect(exact.value.residents).toBe(6);
    expect(exact.sites.map((s) => s.candidate).sort()).toEqual([1, 2]);
    // The community needs all six: only the exact choice meets it.
    expect(exact.value.communities).toBe(1);
    expect(greedy.value.communities).toBe(0);
  });

  it('a target of every resident: greedy needs 3 sites, exact 2', async () => {
    const greedy = greedySiting(instance, { objective: 'residents', target: 6 });
    expect(greedy.sites).toHaveLength(3);
    const exact = (await exactSiting(instance, { objective: 'residents', target: 6 }, { timeLimitS: 10 }))!;
    expect(exact.sites).toHaveLength(2);
    expect(exact.target).toEqual({ reached: true, fewestSitesBound: 2 });
  });
});
