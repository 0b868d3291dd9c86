/** Two engines' answers to "every node within the budget from each origin", compared. */

/** Per origin (vertex id), each node reached (vertex id) and its time, seconds. */
export type Reach = Map<number, Map<number, number>>;

export interface Agreement {
  a: string;
  b: string;
  origins: number;
  /** Origins where both reached the same nodes, every time within the tolerance. */
  identical: number;
  /** Nodes (summed over origins) only one engine reached, not explained by a tie at the budget. */
  onlyA: number;
  onlyB: number;
  /** Nodes one engine reached at the budget, within the tolerance, and the other not: a tie, not a disagreement. */
  boundary: number;
  /** Nodes both reached whose times differ by more than the tolerance. */
  beyond: number;
  maxDiffS: number;
  toleranceS: number;
  agrees: boolean;
  /** A few disagreements, to start looking from. */
  examples: string[];
}

/** `nodes`, when given, restricts the comparison to those nodes (what one side was asked about). */
export function compareReach([a, reachA]: [string, Reach], [b, reachB]: [string, Reach], origins: readonly number[], budgetS: number, toleranceS: number, nodes?: Set<number>): Agreement {
  const g: Agreement = { a, b, origins: origins.length, identical: 0, onlyA: 0, onlyB: 0, boundary: 0, beyond: 0, maxDiffS: 0, toleranceS, agrees: true, examples: [] };
  const note = (text: string) => g.examples.length < 5 && g.examples.push(text);
  const empty = new Map<number, number>();
  for (const o of origins) {
    const ta = reachA.get(o) ?? empty;
    const tb = reachB.get(o) ?? empty;
    let same = true;
    for (const [v, t] of ta) {
      if (nodes && !nodes.has(v)) continue;
      const u = tb.get(v);
      if (u === undefined) {
        same = false;
        if (t >= budgetS - toleranceS) g.boundary++;
        else {
          g.onlyA++;
          note(`origin ${o}: node ${v} at ${t} s in ${a} only`);
        }
        continue;
      }
      const d = Math.abs(t - u);
      g.maxDiffS = Math.max(g.maxDiffS, d);
      if (d > toleranceS) {
        same = false;
        g.beyond++;
        note(`origin ${o}: node ${v} at ${t} s in ${a}, ${u} s in ${b}`);
      }
    }
    for (const [v, t] of tb) {
      if (ta.has(v) || (nodes && !nodes.has(v))) continue;
      same = false;
      if (t >= budgetS - toleranceS) g.boundary++;
      else {
        g.onlyB++;
        note(`origin ${o}: node ${v} at ${t} s in ${b} only`);
      }
    }
    if (same) g.identical++;
  }
  g.agrees = g.onlyA === 0 && g.onlyB === 0 && g.beyond === 0;
  return g;
}
