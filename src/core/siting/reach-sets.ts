import { BoundedSearch } from '../coverage/city-wide/bounded-search.ts';
import { allocate, copyOf } from '../coverage/city-wide/typed.ts';
import type { OriginSeeds } from '../coverage/city-wide/origin-seeds.ts';
import type { PlacedFacilities } from '../coverage/facility-index.ts';
import type { Costing } from '../routing/costing.ts';
import { forEachEntrySeed } from '../coverage/city-wide/facility-seeds.ts';

/**
 * Which homes each candidate site would serve: the homes (OriginSeeds rows) whose residents could
 * travel from home to the site within the budget. One bounded search per candidate on the shared
 * graph, *reverse* — time to the site over arcs walked backwards — so one-way streets count in the
 * direction a resident travels (home → facility), exactly as the coverage engine measures existing
 * facilities (a candidate is seeded as a facility entry: facility-seeds.ts).
 *
 * Only homes nobody serves yet (`unserved`) are asked about, and each search is bounded by the time
 * from the nearest unserved home (BoundedSearch's bound, one forward sweep): a site's search covers
 * the ground between it and the homes that could reach it, not everything within the budget.
 *
 * A home reaches a site when some seed of the home (a node its own edge or gate leads to, with the
 * time to get there) plus the node's time to the site is within the budget — or, on the same edge,
 * straight along it (the case nodes do not see, as offerOwnEdges).
 */
export interface ReachSets {
  candidateCount: number;
  /** Rows reached by candidate j: rows[start[j] .. start[j+1]-1], ascending. */
  start: Uint32Array;
  rows: Uint32Array;
  /** Nodes settled by all the searches together (work done, for the benchmark). */
  settled: number;
}

export function reachSets(costing: Costing, origins: OriginSeeds, unserved: Uint8Array, candidates: PlacedFacilities, budgetS: number, opts: { search?: BoundedSearch; candidateCount: number }): ReachSets {
  const search = opts.search ?? new BoundedSearch(costing.graph);
  const work = prepareReach(costing, origins, unserved, candidates, budgetS, opts.candidateCount, { search, shared: false });
  const part = reachRange(search, work, 0, opts.candidateCount);
  return { candidateCount: opts.candidateCount, start: part.start, rows: part.rows, settled: part.settled };
}

/**
 * Everything the candidates' searches read, as typed arrays (in shared memory when `shared`, for
 * worker threads: src/runtime/jobs/reach-sets-in-threads.ts), prepared once: the unserved homes' seeds by node, the bound
 * (time from the nearest unserved home, one forward sweep), each candidate's reverse seeds, and the
 * homes reaching a candidate along their own edge.
 */
export interface ReachWork {
  budgetS: number;
  reverse: Float64Array;
  rowCount: number;
  nodeStart: Uint32Array;
  entryRow: Uint32Array;
  entryTime: Float64Array;
  bound: Float64Array;
  seedStart: Uint32Array;
  seedNode: Uint32Array;
  seedTime: Float64Array;
  seedMeters: Float64Array;
  ownStart: Uint32Array;
  ownRows: Uint32Array;
}

export function prepareReach(costing: Costing, origins: OriginSeeds, unserved: Uint8Array, candidates: PlacedFacilities, budgetS: number, n: number, opts: { search: BoundedSearch; shared: boolean }): ReachWork {
  const graph = costing.graph;
  const homeSeeds = unservedSeedsByNode(graph.nodeCount, origins, unserved);
  const bound = allocate(Float64Array, graph.nodeCount, opts.shared);
  opts.search.run(costing.forward, homeSeeds.node, homeSeeds.time, homeSeeds.meters, null, 0, homeSeeds.node.length, budgetS, null);
  opts.search.timesInto(bound);
  const seeds = candidateSeeds(candidates, n);
  const own = ownEdgeRows(costing, origins, unserved, candidates, budgetS, n);
  const ownStart = allocate(Uint32Array, n + 1, opts.shared);
  for (let j = 0; j < n; j++) ownStart[j + 1] = ownStart[j] + (own.get(j)?.length ?? 0);
  const ownRows = allocate(Uint32Array, ownStart[n], opts.shared);
  for (const [j, rows] of own) ownRows.set(rows, ownStart[j]);
  const share = <T extends Float64Array | Uint32Array>(a: T): T => (opts.shared ? (copyOf(a.constructor as never, a, true) as T) : a);
  return {
    budgetS,
    reverse: opts.shared ? copyOf(Float64Array, costing.reverse, true) : costing.reverse,
    rowCount: origins.rowCount,
    nodeStart: share(homeSeeds.nodeStart),
    entryRow: share(homeSeeds.entryRow),
    entryTime: share(homeSeeds.entryTime),
    bound,
    seedStart: share(seeds.start),
    seedNode: share(seeds.node),
    seedTime: share(seeds.time),
    seedMeters: share(seeds.meters),
    ownStart,
    ownRows,
  };
}

