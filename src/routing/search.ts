import FlatQueue from 'flatqueue';
import type { Graph } from '../network/graph.ts';
import type { Costing } from './costing.ts';

/**
 * Budget-bounded Dijkstra over the CSR graph, from one or many seeds, forwards (time from the seeds)
 * or in reverse (time to the seeds, over arcs walked backwards, for one-way streets).
 *
 * Allocation-free per query after warm-up: arrays are sized to the graph once and an epoch stamp
 * marks which entries belong to the current query, so nothing is refilled between queries.
 * The heap holds duplicates instead of supporting decrease-key (lazy deletion); stale entries are
 * skipped when popped.
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
  private readonly done: Uint32Array;
  private epoch = 0;
  private readonly queue = new FlatQueue<number>();

  constructor(graph: Graph) {
    this.graph = graph;
    const n = graph.nodeCount;
    this.time = new Float64Array(n);
    this.meters = new Float64Array(n);
    this.predArc = new Int32Array(n);
    this.label = new Int32Array(n);
    this.settled = new Uint32Array(n);
    this.stamp = new Uint32Array(n);
    this.done = new Uint32Array(n);
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
    const { time, meters, predArc, label, stamp, done, settled, queue } = this;
    const { arcOffsets, arcHead, arcEdge, edgeLength } = this.graph;
    const cost = direction === 'forward' ? costing.forward : costing.reverse;
    queue.clear();

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
      queue.push(n, t);
    }

    let settledCount = 0;
    while (queue.length > 0) {
      const u = queue.pop()!;
      if (done[u] === epoch) continue; // a stale duplicate
      done[u] = epoch;
      settled[settledCount++] = u;
      const tu = time[u];
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
        meters[v] = mu + edgeLength[arcEdge[a] >>> 1];
        predArc[v] = a;
        label[v] = lu;
        queue.push(v, t);
      }
    }
    this.settledCount = settledCount;
  }

  private nextEpoch(): void {
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      // Once in four billion queries: reset the stamps so an old stamp can never look current.
      this.stamp.fill(0);
      this.done.fill(0);
      this.epoch = 1;
    }
  }
}
