import { siftDown, siftUp } from '../routing/heap.ts';
import { fewestToReach, gainsBound } from './bounds.ts';
import { type ChosenSite, CoverState, type SitingBound, type SitingChoice } from './choice.ts';
import { type SitingInstance, type SitingLimits, costOf, meets } from './instance.ts';

/**
 * Greedy siting: each next site the one adding most (per unit of cost, under a budget), until `k`
 * sites, the budget, or the target.
 *
 * - `residents`: lazy greedy (Minoux 1978): candidates in a priority queue by their last computed
 *   gain, which can only have shrunk since; the top is recomputed until it stays on top. Exact for
 *   this submodular objective and within 1 − 1/e of the best choice of k sites. Under a budget the
 *   cost-benefit choice is compared with the best single affordable site, the better kept
 *   (Khuller, Moss & Naor 1999).
 * - `communities`: every candidate re-evaluated each step, by communities newly met, then by the
 *   share of their missing residents it brings (a threshold objective: stale gains are no bound).
 *
 * The answer carries an upper bound on the best any choice could do (see SitingBound), the
 * smallest over the steps, or in target mode a lower bound on the sites any choice needs.
 */
export function greedySiting(instance: SitingInstance, limits: SitingLimits): SitingChoice {
  const run = limits.objective === 'residents' ? lazyResidents(instance, limits) : communitiesGreedy(instance, limits);
  if (limits.budget !== undefined && limits.target === undefined) {
    const single = bestSingle(instance, limits);
    if (single && single.value > valueOfRun(run, limits)) {
      const state = new CoverState(instance);
      const site = state.add(single.candidate);
      return { ...run, sites: [site], value: { residents: state.residents, communities: state.communities } };
    }
  }
  return run;
}

interface Run {
  sites: ChosenSite[];
  state: CoverState;
  bound: number;
  fewest: number;
}

function finish(run: Run, limits: SitingLimits, kind: SitingBound['kind']): SitingChoice {
  const value = { residents: run.state.residents, communities: run.state.communities };
  const reached = limits.target === undefined ? undefined : (limits.objective === 'residents' ? value.residents : value.communities) >= limits.target * (1 - 1e-9);
  return {
    method: 'greedy',
    sites: run.sites,
    value,
    optimal: false,
    ...(limits.target === undefined ? { bound: { value: run.bound, kind } } : { target: { reached: reached!, fewestSitesBound: run.fewest } }),
  };
}

function valueOfRun(choice: SitingChoice, limits: SitingLimits): number {
  return limits.objective === 'residents' ? choice.value.residents : choice.value.communities;
}

function lazyResidents(instance: SitingInstance, limits: SitingLimits): SitingChoice {
  const n = instance.candidateCount;
  const state = new CoverState(instance);
  const { start, members, elementWeight } = instance;
  const byBudget = limits.budget !== undefined;
  const gain = new Float64Array(n);
  const computedAt = new Int32Array(n);
  const chosen = new Uint8Array(n);
  const ids = new Uint32Array(Math.max(1, n));
  const keys = new Float64Array(Math.max(1, n));
  let size = 0;
  const key = (j: number) => -(byBudget ? gain[j] / Math.max(costOf(instance, j), 1e-12) : gain[j]) + j * 1e-15;
  for (let j = 0; j < n; j++) {
    let g = 0;
    for (let p = start[j]; p < start[j + 1]; p++) g += elementWeight[members[p]];
    gain[j] = g;
    if (g > 0) size = siftUp(ids, keys, size, j, key(j));
  }
  const sites: ChosenSite[] = [];
  let left = limits.budget ?? Infinity;
  let step = 0;
  let bound = Infinity;
  let fewest = 0;
  const live = (j: number) => chosen[j] === 0;
  const note = () => {
    // gain[] holds, for every candidate not chosen, a gain at some earlier step: an upper bound of its gain now.
    if (limits.target === undefined) bound = Math.min(bound, state.residents + gainsBound(gain, live, { k: limits.k, budget: limits.budget, cost: instance.cost }));
    else fewest = Math.max(fewest, sites.length + fewestToReach(gain, live, limits.target - state.residents));
  };
  note();
  while (size > 0) {
    if (limits.k !== undefined && sites.length >= limits.k) break;
    if (limits.target !== undefined && state.residents >= limits.target * (1 - 1e-9)) break;
    const j = ids[0];
    if (computedAt[j] !== step) {
      let g = 0;
      for (let p = start[j]; p < start[j + 1]; p++) {
        const e = members[p];
        if (!state.covered[e]) g += elementWeight[e];
      }
      gain[j] = g;
      computedAt[j] = step;
      size = pop(ids, keys, size);
      if (g > 0) size = siftUp(ids, keys, size, j, key(j));
      continue;
    }
    size = pop(ids, keys, size);
    // Too dear for what is left of the budget now, and the budget only shrinks.
    if (costOf(instance, j) > left) continue;
    chosen[j] = 1;
    left -= costOf(instance, j);
    sites.push(state.add(j));
    gain[j] = 0;
    step++;
    // Marked stale by the step count: recomputed when they next reach the top.
    note();
  }
  return finish({ sites, state, bound, fewest }, limits, 'marginal-gains');
}

