/**
 * Upper bounds on what any choice of sites could add, from an upper bound on each candidate's gain
 * (its marginal gain now, or an older one: gains only shrink as sites are added, for a submodular
 * objective). Any feasible choice adds at most the best it could pick of these gains:
 *
 * - with at most `k` sites: the sum of the k largest;
 * - with a `budget` on costs: the fractional knapsack of gains and costs (greedy by gain per cost,
 *   the last one cut), which is at least the integer one;
 * - with both, the smaller of the two.
 *
 * This is the "sum of the best marginal gains" bound (Nemhauser, Wolsey & Fisher 1978; used as the
 * online bound of lazy greedy by Leskovec et al. 2007).
 */
export function gainsBound(gains: ArrayLike<number>, live: (j: number) => boolean, limits: { k?: number; budget?: number; cost?: ArrayLike<number> }): number {
  let bound = Infinity;
  if (limits.k !== undefined) bound = Math.min(bound, topKSum(gains, live, limits.k));
  if (limits.budget !== undefined && limits.cost) bound = Math.min(bound, fractionalKnapsack(gains, live, limits.cost, limits.budget));
  if (bound === Infinity) bound = topKSum(gains, live, gains.length);
  return bound;
}

/**
 * The fewest sites whose best gains could reach `missing` (Infinity when all of them cannot): a lower
 * bound on the sites any choice needs to close the gap.
 */
export function fewestToReach(gains: ArrayLike<number>, live: (j: number) => boolean, missing: number): number {
  if (missing <= 0) return 0;
  const sorted = positiveGains(gains, live).sort((a, b) => b - a);
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) {
    sum += sorted[i];
    if (sum >= missing * (1 - 1e-9)) return i + 1;
  }
  return Infinity;
}

function topKSum(gains: ArrayLike<number>, live: (j: number) => boolean, k: number): number {
  if (k <= 0) return 0;
  // A min-heap of the k largest: n log k, not a sort of tens of thousands per step.
  const heap: number[] = [];
  for (let j = 0; j < gains.length; j++) {
    const g = gains[j];
    if (!(g > 0) || !live(j)) continue;
    if (heap.length < k) {
      heap.push(g);
      let i = heap.length - 1;
      while (i > 0 && heap[(i - 1) >> 1] > heap[i]) {
        [heap[i], heap[(i - 1) >> 1]] = [heap[(i - 1) >> 1], heap[i]];
        i = (i - 1) >> 1;
      }
    } else if (g > heap[0]) {
      heap[0] = g;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l] < heap[m]) m = l;
        if (r < heap.length && heap[r] < heap[m]) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
  }
  let sum = 0;
  for (const g of heap) sum += g;
  return sum;
}

function fractionalKnapsack(gains: ArrayLike<number>, live: (j: number) => boolean, cost: ArrayLike<number>, budget: number): number {
  const items: { gain: number; cost: number }[] = [];
  let free = 0;
  for (let j = 0; j < gains.length; j++) {
    if (!(gains[j] > 0) || !live(j)) continue;
    // A free site is always worth taking.
    if (cost[j] <= 0) free += gains[j];
    else items.push({ gain: gains[j], cost: cost[j] });
  }
  items.sort((a, b) => b.gain / b.cost - a.gain / a.cost);
  let left = budget;
  let sum = free;
  for (const it of items) {
    if (left <= 0) break;
    if (it.cost <= left) {
      sum += it.gain;
      left -= it.cost;
    } else {
      sum += (it.gain * left) / it.cost;
      left = 0;
    }
  }
  return sum;
}

function positiveGains(gains: ArrayLike<number>, live: (j: number) => boolean): number[] {
  const out: number[] = [];
  for (let j = 0; j < gains.length; j++) if (gains[j] > 0 && live(j)) out.push(gains[j]);
  return out;
}
