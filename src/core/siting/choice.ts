import { type SitingInstance, type SitingObjective, type SitingValue, meets } from './instance.ts';

/**
 * What a method answers: the sites in order of choice with what each adds, the value reached, and
 * how far from the best it can be — `optimal`, or an upper bound (`bound`) on what any choice within
 * the same limits could reach, with how that bound was proved.
 */
export interface SitingChoice {
  method: 'exact' | 'greedy';
  sites: ChosenSite[];
  value: SitingValue;
  optimal: boolean;
  /** Absent when `optimal` (the value is the bound) or in target mode. */
  bound?: SitingBound;
  /** Target mode: whether the target was reached, and a lower bound on the sites any choice needs. */
  target?: { reached: boolean; fewestSitesBound: number };
}

export interface SitingBound {
  /** An upper bound on the objective (residents or communities newly served) of any feasible choice. */
  value: number;
  /**
   * - `marginal-gains`: the current value plus the best marginal gains any choice could add (residents);
   * - `touched-communities`: the current value plus, per site, the unmet communities it reaches at all
   *   (communities: every newly met one is reached by a chosen site);
   * - `lp-relaxation`: the mixed-integer program's best proven bound when it stopped (at least as
   *   tight as its LP relaxation).
   */
  kind: 'marginal-gains' | 'touched-communities' | 'lp-relaxation';
}

export interface ChosenSite {
  candidate: number;
  gainResidents: number;
  gainCommunities: number;
  /** Communities (positions in `need`) this site brings to the item, given the sites before it. */
  newlyMet: number[];
}

/**
 * Orders a set of sites as a planner builds them — each next the one adding most to the objective
 * (ties: residents, then the lower index) — and states what each adds.
 */
export function orderSites(instance: SitingInstance, chosen: readonly number[], objective: SitingObjective): ChosenSite[] {
  const state = new CoverState(instance);
  const left = [...chosen];
  const out: ChosenSite[] = [];
  while (left.length > 0) {
    let best = 0;
    let bestGain: { residents: number; communities: number } | undefined;
    for (let i = 0; i < left.length; i++) {
      const g = state.gainOf(left[i]);
      const better =
        !bestGain ||
        (objective === 'communities' ? g.communities > bestGain.communities || (g.communities === bestGain.communities && g.residents > bestGain.residents) : g.residents > bestGain.residents);
      if (better) {
        best = i;
        bestGain = g;
      }
    }
    const [j] = left.splice(best, 1);
    out.push(state.add(j));
  }
  return out;
}

/** Which elements are covered and how much each community has gained so far. */
export class CoverState {
  readonly covered: Uint8Array;
  readonly gained: Float64Array;
  residents = 0;
  communities = 0;

  constructor(readonly instance: SitingInstance) {
    this.covered = new Uint8Array(instance.elementCount);
    this.gained = new Float64Array(instance.need.length);
  }

  /** Residents this candidate would add now, and communities it would bring to the item. */
  gainOf(j: number): { residents: number; communities: number } {
    const { start, members, elementWeight, elementGroup, need } = this.instance;
    let residents = 0;
    const extra = new Map<number, number>();
    for (let p = start[j]; p < start[j + 1]; p++) {
      const e = members[p];
      if (this.covered[e]) continue;
      residents += elementWeight[e];
      const g = elementGroup[e];
      extra.set(g, (extra.get(g) ?? 0) + elementWeight[e]);
    }
    let communities = 0;
    for (const [g, w] of extra) if (!meets(this.gained[g], need[g]) && meets(this.gained[g] + w, need[g])) communities++;
    return { residents, communities };
  }

  add(j: number): ChosenSite {
    const { start, members, elementWeight, elementGroup, need } = this.instance;
    let residents = 0;
    const touched = new Set<number>();
    const before = new Map<number, boolean>();
    for (let p = start[j]; p < start[j + 1]; p++) {
      const e = members[p];
      if (this.covered[e]) continue;
      this.covered[e] = 1;
      residents += elementWeight[e];
      const g = elementGroup[e];
      if (!before.has(g)) before.set(g, meets(this.gained[g], need[g]));
      this.gained[g] += elementWeight[e];
      touched.add(g);
    }
    const newlyMet = [...touched].filter((g) => !before.get(g) && meets(this.gained[g], need[g])).sort((a, b) => a - b);
    this.residents += residents;
    this.communities += newlyMet.length;
    return { candidate: j, gainResidents: residents, gainCommunities: newlyMet.length, newlyMet };
  }
}
