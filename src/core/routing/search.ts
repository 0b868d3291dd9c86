import type { Graph } from '../network/graph.ts';
import type { Costing } from './costing.ts';
import { arcLengths } from './arc-lengths.ts';
import { grownHeap, siftDown, siftUp } from './heap.ts';

/**
 * Budget-bounded Dijkstra over the CSR graph, from one or many seeds, forwards (time from the seeds)
 * or in reverse (time to the seeds, over arcs walked backwards, for one-way streets).
 *
 * Allocation-free per query after warm-up: arrays are sized to the graph once and an epoch stamp
 * marks which entries belong to the current query, so nothing is refilled between queries.
 * The binary heap is written inline over two typed arrays (flatqueue's layout, without the method
 * calls); it holds duplicates instead of supporting decrease-key (lazy deletion), and stale entries
 * are skipped when popped.
 */
export type Direction = 'forward' | 'reverse';

/** Where a search starts: nodes with an initial time (the partial edge and access leg already added). */
export class SeedList {
  node: Uint32Array;
  time: Float64Array;
  meters: Float64Array;
  /** A caller's label carried to every node the seed reaches first (e.g. which facility is nearest). */
  label: Int32Array;
  count = 0;

  constructor(capacity = 16) {
    this.node = new Uint32Array(capacity);
    this.time = new Float64Array(capacity);
    this.meters = new Float64Array(capacity);
    this.label = new Int32Array(capacity);
  }

  clear(): void {
    this.count = 0;
  }

  add(node: number, time: number, meters: number, label = 0): void {
    if (this.count === this.node.length) this.grow();
    const i = this.count++;
    this.node[i] = node;
    this.time[i] = time;
    this.meters[i] = meters;
    this.label[i] = label;
  }

  private grow(): void {
    const n = this.node.length * 2;
    const node = new Uint32Array(n);
    node.set(this.node);
    const time = new Float64Array(n);
    time.set(this.time);
    const meters = new Float64Array(n);
    meters.set(this.meters);
    const label = new Int32Array(n);
    label.set(this.label);
    Object.assign(this, { node, time, meters, label });
  }
}

export class GraphSearch {
  readonly graph: Graph;
  /** Seconds from (or to) the seeds; valid where stamp === epoch. */
  readonly time: Float64Array;
  /** Metres along the time-shortest path. */
  readonly meters: Float64Array;
  /** Arc by which the node was reached (CSR index, in the search direction), -1 at a seed. */
  readonly predArc: Int32Array;
  /** Label of the seed the node was reached from. */
  readonly label: Int32Array;
  /** Nodes settled by the last run, in order of time. */
  readonly settled: Uint32Array;
  settledCount = 0;
  /** The costing and direction of the last run. */
  costing: Costing | null = null;
  direction: Direction = 'forward';
  budgetS = 0;

  private readonly stamp: Uint32Array;
  private epoch = 0;
  /** Heap storage: node ids and their times; grows (rarely) beyond the node count with duplicates. */
  private heapIds: Uint32Array;
  private heapTimes: Float64Array;
  /** Metres per arc (arc-lengths.ts), shared with the graph's other searches. */
  private readonly arcLength: Float64Array;

  constructor(graph: Graph) {
    this.graph = graph;
    const n = graph.nodeCount;
    this.time = new Float64Array(n);
    this.meters = new Float64Array(n);
    this.predArc = new Int32Array(n);
    this.label = new Int32Array(n);
    this.settled = new Uint32Array(n);
    this.stamp = new Uint32Array(n);
    this.heapIds = new Uint32Array(Math.max(16, n));
    this.heapTimes = new Float64Array(Math.max(16, n));
    this.arcLength = arcLengths(graph);
  }

  /** Whether node n was reached within the budget by the last run. */
  reached(n: number): boolean {
    return this.stamp[n] === this.epoch;
  }

  /** Seconds to node n from the last run, Infinity if not reached. */
  timeOf(n: number): number {
    return this.stamp[n] === this.epoch ? this.time[n] : Infinity;
  }

  run(costing: Costing, seeds: SeedList, budgetS: number, direction: Direction = 'forward'): void {
    if (costing.graph !== this.graph) throw new Error('costing belongs to another graph');
    this.costing = costing;
    this.direction = direction;
    this.budgetS = budgetS;
    this.nextEpoch();
    const epoch = this.epoch;
    const { time, meters, predArc, label, stamp, settled, arcLength } = this;
    const { arcOffsets, arcHead } = this.graph;
    const cost = direction === 'forward' ? costing.forward : costing.reverse;
    let heapIds = this.heapIds;
    let heapTimes = this.heapTimes;
    let size = 0;

    for (let i = 0; i < seeds.count; i++) {
      const n = seeds.node[i];
      const t = seeds.time[i];
      if (t > budgetS) continue;
      if (stamp[n] === epoch && time[n] <= t) continue;
      stamp[n] = epoch;
      time[n] = t;
      meters[n] = seeds.meters[i];
      predArc[n] = -1;
      label[n] = seeds.label[i];
      if (size === heapIds.length) [heapIds, heapTimes] = this.growHeap();
      size = siftUp(heapIds, heapTimes, size, n, t);
    }

    let settledCount = 0;
    while (size > 0) {
      // Pop the minimum: take the root, move the last entry down from the top.
      const u = heapIds[0];
      const tu = heapTimes[0];
      size--;
      if (size > 0) siftDown(heapIds, heapTimes, size, heapIds[size], heapTimes[size]);
      // A node is pushed again only with a strictly smaller time, so an entry later than the node's
      // time is a stale duplicate, and the entry equal to it comes out exactly once.
      if (tu > time[u]) continue;
      settled[settledCount++] = u;
      const mu = meters[u];
      const lu = label[u];
      for (let a = arcOffsets[u], end = arcOffsets[u + 1]; a < end; a++) {
        const t = tu + cost[a];
        // Prune: beyond the budget, or forbidden (Infinity) for this mode.
        if (t > budgetS) continue;
        const v = arcHead[a];
        if (stamp[v] === epoch) {
          if (t >= time[v]) continue;
        } else {
          stamp[v] = epoch;
        }
        time[v] = t;
        meters[v] = mu + arcLength[a];
        predArc[v] = a;
        label[v] = lu;
        if (size === heapIds.length) [heapIds, heapTimes] = this.growHeap();
        size = siftUp(heapIds, heapTimes, size, v, t);
      }
    }
    this.settledCount = settledCount;
  }

  private growHeap(): [Uint32Array, Float64Array] {
    [this.heapIds, this.heapTimes] = grownHeap(this.heapIds, this.heapTimes);
    return [this.heapIds, this.heapTimes];
  }

  private nextEpoch(): void {
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      // Once in four billion queries: reset the stamps so an old stamp can never look current.
      this.stamp.fill(0);
      this.epoch = 1;
    }
  }
}
