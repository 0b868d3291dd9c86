import type { Graph } from '../network/graph.ts';
import { type PointTime, timeAtPoint } from './network-point.ts';
import type { LocatedPoint } from './locate.ts';
import { type Costing } from './costing.ts';
import { GraphSearch, SeedList, type Direction } from './search.ts';
import { addPointSeeds, type NetworkPoint } from './network-point.ts';

/**
 * One-to-many travel times: one bounded search per origin, then every target is read off the
 * search (through either end of its edge, or along the origin's own edge). Only targets within the
 * budget are listed, each with its time including both access legs.
 */
export interface Reachable {
  targetIndex: number;
  seconds: number;
  meters: number;
}

export interface OriginReach {
  origin: LocatedPoint;
  reachable: Reachable[];
}

/** A search with its seed list, reused across queries on one graph. */
export class Router {
  readonly search: GraphSearch;
  private readonly seeds = new SeedList();
  private readonly slot: PointTime = { time: 0, meters: 0, via: 0 };

  constructor(readonly graph: Graph) {
    this.search = new GraphSearch(graph);
  }

  /** Searches from (forward) or to (reverse) the given points within budgetS seconds. */
  searchFrom(costing: Costing, points: readonly NetworkPoint[], budgetS: number, direction: Direction = 'forward', labels?: ArrayLike<number>): GraphSearch {
    this.seeds.clear();
    for (let i = 0; i < points.length; i++) addPointSeeds(this.seeds, costing, points[i], direction, labels ? labels[i] : i);
    this.search.run(costing, this.seeds, budgetS, direction);
    return this.search;
  }

  /** Time from the last search's seed points to `point` (or from `point` to them, after a reverse search). */
  timeTo(point: NetworkPoint, seedPoints: readonly NetworkPoint[]): PointTime {
    return timeAtPoint(this.search, point, seedPoints, this.slot);
  }

  /**
   * Targets are grouped by edge once; each origin's search then reads only the targets on edges it
   * reached (around its settled nodes, and its own edge), not every target of the request.
   */
  travelTimes(costing: Costing, origins: readonly LocatedPoint[], targets: readonly LocatedPoint[], maxSeconds: number): OriginReach[] {
    const byEdge = groupByEdge(this.graph.edgeCount, targets);
    const { arcOffsets, arcEdge } = this.graph;
    const edgeSeen = this.edgeStamp();
    return origins.map((origin) => {
      if (!origin.point) return { origin, reachable: [] };
      const seedPoints = [origin.point];
      const search = this.searchFrom(costing, seedPoints, maxSeconds);
      const epoch = ++this.edgeEpoch;
      const reachable: Reachable[] = [];
      const visit = (e: number) => {
        if (edgeSeen[e] === epoch) return;
        edgeSeen[e] = epoch;
        for (let k = byEdge.start[e]; k < byEdge.start[e + 1]; k++) {
          const target = targets[byEdge.items[k]];
          const t = this.timeTo(target.point!, seedPoints);
          // timeTo answers Infinity beyond the search budget (maxSeconds).
          if (t.time !== Infinity) reachable.push({ targetIndex: target.index, seconds: t.time, meters: t.meters });
        }
      };
      visit(origin.point.edge);
      for (let i = 0; i < search.settledCount; i++) {
        const u = search.settled[i];
        for (let a = arcOffsets[u]; a < arcOffsets[u + 1]; a++) {
          const e = arcEdge[a] >>> 1;
          if (byEdge.start[e] !== byEdge.start[e + 1]) visit(e);
        }
      }
      reachable.sort((a, b) => a.seconds - b.seconds);
      return { origin, reachable };
    });
  }

  private edgeSeen: Uint32Array | null = null;
  private edgeEpoch = 0;

  private edgeStamp(): Uint32Array {
    if (!this.edgeSeen || this.edgeEpoch > 0xfffffff0) {
      this.edgeSeen = new Uint32Array(this.graph.edgeCount);
      this.edgeEpoch = 0;
    }
    return this.edgeSeen;
  }
}

/** Positions in `points` grouped by the edge they are placed on (CSR); unplaced points are left out. */
function groupByEdge(edgeCount: number, points: readonly LocatedPoint[]): { start: Uint32Array; items: Uint32Array } {
  const start = new Uint32Array(edgeCount + 1);
  let count = 0;
  for (const p of points) {
    if (!p.point) continue;
    start[p.point.edge + 1]++;
    count++;
  }
  for (let e = 0; e < edgeCount; e++) start[e + 1] += start[e];
  const fill = start.slice(0, edgeCount);
  const items = new Uint32Array(count);
  points.forEach((p, i) => {
    if (p.point) items[fill[p.point.edge]++] = i;
  });
  return { start, items };
}
