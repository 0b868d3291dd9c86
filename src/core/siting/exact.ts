import * as highsModule from 'highs';
import type { Highs, ModelData } from 'highs';
import { type SitingChoice, orderSites } from './choice.ts';
import { type SitingInstance, type SitingLimits, costOf, evaluate } from './instance.ts';

/**
 * Exact siting: the choice as a mixed-integer program, solved by HiGHS (compiled to WebAssembly, the
 * `highs` package). Variables: x_j ∈ {0,1} per candidate that reaches anybody, z_u ∈ [0,1] per
 * element (homes every candidate reaches alike are one element: fewer rows, the same optimum), and
 * for `communities` y_g ∈ {0,1} per community the candidates could bring to the item.
 *
 *   residents:    max Σ w_u z_u                 z_u ≤ Σ_{j reaches u} x_j,  Σ x_j ≤ k,  Σ c_j x_j ≤ B
 *   communities:  max Σ y_g                     … and Σ_{u ∈ g} w_u z_u ≥ need_g · y_g
 *   target:       min Σ x_j                     … and the objective above ≥ target
 *
 * Stopped by `timeLimitS` before it proves optimality, it answers its best choice so far with the
 * solver's proven bound (`lp-relaxation`), or undefined when it had none.
 */
export async function exactSiting(instance: SitingInstance, limits: SitingLimits, opts: { timeLimitS: number }): Promise<SitingChoice | undefined> {
  const highs = await highsRuntime();
  const program = buildProgram(highs, instance, limits);
  if (program.candidates.length === 0) return emptyChoice(instance, limits);
  const model = highs.createModel(program.data);
  try {
    model.options.set({ output_flag: false, time_limit: opts.timeLimitS, mip_rel_gap: 0, mip_abs_gap: 1e-6 });
    model.run();
    const status = model.getModelStatus();
    const { optimal, timeLimit, infeasible } = highs.constants.modelStatus;
    if (status === infeasible) return undefined;
    if (status !== optimal && status !== timeLimit) return undefined;
    const columns = model.getSolution().colValue;
    if (!columns || columns.length < program.candidates.length) return undefined;
    const chosen = program.candidates.filter((_, i) => columns[i] > 0.5);
    const value = evaluate(instance, chosen);
    const objectiveValue = limits.objective === 'residents' ? value.residents : value.communities;
    // With no incumbent when the time ran out, HiGHS leaves the columns at zero: nothing to answer.
    if (status === timeLimit && chosen.length === 0 && limits.target !== undefined) return undefined;
    const isOptimal = status === optimal;
    const dualBound = Number(model.info.get('mip_dual_bound'));
    const choice: SitingChoice = { method: 'exact', sites: orderSites(instance, chosen, limits.objective), value, optimal: isOptimal };
    if (limits.target !== undefined) {
      const reached = objectiveValue >= limits.target * (1 - 1e-9);
      // Minimizing sites: the proven bound is a lower bound on how many any choice needs.
      const fewest = isOptimal ? chosen.length : Number.isFinite(dualBound) ? Math.ceil(dualBound - 1e-6) : 0;
      return { ...choice, target: { reached, fewestSitesBound: fewest } };
    }
    if (!isOptimal) choice.bound = { value: Number.isFinite(dualBound) ? Math.max(dualBound, objectiveValue) : Infinity, kind: 'lp-relaxation' };
    return choice;
  } finally {
    model.dispose();
  }
}

/** How large the program would be, for `auto` to skip what could not finish in time. */
export function programSize(instance: SitingInstance): number {
  return instance.members.length;
}

let runtime: Promise<Highs> | undefined;

/**
 * The package's loader. Its types are CommonJS (`export default` reads as `.default` under NodeNext)
 * while Node imports its ES module, whose default export is the loader itself.
 */
const loadHighs = highsModule.default as unknown as () => Promise<Highs>;

/** One HiGHS runtime per thread, loaded on first use (~0.1 s). */
function highsRuntime(): Promise<Highs> {
  runtime ??= loadHighs();
  return runtime;
}

function emptyChoice(instance: SitingInstance, limits: SitingLimits): SitingChoice {
  return {
    method: 'exact',
    sites: [],
    value: { residents: 0, communities: 0 },
    optimal: true,
    ...(limits.target !== undefined ? { target: { reached: limits.target <= 0, fewestSitesBound: 0 } } : {}),
  };
}