/** The reach sets of candidates from..to-1: rows[start[j - from] .. start[j - from + 1]-1], ascending. */
export function reachRange(search: BoundedSearch, work: ReachWork, from: number, to: number): { start: Uint32Array; rows: Uint32Array; settled: number } {
  const { budgetS, nodeStart, entryRow, entryTime, bound, seedStart, seedNode, seedTime, seedMeters, ownStart, ownRows } = work;
  const stamp = new Int32Array(work.rowCount).fill(-1);
  const start = new Uint32Array(to - from + 1);
  let rows = new Uint32Array(1024);
  let count = 0;
  let settled = 0;
  const found: number[] = [];
  search.record = true;
  try {
    for (let j = from; j < to; j++) {
      found.length = 0;
      if (seedStart[j + 1] > seedStart[j]) {
        search.run(work.reverse, seedNode, seedTime, seedMeters, null, seedStart[j], seedStart[j + 1], budgetS, bound);
        settled += search.settledCount;
        const time = search.time;
        for (const v of search.recordedNodes()) {
          for (let i = nodeStart[v]; i < nodeStart[v + 1]; i++) {
            const r = entryRow[i];
            if (stamp[r] !== j && entryTime[i] + time[v] <= budgetS) {
              stamp[r] = j;
              found.push(r);
            }
          }
        }
      }
      for (let i = ownStart[j]; i < ownStart[j + 1]; i++) {
        const r = ownRows[i];
        if (stamp[r] !== j) {
          stamp[r] = j;
          found.push(r);
        }
      }
      found.sort((a, b) => a - b);
      if (count + found.length > rows.length) {
        const grown = new Uint32Array(Math.max(rows.length * 2, count + found.length));
        grown.set(rows.subarray(0, count));
        rows = grown;
      }
      for (const r of found) rows[count++] = r;
      start[j - from + 1] = count;
    }
  } finally {
    search.record = false;
  }
  return { start, rows: rows.slice(0, count), settled };
}

/** The unserved homes' seeds, as one list for the bounding sweep and by node for reading the searches. */
function unservedSeedsByNode(nodeCount: number, origins: OriginSeeds, unserved: Uint8Array) {
  const { seedStart, seedNode, seedTime, seedMeters } = origins;
  const nodeStart = new Uint32Array(nodeCount + 1);
  let total = 0;
  for (let r = 0; r < origins.rowCount; r++) {
    if (!unserved[r]) continue;
    for (let s = seedStart[r]; s < seedStart[r + 1]; s++) {
      nodeStart[seedNode[s] + 1]++;
      total++;
    }
  }
  for (let v = 0; v < nodeCount; v++) nodeStart[v + 1] += nodeStart[v];
  const fill = nodeStart.slice(0, nodeCount);
  const entryRow = new Uint32Array(total);
  const entryTime = new Float64Array(total);
  const node = new Uint32Array(total);
  const time = new Float64Array(total);
  const meters = new Float64Array(total);
  let i = 0;
  for (let r = 0; r < origins.rowCount; r++) {
    if (!unserved[r]) continue;
    for (let s = seedStart[r]; s < seedStart[r + 1]; s++, i++) {
      const k = fill[seedNode[s]]++;
      entryRow[k] = r;
      entryTime[k] = seedTime[s];
      node[i] = seedNode[s];
      time[i] = seedTime[s];
      meters[i] = seedMeters[s];
    }
  }
  return { nodeStart, entryRow, entryTime, node, time, meters };
}

/**
 * Each candidate's reverse seeds, CSR by candidate: every entry (point of the site on an edge) seeds
 * the edge's end nodes with the time from that node onto the entry, as categorySeeds does for a
 * category of facilities.
 */
function candidateSeeds(placed: PlacedFacilities, n: number) {
  const { index, facilityOfPoint } = placed;
  const start = new Uint32Array(n + 1);
  for (let k = 0; k < index.poi.length; k++) start[facilityOfPoint[index.poi[k]] + 1] += 2;
  for (let j = 0; j < n; j++) start[j + 1] += start[j];
  const fill = start.slice(0, n);
  const node = new Uint32Array(start[n]);
  const time = new Float64Array(start[n]);
  const meters = new Float64Array(start[n]);
  forEachEntrySeed(placed, (k, v, t, m) => {
    const i = fill[facilityOfPoint[index.poi[k]]]++;
    node[i] = v;
    time[i] = t;
    meters[i] = m;
  });
  // Unused slots (one-way edges) are left as Infinity, which every search skips.
  for (let j = 0; j < n; j++) for (let i = fill[j]; i < start[j + 1]; i++) time[i] = Infinity;
  return { start, node, time, meters };
}

/** Unserved homes reaching a candidate along their own edge, without passing a node. */
function ownEdgeRows(costing: Costing, origins: OriginSeeds, unserved: Uint8Array, placed: PlacedFacilities, budgetS: number, n: number): Map<number, number[]> {
  const { edgeArc } = costing.graph;
  const cost = costing.forward;
  const { edgeStart, fraction, accessS, poi } = placed.index;
  const out = new Map<number, number[]>();
  for (let r = 0; r < origins.rowCount; r++) {
    if (!unserved[r]) continue;
    for (let p = origins.pointStart[r]; p < origins.pointStart[r + 1]; p++) {
      const e = origins.pointEdge[p];
      const along = cost[edgeArc[2 * e]];
      const back = cost[edgeArc[2 * e + 1]];
      for (let k = edgeStart[e]; k < edgeStart[e + 1]; k++) {
        const d = fraction[k] - origins.pointFraction[p];
        const t = origins.pointAccessS[p] + (d >= 0 ? d * along : -d * back) + accessS[k];
        // NaN (0 × Infinity on a one-way edge) is rejected as offerOwnEdges rejects it.
        if (!(t <= budgetS)) continue;
        const j = placed.facilityOfPoint[poi[k]];
        if (j >= n) continue;
        let list = out.get(j);
        if (!list) out.set(j, (list = []));
        list.push(r);
      }
    }
  }
  return out;
}
