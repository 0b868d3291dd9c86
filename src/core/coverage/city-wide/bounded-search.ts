import type { Graph } from '../../network/graph.ts';
import { arcLengths } from '../../routing/arc-lengths.ts';
import { grownHeap, siftDown, siftUp } from '../../routing/heap.ts';

/**
 * The Dijkstra of src/core/routing/search.ts (typed arrays, inline binary heap with lazy deletion, epoch
 * stamps), plus one thing a city-wide sweep needs and a single search does not: a per-node lower
 * bound `bound[v]` on the time between v and the *other* end of any useful path. Here it is the time
 * from the nearest community origin to v (one forward sweep from all origins of a travel group,
 * `originTimes`), and a node is not expanded when its time plus that bound exceeds the budget.
 *
 * Why it is exact: an origin that reaches a facility within the budget does so along a path whose
 * every node v has (origin → v) + (v → facility) ≤ budget, and (nearest origin → v) is no more than
 * the first term; so no node of such a path is pruned, and the label read at that origin's node is
 * the true nearest facility. Nodes off every such path may get a worse label or none: nobody reads
 * them. Without the bound, a category's search would sweep everything within the budget of any
 * facility; with it, only the ground between facilities and the communities that can reach them.
 */
export class BoundedSearch {
  readonly time: Float64Array;
  readonly meters: Float64Array;
  readonly label: Int32Array;
  private readonly stamp: Uint32Array;
  private epoch = 0;
  private heapIds: Uint32Array;
  private heapTimes: Float64Array;
  /** Metres per arc (arc-lengths.ts), shared with the graph's other searches. */
  private readonly arcLength: Float64Array;
  settledCount = 0;

  constructor(readonly graph: Graph) {
    const n = graph.nodeCount;
    this.time = new Float64Array(n);
    this.meters = new Float64Array(n);
    this.label = new Int32Array(n);
    this.stamp = new Uint32Array(n);
    this.heapIds = new Uint32Array(Math.max(16, n));
    this.heapTimes = new Float64Array(Math.max(16, n));
    this.arcLength = arcLengths(graph);
  }

  /**
   * Whether node n was reached by the last run. Its time, metres and label are then the last run's:
   * exact for every node on a path within the budget from an origin (see above), an upper bound elsewhere.
   */
  reached(n: number): boolean {
    return this.stamp[n] === this.epoch;
  }

  /**
   * Searches from the seeds over arcs costed by `cost` (a Costing's `forward` or `reverse`), within
   * budgetS; with `bound`, nodes whose time + bound exceeds the budget are neither kept nor expanded.
   */
  run(
    cost: Float64Array,
    seedNode: Uint32Array,
    seedTime: Float64Array,
    seedMeters: Float64Array,
    seedLabel: Int32Array | null,
    from: number,
    to: number,
    budgetS: number,
    bound: Float64Array | null,
    targets: Targets | null = null,
  ): void {
    this.nextEpoch();
    const epoch = this.epoch;
    const { time, meters, label, stamp, arcLength } = this;
    const { arcOffsets, arcHead } = this.graph;
    // The bound is computed by another summation order than the path it bounds: a hair of slack
    // keeps a node whose sum lands an ulp over the budget (pruning less is always safe).
    const limit = budgetS + 1e-9 * Math.max(1, budgetS);
    let heapIds = this.heapIds;
    let heapTimes = this.heapTimes;
    let size = 0;

    for (let i = from; i < to; i++) {
      const n = seedNode[i];
      const t = seedTime[i];
      if (t > budgetS) continue;
      if (bound !== null && t + bound[n] > limit) continue;
      if (stamp[n] === epoch && time[n] <= t) continue;
      if (stamp[n] !== epoch && this.record) this.remember(n);
      stamp[n] = epoch;
      time[n] = t;
      meters[n] = seedMeters[i];
      label[n] = seedLabel === null ? i : seedLabel[i];
      if (size === heapIds.length) [heapIds, heapTimes] = this.growHeap();
      size = siftUp(heapIds, heapTimes, size, n, t);
    }

    let settledCount = 0;
    // With targets: stop once every target node is settled — its time and label are then final, and
    // nothing else is read. A category with a facility near every home stops at that distance, not
    // at the budget.
    let remaining = targets === null ? -1 : targets.count;
    const targetMark = targets === null ? null : targets.mark;
    const targetEpoch = targets === null ? 0 : targets.epoch;
    while (size > 0 && remaining !== 0) {
      const u = heapIds[0];
      const tu = heapTimes[0];
      size--;
      if (size > 0) siftDown(heapIds, heapTimes, size, heapIds[size], heapTimes[size]);
      // Lazy deletion: an entry later than the node's time is a stale duplicate. A node is pushed
      // again only with a strictly smaller time, so the entry equal to its time comes out once.
      if (tu > time[u]) continue;
      settledCount++;
      if (targetMark !== null && targetMark[u] === targetEpoch) remaining--;
      const mu = meters[u];
      const lu = label[u];
      for (let a = arcOffsets[u], end = arcOffsets[u + 1]; a < end; a++) {
        const t = tu + cost[a];
        if (t > budgetS) continue;
        const v = arcHead[a];
        if (stamp[v] === epoch) {
          if (t >= time[v]) continue;
        } else {
          if (bound !== null && t + bound[v] > limit) continue;
          if (this.record) this.remember(v);
          stamp[v] = epoch;
        }
        time[v] = t;
        meters[v] = mu + arcLength[a];
        label[v] = lu;
        if (size === heapIds.length) [heapIds, heapTimes] = this.growHeap();
        size = siftUp(heapIds, heapTimes, size, v, t);
      }
    }
    this.settledCount = settledCount;
  }

  /** The last run's times into `out` (Infinity where not reached): a bound for later runs. */
  timesInto(out: Float64Array): void {
    const { time, stamp, epoch } = this;
    for (let n = 0; n < out.length; n++) out[n] = stamp[n] === epoch ? time[n] : Infinity;
  }

  /**
   * The same for a small search into an array that is Infinity wherever the last `clearTimes` left
   * it: only the reached nodes are written (remembered for clearTimes), not every node of the graph —
   * a one-community request reaches a few thousand nodes of a city's million.
   */
  sparseTimesInto(out: Float64Array, written: number[]): void {
    const { time, stamp, epoch } = this;
    for (let i = 0; i < this.touchedCount; i++) {
      const n = this.touched[i];
      if (stamp[n] === epoch) {
        out[n] = time[n];
        written.push(n);
      }
    }
  }

  /** The nodes the last run stamped, when it was asked to record them (`record`): valid until the next run. */
  recordedNodes(): Uint32Array {
    return this.touched.subarray(0, this.touchedCount);
  }

  /** Nodes stamped by the last run, when it was asked to record them (`record`). */
  private touched = new Uint32Array(0);
  private touchedCount = 0;
  record = false;

  private remember(n: number): void {
    if (this.touchedCount === this.touched.length) {
      const grown = new Uint32Array(Math.max(1024, this.touched.length * 2));
      grown.set(this.touched);
      this.touched = grown;
    }
    this.touched[this.touchedCount++] = n;
  }

  private growHeap(): [Uint32Array, Float64Array] {
    [this.heapIds, this.heapTimes] = grownHeap(this.heapIds, this.heapTimes);
    return [this.heapIds, this.heapTimes];
  }

  private nextEpoch(): void {
    this.touchedCount = 0;
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
  }
}

/** Nodes a search may stop at once all are settled: marked with `epoch` in `mark`, `count` of them. */
export interface Targets {
  mark: Uint32Array;
  epoch: number;
  count: number;
}
