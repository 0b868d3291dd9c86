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

  travelTimes(costing: Costing, origins: readonly LocatedPoint[], targets: readonly LocatedPoint[], maxSeconds: number): OriginReach[] {
    return origins.map((origin) => {
      if (!origin.point) return { origin, reachable: [] };
      const seedPoints = [origin.point];
      this.searchFrom(costing, seedPoints, maxSeconds);
      const reachable: Reachable[] = [];
      for (const target of targets) {
        if (!target.point) continue;
        const t = this.timeTo(target.point, seedPoints);
        if (t.time <= maxSeconds) reachable.push({ targetIndex: target.index, seconds: t.time, meters: t.meters });
      }
      reachable.sort((a, b) => a.seconds - b.seconds);
      return { origin, reachable };
    });
  }
}
