/**
 * A siting problem as sets: no graph, no geometry. Elements are homes nobody serves yet (or groups of
 * them that every candidate reaches alike), each standing for some residents and belonging to one
 * community; each candidate site reaches a set of elements (its reach set, from one bounded search on
 * the network: src/core/siting/reach-sets.ts). Choosing sites covers the union of their sets.
 *
 * Two objectives, as a district plan counts progress:
 * - `residents`: residents newly served (maximum coverage: monotone submodular, so greedy is within
 *   1 − 1/e of the best and lazy evaluation is exact);
 * - `communities`: communities newly meeting the item, i.e. whose covered residents reach `need[g]`
 *   (what they lack of metShare). A threshold per community: not submodular, so greedy has no
 *   guarantee here and the exact program is the honest answer.
 *
 * Constraints: at most `k` sites, and/or a `budget` on the candidates' summed `cost`.
 */
export type SitingObjective = 'residents' | 'communities';

export interface SitingInstance {
  elementCount: number;
  /** Residents each element stands for. */
  elementWeight: Float64Array;
  /** Community (position in `need`) of each element. */
  elementGroup: Uint32Array;
  candidateCount: number;
  /** Elements reached by candidate j: members[start[j] .. start[j+1]-1], ascending, no repeats. */
  start: Uint32Array;
  members: Uint32Array;
  /**
   * Residents community g still lacks to meet the item (> 0), or ≤ 0 when it meets it already;
   * Infinity when the candidates cannot bring it there at all.
   */
  need: Float64Array;
  /** Cost of each candidate (absent: 1 each). */
  cost?: Float64Array;
}

export interface SitingLimits {
  objective: SitingObjective;
  /** At most this many sites. */
  k?: number;
  /** At most this summed cost (needs `cost`). */
  budget?: number;
  /**
   * Instead of maximizing: the fewest sites (by count) whose objective value reaches `target`
   * (residents, or communities), within `budget` when given.
   */
  target?: number;
}

/** The value of a choice of sites: residents newly covered, and communities newly meeting the item. */
export interface SitingValue {
  residents: number;
  communities: number;
}

/** Evaluates a choice from scratch: the reference every method's answer is checked against. */
export function evaluate(instance: SitingInstance, chosen: readonly number[]): SitingValue {
  const covered = new Uint8Array(instance.elementCount);
  for (const j of chosen) for (let p = instance.start[j]; p < instance.start[j + 1]; p++) covered[instance.members[p]] = 1;
  const gained = new Float64Array(instance.need.length);
  let residents = 0;
  for (let e = 0; e < instance.elementCount; e++) {
    if (!covered[e]) continue;
    residents += instance.elementWeight[e];
    gained[instance.elementGroup[e]] += instance.elementWeight[e];
  }
  let communities = 0;
  for (let g = 0; g < gained.length; g++) if (meets(gained[g], instance.need[g])) communities++;
  return { residents, communities };
}

/** Whether residents newly covered bring a community that lacks `need` to the item (a hair of slack, as homesVerdict). */
export function meets(gained: number, need: number): boolean {
  return need > 0 && need < Infinity && gained >= need * (1 - 1e-9);
}

export function valueOf(v: SitingValue, objective: SitingObjective): number {
  return objective === 'residents' ? v.residents : v.communities;
}

export function costOf(instance: SitingInstance, j: number): number {
  return instance.cost ? instance.cost[j] : 1;
}