function communitiesGreedy(instance: SitingInstance, limits: SitingLimits): SitingChoice {
  const n = instance.candidateCount;
  const state = new CoverState(instance);
  const { start, members, elementWeight, elementGroup, need } = instance;
  const chosen = new Uint8Array(n);
  const extra = new Float64Array(need.length);
  const touchedGroups: number[] = [];
  const reachesUnmet = new Float64Array(n);
  const sites: ChosenSite[] = [];
  let left = limits.budget ?? Infinity;
  let bound = Infinity;
  let fewest = 0;
  for (;;) {
    let best = -1;
    let bestMet = 0;
    let bestProgress = 0;
    for (let j = 0; j < n; j++) {
      reachesUnmet[j] = 0;
      if (chosen[j]) continue;
      for (let p = start[j]; p < start[j + 1]; p++) {
        const e = members[p];
        if (state.covered[e]) continue;
        const g = elementGroup[e];
        if (!(need[g] > 0 && need[g] < Infinity) || meets(state.gained[g], need[g])) continue;
        if (extra[g] === 0) touchedGroups.push(g);
        extra[g] += elementWeight[e];
      }
      let met = 0;
      let progress = 0;
      for (const g of touchedGroups) {
        if (meets(state.gained[g] + extra[g], need[g])) met++;
        progress += Math.min(extra[g], need[g] - state.gained[g]) / need[g];
        extra[g] = 0;
      }
      reachesUnmet[j] = touchedGroups.length;
      touchedGroups.length = 0;
      if (costOf(instance, j) > left || (met === 0 && progress === 0)) continue;
      const per = limits.budget !== undefined ? Math.max(costOf(instance, j), 1e-12) : 1;
      if (best < 0 || met / per > bestMet || (met / per === bestMet && progress / per > bestProgress)) {
        best = j;
        bestMet = met / per;
        bestProgress = progress / per;
      }
    }
    // Any choice of sites, added to these, newly meets only communities that one of its sites reaches
    // through a home not yet covered: at most the sum of its sites' counts (and communities only gain).
    const live = (j: number) => chosen[j] === 0;
    if (limits.target === undefined) bound = Math.min(bound, state.communities + gainsBound(reachesUnmet, live, { k: limits.k, budget: limits.budget, cost: instance.cost }));
    else fewest = Math.max(fewest, sites.length + fewestToReach(reachesUnmet, live, limits.target - state.communities));
    if (best < 0) break;
    if (limits.k !== undefined && sites.length >= limits.k) break;
    if (limits.target !== undefined && state.communities >= limits.target * (1 - 1e-9)) break;
    chosen[best] = 1;
    left -= costOf(instance, best);
    sites.push(state.add(best));
  }
  return finish({ sites, state, bound: Math.min(bound, meetable(instance)), fewest }, limits, 'touched-communities');
}

/** Communities the candidates could bring to the item at all. */
function meetable(instance: SitingInstance): number {
  let count = 0;
  for (const need of instance.need) if (need > 0 && need < Infinity) count++;
  return count;
}

function bestSingle(instance: SitingInstance, limits: SitingLimits): { candidate: number; value: number } | undefined {
  let best: { candidate: number; value: number } | undefined;
  const state = new CoverState(instance);
  for (let j = 0; j < instance.candidateCount; j++) {
    if (costOf(instance, j) > (limits.budget ?? Infinity)) continue;
    const g = state.gainOf(j);
    const value = limits.objective === 'residents' ? g.residents : g.communities;
    if (!best || value > best.value) best = { candidate: j, value };
  }
  return best;
}

function pop(ids: Uint32Array, keys: Float64Array, size: number): number {
  size--;
  if (size > 0) siftDown(ids, keys, size, ids[size], keys[size]);
  return size;
}