interface Program {
  /** Candidate of each x column (columns 0 .. candidates.length-1). */
  candidates: number[];
  data: ModelData;
}

function buildProgram(highs: Highs, instance: SitingInstance, limits: SitingLimits): Program {
  const inf = highs.infinity;
  const { start, members, elementWeight, elementGroup, need } = instance;
  const communities = limits.objective === 'communities';
  const candidates: number[] = [];
  for (let j = 0; j < instance.candidateCount; j++) if (start[j + 1] > start[j] && costOf(instance, j) <= (limits.budget ?? Infinity)) candidates.push(j);
  // Elements by the candidates that reach them: equal lists (and, for communities, the same community) merge.
  const reachers: number[][] = Array.from({ length: instance.elementCount }, () => []);
  candidates.forEach((j, column) => {
    for (let p = start[j]; p < start[j + 1]; p++) reachers[members[p]].push(column);
  });
  const merged = new Map<string, { weight: number; group: number; columns: number[] }>();
  for (let e = 0; e < instance.elementCount; e++) {
    if (reachers[e].length === 0) continue;
    const g = elementGroup[e];
    if (communities && !(need[g] > 0 && need[g] < Infinity)) continue;
    const key = `${communities ? g : ''}|${reachers[e].join(',')}`;
    const m = merged.get(key);
    if (m) m.weight += elementWeight[e];
    else merged.set(key, { weight: elementWeight[e], group: g, columns: reachers[e] });
  }
  const elements = [...merged.values()];
  const groups = communities ? [...new Set(elements.map((u) => u.group))].sort((a, b) => a - b) : [];
  const groupColumn = new Map(groups.map((g, i) => [g, candidates.length + elements.length + i]));

  const xCount = candidates.length;
  const zBase = xCount;
  const yBase = xCount + elements.length;
  const numCols = yBase + groups.length;
  const colCost = new Float64Array(numCols);
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(1);
  const integrality = new Int32Array(numCols);
  for (let i = 0; i < xCount; i++) integrality[i] = 1;
  for (let i = yBase; i < numCols; i++) integrality[i] = 1;
  if (limits.target !== undefined) for (let i = 0; i < xCount; i++) colCost[i] = 1;
  else if (communities) for (let i = yBase; i < numCols; i++) colCost[i] = 1;
  else elements.forEach((u, i) => (colCost[zBase + i] = u.weight));

  // Rows in CSR.
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  const row = (entries: [number, number][], lower: number, upper: number) => {
    for (const [c, v] of entries) {
      indices.push(c);
      values.push(v);
    }
    starts.push(indices.length);
    rowLower.push(lower);
    rowUpper.push(upper);
  };
  elements.forEach((u, i) => row([[zBase + i, 1], ...u.columns.map((c): [number, number] => [c, -1])], -inf, 0));
  if (limits.k !== undefined) row(candidates.map((_, i): [number, number] => [i, 1]), -inf, limits.k);
  if (limits.budget !== undefined) row(candidates.map((j, i): [number, number] => [i, costOf(instance, j)]), -inf, limits.budget);
  if (communities) {
    for (const g of groups) {
      const entries: [number, number][] = [];
      elements.forEach((u, i) => {
        if (u.group === g) entries.push([zBase + i, u.weight]);
      });
      // The same hair of slack as `meets`.
      entries.push([groupColumn.get(g)!, -need[g] * (1 - 1e-9)]);
      row(entries, 0, inf);
    }
  }
  if (limits.target !== undefined) {
    if (communities) row(groups.map((g): [number, number] => [groupColumn.get(g)!, 1]), limits.target * (1 - 1e-9), inf);
    else row(elements.map((u, i): [number, number] => [zBase + i, u.weight]), limits.target * (1 - 1e-9), inf);
  }
  const numRows = rowLower.length;
  return {
    candidates,
    data: {
      numCols,
      numRows,
      sense: limits.target !== undefined ? highs.constants.objectiveSense.minimize : highs.constants.objectiveSense.maximize,
      colCost,
      colLower,
      colUpper,
      rowLower,
      rowUpper,
      matrix: { format: 'csr', numRows, numCols, starts, indices, values },
      integrality,
    },
  };
}
