import type { Graph } from '../../network/graph.ts';
import { BoundedSearch, type Targets } from './bounded-search.ts';
import type { CategorySeeds } from './facility-seeds.ts';
import type { NearestTable } from './nearest-table.ts';
import type { OriginSeeds } from './origin-seeds.ts';
import type { SharedCosting } from './shared-graph.ts';

/**
 * The searches of a city-wide computation, for one thread (one search's arrays, reused):
 *
 * - `fillOriginTimes`: one forward sweep from every origin of a travel group at once, bounded by the
 *   budget: the time from the nearest origin to every node, which bounds every later search of the
 *   group (see BoundedSearch).
 * - `fillColumn`: one multi-source search per category. Every facility entry of the category seeds a
 *   reverse search (time *to* the facilities, over arcs walked backwards, so one-way streets count in
 *   the direction a resident travels), bounded by the budget. Each reached node then knows the time
 *   to its nearest entry of the category and which entry it is (the label). A home's nearest
 *   entry is the minimum over its seeds of (the origin's time to the seed node + the node's
 *   time to the nearest entry). Facilities on an origin's own edge are added afterwards
 *   (offerOwnEdges): no node lies between them.
 */
export class MultiSourceSearch {
  readonly search: BoundedSearch;

  private readonly targets: Targets;
  private targetOrigins: OriginSeeds | null = null;

  constructor(graph: Graph) {
    this.search = new BoundedSearch(graph);
    this.targets = { mark: new Uint32Array(graph.nodeCount), epoch: 0, count: 0 };
  }

  /**
   * The homes' seed nodes, where a column's search may stop once all are settled (the labels read
   * are final then). Marked once per origin set, however many columns it fills.
   */
  private targetsOf(origins: OriginSeeds): Targets {
    const t = this.targets;
    if (this.targetOrigins === origins) return t;
    this.targetOrigins = origins;
    if (++t.epoch === 0xffffffff) {
      t.mark.fill(0);
      t.epoch = 1;
    }
    t.count = 0;
    for (const n of origins.seedNode) {
      if (t.mark[n] !== t.epoch) {
        t.mark[n] = t.epoch;
        t.count++;
      }
    }
    return t;
  }

  fillOriginTimes(costing: SharedCosting, origins: OriginSeeds, budgetS: number, out: Float64Array): void {
    const { seedNode, seedTime, seedMeters } = origins;
    this.search.run(costing.forward, seedNode, seedTime, seedMeters, null, 0, seedNode.length, budgetS, null);
    this.search.timesInto(out);
  }

  /**
   * The same into this search's own array (Infinity everywhere until written), writing only the
   * nodes reached: in one thread, a small request costs what it reaches, not the graph's size.
   * Answers the array, valid until `clearOriginTimes`.
   */
  fillOriginTimesSparse(costing: SharedCosting, origins: OriginSeeds, budgetS: number): Float64Array {
    const { seedNode, seedTime, seedMeters } = origins;
    this.search.record = true;
    try {
      this.search.run(costing.forward, seedNode, seedTime, seedMeters, null, 0, seedNode.length, budgetS, null);
    } finally {
      this.search.record = false;
    }
    this.sparseTimes ??= new Float64Array(this.search.graph.nodeCount).fill(Infinity);
    this.search.sparseTimesInto(this.sparseTimes, this.written);
    return this.sparseTimes;
  }

  /**
   * The facility seeds a search bounded by the last fillOriginTimesSparse can use: those on nodes it
   * reached (any other seed has an infinite bound and is skipped at once). Gathered through a node →
   * seeds index instead of testing every seed of the city against the bound — a one-community request
   * would otherwise read ~10⁵ seeds at random for ~40 categories. Seeds keep their order, so the
   * searches are the same as with all of them.
   */
  seedsNear(seeds: CategorySeeds): CategorySeeds {
    const { nodeStart, seedOf } = nodeSeedsOf(seeds, this.search.graph.nodeCount);
    const picked: number[] = [];
    for (const n of this.written) for (let i = nodeStart[n]; i < nodeStart[n + 1]; i++) picked.push(seedOf[i]);
    picked.sort((a, b) => a - b);
    const categories = seeds.start.length - 1;
    const start = new Uint32Array(categories + 1);
    const node = new Uint32Array(picked.length);
    const time = new Float64Array(picked.length);
    const meters = new Float64Array(picked.length);
    const entry = new Int32Array(picked.length);
    let c = 0;
    picked.forEach((s, i) => {
      while (s >= seeds.start[c + 1]) start[++c] = i;
      node[i] = seeds.node[s];
      time[i] = seeds.time[s];
      meters[i] = seeds.meters[s];
      entry[i] = seeds.entry[s];
    });
    while (c < categories) start[++c] = picked.length;
    return { start, node, time, meters, entry };
  }

  /** Back to Infinity where fillOriginTimesSparse wrote. */
  clearOriginTimes(): void {
    if (this.sparseTimes) for (const n of this.written) this.sparseTimes[n] = Infinity;
    this.written.length = 0;
  }

  private sparseTimes: Float64Array | undefined;
  private readonly written: number[] = [];

  fillColumn(costing: SharedCosting, facilitySeeds: CategorySeeds, origins: OriginSeeds, originTimes: Float64Array, budgetS: number, table: NearestTable, column: number): void {
    const c = table.categories[column];
    const search = this.search;
    const { start, node, time: seedTimes, meters: seedMeters, entry } = facilitySeeds;
    search.run(costing.reverse, node, seedTimes, seedMeters, entry, start[c], start[c + 1], budgetS, originTimes, this.targetsOf(origins));
    const { time, meters, label } = search;
    const { seedStart, seedNode, seedTime, seedMeters: originMeters } = origins;
    const n = table.rowCount;
    const base = column * n;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let bestMeters = 0;
      let bestEntry = -1;
      for (let s = seedStart[i]; s < seedStart[i + 1]; s++) {
        const v = seedNode[s];
        if (!search.reached(v)) continue;
        const t = seedTime[s] + time[v];
        if (t <= budgetS && t < best) {
          best = t;
          bestMeters = originMeters[s] + meters[v];
          bestEntry = label[v];
        }
      }
      table.time[base + i] = best;
      table.meters[base + i] = bestMeters;
      table.entry[base + i] = bestEntry;
    }
  }
}

// Per seed set (a placement's, which a server keeps between requests): its seeds by node, in CSR form.
const nodeSeeds = new WeakMap<CategorySeeds, { nodeStart: Uint32Array; seedOf: Uint32Array }>();

function nodeSeedsOf(seeds: CategorySeeds, nodeCount: number): { nodeStart: Uint32Array; seedOf: Uint32Array } {
  let index = nodeSeeds.get(seeds);
  if (!index) {
    const count = seeds.start[seeds.start.length - 1];
    const nodeStart = new Uint32Array(nodeCount + 1);
    for (let s = 0; s < count; s++) nodeStart[seeds.node[s] + 1]++;
    for (let n = 0; n < nodeCount; n++) nodeStart[n + 1] += nodeStart[n];
    const fill = nodeStart.slice(0, nodeCount);
    const seedOf = new Uint32Array(count);
    for (let s = 0; s < count; s++) seedOf[fill[seeds.node[s]]++] = s;
    nodeSeeds.set(seeds, (index = { nodeStart, seedOf }));
  }
  return index;
}
